"""Node positions for Gephi and the HTML map: a seeded force layout that stays fast at scale.

Only the concept co-occurrence graph is laid out with forces (Fruchterman & Reingold 1991,
"Graph drawing by force-directed placement", plus a weak gravity so components stay close);
papers are then placed at the centre of their laid-out concepts, remaining concepts at the centre
of their papers, results next to their paper and anything left on an outer ring. Above
``exact_max`` nodes the repulsion of each step is estimated from a random sample of nodes, so a
step costs O(n * sample) instead of O(n^2). Positions are stored as ``viz = {"position": {x, y}}``
in [-SCALE, SCALE].
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

__all__ = ["add_layout", "force_layout", "SCALE"]

SCALE = 1000.0


def force_layout(H: nx.Graph, *, seed: int = 0, iterations: int = 50, exact_max: int = 1000,
                 sample: int = 500) -> dict:
    """Positions in [-1, 1]^2 for the nodes of an undirected weighted graph.

    Args:
        H: the graph (edge attr ``weight`` pulls harder, logarithmically).
        seed: random seed (same seed, same graph -> same positions).
        iterations: force steps (the step length cools linearly to zero).
        exact_max: above this many nodes, repulsion is estimated from ``sample`` random nodes.
        sample: nodes used to estimate repulsion on large graphs.

    Returns:
        A dict node -> (x, y).
    """
    nodes = sorted(H, key=str)
    n = len(nodes)
    if n == 0:
        return {}
    if n == 1:
        return {nodes[0]: (0.0, 0.0)}
    rng = np.random.default_rng(seed)
    idx = {v: i for i, v in enumerate(nodes)}
    pos = rng.random((n, 2))
    edges = [(idx[u], idx[v], 1.0 + math.log(max(float(d.get("weight", 1.0)), 1.0)))
             for u, v, d in H.edges(data=True) if u != v]
    ei = np.array([e[0] for e in edges], dtype=int)
    ej = np.array([e[1] for e in edges], dtype=int)
    ew = np.array([e[2] for e in edges], dtype=float)
    k = math.sqrt(1.0 / n)
    t = 0.1
    for step in range(iterations):
        if n <= exact_max:
            others, scale = pos, 1.0
        else:
            others, scale = pos[rng.choice(n, size=sample, replace=False)], n / sample
        # sum_j k^2 (p_i - o_j) / |p_i - o_j|^2, written as matrix products (BLAS) for speed
        sq_p, sq_o = (pos ** 2).sum(axis=1), (others ** 2).sum(axis=1)
        inv = k * k / np.maximum(sq_p[:, None] + sq_o[None, :] - 2.0 * pos @ others.T, 1e-6)
        disp = (pos * inv.sum(axis=1)[:, None] - inv @ others) * scale
        if len(edges):
            d = pos[ei] - pos[ej]
            dist = np.sqrt(np.maximum((d ** 2).sum(axis=1), 1e-12))
            f = d * (dist * ew / k)[:, None]
            np.add.at(disp, ei, -f)
            np.add.at(disp, ej, f)
        disp -= (pos - pos.mean(axis=0)) * (0.1 * n * k)
        length = np.maximum(np.sqrt((disp ** 2).sum(axis=1)), 1e-9)
        pos += disp * (np.minimum(length, t) / length)[:, None]
        t = 0.1 * (1.0 - (step + 1) / iterations) + 1e-4
    pos -= pos.mean(axis=0)
    span = float(np.abs(pos).max()) or 1.0
    pos /= span
    return {v: (float(pos[i, 0]), float(pos[i, 1])) for v, i in idx.items()}


def _centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def add_layout(G: nx.MultiDiGraph, *, seed: int = 0) -> None:
    """Set ``viz.position`` on every node of ``G`` (see the module docstring)."""
    from .analysis import cooccurrence_graph

    rng = np.random.default_rng(seed + 1)
    pos = dict(force_layout(cooccurrence_graph(G), seed=seed))
    label = {n: d.get("label") for n, d in G.nodes(data=True)}

    def jitter(p: tuple[float, float], r: float) -> tuple[float, float]:
        a, d = rng.random() * 2 * math.pi, r * math.sqrt(rng.random())
        return (p[0] + d * math.cos(a), p[1] + d * math.sin(a))

    def place_near(kind: str, neighbours, r: float) -> None:
        for n in sorted(x for x in G if label[x] == kind and x not in pos):
            near = [pos[m] for m in neighbours(n) if m in pos]
            if near:
                pos[n] = jitter(_centre(near), r)

    place_near("Paper", lambda n: (v for v in G.successors(n) if label[v] == "Concept"), 0.05)
    place_near("Concept", lambda n: (u for u in G.predecessors(n) if label[u] == "Paper"), 0.03)
    place_near("Result", G.predecessors, 0.02)
    rest = sorted(x for x in G if x not in pos)
    for i, n in enumerate(rest):
        a = 2 * math.pi * i / len(rest)
        pos[n] = (1.2 * math.cos(a), 1.2 * math.sin(a))
    # Second pass: concepts and results whose papers only got a ring position just now.
    for n in rest:
        if label[n] == "Result":
            near = [pos[m] for m in G.predecessors(n)]
            pos[n] = jitter(_centre(near), 0.02) if near else pos[n]
    for n, (x, y) in pos.items():
        G.nodes[n]["viz"] = {"position": {"x": round(x * SCALE, 3), "y": round(y * SCALE, 3)}}
