"""Cypher text used by the loader, apart from control flow.

Labels and relationship types are interpolated only after checking them against the fixed
schema in :mod:`papergraph.model` (backtick-quoted as well); every value is a ``$parameter``.
"""

from __future__ import annotations

from ..model import CONCEPT_TYPES, NODE_LABELS
from .rows import PAPER_LINK_TYPES, PROP_NAME, REL_TYPES

__all__ = ["merge_nodes", "merge_relationships", "create_nodes", "create_relationships", "count_label",
           "merge_nodes_returning", "merge_relationships_by_element_id", "set_type_label",
           "split_statements", "RECOMPUTE_PAPER_COUNT", "DELETE_BATCH", "COUNT_NODES", "COUNT_RELATIONSHIPS",
           "AWAIT_INDEXES"]


def _label(label: str) -> str:
    if label not in NODE_LABELS:
        raise ValueError(f"unknown node label {label!r}; expected one of {NODE_LABELS}")
    return f"`{label}`"


def _rel_type(rtype: str) -> str:
    if rtype not in REL_TYPES:
        raise ValueError(f"unknown relationship type {rtype!r}; expected one of {REL_TYPES}")
    return f"`{rtype}`"


def merge_nodes(label: str) -> str:
    """One batch of nodes: rows ``{id, props}``; returns how many rows were merged."""
    return (f"UNWIND $rows AS row MERGE (n:{_label(label)} {{id: row.id}}) SET n += row.props "
            "RETURN count(n) AS merged")


def merge_relationships(rtype: str, start_label: str, end_label: str) -> str:
    """One batch of relationships: rows ``{start, end, props}``; returns how many were merged.

    The graph is a MultiDiGraph keyed by type, so (start, type, end) identifies a relationship
    and MERGE on it is idempotent. A row whose end node is missing merges nothing: the caller
    compares ``merged`` with the batch size.
    """
    return (f"UNWIND $rows AS row MATCH (a:{_label(start_label)} {{id: row.start}}) "
            f"MATCH (b:{_label(end_label)} {{id: row.end}}) "
            f"MERGE (a)-[r:{_rel_type(rtype)}]->(b) SET r += row.props RETURN count(r) AS merged")


def create_nodes(label: str, keys: list[str]) -> str:
    """First load only: CREATE one batch of nodes ``{id, props}``; returns ``[[id, elementId], ...]``.

    No MERGE and no index look-up; the uniqueness constraint still rejects an id already there.
    ``keys`` are the property names of the batch (see :func:`create_relationships`).
    """
    return (f"UNWIND $rows AS row CREATE (n:{_label(label)}{_props_map(keys)}) "
            "RETURN collect([row.id, elementId(n)]) AS created")


def create_relationships(rtype: str, keys: list[str]) -> str:
    """First load only: CREATE one batch of relationships between nodes found by element id.

    Rows are ``{start, end, props}`` with element ids; returns how many were created. The
    properties are a literal map of ``keys``, the property names of the batch: a key missing
    from a row is null, which CREATE does not store, so the result is that of
    ``SET r = row.props``, without the Eager operator such a SET brings into the plan.
    """
    return ("UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.start "
            "MATCH (b) WHERE elementId(b) = row.end "
            f"CREATE (a)-[r:{_rel_type(rtype)}{_props_map(keys)}]->(b) RETURN count(r) AS merged")


def merge_nodes_returning(label: str) -> str:
    """:func:`merge_nodes` returning what :func:`create_nodes` returns: its idempotent retry."""
    return (f"UNWIND $rows AS row MERGE (n:{_label(label)} {{id: row.id}}) SET n += row.props "
            "RETURN collect([row.id, elementId(n)]) AS created")


def merge_relationships_by_element_id(rtype: str) -> str:
    """:func:`create_relationships` as a MERGE: its idempotent retry."""
    return ("UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.start "
            "MATCH (b) WHERE elementId(b) = row.end "
            f"MERGE (a)-[r:{_rel_type(rtype)}]->(b) SET r += row.props RETURN count(r) AS merged")


def set_type_label(ctype: str | None) -> str:
    """One batch of concept ids ``{id}`` of type ``ctype``: the type label on, any other one off.

    Type labels (``:Concept:Model``) are the concept types of the schema, never text from the data;
    ``ctype`` None (a type outside the schema) only removes them. Setting a label a node already
    has changes nothing, so a re-load writes nothing. Returns how many concepts were found.
    """
    if ctype is not None and ctype not in CONCEPT_TYPES:
        raise ValueError(f"unknown concept type {ctype!r}; expected one of {CONCEPT_TYPES}")
    others = ":".join(f"`{t}`" for t in CONCEPT_TYPES if t != ctype)
    return ("UNWIND $rows AS row MATCH (c:Concept {id: row.id}) "
            + (f"SET c:`{ctype}` " if ctype else "") + f"REMOVE c:{others} RETURN count(c) AS merged")


def _props_map(keys: list[str]) -> str:
    """`` {`k`: row.props.`k`, ...}`` for checked property names, or nothing."""
    for k in keys:
        if not PROP_NAME.match(k):
            raise ValueError(f"property name {k!r} is not a plain identifier")
    return " {" + ", ".join(f"`{k}`: row.props.`{k}`" for k in keys) + "}" if keys else ""


def count_label(label: str) -> str:
    """How many nodes of ``label`` the database holds (read from the count store, no scan)."""
    return f"MATCH (n:{_label(label)}) RETURN count(n) AS n"


# paper_count is a property of the database, not of one build: recount after every load
# so that an incremental load (new papers) counts the papers already there. Only changed
# counts are written, so a re-load writes nothing.
RECOMPUTE_PAPER_COUNT = (
    "UNWIND $ids AS cid MATCH (c:Concept {id: cid}) "
    f"OPTIONAL MATCH (p:Paper)-[:{'|'.join(PAPER_LINK_TYPES)}]->(c) "
    "WITH c, count(DISTINCT p) AS n WHERE c.paper_count IS NULL OR c.paper_count <> n "
    "SET c.paper_count = n RETURN count(c) AS updated"
)

# Delete papergraph's nodes only, a batch per transaction so a large graph fits in memory.
DELETE_BATCH = (
    "MATCH (n) WHERE n:Paper OR n:Concept OR n:Result WITH n LIMIT $limit "
    "DETACH DELETE n RETURN count(*) AS deleted"
)

COUNT_NODES = "MATCH (n) RETURN count(n) AS n"
COUNT_RELATIONSHIPS = "MATCH ()-[r]->() RETURN count(r) AS n"
AWAIT_INDEXES = "CALL db.awaitIndexes($seconds)"


def split_statements(text: str) -> list[str]:
    """Split a .cypher file into statements: drop ``//`` comment lines, split at a ``;`` ending a line."""
    statements, current = [], []
    for line in text.splitlines():
        if line.strip().startswith("//") or not line.strip():
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            statements.append("\n".join(current).rstrip()[:-1].strip())
            current = []
    if current:
        statements.append("\n".join(current).strip())
    return [s for s in statements if s]
