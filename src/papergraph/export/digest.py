"""Write a :class:`~papergraph.digest.Digest` as Markdown and as one self-contained HTML page.

The HTML page has no script, no external resource and a Content-Security-Policy allowing only
its inline style; every text from the data is HTML-escaped. Markdown text is escaped so that a
title cannot open a link, a table cell or an HTML tag.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from ..digest import Digest
from .atomic import atomic_open, make_dir

__all__ = ["digest_markdown", "digest_html", "write_digest"]

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def _md(text) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def _num(value: float, unit: str) -> str:
    return f"{value:g}{unit}" if unit in ("%", "x") else f"{value:g} {unit}".rstrip()


def _period(dg: Digest) -> str:
    if dg.since is None:
        return "no dated papers"
    return dg.since if dg.until in (None, dg.since) else f"{dg.since} .. {dg.until}"


def digest_markdown(dg: Digest) -> str:
    """The digest as Markdown."""
    out = [f"# papergraph digest: {_period(dg)}", "",
           f"{len(dg.new_papers)} new papers, compared with {dg.earlier_papers} earlier ones.", ""]
    out += ["## New models and benchmarks", ""]
    out += [f"- **{_md(i.name)}** ({i.type}), proposed in " + "; ".join(f"{_md(t)} ({_md(pid)})" for pid, t in i.papers)
            + (f"; named by {i.earlier_mentions} earlier papers" if i.earlier_mentions else "")
            for i in dg.introduced] or ["(none)"]
    out += ["", "## Rising methods (share of papers before -> now)", ""]
    out += [f"- {100 * t.share_before:.1f}% -> {100 * t.share_after:.1f}%  **{_md(t.name)}** ({t.after} new papers)"
            for t in dg.rising] or ["(none)"]
    out += ["", "## New results on known benchmarks", ""]
    if not dg.leaderboards:
        out.append("(none)")
    for bench, rows in dg.leaderboards.items():
        out += [f"### {_md(bench)}", "", "| | model or method | metric | value | paper | date |",
                "|---|---|---|---|---|---|"]
        out += [f"| {'new' if r.new else ''} | {_md(r.subject)} | {_md(r.metric)} | {_num(r.value, r.unit)} | "
                f"{_md(r.title)} ({_md(r.paper_id)}) | {r.date} |" for r in rows]
        out.append("")
    out += ["", "## New papers and their closest earlier papers", ""]
    for p in dg.new_papers:
        votes = f", {p['upvotes']} upvotes" if p.get("upvotes") is not None else ""
        out.append(f"- **{_md(p['title'])}** ({_md(p['id'])}, {p.get('date') or 'undated'}{votes})")
        out += [f"  - {s.score:.2f} {_md(s.title)} ({_md(s.paper_id)}, {s.date})" for s in dg.similar.get(p["id"], [])]
    return "\n".join(out).rstrip() + "\n"


_CSS = ("body{font:15px/1.45 system-ui,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;color:#222}"
        "h1{font-size:1.5em}h2{border-bottom:1px solid #ddd;margin-top:1.6em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ddd;padding:.2em .5em;text-align:left}tr.new{background:#fff6d5}"
        ".t{font-size:.85em;color:#666}.Model{color:#e41a1c}.Benchmark{color:#377eb8}.Method{color:#4daf4a}")


def _a(title: str, url: str | None) -> str:
    t = html.escape(title)
    if url and url.startswith(("http://", "https://")):
        return f'<a href="{html.escape(url, quote=True)}">{t}</a>'
    return t


def digest_html(dg: Digest) -> str:
    """The digest as one HTML page (no script, no external resource)."""
    e = html.escape
    urls = {p["id"]: p.get("url") for p in dg.new_papers}
    body = [f"<h1>papergraph digest: {e(_period(dg))}</h1>",
            f"<p>{len(dg.new_papers)} new papers, compared with {dg.earlier_papers} earlier ones.</p>",
            "<h2>New models and benchmarks</h2>"]
    body.append("<ul>" + "".join(
        f'<li><b class="{e(i.type)}">{e(i.name)}</b> <span class="t">{e(i.type)}</span>, proposed in '
        + "; ".join(_a(t, urls.get(pid)) for pid, t in i.papers)
        + (f" <span class='t'>(named by {i.earlier_mentions} earlier papers)</span>" if i.earlier_mentions else "")
        + "</li>" for i in dg.introduced) + "</ul>" if dg.introduced else "<p>(none)</p>")
    body.append("<h2>Rising methods</h2>")
    body.append("<table><tr><th>method</th><th>share before</th><th>now</th><th>new papers</th></tr>" + "".join(
        f"<tr><td>{e(t.name)}</td><td>{100 * t.share_before:.1f}%</td><td>{100 * t.share_after:.1f}%</td>"
        f"<td>{t.after}</td></tr>" for t in dg.rising) + "</table>" if dg.rising else "<p>(none)</p>")
    body.append("<h2>New results on known benchmarks</h2>")
    if not dg.leaderboards:
        body.append("<p>(none)</p>")
    for bench, rows in dg.leaderboards.items():
        body.append(f"<h3>{e(bench)}</h3><table><tr><th>model or method</th><th>metric</th><th>value</th>"
                    "<th>paper</th><th>date</th></tr>" + "".join(
                        f"<tr{' class=new' if r.new else ''}><td>{e(r.subject)}</td><td>{e(r.metric)}</td>"
                        f"<td>{e(_num(r.value, r.unit))}</td><td>{_a(r.title, urls.get(r.paper_id))}</td>"
                        f"<td>{e(r.date)}</td></tr>" for r in rows) + "</table>")
    body.append("<h2>New papers and their closest earlier papers</h2><ul>")
    for p in dg.new_papers:
        votes = f", {p['upvotes']} upvotes" if p.get("upvotes") is not None else ""
        near = "".join(f"<li>{s.score:.2f} {e(s.title)} <span class='t'>{e(s.paper_id)}, {e(s.date)}</span></li>"
                       for s in dg.similar.get(p["id"], []))
        body.append(f"<li>{_a(p['title'], p.get('url'))} <span class='t'>{e(p['id'])}, "
                    f"{e(p.get('date') or 'undated')}{votes}</span>" + (f"<ul>{near}</ul>" if near else "") + "</li>")
    body.append("</ul>")
    csp = "default-src 'none'; style-src 'unsafe-inline'"
    return (f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
            f"<title>papergraph digest {e(_period(dg))}</title><style>{_CSS}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def write_digest(dg: Digest, outdir: str | os.PathLike) -> list[Path]:
    """Write ``OUTDIR/digest.md`` and ``OUTDIR/digest.html`` (each atomically); return their paths.

    Raises:
        OutputError: a file cannot be written.
    """
    out = make_dir(outdir)
    paths = []
    for name, text in (("digest.md", digest_markdown(dg)), ("digest.html", digest_html(dg))):
        with atomic_open(out / name) as fh:
            fh.write(text)
        paths.append(out / name)
    return paths
