"""One self-contained HTML file showing the concept graph (works offline, from file://).

The page inlines papergraph's own renderer (``assets/canvas.js``: a <canvas> drawing at the
positions of :mod:`papergraph.layout`, with pan, zoom and hit testing; ``assets/canvas_draw.js``:
its bulk drawing and labels by importance), its overview inset (``assets/overview.js``), the page logic (``assets/app.js``: search, type
filter, colour switch, tooltip, details panel, papers tab) and ``assets/map.css``; no
third-party code (why not a library's WebGL renderer: see the README, "The map"). The graph is embedded as JSON in
``<script type="application/json">`` with ``<``, ``>``, ``&``, U+2028 and U+2029 written as
``\\uXXXX`` so no title or sentence can end the script element. The app builds the DOM with
``textContent`` only, and a Content-Security-Policy allows just the two inlined scripts (by hash)
and no network access, so injected markup could not run or load anything even if it got through.
"""

from __future__ import annotations

import base64
import calendar
import hashlib
import html
import json
import re
from importlib import resources

import networkx as nx

from ..export.gexf import TYPE_COLORS
from ..graph import concepts_of, papers_of
from ..trends import parse_date
from .groups import COMMUNITY_COLORS, colour_groups, map_communities

__all__ = ["map_data", "render_map", "COMMUNITY_COLORS"]

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#%02x%02x%02x" % rgb


def map_data(G: nx.MultiDiGraph, *, title: str = "papergraph map") -> dict:
    """The JSON the page shows: concepts, their links, and the papers naming each concept.

    Concepts come most important first (paper count, then PageRank), which is the order the page
    labels them in; ``group`` indexes ``groups``, the community colours (see :mod:`.groups`).

    Returns:
        ``{"title", "type_colors", "groups", "communities", "concepts", "links", "papers"}``;
        concepts refer to papers, and links to concepts, by list index.
    """
    cids = sorted(concepts_of(G), key=lambda n: (-int(G.nodes[n].get("paper_count") or 0),
                                                -float(G.nodes[n].get("pagerank") or 0.0), n))
    cindex = {n: i for i, n in enumerate(cids)}
    pids = sorted(papers_of(G), key=lambda n: (str(G.nodes[n].get("date") or ""), n), reverse=True)
    pindex = {n: i for i, n in enumerate(pids)}
    community = map_communities(G)
    groups, group_of = colour_groups(G, community)
    papers = [{"id": _plain_id(G, p), "title": str(G.nodes[p].get("title") or ""), "date": _display_date(G.nodes[p].get("date")),
               "url": _safe_url(G.nodes[p].get("url"))} for p in pids]
    concepts = []
    for n in cids:
        d = G.nodes[n]
        pos = (d.get("viz") or {}).get("position") or {}
        named = sorted(((pindex[u], k, str(e.get("evidence") or ""))
                        for u, _, k, e in G.in_edges(n, keys=True, data=True) if u in pindex),
                       key=lambda t: t[0])
        concepts.append({
            "id": _plain_id(G, n), "name": str(d.get("name") or n), "type": str(d.get("type") or ""),
            "aliases": [str(a) for a in d.get("aliases") or []], "community": community[n], "group": group_of[n],
            "papers": int(d.get("paper_count") or 0), "x": float(pos.get("x", 0.0)),
            "y": -float(pos.get("y", 0.0)), "named": [list(t) for t in named],
        })
    links: dict[tuple[int, int], dict] = {}
    for u, v, k, e in G.edges(keys=True, data=True):
        if u in cindex and v in cindex and u != v:
            a, b = cindex[u], cindex[v]
            link = links.setdefault((min(a, b), max(a, b)), {"a": min(a, b), "b": max(a, b), "w": 0, "rels": []})
            if k == "CO_OCCURS":
                link["w"] = int(e.get("weight") or 0)
            else:
                link["rels"].append([cindex[u], str(k)])
    return {
        "title": title,
        "type_colors": {t: _hex(c) for t, c in TYPE_COLORS.items()},
        "groups": groups,
        "communities": list(G.graph.get("communities") or []),
        "concepts": concepts, "links": list(links.values()), "papers": papers,
    }


def _plain_id(G: nx.MultiDiGraph, n: str) -> str:
    """The node's own id ("2405.00001", "bert"): its ``id``, else the node key without "paper:"/"concept:"."""
    return str(G.nodes[n].get("id") or re.sub(r"^(paper|concept):", "", str(n)))


def _display_date(value) -> str:
    """The paper date as shown: year-less listing dates ("--05-20") as "May 20", others as given."""
    parsed = parse_date(str(value)) if value else None
    if parsed and parsed[0] is None:
        return f"{calendar.month_abbr[parsed[1]]} {parsed[2]}"
    return str(value or "")


def _safe_url(url) -> str:
    """The URL if it is http(s), else "" (no javascript: or data: links)."""
    url = str(url or "")
    return url if re.match(r"^https?://", url, re.I) else ""


def _json_for_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return re.sub("[<>&\u2028\u2029]", lambda m: _JSON_ESCAPES[m.group()], text)


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")


def _inline_js(code: str) -> str:
    """JS safe inside a <script> element: no "</script" or "<!--" (both only occur in strings)."""
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.I).replace("<!--", "<\\!--")


def _sha256(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode() + "'"


def render_map(G: nx.MultiDiGraph, *, title: str = "papergraph map") -> str:
    """The whole HTML page for ``G`` as a string."""
    scripts = [_inline_js(_asset(name)) for name in ("canvas.js", "canvas_draw.js", "overview.js", "app.js")]
    csp = ("default-src 'none'; script-src " + " ".join(map(_sha256, scripts))
           + "; style-src 'unsafe-inline'; img-src data: blob:; font-src data:")
    parts = {
        "@@CSP@@": html.escape(csp, quote=True),
        "@@TITLE@@": html.escape(title),
        "@@CSS@@": _asset("map.css").replace("</", "<\\/"),
        "@@DATA@@": _json_for_script(map_data(G, title=title)),
        "@@SCRIPTS@@": "\n".join(f"<script>{code}</script>" for code in scripts),
    }
    page = _asset("template.html")
    # One pass, so that text inserted for one marker is never searched for another.
    return re.sub("|".join(map(re.escape, parts)), lambda m: parts[m.group()], page)
