"""graph.gexf: a Gephi-ready copy of the graph.

GEXF (as networkx writes it) rejects ``None``, reads lists as dynamic spells, needs one
type per attribute, and reserves the node attributes ``id``, ``label``, ``start``, ``end`` and the
edge attributes ``id``, ``label``, ``type``, ``weight``, ``start``, ``end``. So the graph is copied
with clean attributes first:

* lists joined with ``"; "``, dicts as JSON, ``None`` and non-finite floats dropped, characters
  XML 1.0 forbids (control characters other than tab/newline/CR, lone surrogates, U+FFFE/U+FFFF)
  removed from every string, ids and labels included;
* each attribute gets one type over all nodes (or edges): bool, else int, else float, else text;
* renamed: node ``id`` -> ``pg_id``, ``label`` -> ``pg_label`` (Paper/Concept/Result); edge
  ``type`` -> ``rel``; character offsets ``start``/``end`` -> ``char_start``/``char_end``;
* node ``type`` = the concept type, or the kind for papers and results, so that Gephi's
  Partition on ``type`` (or on ``community``, set by :mod:`papergraph.analysis`) colours all nodes;
* Gephi label = concept name / paper title / result text; edge label = relationship type;
  edge weight = ``weight`` (co-occurrence), else ``score`` (similarity), else 1;
* viz: colour from :data:`TYPE_COLORS`, size 6 + 6*log2(1 + paper_count) for concepts (4 for
  others), position from ``viz.position`` (the layout of :mod:`papergraph.layout`);
* time: a paper with a full date gets ``start`` = that date (``YYYY-MM-DD``), its results too, and
  a concept the earliest date of the papers naming it, so Gephi's Timeline shows the graph grow.
  Year-less listing dates ("--05-20") get no ``start`` (papergraph does not invent a year) unless
  ``undated_year`` names one (``papergraph export gexf --year``); the ``date`` attribute keeps
  the original text. Nodes without a ``start`` are always shown.
"""

from __future__ import annotations

import json
import math
import os
import re

import networkx as nx

from ..trends import full_date
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
#: Characters XML 1.0 does not allow in a document.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_NODE_RENAMES = {"id": "pg_id", "label": "pg_label", "start": "char_start", "end": "char_end"}
_EDGE_RENAMES = {"type": "rel", "label": "rel_label", "start": "char_start", "end": "char_end",
                 "key": "rel_key", "id": "rel_id"}


def xml_text(s: str) -> str:
    """``s`` without the characters XML 1.0 forbids."""
    return _XML_ILLEGAL.sub("", s)


def _clean_value(v):
    if isinstance(v, (list, tuple, set)):
        return xml_text("; ".join(str(x) for x in v))
    if isinstance(v, dict):
        return xml_text(json.dumps(v, ensure_ascii=False, sort_keys=True))
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, (bool, int, float)):
        return v
    return xml_text(str(v))


def _clean(data: dict, renames: dict, names: dict) -> dict:
    """GEXF-legal attributes of one node or edge; ``names`` caches the cleaned attribute names."""
    out = {}
    for k, v in data.items():
        if v is None or k == "viz":
            continue
        t = type(v)
        if t is str:
            v = _XML_ILLEGAL.sub("", v)
        elif t is float:
            if not math.isfinite(v):
                continue
        elif t is not int and t is not bool:
            v = _clean_value(v)
            if v is None:
                continue
        name = names.get(k)
        if name is None:
            name = names[k] = xml_text(renames.get(k, str(k)))
        out[name] = v
    return out


def _node_id(n) -> str:
    """The node id as XML-legal text: forbidden characters written as Python escapes."""
    s = str(n)
    return s if xml_text(s) == s else s.encode("unicode_escape").decode("ascii")


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
    """Convert the values of each attribute to its one type (see :func:`_column_types`)."""
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


def _starts(G: nx.MultiDiGraph, undated_year: int | None) -> dict:
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


def _prepared(G: nx.MultiDiGraph, undated_year: int | None):
    """(nodes, edges) as GEXF will hold them: ``(id, label, start, viz, attrs)``, ``(id, u, v, label, weight, attrs)``."""
    nodes = list(G.nodes(data=True))
    names: dict = {}
    node_attrs = [_clean(d, _NODE_RENAMES, names) for _, d in nodes]
    for a, (_, d) in zip(node_attrs, nodes):
        a["type"] = xml_text(str(d.get("type") if d.get("label") == "Concept" else d.get("label") or ""))
    _unify(node_attrs)
    starts = _starts(G, undated_year)
    ids = {n: _node_id(n) for n, _ in nodes}
    out_nodes = [(ids[n], xml_text(str(d.get("name") or d.get("title") or d.get("text") or n)), starts.get(n),
                  _viz(d), attrs) for (n, d), attrs in zip(nodes, node_attrs)]
    edges = list(G.edges(keys=True, data=True))
    names = {}
    edge_attrs = [_clean(d, _EDGE_RENAMES, names) for *_, d in edges]
    _unify(edge_attrs)
    out_edges = []
    for i, ((u, v, k, d), attrs) in enumerate(zip(edges, edge_attrs)):
        attrs["rel"] = xml_text(str(k))
        attrs.pop("weight", None)
        weight = d.get("weight", d.get("score", 1.0))
        weight = float(weight) if isinstance(weight, (int, float)) and math.isfinite(weight) else 1.0
        out_edges.append((f"e{i}", ids[u], ids[v], xml_text(str(k)), weight, attrs))
    return out_nodes, out_edges


def gexf_graph(G: nx.MultiDiGraph, *, undated_year: int | None = None) -> nx.MultiDiGraph:
    """A copy of ``G`` with GEXF-legal attributes, Gephi labels, viz data and start dates."""
    nodes, edges = _prepared(G, undated_year)
    H = nx.MultiDiGraph()
    for nid, label, start, viz, attrs in nodes:
        H.add_node(nid, label=label, viz=viz, **({"start": start} if start else {}), **attrs)
    for eid, u, v, label, weight, attrs in edges:
        H.add_edge(u, v, key=eid, id=eid, label=label, weight=weight, **attrs)
    return H


def write_gexf(G: nx.MultiDiGraph, path: str | os.PathLike, *, undated_year: int | None = None) -> None:
    """Write ``G`` as GEXF 1.2 for Gephi, atomically.

    The file is streamed element by element (what ``networkx.write_gexf`` of :func:`gexf_graph`
    would write, without building an XML tree of the whole graph first).

    Args:
        G: a papergraph graph.
        path: the .gexf file to write.
        undated_year: year given to year-less paper dates ("--05-20") for the ``start`` times;
            None (the default) leaves such papers without a ``start``.

    Example:
        >>> write_gexf(build(["examples/"]), "out/graph.gexf")
    """
    nodes, edges = _prepared(G, undated_year)
    with atomic_open(path, "w", encoding="utf-8") as fh:
        _stream(fh, nodes, edges)


_GEXF_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_ESCAPE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;",
                         "\t": "&#9;"})


def _q(value) -> str:
    """An XML attribute value, quoted."""
    if type(value) is str:
        return '"' + value.translate(_ESCAPE) + '"'
    if isinstance(value, bool):
        return '"true"' if value else '"false"'
    return '"' + str(value).translate(_ESCAPE) + '"'


def _declare(fh, cls: str, rows) -> dict[str, str]:
    """Write the ``<attributes>`` block of ``cls`` for ``rows``; return attribute name -> id."""
    types = _column_types(rows)
    ids = {k: str(i) for i, k in enumerate(types)}
    fh.write(f'    <attributes mode="static" class="{cls}">\n')
    for k, t in types.items():
        fh.write(f'      <attribute id="{ids[k]}" title={_q(k)} type="{_GEXF_TYPES[t]}" />\n')
    fh.write("    </attributes>\n")
    return ids


def _attvalues(fh, attrs: dict, ids: dict[str, str]) -> None:
    if attrs:
        esc = _ESCAPE
        fh.write("        <attvalues>\n" + "".join(
            f'          <attvalue for="{ids[k]}" value="{v.translate(esc) if type(v) is str else _scalar(v)}" />\n'
            for k, v in attrs.items()) + "        </attvalues>\n")


def _scalar(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v).translate(_ESCAPE)


def _stream(fh, nodes: list, edges: list) -> None:
    dynamic = any(start for _, _, start, _, _ in nodes)
    fh.write("<?xml version='1.0' encoding='utf-8'?>\n"
             '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.gexf.net/1.2draft '
             'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
             '  <meta>\n    <creator>papergraph</creator>\n  </meta>\n'
             + ('  <graph defaultedgetype="directed" mode="dynamic" timeformat="date">\n' if dynamic
                else '  <graph defaultedgetype="directed" mode="static">\n'))
    node_ids = _declare(fh, "node", [n[4] for n in nodes])
    edge_ids = _declare(fh, "edge", [e[5] for e in edges])
    fh.write("    <nodes>\n")
    for nid, label, start, viz, attrs in nodes:
        fh.write(f"      <node id={_q(nid)} label={_q(label)}" + (f" start={_q(start)}" if start else "") + ">\n")
        _attvalues(fh, attrs, node_ids)
        c = viz["color"]
        fh.write(f'        <viz:size value="{viz["size"]}" />\n'
                 f'        <viz:color r="{c["r"]}" g="{c["g"]}" b="{c["b"]}" a="{c["a"]}" />\n')
        if "position" in viz:
            p = viz["position"]
            fh.write(f'        <viz:position x="{p["x"]}" y="{p["y"]}" z="{p["z"]}" />\n')
        fh.write("      </node>\n")
    fh.write("    </nodes>\n    <edges>\n")
    for eid, u, v, label, weight, attrs in edges:
        fh.write(f"      <edge id={_q(eid)} source={_q(u)} target={_q(v)} label={_q(label)} weight=\"{weight}\">\n")
        _attvalues(fh, attrs, edge_ids)
        fh.write("      </edge>\n")
    fh.write("    </edges>\n  </graph>\n</gexf>\n")
