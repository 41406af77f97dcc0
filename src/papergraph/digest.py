"""What is new in a period of a built graph: introduced models and benchmarks, rising methods,
new results on known benchmarks, and the earlier papers closest to each new one. Pure, no I/O.

"New" papers are those dated from ``since`` on (by day; default: the latest day of the graph);
"earlier" papers are dated before it. Undated papers are neither.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from .errors import ConfigError
from .graph import papers_of
from .trends import Trend, period_of, trends

__all__ = ["Digest", "Introduced", "ResultRow", "Similar", "make_digest"]

INTRODUCED_TYPES = ("Model", "Benchmark")


@dataclass(frozen=True)
class Introduced:
    """A model or benchmark a new paper proposes and no earlier paper proposed."""

    name: str
    type: str
    papers: tuple[tuple[str, str], ...]  # (paper id, title) of the new papers proposing it
    earlier_mentions: int  # earlier papers naming it anyway (e.g. before its paper was listed)


@dataclass(frozen=True)
class ResultRow:
    """One reported number on a benchmark."""

    subject: str
    metric: str
    value: float
    unit: str
    paper_id: str
    title: str
    date: str
    new: bool


@dataclass(frozen=True)
class Similar:
    """An earlier paper close to a new one (the graph's ``SIMILAR_TO`` score)."""

    paper_id: str
    title: str
    date: str
    score: float


@dataclass
class Digest:
    """The digest of the papers from ``since`` to ``until``."""

    since: str | None
    until: str | None
    new_papers: list[dict] = field(default_factory=list)  # id, title, date, url, upvotes
    earlier_papers: int = 0
    introduced: list[Introduced] = field(default_factory=list)
    rising: list[Trend] = field(default_factory=list)  # methods, by growth of their share of papers
    leaderboards: dict[str, list[ResultRow]] = field(default_factory=dict)  # benchmark -> rows
    similar: dict[str, list[Similar]] = field(default_factory=dict)  # new paper id -> earlier papers


def make_digest(G: nx.MultiDiGraph, *, since: str | None = None, top: int = 10, min_papers: int = 2,
                similar_per_paper: int = 3) -> Digest:
    """The digest of the papers of ``G`` dated from ``since`` on.

    Args:
        G: a papergraph graph (with analytics for the similar papers).
        since: first day of the period (``YYYY-MM-DD``); default the latest day with papers.
        top: rising methods listed.
        min_papers: new papers a method needs to count as rising.
        similar_per_paper: earlier papers listed for each new one.

    Raises:
        ConfigError: ``since`` is not a date.
    """
    day = {p: period_of(G.nodes[p].get("date")) for p in papers_of(G)}
    days = sorted(d for d in day.values() if d)
    cut = period_of(since) if since else (days[-1] if days else None)
    if since and cut is None:
        raise ConfigError(f"--since: not a date: {since!r} (expected e.g. 2025-05-20)")
    new = [p for p, d in day.items() if d and cut and d >= cut]
    old = {p for p, d in day.items() if d and cut and d < cut}
    dg = Digest(cut, max((day[p] for p in new), default=None), earlier_papers=len(old))
    new.sort(key=lambda p: (-(G.nodes[p].get("upvotes") or 0), day[p], _id(G, p)))
    dg.new_papers = [{"id": _id(G, p), **{k: G.nodes[p].get(k) for k in ("title", "date", "url", "upvotes")}}
                     for p in new]
    if not new:
        return dg
    dg.introduced = _introduced(G, new, old)
    if old:
        report = trends(G, by="day", since=cut, top=10 ** 6, min_papers=min_papers)
        dg.rising = [t for t in report.rising if t.type == "Method"][:top]
    dg.leaderboards = _leaderboards(G, set(new), old, day)
    dg.similar = _similar(G, new, old, similar_per_paper)
    return dg


def _id(G, n) -> str:
    """A node's papergraph id (node-link JSON keeps only the node name, ``paper:<id>``)."""
    return G.nodes[n].get("id") or str(n).split(":", 1)[-1]


def _linked(G, paper, rtype: str | None = None) -> list[str]:
    """Concept nodes a paper links to (by ``rtype`` only, if given)."""
    return [v for _, v, k in G.out_edges(paper, keys=True)
            if G.nodes[v].get("label") == "Concept" and (rtype is None or k == rtype)]


def _introduced(G, new: list[str], old: set[str]) -> list[Introduced]:
    proposers: dict[str, list[str]] = defaultdict(list)
    for p in new:
        for c in _linked(G, p, "PROPOSES"):
            if G.nodes[c].get("type") in INTRODUCED_TYPES:
                proposers[c].append(p)
    out = []
    for c, ps in proposers.items():
        before = {u for u, _, k in G.in_edges(c, keys=True) if u in old}
        if any(k == "PROPOSES" for u, _, k in G.in_edges(c, keys=True) if u in old):
            continue
        d = G.nodes[c]
        out.append(Introduced(d.get("name", c), d.get("type", ""),
                              tuple((_id(G, p), G.nodes[p].get("title", "")) for p in ps), len(before)))
    out.sort(key=lambda i: (INTRODUCED_TYPES.index(i.type), -len(i.papers), i.name.casefold()))
    return out


def _leaderboards(G, new: set[str], old: set[str], day: dict) -> dict[str, list[ResultRow]]:
    """Per known benchmark with a new result: every absolute result on it, best first per metric."""
    def rows_on(bench) -> list[ResultRow]:
        rows = []
        for r, _, k in G.in_edges(bench, keys=True):
            if k != "ON" or G.nodes[r].get("label") != "Result" or G.nodes[r].get("kind", "absolute") != "absolute":
                continue
            paper = next((u for u, _, kk in G.in_edges(r, keys=True) if kk == "REPORTS"), None)
            if paper is None or paper not in new and paper not in old:
                continue
            d = G.nodes[r]
            ends = {kk: G.nodes[v].get("name") for _, v, kk in G.out_edges(r, keys=True)}
            rows.append(ResultRow(ends.get("OF") or d.get("subject") or "?", ends.get("MEASURED_BY") or d.get("metric")
                                  or "", float(d.get("value", 0.0)), d.get("unit") or "", _id(G, paper),
                                  G.nodes[paper].get("title", ""), day[paper] or "", paper in new))
        return rows

    boards = {}
    for b in {v for p in new for _, r, k in G.out_edges(p, keys=True) if k == "REPORTS"
              for _, v, kk in G.out_edges(r, keys=True) if kk == "ON"}:
        known = bool(_papers_naming(G, b) & old)
        rows = rows_on(b)
        if known and any(r.new for r in rows):
            rows.sort(key=lambda r: (r.metric.casefold(), r.unit, -r.value, r.date, r.paper_id))
            boards[G.nodes[b].get("name", b)] = rows
    return dict(sorted(boards.items(), key=lambda kv: kv[0].casefold()))


def _papers_naming(G, c) -> set[str]:
    """Papers linking to concept ``c``, directly or through a result they report."""
    out = set()
    for u in G.predecessors(c):
        if G.nodes[u].get("label") == "Paper":
            out.add(u)
        elif G.nodes[u].get("label") == "Result":
            out.update(w for w in G.predecessors(u) if G.nodes[w].get("label") == "Paper")
    return out


def _similar(G, new: list[str], old: set[str], k: int) -> dict[str, list[Similar]]:
    out = {}
    for p in new:
        near = {}
        for u, v, key, d in [*G.out_edges(p, keys=True, data=True), *G.in_edges(p, keys=True, data=True)]:
            other = v if u == p else u
            if key == "SIMILAR_TO" and other in old:
                near[other] = max(near.get(other, 0.0), float(d.get("score", 0.0)))
        best = sorted(near.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        out[_id(G, p)] = [Similar(_id(G, o), G.nodes[o].get("title", ""), G.nodes[o].get("date") or "",
                                         s) for o, s in best]
    return out
