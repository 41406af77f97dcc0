"""Make the database equal to a build after a MERGE load: remove what the build no longer has.

A MERGE load adds and updates; it never removes. A rebuild drops things, though: a paper's
nearest neighbours change (``SIMILAR_TO``), co-occurrence falls under its threshold
(``CO_OCCURS``), a variant link or a result disappears, a property is no longer set. After the
nodes and relationships of a build are MERGEd, :func:`remove_stale` reads back what the database
holds under papergraph's labels and relationship types and deletes the nodes, relationships and
properties the build does not have (a node or relationship that lost properties is reset to the
build's). Nodes of other labels, and relationships to them, are not touched.

Comparison happens here, in Python, over one streamed read per label and relationship type:
no build id is written into the data, so the database holds exactly the build's properties.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import NODE_LABELS
from .batches import single
from .queries import _label, _rel_type
from .rows import REL_TYPES, NodeRows, RelRows

__all__ = ["SyncStats", "remove_stale"]


@dataclass
class SyncStats:
    """What :func:`remove_stale` deleted or reset, per label and relationship type."""

    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    reset: int = 0  # nodes and relationships whose properties were replaced by the build's

    @property
    def removed(self) -> int:
        return sum(self.nodes.values()) + sum(self.relationships.values())

    def format(self) -> str:
        parts = [f"{n} {k}" for k, n in (*self.nodes.items(), *self.relationships.items()) if n]
        text = f"removed {self.removed} stale nodes and relationships" + (f" ({', '.join(parts)})" if parts else "")
        return text + (f"; reset the properties of {self.reset}" if self.reset else "")


def node_ids(label: str) -> str:
    """Every node of ``label`` with its property names."""
    return f"MATCH (n:{_label(label)}) RETURN n.id AS id, keys(n) AS keys"


def delete_nodes(label: str) -> str:
    """One batch of nodes of ``label`` by id, with their relationships."""
    return f"UNWIND $ids AS id MATCH (n:{_label(label)} {{id: id}}) DETACH DELETE n RETURN count(*) AS n"


def reset_nodes(label: str) -> str:
    """One batch of nodes whose properties become exactly ``row.props``."""
    return f"UNWIND $rows AS row MATCH (n:{_label(label)} {{id: row.id}}) SET n = row.props RETURN count(n) AS n"


def relationships(rtype: str) -> str:
    """Every relationship of ``rtype`` between papergraph nodes, with its ends and property names."""
    a_ok, b_ok = (" OR ".join(f"{v}:{_label(lb)}" for lb in NODE_LABELS) for v in "ab")
    return (f"MATCH (a)-[r:{_rel_type(rtype)}]->(b) WHERE ({a_ok}) AND ({b_ok}) "
            "RETURN elementId(r) AS eid, labels(a) AS la, a.id AS a, labels(b) AS lb, b.id AS b, keys(r) AS keys")


DELETE_RELATIONSHIPS = "UNWIND $eids AS eid MATCH ()-[r]->() WHERE elementId(r) = eid DELETE r RETURN count(*) AS n"
RESET_RELATIONSHIPS = ("UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.eid "
                       "SET r = row.props RETURN count(r) AS n")


def remove_stale(driver, database: str, nodes: list[NodeRows], rels: list[RelRows], *,
                 batch_size: int = 10_000) -> SyncStats:
    """Delete what the database holds under papergraph's schema and the build does not.

    Call it after the build's nodes and relationships are MERGEd and before concept paper
    counts are recounted. Relationships are compared by (start label and id, type, end label
    and id), nodes by (label, id); a duplicate relationship (two with the same key) is
    removed too.

    Args:
        driver: a connected driver.
        database: the database name.
        nodes: the build's node rows (:func:`~papergraph.neo4j.rows.graph_rows`).
        rels: the build's relationship rows.
        batch_size: rows per write transaction.

    Returns:
        What was removed and reset.
    """
    stats = SyncStats()
    with driver.session(database=database) as session:
        for g in nodes:
            want = {r["id"]: r["props"] for r in g.rows}
            stale, reset = [], []
            for rec in session.run(node_ids(g.label)):
                props = want.get(rec["id"])
                if props is None:
                    stale.append(rec["id"])
                elif set(rec["keys"]) - set(props):
                    reset.append({"id": rec["id"], "props": props})
            stats.nodes[g.label] = _batched(session, delete_nodes(g.label), "ids", stale, batch_size)
            stats.reset += _batched(session, reset_nodes(g.label), "rows", reset, batch_size)
        by_type: dict[str, dict[tuple, dict]] = {}
        for rg in rels:
            want = by_type.setdefault(rg.type, {})
            for r in rg.rows:
                want[(rg.start_label, r["start"], rg.end_label, r["end"])] = r["props"]
        for rtype in REL_TYPES:
            want, seen = by_type.get(rtype, {}), set()
            stale, reset = [], []
            for rec in session.run(relationships(rtype)):
                key = (_primary(rec["la"]), rec["a"], _primary(rec["lb"]), rec["b"])
                props = want.get(key)
                if props is None or key in seen:
                    stale.append(rec["eid"])
                    continue
                seen.add(key)
                if set(rec["keys"]) - set(props):
                    reset.append({"eid": rec["eid"], "props": props})
            stats.relationships[rtype] = _batched(session, DELETE_RELATIONSHIPS, "eids", stale, batch_size)
            stats.reset += _batched(session, RESET_RELATIONSHIPS, "rows", reset, batch_size)
    return stats


def _primary(labels: list[str]) -> str | None:
    """The papergraph label among a node's labels (other labels, such as a concept's type, may be added)."""
    return next((lb for lb in labels if lb in NODE_LABELS), None)


def _batched(session, query: str, name: str, items: list, batch_size: int) -> int:
    """Run ``query`` over ``items`` in write transactions of ``batch_size``; the rows it counted."""
    done = 0
    for i in range(0, len(items), batch_size):
        done += session.execute_write(single, query, **{name: items[i:i + batch_size]})
    return done
