"""What graph.gexf holds of a graph's edges and node ids: weights, directions, one edge per node pair.

See :mod:`.gexf` for the format; this module decides the GEXF view of ``G`` (without copying
what does not change), both of its writers use it.
"""

from __future__ import annotations

import math

import networkx as nx

from ..model import CONCEPT_EDGE_TYPES, PAPER_EDGE_TYPES, PAPER_PAPER_EDGE_TYPES, RESULT_EDGE_TYPES

__all__ = ["UNDIRECTED", "edge_weight", "gexf_view"]

#: Relationship types written ``type="undirected"``.
UNDIRECTED = frozenset({"CO_OCCURS"})
_REL_TYPES = PAPER_EDGE_TYPES + CONCEPT_EDGE_TYPES + RESULT_EDGE_TYPES + PAPER_PAPER_EDGE_TYPES
_WEIGHT_KEY = {"CO_OCCURS": "npmi", "SIMILAR_TO": "score"}
_ORDER = {t: i for i, t in enumerate(_REL_TYPES)}


def edge_weight(rtype, d: dict) -> float:
    """The GEXF weight of a ``rtype`` edge: NPMI, similarity score or confidence, else 1 (see :mod:`.gexf`)."""
    w = d.get(_WEIGHT_KEY.get(rtype, "confidence"))
    return float(w) if type(w) in (int, float) and math.isfinite(w) and w > 0 else 1.0


def gexf_view(G: nx.MultiDiGraph) -> tuple[dict, dict]:
    """``(nodes, adj)`` as GEXF writes them: ``G``'s dicts, with node ids derived and parallel edges merged.

    Only what changes is copied: nodes without an ``id`` and the (few) node pairs with several edges.
    """
    nodes = G._node
    if any("id" not in d for d in nodes.values()):
        nodes = {n: d if "id" in d else _with_id(n, d) for n, d in nodes.items()}
    adj, pairs = G._adj, {}
    for u, nbrs in adj.items():
        for v, kd in nbrs.items():
            pairs.setdefault(frozenset((u, v)), []).extend((u, v, k, d) for k, d in kd.items())
    merged = [sorted(es, key=lambda e: (_ORDER.get(e[2], len(_ORDER)), str(e[2]))) for es in pairs.values()
              if len(es) > 1]
    if not merged:
        return nodes, adj
    adj = dict(adj)
    for u, v, k, _ in (e for es in merged for e in es):
        adj[u] = {w: dict(kd) for w, kd in adj[u].items()} if adj[u] is G._adj[u] else adj[u]
        adj[u][v] = {kk: dd for kk, dd in adj[u][v].items() if kk != k}
    for (u, v, k, d), *others in merged:
        d = {**d, "also": [str(o[2]) for o in others]}
        for o in others:
            if o[2] == "CO_OCCURS":
                d.update({"weight": o[3].get("weight"), "npmi": o[3].get("npmi")})
        adj[u][v][k] = d
    for u in list(adj):
        if adj[u] is not G._adj[u]:
            adj[u] = {v: kd for v, kd in adj[u].items() if kd}
    return nodes, adj


def _with_id(n, d: dict) -> dict:
    """``d`` with ``id`` after ``label``, derived from the node name as :func:`..neo4j.rows.graph_rows` does."""
    label = d.get("label")
    if not (isinstance(n, str) and isinstance(label, str) and n.startswith(label.lower() + ":")):
        return d
    out = {"label": label, "id": n.split(":", 1)[1]} if "label" in d else {}
    out.update(d)
    return out
