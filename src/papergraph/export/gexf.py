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
  edge weight = one meaning per relationship type, all in (0, 1] (:func:`edge_weight`): NPMI for
  ``CO_OCCURS``, ``score`` for ``SIMILAR_TO``, else ``confidence``, else 1; the raw values stay as
  attributes (a co-occurrence's paper count as ``cooccurrence``, ``npmi``, ``score``, ``confidence``);
* ``CO_OCCURS`` is symmetric: those edges are ``type="undirected"`` in a graph whose other edges
  are directed (a mixed graph, which Gephi reads; networkx's reader does not);
* one edge per node pair: where a pair has several relationships (a stated ``APPLIED_TO`` and a
  ``CO_OCCURS``), the first in schema order is written, with ``also`` naming the others and a
  co-occurrence's ``cooccurrence`` and ``npmi`` copied onto it (Gephi would merge them, summing weights);
* a node without an ``id`` attribute (a graph read from graph.json) gets ``pg_id`` from its name
  (``concept:lora`` -> ``lora``), so ``build`` and ``export gexf`` write the same file;
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
from functools import partial
from operator import call, itemgetter

import networkx as nx

from ..palette import OTHER_COLOR as _OTHER_COLOR, TYPE_COLORS
from ..trends import full_date
from .atomic import atomic_open
from .gexf_view import UNDIRECTED, edge_weight, gexf_view as _gexf_view

_direction = {t: ' type="undirected"' for t in UNDIRECTED}.get

__all__ = ["write_gexf", "gexf_graph", "edge_weight", "TYPE_COLORS"]

#: Characters XML 1.0 does not allow in a document.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

_NODE_RENAMES = {"id": "pg_id", "label": "pg_label", "start": "char_start", "end": "char_end"}
_EDGE_RENAMES = {"type": "rel", "label": "rel_label", "start": "char_start", "end": "char_end",
                 "key": "rel_key", "id": "rel_id", "weight": "cooccurrence"}
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
    """One type per attribute name (see :func:`_column_type`)."""
    seen: dict[str, set[type]] = {}
    for r in rows:
        for k, v in r.items():
            seen.setdefault(k, set()).add(type(v))
    return {k: _column_type(ts) for k, ts in seen.items()}


def _column_type(ts: set[type]) -> type:
    """bool if all bool, int if all int, float if numeric, else str."""
    if ts == {bool}:
        return bool
    if ts <= {int}:
        return int
    if ts <= {int, float}:
        return float
    return str


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
    papers = dict(start)
    for n, d in G.nodes(data=True):
        if d.get("label") in ("Concept", "Result"):
            days = [papers[u] for u in G.predecessors(n) if u in papers]
            if days:
                start[n] = min(days)
    return start


def _prepared(G: nx.MultiDiGraph, undated_year: int | None):
    """(nodes, edges) as GEXF will hold them: ``(id, label, start, viz, attrs)``, ``(id, u, v, label, weight, attrs)``."""
    node_dicts, adj = _gexf_view(G)
    nodes = list(node_dicts.items())
    names: dict = {}
    node_attrs = [_clean(d, _NODE_RENAMES, names) for _, d in nodes]
    for a, (_, d) in zip(node_attrs, nodes):
        a["type"] = xml_text(str(d.get("type") if d.get("label") == "Concept" else d.get("label") or ""))
    _unify(node_attrs)
    starts = _starts(G, undated_year)
    ids = {n: _node_id(n) for n, _ in nodes}
    out_nodes = [(ids[n], xml_text(str(d.get("name") or d.get("title") or d.get("text") or n)), starts.get(n),
                  _viz(d), attrs) for (n, d), attrs in zip(nodes, node_attrs)]
    edges = [(u, v, k, d) for u, nbrs in adj.items() for v, kd in nbrs.items() for k, d in kd.items()]
    names = {}
    edge_attrs = [_clean(d, _EDGE_RENAMES, names) for *_, d in edges]
    _unify(edge_attrs)
    out_edges = []
    for i, ((u, v, k, d), attrs) in enumerate(zip(edges, edge_attrs)):
        attrs["rel"] = xml_text(str(k))
        out_edges.append((f"e{i}", ids[u], ids[v], xml_text(str(k)), edge_weight(k, d), attrs))
    return out_nodes, out_edges


def gexf_graph(G: nx.MultiDiGraph, *, undated_year: int | None = None) -> nx.MultiDiGraph:
    """A copy of ``G`` with GEXF-legal attributes, Gephi labels, viz data and start dates."""
    nodes, edges = _prepared(G, undated_year)
    H = nx.MultiDiGraph()
    for nid, label, start, viz, attrs in nodes:
        H.add_node(nid, label=label, viz=viz, **({"start": start} if start else {}), **attrs)
    for eid, u, v, label, weight, attrs in edges:
        direction = {"type": "undirected"} if attrs["rel"] in UNDIRECTED else {}
        H.add_edge(u, v, key=eid, id=eid, label=label, weight=weight, **direction, **attrs)
    return H


def write_gexf(G: nx.MultiDiGraph, path: str | os.PathLike, *, undated_year: int | None = None) -> None:
    """Write ``G`` as GEXF 1.2 for Gephi, atomically.

    The file is what ``networkx.write_gexf`` of :func:`gexf_graph` would write, made as text
    straight from ``G``: one pass finds each attribute's type, a second writes the nodes and edges
    in chunks (no cleaned copy of the graph, no XML tree).

    Args:
        G: a papergraph graph.
        path: the .gexf file to write.
        undated_year: year given to year-less paper dates ("--05-20") for the ``start`` times;
            None (the default) leaves such papers without a ``start``.

    Example:
        >>> write_gexf(build(["examples/"]), "out/graph.gexf")
    """
    with atomic_open(path, "w", encoding="utf-8") as fh:
        _stream(fh, G, _starts(G, undated_year))


# --- the writer: nodes (or edges) with the same keys and value types share one _Shape ---

_CHUNK = 4000  # rows per write
_KIND = {str: "str", int: "int", float: "float", bool: "bool", list: "list", tuple: "list", set: "list",
         dict: "dict"}
_KIND_TYPE = {"int": int, "float": float, "bool": bool}
_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&quot;"), ("\n", "&#10;"), ("\r", "&#13;"),
            ("\t", "&#9;"))
_ESCAPE = str.maketrans(dict(_ESCAPES))
_GEXF_TYPES = {bool: "boolean", int: "long", float: "double", str: "string"}
_EDGE_HEAD = '      <edge id="e%s" source=%s target=%s label=%s weight="%s"%s>\n'


def _q(value: str) -> str:
    """An XML attribute value, quoted (``value`` holds no XML-illegal character)."""
    return '"' + value.translate(_ESCAPE) + '"'


def _escape(s: str) -> str:
    """``s`` without XML-illegal characters, escaped for an attribute value."""
    if _XML_ILLEGAL.search(s):
        s = _XML_ILLEGAL.sub("", s)
    for a, b in _ESCAPES:
        if a in s:
            s = s.replace(a, b)
    return s


class _Escaped(dict):
    """text -> :func:`_escape` of it, remembered unless long (names, roles, evidence sentences repeat)."""

    def __missing__(self, s: str) -> str:
        e = _escape(s)
        if len(s) <= 1000:
            self[s] = e
        return e


def _getter(keys: list):
    """``d -> tuple(d[k] for k in keys)``."""
    if len(keys) > 1:
        return itemgetter(*keys)
    if keys:
        return lambda d, k=keys[0]: (d[k],)
    return lambda d: ()


def _float_text(v) -> str:
    return str(float(v))


def _bool_text(v) -> str:
    return "true" if v else "false"


def _converter(kind: str, t: type, esc: _Escaped):
    """value -> its escaped GEXF text, for values of ``kind`` in an attribute of type ``t``."""
    if kind == "str":
        return esc.__getitem__
    if kind == "list":
        return lambda v: esc["; ".join(map(str, v))]
    if kind == "dict":
        return lambda v: esc[json.dumps(v, ensure_ascii=False, sort_keys=True)]
    if kind == "int" and t is float:
        return _float_text
    if kind == "bool" and t is bool:
        return _bool_text
    return str


def _attvalues(ids: list[str]) -> str:
    """An ``<attvalues>`` block as a %-format string, one value per attribute id."""
    return ("        <attvalues>\n" + "".join(f'          <attvalue for="{c}" value="%s" />\n' for c in ids)
            + "        </attvalues>\n")


class _Shape:
    """How rows with one tuple of keys and value types are written (the attributes :func:`_clean` keeps).

    ``names``/``kinds``: the attributes in order and the kind of their values; the replaced
    attribute (node ``type``, edge ``rel``) is at index ``over``; ``get`` fetches the others.
    """

    def __init__(self, cols: list, over: int, floats: list):
        self.names = [c[0] for c in cols]
        self.kinds = [c[2] for c in cols]
        self.over = over
        self.get = _getter([c[1] for j, c in enumerate(cols) if j != over])
        self.floats = _getter(floats) if floats else None  # a non-finite one sends the row to _general
        self.declared = False
        self.convs = self.format = None
        self.first = over == 0

    def types(self) -> list[type]:
        return [str if j == self.over else _KIND_TYPE.get(k, str) for j, k in enumerate(self.kinds)]

    def prepare(self, types: dict, ids: dict, esc: _Escaped, head: str = "", tail: str = "") -> None:
        """Value converters and the row's %-format string, once the attribute types are known."""
        self.convs = [_converter(k, types[n], esc) for j, (n, k) in enumerate(zip(self.names, self.kinds))
                      if j != self.over]
        self.format = (head + _attvalues([ids[n] for n in self.names]) + tail).__mod__

    def values(self, d: dict, over: str) -> list:
        """The escaped values of row ``d`` in order, ``over`` (escaped) the replaced one."""
        vals = list(map(call, self.convs, self.get(d)))
        vals.insert(self.over, over)
        return vals


def _shape(sig: tuple, renames: dict, names: dict, over: str, drop: str | None) -> _Shape | None:
    """The shape of rows with keys and value types ``sig``; None when they take the general path."""
    cols = []
    for k, t in zip(*sig):
        if t is type(None) or k == "viz":
            continue
        kind = _KIND.get(t)
        if kind is None:
            return None
        name = names.get(k)
        if name is None:
            name = names[k] = xml_text(renames.get(k, str(k)))
        cols.append((name, k, kind))
    if len({c[0] for c in cols}) < len(cols):  # two keys, one cleaned name
        return None
    cols = [c for c in cols if c[0] != drop]
    at = [j for j, c in enumerate(cols) if c[0] == over]
    if not at:
        cols.append((over, None, "str"))
    floats = [c[1] for c in cols if c[2] == "float"]
    return _Shape(cols, at[0] if at else len(cols) - 1, floats)


def _general(d: dict, renames: dict, names: dict, over: str, ov: str, drop: str | None) -> dict:
    """The attributes of one row as :func:`_prepared` makes them (before the type conversion)."""
    a = _clean(d, renames, names)
    a[over] = ov
    a.pop(drop, None)
    return a


def _general_attvalues(d: dict, ov: str, *, renames: dict, names: dict, over: str, drop: str | None, types: dict,
                       ids: dict, esc: _Escaped) -> str:
    """The ``<attvalues>`` block of a row taking the general path (``ov``: the replaced value)."""
    out = []
    for n, v in _general(d, renames, names, over, ov, drop).items():
        t = types[n]
        if type(v) is not t:
            v = t(v)
        text = ("true" if v else "false") if t is bool else esc[v] if t is str else str(v)
        out.append(f'          <attvalue for="{ids[n]}" value="{text}" />\n')
    return "        <attvalues>\n" + "".join(out) + "        </attvalues>\n"


def _scan(rows, renames: dict, over: str, drop: str | None):
    """Pass 1: each row's shape (None: general path), the shapes, and the attribute types in GEXF order."""
    shapes, names, seen, out = {}, {}, {}, []
    isfinite, known, append = math.isfinite, shapes.get, out.append
    for d in rows:
        sig = (tuple(d), tuple(map(type, d.values())))
        s = known(sig, shapes)
        if s is shapes:
            s = shapes[sig] = _shape(sig, renames, names, over, drop)
        # a non-finite sum (rarely: an overflow) only sends a row to the general path, which is exact
        if s is not None and (s.floats is None or isfinite(sum(s.floats(d)))):
            if not s.declared:  # GEXF declares attributes in order of first appearance
                s.declared = True
                for n, t in zip(s.names, s.types()):
                    seen.setdefault(n, set()).add(t)
        else:  # a non-finite float is dropped, so this row has a shape of its own
            s = None
            for n, v in _general(d, renames, names, over, "", drop).items():
                seen.setdefault(n, set()).add(type(v))
        append(s)
    types = {n: _column_type(ts) for n, ts in seen.items()}
    ids = {n: str(i) for i, n in enumerate(types)}
    return out, [s for s in shapes.values() if s is not None and s.declared], names, types, ids


def _declare(cls: str, types: dict, ids: dict) -> str:
    return (f'    <attributes mode="static" class="{cls}">\n'
            + "".join(f'      <attribute id="{ids[k]}" title={_q(k)} type="{_GEXF_TYPES[t]}" />\n'
                      for k, t in types.items())
            + "    </attributes>\n")


def _viz_text(viz: dict) -> str:
    c, p = viz["color"], viz.get("position")
    return (f'        <viz:size value="{viz["size"]}" />\n'
            f'        <viz:color r="{c["r"]}" g="{c["g"]}" b="{c["b"]}" a="{c["a"]}" />\n'
            + (f'        <viz:position x="{p["x"]}" y="{p["y"]}" z="{p["z"]}" />\n' if p else ""))


def _stream(fh, G: nx.MultiDiGraph, starts: dict) -> None:
    nodes, adj = _gexf_view(G)  # the dicts behind G.nodes and G.edges: their views cost more than the writing
    esc = _Escaped()
    node_rows, node_shapes, node_names, node_types, node_ids = _scan(nodes.values(), _NODE_RENAMES, "type", None)
    edge_rows, edge_shapes, edge_names, edge_types, edge_ids = _scan(
        (d for nbrs in adj.values() for kd in nbrs.values() for d in kd.values()), _EDGE_RENAMES, "rel", None)
    for s in node_shapes:
        s.prepare(node_types, node_ids, esc)
    for s in edge_shapes:
        s.prepare(edge_types, edge_ids, esc, _EDGE_HEAD, "      </edge>\n")
    fh.write("<?xml version='1.0' encoding='utf-8'?>\n"
             '<gexf xmlns="http://www.gexf.net/1.2draft" xmlns:viz="http://www.gexf.net/1.2draft/viz" '
             'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.gexf.net/1.2draft '
             'http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">\n'
             '  <meta>\n    <creator>papergraph</creator>\n  </meta>\n'
             + ('  <graph defaultedgetype="directed" mode="dynamic" timeformat="date">\n' if starts
                else '  <graph defaultedgetype="directed" mode="static">\n')
             + _declare("node", node_types, node_ids) + _declare("edge", edge_types, edge_ids) + "    <nodes>\n")
    qid = _write_nodes(fh, nodes, node_rows, starts, esc, partial(
        _general_attvalues, renames=_NODE_RENAMES, names=node_names, over="type", drop=None, types=node_types,
        ids=node_ids, esc=esc))
    fh.write("    </nodes>\n    <edges>\n")
    _write_edges(fh, adj, edge_rows, qid, partial(
        _general_attvalues, renames=_EDGE_RENAMES, names=edge_names, over="rel", drop=None, types=edge_types,
        ids=edge_ids, esc=esc))
    fh.write("    </edges>\n  </graph>\n</gexf>\n")


def _write_nodes(fh, nodes: dict, shapes: list, starts: dict, esc: _Escaped, general) -> dict:
    """Write the ``<node>`` elements; return node -> its quoted GEXF id."""
    qid, rows = {}, []
    for (n, d), s in zip(nodes.items(), shapes):
        q = qid[n] = _q(_node_id(n))
        ov = str(d.get("type") if d.get("label") == "Concept" else d.get("label") or "")
        att = general(d, xml_text(ov)) if s is None else s.format(tuple(s.values(d, esc[ov])))
        start = starts.get(n)
        rows.append(f'      <node id={q} label="{esc[str(d.get("name") or d.get("title") or d.get("text") or n)]}"'
                    + (f" start={_q(start)}" if start else "") + ">\n" + att + _viz_text(_viz(d)) + "      </node>\n")
        if len(rows) == _CHUNK:
            fh.write("".join(rows))
            rows = []
    fh.write("".join(rows))
    return qid


def _write_edges(fh, adj: dict, shapes: list, qid: dict, general) -> None:
    """Write the ``<edge>`` elements, ``e0``, ``e1``... in the order of ``G.edges``."""
    labels, rows, i = {}, [], 0
    for u, nbrs in adj.items():
        src = qid[u]
        for v, kd in nbrs.items():
            tgt = qid[v]
            for k, d in kd.items():
                s = shapes[i]
                label = labels.get(k)
                if label is None:
                    label = labels[k] = _q(xml_text(str(k)))
                weight, direction = edge_weight(k, d), _direction(k, "")
                if s is None:
                    rows.append(_EDGE_HEAD % (i, src, tgt, label, weight, direction)
                                + general(d, xml_text(str(k))) + "      </edge>\n")
                elif s.first:  # the common case: the edge's type is its first attribute
                    rows.append(s.format((i, src, tgt, label, weight, direction, label[1:-1],
                                          *map(call, s.convs, s.get(d)))))
                else:
                    rows.append(s.format((i, src, tgt, label, weight, direction, *s.values(d, label[1:-1]))))
                i += 1
                if len(rows) == _CHUNK:
                    fh.write("".join(rows))
                    rows = []
    fh.write("".join(rows))
