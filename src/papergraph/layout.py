"""Node positions for Gephi and the HTML map: a seeded force layout that stays fast at scale.

Only the concept co-occurrence graph is laid out with forces, ForceAtlas2-style (Jacomy et al.
2014, "ForceAtlas2, a continuous graph layout algorithm", PLoS ONE 9(6)): repulsion between
every pair grows with the product of their degrees (so hubs push each other apart instead of
collapsing the middle), attraction along an edge grows with the log of its length times
log(1 + co-occurrence weight) (LinLog, which separates communities; the weight damped so the
hubs that share most papers do not pile up in one unreadable middle), and a degree-weighted
gravity keeps components close. Papers are then placed at the centre of their laid-out concepts, each weighted
by 1/paper_count so a paper sits by its specific concepts rather than by "large language model";
remaining concepts go around the centre of their papers, results next to their paper. Papers
that share no laid-out concept go on a ring around it all, their concepts next to them, and
anything left on an outer ring. Above ``exact_max`` nodes the repulsion of each step is estimated
from a random sample of nodes, so a step costs O(n * sample) instead of O(n^2). Positions are
stored as ``viz = {"position": {x, y}}`` in about [-1.3 SCALE, 1.3 SCALE].
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

__all__ = ["add_layout", "force_layout", "SCALE"]

SCALE = 1000.0
_REPULSION = 0.01
_GRAVITY = 0.03


def force_layout(H: nx.Graph, *, seed: int = 0, iterations: int | None = None, exact_max: int = 500,
                 sample: int = 500) -> dict:
    """Positions in [-1, 1]^2 for the nodes of an undirected weighted graph.

    Args:
        H: the graph (edge attr ``weight`` pulls harder).
        seed: random seed (same seed, same graph -> same positions).
        iterations: force steps (the step length cools linearly); default 200, or 60 above
            ``exact_max`` nodes.
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
    if iterations is None:
        iterations = 200 if n <= exact_max else 60
    rng = np.random.default_rng(seed)
    idx = {v: i for i, v in enumerate(nodes)}
    pos = rng.random((n, 2)) * 2.0 - 1.0
    edges = [(idx[u], idx[v], float(d.get("weight", 1.0))) for u, v, d in H.edges(data=True) if u != v]
    ei = np.array([e[0] for e in edges], dtype=int)
    ej = np.array([e[1] for e in edges], dtype=int)
    ew = np.log1p(np.array([e[2] for e in edges], dtype=float))  # damped: hubs sharing many papers stay apart
    mass = np.bincount(np.concatenate([ei, ej]), minlength=n) + 1.0  # degree + 1
    ends = np.concatenate([np.arange(n), ei, ej])
    buf = None
    for step in range(iterations):
        if n <= exact_max:
            others, m_o, scale = pos, mass, 1.0
        else:
            pick = rng.choice(n, size=sample, replace=False)
            others, m_o, scale = pos[pick], mass[pick], n / sample
        # sum_j m_i m_j (p_i - o_j) / |p_i - o_j|^2, written as matrix products (BLAS) for speed
        sq_p, sq_o = (pos ** 2).sum(axis=1), (others ** 2).sum(axis=1)
        # inv = m_o / max(|p_i|^2 + |o_j|^2 - 2 p_i.o_j, 1e-4), in two reused n x k buffers
        if buf is None or buf[0].shape != (n, len(others)):
            buf = (np.empty((n, len(others))), np.empty((n, len(others))))
        inv, cross = buf
        np.add.outer(sq_p, sq_o, out=inv)
        np.matmul(2.0 * pos, others.T, out=cross)
        inv -= cross
        np.maximum(inv, 1e-4, out=inv)
        np.divide(m_o[None, :], inv, out=inv)
        disp = (pos * inv.sum(axis=1)[:, None] - inv @ others) * (_REPULSION * scale * mass[:, None])
        if len(edges):
            d = pos[ei] - pos[ej]
            dist = np.sqrt(np.maximum((d ** 2).sum(axis=1), 1e-12))
            f = d * (np.log1p(dist) / dist * ew)[:, None]
            # disp[ei] -= f; disp[ej] += f, summed in the order np.add.at would (bincount is faster)
            for k in (0, 1):
                disp[:, k] = np.bincount(ends, weights=np.concatenate([disp[:, k], -f[:, k], f[:, k]]), minlength=n)
        centred = pos - pos.mean(axis=0)
        disp -= centred / np.maximum(np.sqrt((centred ** 2).sum(axis=1)), 1e-9)[:, None] * (_GRAVITY * mass[:, None])
        length = np.maximum(np.sqrt((disp ** 2).sum(axis=1)), 1e-9)
        t = 0.1 * (1.0 - step / iterations) + 0.002
        pos += disp * (np.minimum(length, t) / length)[:, None]
    pos -= pos.mean(axis=0)
    span = float(np.abs(pos).max()) or 1.0
    pos /= span
    return {v: (float(pos[i, 0]), float(pos[i, 1])) for v, i in idx.items()}


def _centre(points: list[tuple[float, float]], weights: list[float] | None = None) -> tuple[float, float]:
    w = weights or [1.0] * len(points)
    total = sum(w)
    return (sum(p[0] * k for p, k in zip(points, w)) / total, sum(p[1] * k for p, k in zip(points, w)) / total)


def add_layout(G: nx.MultiDiGraph, *, seed: int = 0, H: nx.Graph | None = None) -> None:
    """Set ``viz.position`` on every node of ``G`` (see the module docstring).

    ``H``: the graph's ``analysis.cooccurrence_graph``, if already made.
    """
    from .analysis import cooccurrence_graph

    rng = np.random.default_rng(seed + 1)
    pos = dict(force_layout(cooccurrence_graph(G) if H is None else H, seed=seed))
    label = {n: d.get("label") for n, d in G.nodes(data=True)}

    def jitter(p: tuple[float, float], r: float) -> tuple[float, float]:
        a, d = rng.random() * 2 * math.pi, r * math.sqrt(rng.random())
        return (p[0] + d * math.cos(a), p[1] + d * math.sin(a))

    def place_near(kind: str, neighbours, r: float, weight=lambda m: 1.0) -> None:
        for n in sorted(x for x in G if label[x] == kind and x not in pos):
            near = [m for m in neighbours(n) if m in pos]
            if near:
                pos[n] = jitter(_centre([pos[m] for m in near], [weight(m) for m in near]), r)

    def ring(nodes: list, r: float) -> None:
        for i, n in enumerate(nodes):
            a = 2 * math.pi * i / len(nodes)
            pos[n] = (r * math.cos(a), r * math.sin(a))

    concepts_of_paper = lambda n: (v for v in G.successors(n) if label[v] == "Concept")  # noqa: E731
    papers_of_concept = lambda n: (u for u in G.predecessors(n) if label[u] == "Paper")  # noqa: E731
    n_papers = {n: max(int(d.get("paper_count") or 0), 1) for n, d in G.nodes(data=True) if label[n] == "Concept"}
    place_near("Paper", concepts_of_paper, 0.02, weight=lambda m: 1.0 / n_papers[m])
    place_near("Concept", papers_of_concept, 0.08)
    # Papers sharing no laid-out concept go on a ring, their concepts in a small cloud by them.
    ring(sorted(x for x in G if label[x] == "Paper" and x not in pos), 1.15)
    place_near("Concept", papers_of_concept, 0.04)
    place_near("Result", G.predecessors, 0.02)
    ring(sorted(x for x in G if x not in pos), 1.3)
    for n, (x, y) in pos.items():
        G.nodes[n]["viz"] = {"position": {"x": round(x * SCALE, 3), "y": round(y * SCALE, 3)}}
