"""Database = build: what Neo4j holds under papergraph's schema against what a graph says it should."""

from __future__ import annotations

import json
from collections import Counter

from neo4j_helpers import fetch

_LABELS = ("Paper", "Concept", "Result")
_LINKS = {"PROPOSES", "USES", "EVALUATES_ON", "COMPARES_WITH", "MENTIONS"}


def _canon(x) -> str:
    return json.dumps(x, sort_keys=True, default=str, ensure_ascii=False)


def db_state(settings) -> tuple:
    """(nodes per label, relationships per type, node records, relationship records, nodes, relationships)."""
    nodes = fetch(settings, "MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
    rels = fetch(settings, "MATCH (a)-[r]->(b) RETURN type(r) AS t, labels(a) AS la, a.id AS a, labels(b) AS lb, "
                           "b.id AS b, properties(r) AS p")
    label = lambda ls: next(x for x in ls if x in _LABELS)  # noqa: E731 (other labels may be added)
    node_recs = {_canon([label(r["l"]), r["p"]]) for r in nodes}
    rel_recs = {_canon([r["t"], label(r["la"]), r["a"], label(r["lb"]), r["b"], r["p"]]) for r in rels}
    return (Counter(label(r["l"]) for r in nodes), Counter(r["t"] for r in rels), node_recs, rel_recs,
            len(nodes), len(rels))


def build_state(G) -> tuple:
    """The same for graph ``G``: its attributes with ``None`` and empty lists dropped (as Neo4j stores
    them), dicts as sorted JSON, and concept ``paper_count`` counted from its Paper edges."""
    nodes, node_recs = Counter(), set()
    for n, d in G.nodes(data=True):
        props = {k: _value(v) for k, v in d.items() if k != "label" and _value(v) is not None}
        props["id"] = _id(G, n)
        if d["label"] == "Concept":
            props["paper_count"] = len({u for u, _, k in G.in_edges(n, keys=True) if k in _LINKS})
        nodes[d["label"]] += 1
        node_recs.add(_canon([d["label"], props]))
    rels, rel_recs = Counter(), set()
    for u, v, k, d in G.edges(keys=True, data=True):
        props = {a: _value(x) for a, x in d.items() if a != "type" and _value(x) is not None}
        rels[k] += 1
        rel_recs.add(_canon([k, G.nodes[u]["label"], _id(G, u), G.nodes[v]["label"], _id(G, v), props]))
    return nodes, rels, node_recs, rel_recs, G.number_of_nodes(), G.number_of_edges()


def _id(G, n) -> str:
    """A node's id (graph.json keeps it only as the node name, ``label:id``)."""
    return G.nodes[n].get("id") or n.split(":", 1)[1]


def _value(v):
    if v is None or (isinstance(v, (list, tuple)) and not v):
        return None
    if isinstance(v, dict):
        return json.dumps(v, ensure_ascii=False, sort_keys=True, default=str)
    if isinstance(v, tuple):
        return list(v)
    return v


def differences(settings, G) -> list[str]:
    """What differs between the database and ``G`` (empty: equal)."""
    db, want = db_state(settings), build_state(G)
    out = []
    for name, i in (("nodes per label", 0), ("relationships per type", 1), ("total nodes", 4),
                    ("total relationships", 5)):
        if db[i] != want[i]:
            got, exp = (dict(db[i]), dict(want[i])) if i < 2 else (db[i], want[i])
            out.append(f"{name}: database {got} != build {exp}")
    for name, i in (("node", 2), ("relationship", 3)):
        out += [f"{name} only in the database: {x[:300]}" for x in sorted(db[i] - want[i])[:5]]
        out += [f"{name} only in the build: {x[:300]}" for x in sorted(want[i] - db[i])[:5]]
    return out
