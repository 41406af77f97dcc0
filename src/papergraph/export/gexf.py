"""graph.gexf: a Gephi-ready copy of the graph.

GEXF (as networkx writes it) rejects ``None``, reads lists as dynamic spells, needs one
type per attribute, and reserves the node attributes ``id``, ``label``, ``start``, ``end`` and the
edge attributes ``id``, ``label``, ``type``, ``weight``, ``start``, ``end``. So the graph is copied
with clean attributes first:

* lists joined with ``"; "``, dicts as JSON, ``None`` and non-finite floats dropped;
* each attribute gets one type over all nodes (or edges): bool, else int, else float, else text;
* renamed: node ``id`` -> ``pg_id``, ``label`` -> ``pg_label`` (Paper/Concept/Result); edge
  ``type`` -> ``rel``; character offsets ``start``/``end`` -> ``char_start``/``char_end``;
* node ``type`` = the concept type, or the kind for papers and results, so that Gephi's
  Partition on ``type`` (or on ``community``, set by :mod:`papergraph.analysis`) colours all nodes;
* Gephi label = concept name / paper title / result text; edge label = relationship type;
  edge weight = ``weight`` (co-occurrence), else ``score`` (similarity), else 1;
* viz: colour from :data:`TYPE_COLORS`, size 6 + 6*log2(1 + paper_count) for concepts (4 for
  others), position from ``viz.position`` (the layout of :mod:`papergraph.analysis`);
* time: a paper with a date gets ``start`` = that date (``YYYY-MM-DD``), its results too, and a
  concept the earliest date of the papers naming it, so Gephi's Timeline shows the graph grow.
  Year-less listing dates ("--05-20") get the placeholder year ``undated_year`` (default 2000, see
  :data:`papergraph.trends.UNDATED_YEAR`). Nodes without a date have no ``start`` (always shown).
"""

from __future__ import annotations

import json
import math
import os

import networkx as nx

from ..trends import UNDATED_YEAR, full_date
from .atomic import atomic_open

__all__ = ["write_gexf", "gexf_graph", "TYPE_COLORS"]

#: Node colours (RGB) by concept type, and for papers and results (ColorBrewer "Set1").
TYPE_COLORS = {
    "Model": (228, 26, 28),
    "Benchmark": (55, 126, 184),
    "Method": (77, 175, 74),
    "Task": (152, 78, 163),
    "Metric": (255, 127, 0),
    "Paper": (153, 153, 153),
    "Result": (166, 86, 40),
}
_OTHER_COLOR = (120, 120, 120)

_NODE_RENAMES = {"id": "pg_id", "label": "pg_label", "start": "char_start", "end": "char_end"}
_EDGE_RENAMES = {"type": "rel", "label": "rel_label", "start": "char_start", "end": "char_end",
                 "key": "rel_key", "id": "rel_id"}


def _clean_value(v):
    if isinstance(v, (list, tuple, set)):
        return "; ".join(str(x) for x in v)
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False, sort_keys=True)
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, (bool, int, float, str)):
        return v
    return str(v)


def _clean(data: dict, renames: dict) -> dict:
    out = {}
    for k, v in data.items():
        if v is None or k == "viz":
            continue
        v = _clean_value(v)
        if v is not None:
            out[renames.get(k, k)] = v
    return out


def _column_types(rows: list[dict]) -> dict[str, type]:
    """One type per attribute name: bool if all bool, int if all int, float if numeric, else str."""
    seen: dict[str, set[type]] = {}
    for r in rows:
        for k, v in r.items():
            seen.setdefault(k, set()).add(type(v))
    out = {}
    for k, ts in seen.items():
        if ts == {bool}:
            out[k] = bool
        elif ts <= {int}:
            out[k] = int
        elif ts <= {int, float}:
            out[k] = float
        else:
            out[k] = str
    return out


def _unify(rows: list[dict]) -> None:
    types = _column_types(rows)
    for r in rows:
        for k, v in r.items():
            if type(v) is not types[k]:
                r[k] = types[k](v)


def _viz(data: dict) -> dict:
    kind = data.get("label")
    rgb = TYPE_COLORS.get(data.get("type") if kind == "Concept" else kind, _OTHER_COLOR)
    size = 4.0
    if kind == "Concept":
        size = 6.0 + 6.0 * math.log2(1 + int(data.get("paper_count") or 0))
    viz = {"color": {"r": rgb[0], "g": rgb[1], "b": rgb[2], "a": 1.0}, "size": size}
    pos = data.get("viz", {}).get("position") if isinstance(data.get("viz"), dict) else None
    if pos:
        viz["position"] = {"x": float(pos["x"]), "y": float(pos["y"]), "z": 0.0}
    return viz


def _starts(G: nx.MultiDiGraph, undated_year: int) -> dict:
    """GEXF start date of each node that has one (see the module docstring)."""
    start = {}
    for n, d in G.nodes(data=True):
        if d.get("label") == "Paper":
            day = full_date(d.get("date"), undated_year=undated_year)
            if day:
                start[n] = day
    for n, d in G.nodes(data=True):
        if d.get("label") in ("Concept", "Result"):
            days = [start[u] for u in G.predecessors(n) if u in start and G.nodes[u].get("label") == "Paper"]
            if days:
                start[n] = min(days)
    return start


def gexf_graph(G: nx.MultiDiGraph, *, undated_year: int = UNDATED_YEAR) -> nx.MultiDiGraph:
    """A copy of ``G`` with GEXF-legal attributes, Gephi labels, viz data and start dates."""
    nodes = list(G.nodes(data=True))
    node_attrs = [_clean(d, _NODE_RENAMES) for _, d in nodes]
    for a, (_, d) in zip(node_attrs, nodes):
        a["type"] = str(d.get("type") if d.get("label") == "Concept" else d.get("label") or "")
    _unify(node_attrs)
    starts = _starts(G, undated_year)
    H = nx.MultiDiGraph()
    for (n, d), attrs in zip(nodes, node_attrs):
        extra = {"start": starts[n]} if n in starts else {}
        H.add_node(n, label=str(d.get("name") or d.get("title") or d.get("text") or n),
                   viz=_viz(d), **extra, **attrs)
    edges = list(G.edges(keys=True, data=True))
    edge_attrs = [_clean(d, _EDGE_RENAMES) for *_, d in edges]
    _unify(edge_attrs)
    for i, ((u, v, k, d), attrs) in enumerate(zip(edges, edge_attrs)):
        attrs["rel"] = str(k)
        attrs.pop("weight", None)
        weight = d.get("weight", d.get("score", 1.0))
        weight = float(weight) if isinstance(weight, (int, float)) and math.isfinite(weight) else 1.0
        H.add_edge(u, v, key=f"e{i}", id=f"e{i}", label=str(k), weight=weight, **attrs)
    return H


def write_gexf(G: nx.MultiDiGraph, path: str | os.PathLike, *, undated_year: int = UNDATED_YEAR) -> None:
    """Write ``G`` as GEXF 1.2 for Gephi, atomically.

    Args:
        G: a papergraph graph.
        path: the .gexf file to write.
        undated_year: year given to year-less paper dates for the ``start`` times.

    Example:
        >>> write_gexf(build(["examples/"]), "out/graph.gexf")
    """
    H = gexf_graph(G, undated_year=undated_year)
    with atomic_open(path, "wb", encoding=None) as fh:
        nx.write_gexf(H, fh, version="1.2draft")
