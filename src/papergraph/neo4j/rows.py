"""A papergraph MultiDiGraph -> plain rows for Neo4j (shared by the Bolt loader and the CSV export).

Labels and relationship types come only from the fixed schema in :mod:`papergraph.model`;
anything else in the graph is an error, never Cypher text. Property values are cleaned the way
Neo4j needs them: ``None`` and empty lists are skipped, lists stay lists (Neo4j stores homogeneous lists of
primitives), anything else (dicts, mixed or nested lists) becomes a JSON string.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from ..errors import InputError
from ..model import CONCEPT_EDGE_TYPES, CONCEPT_TYPES, NODE_LABELS, PAPER_EDGE_TYPES, PAPER_PAPER_EDGE_TYPES, RESULT_EDGE_TYPES

__all__ = ["REL_TYPES", "NodeRows", "RelRows", "graph_rows", "clean_props", "PAPER_LINK_TYPES", "PROP_NAME",
           "type_label", "type_label_rows"]

REL_TYPES = PAPER_EDGE_TYPES + CONCEPT_EDGE_TYPES + RESULT_EDGE_TYPES + PAPER_PAPER_EDGE_TYPES
#: Relationship types that link a Paper to a Concept (what ``paper_count`` counts).
PAPER_LINK_TYPES = PAPER_EDGE_TYPES
#: Property names become CSV header fields and Cypher map keys: they must be plain identifiers.
PROP_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# Node attributes that are the node's identity, not properties.
_NODE_SKIP = {"label"}
_INT64 = (-(2**63), 2**63 - 1)


@dataclass
class NodeRows:
    """All nodes of one label: ``rows`` are ``{"id": ..., "props": {...}}``."""

    label: str
    rows: list[dict] = field(default_factory=list)
    #: The networkx node of each row.
    nodes: list = field(default_factory=list)


@dataclass
class RelRows:
    """All relationships of one (type, start label, end label): rows ``{"start", "end", "props"}``."""

    type: str
    start_label: str
    end_label: str
    rows: list[dict] = field(default_factory=list)


def graph_rows(G: nx.MultiDiGraph) -> tuple[list[NodeRows], list[RelRows]]:
    """Split ``G`` into node rows per label and relationship rows per (type, start, end label).

    Returns:
        ``(nodes, rels)`` in schema order: Paper, Concept, Result nodes; then relationship
        groups in the order of :data:`REL_TYPES`.

    Raises:
        InputError: a node has no id or an unknown label, an edge has an unknown type,
            or a property name is not a plain identifier.
    """
    by_label = {label: NodeRows(label) for label in NODE_LABELS}
    ends: dict[Any, tuple[str, str]] = {}
    for n, data in G.nodes(data=True):
        label, nid = data.get("label"), data.get("id")
        if nid is None and isinstance(n, str) and isinstance(label, str) and n.startswith(label.lower() + ":"):
            nid = n.split(":", 1)[1]  # node-link JSON keeps the node name under "id": derive it
        if label not in by_label:
            raise InputError(f"node {n!r} has label {label!r}; expected one of {', '.join(NODE_LABELS)}")
        if not isinstance(nid, str) or not nid:
            raise InputError(f"node {n!r} has no string 'id' attribute")
        props = clean_props({k: v for k, v in data.items() if k not in _NODE_SKIP}, where=f"node {n!r}")
        props["id"] = nid
        by_label[label].rows.append({"id": nid, "props": props})
        by_label[label].nodes.append(n)
        ends[n] = (label, nid)
    groups: dict[tuple[str, str, str], RelRows] = {}
    for u, v, key, data in G.edges(keys=True, data=True):
        rtype = key if key in REL_TYPES else data.get("type")
        if rtype not in REL_TYPES:
            raise InputError(f"edge {u!r} -> {v!r} has type {key!r}; expected one of {', '.join(REL_TYPES)}")
        (sl, sid), (el, eid) = ends[u], ends[v]
        grp = groups.get((rtype, sl, el))
        if grp is None:
            grp = groups[(rtype, sl, el)] = RelRows(rtype, sl, el)
        attrs = {k: val for k, val in data.items() if not (k == "type" and val == rtype)}
        grp.rows.append({"start": sid, "end": eid, "props": clean_props(attrs, where=f"edge {u!r} -> {v!r}")})
    order = {t: i for i, t in enumerate(REL_TYPES)}
    rels = sorted(groups.values(), key=lambda g: (order[g.type], g.start_label, g.end_label))
    return [by_label[label] for label in NODE_LABELS], rels


def type_label(props: dict) -> str | None:
    """The type label of a concept's properties: its ``type`` if the schema has it, else None."""
    t = props.get("type")
    return t if t in CONCEPT_TYPES else None


def type_label_rows(nodes: list[NodeRows]) -> dict[str | None, list[dict]]:
    """Concept ids ``{id}`` by type label (None: a type outside the schema), for the label pass."""
    out: dict[str | None, list[dict]] = {}
    for g in nodes:
        if g.label == "Concept":
            for r in g.rows:
                out.setdefault(type_label(r["props"]), []).append({"id": r["id"]})
    return out


def clean_props(data: dict, *, where: str = "") -> dict:
    """Neo4j-storable properties: skip ``None``, keep primitive lists, JSON-encode the rest.

    Raises:
        InputError: a property name is not a plain identifier (letters, digits, underscore).
    """
    out = {}
    for k, v in data.items():
        if not isinstance(k, str) or not PROP_NAME.match(k):
            raise InputError(f"{where}: property name {k!r} is not a plain identifier ([A-Za-z_][A-Za-z0-9_]*)")
        v = _clean_value(v)
        if v is not None:
            out[k] = v
    return out


def _clean_value(v: Any) -> Any:
    """One property value as Neo4j can store it, or None to skip it."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, int):
        return v if _INT64[0] <= v <= _INT64[1] else str(v)
    if isinstance(v, float):
        return v
    if isinstance(v, (list, tuple, set, frozenset)):
        items = sorted(v, key=repr) if isinstance(v, (set, frozenset)) else list(v)
        items = [x for x in items if x is not None]
        if not items:
            return None  # an empty list has no element type; the CSV import cannot store it either
        kinds = {_kind(x) for x in items}
        if len(kinds) <= 1 and None not in kinds:
            return items
        if kinds <= {"int", "float"}:
            return [float(x) for x in items]
        return _json(items)
    return _json(v)


def _kind(x: Any) -> str | None:
    """The Neo4j list element kind of ``x``, or None if it cannot be a list element."""
    if isinstance(x, bool):
        return "bool"
    if isinstance(x, int):
        return "int" if _INT64[0] <= x <= _INT64[1] else None
    if isinstance(x, float):
        return "float"
    if isinstance(x, str):
        return "str"
    return None


def _json(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False, sort_keys=True, default=str)


def counts(nodes: list[NodeRows], rels: list[RelRows]) -> tuple[int, int]:
    """Total node and relationship rows."""
    return sum(len(g.rows) for g in nodes), sum(len(g.rows) for g in rels)


def grouped_counts(nodes: list[NodeRows], rels: list[RelRows]) -> tuple[dict, dict]:
    """Rows per label and per relationship type."""
    by_type: dict[str, int] = defaultdict(int)
    for g in rels:
        by_type[g.type] += len(g.rows)
    return {g.label: len(g.rows) for g in nodes}, dict(by_type)


#: Properties that schema.cypher indexes (range indexes, uniqueness constraints), per label.
INDEXED = {"Paper": ("id", "date"), "Concept": ("id", "name", "type"), "Result": ("id",)}
#: The largest value (UTF-8 bytes) accepted for an indexed property; Neo4j 5's range indexes
#: refuse keys over about 8 KB ("Property value is too large to index").
INDEX_VALUE_LIMIT = 8000


def check_index_sizes(nodes: list[NodeRows]) -> None:
    """Refuse, before any write, a value Neo4j could not index (every load of it would fail).

    Raises:
        Neo4jDataError: the first node whose indexed property is over :data:`INDEX_VALUE_LIMIT`.
    """
    from ..errors import Neo4jDataError

    for g in nodes:
        for row in g.rows:
            for name in INDEXED.get(g.label, ()):
                value = row["id"] if name == "id" else row["props"].get(name)
                size = len(value.encode("utf-8", "surrogatepass")) if isinstance(value, str) else 0
                if size > INDEX_VALUE_LIMIT:
                    raise Neo4jDataError(f"{g.label} {str(row['id'])[:60]!r}…: property {name!r} is {size:,} bytes; "
                                         f"Neo4j cannot index values over {INDEX_VALUE_LIMIT:,} bytes "
                                         "(rebuild from inputs without such long ids, dates or words)")
