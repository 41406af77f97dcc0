"""Graph analytics added on every build: co-occurrence, similar papers, communities, ranks, layout.

All functions work in place on the graph of :mod:`papergraph.graph` and are deterministic for a
given ``seed``. Added to the schema:

* Concept -> Concept ``CO_OCCURS`` (one edge per unordered pair, from the lower to the higher node
  id): ``weight`` = papers naming both, ``npmi`` = normalised pointwise mutual information of the
  pair over papers (Bouma 2009), in [-1, 1];
* Paper -> Paper ``SIMILAR_TO`` (one edge per unordered pair, lower to higher node id): ``score`` =
  cosine similarity of the papers' IDF-weighted concept sets, ``shared`` = concepts in common;
* every Concept: ``community`` (int, Louvain on the co-occurrence graph, numbered 0, 1, ... by
  decreasing size; -1 for a concept with no ``CO_OCCURS`` edge);
  ``G.graph["communities"]`` = ``[{"id", "label", "size", "top"}]`` (``top``: up to five concept
  names by paper count; ``label``: the first three joined by " / ");
* every Paper and Concept: ``pagerank`` (float, on the undirected Paper/Concept graph) and
  ``degree`` (int, edges of any type touching the node in ``G``);
* every node: ``viz = {"position": {"x", "y"}}`` (see :mod:`papergraph.layout`).
"""

from __future__ import annotations

import math
from array import array
from collections import Counter, defaultdict
from typing import Callable

import networkx as nx
import numpy as np

from .graph import concepts_of, papers_of
from .layout import add_layout

__all__ = ["add_analytics", "add_cooccurrence", "add_similar_papers", "add_communities",
           "add_ranks", "paper_concepts", "npmi", "pagerank"]

CO_OCCURS = "CO_OCCURS"
SIMILAR_TO = "SIMILAR_TO"
#: Concepts named by more than this share of papers (and by more than 50), or by more than
#: ``SIMILAR_MAX_PAPERS`` papers, are too common to make two papers similar. They still count in
#: each paper's norm, but are not used to find or score neighbours: a paper's neighbourhood stays
#: bounded, so similarity costs O(papers), not O(papers^2), on large corpora.
SIMILAR_MAX_DF = 0.2
SIMILAR_MAX_PAPERS = 2000


def add_analytics(G: nx.MultiDiGraph, *, cooccur_min_papers: int = 2, npmi_min: float = 0.0,
                  similar_top_k: int = 5, seed: int = 0, done: Callable[[str], None] | None = None) -> None:
    """Add co-occurrence and similarity edges, communities, pagerank/degree and a layout to ``G``.

    Running it twice gives the same graph (earlier analytics edges are replaced).

    Args:
        G: a papergraph graph; changed in place.
        cooccur_min_papers: a concept pair needs at least this many shared papers for ``CO_OCCURS``.
        npmi_min: ... and an NPMI strictly above this.
        similar_top_k: ``SIMILAR_TO`` edges kept per paper (its k most similar papers).
        seed: seed for Louvain and the layout.
        done: called with each step's name as it finishes (``bench/stages.py`` times them).
    """
    done = done or (lambda step: None)
    if cooccur_min_papers < 1:
        raise ValueError(f"cooccur_min_papers must be >= 1, got {cooccur_min_papers}")
    if not -1.0 <= npmi_min <= 1.0:
        raise ValueError(f"npmi_min must be in [-1, 1], got {npmi_min}")
    if similar_top_k < 0:
        raise ValueError(f"similar_top_k must be >= 0, got {similar_top_k}")
    add_cooccurrence(G, min_papers=cooccur_min_papers, npmi_min=npmi_min)
    done("co-occurrence")
    add_similar_papers(G, top_k=similar_top_k)
    done("similar papers")
    H = cooccurrence_graph(G)
    add_communities(G, seed=seed, H=H)
    done("communities")
    add_ranks(G)
    done("pagerank+degree")
    add_layout(G, seed=seed, H=H)
    H.clear()  # networkx's cached views make H a reference cycle: free its edges now, not at the next full GC
    done("layout")


def paper_concepts(G: nx.MultiDiGraph) -> dict[str, set[str]]:
    """Concept node ids named by each paper (Paper -> Concept edges), keyed by paper node id."""
    concepts = set(concepts_of(G))
    return {p: concepts.intersection(G.adj[p]) for p in papers_of(G)}


def npmi(n_xy: int, n_x: int, n_y: int, n: int) -> float:
    """Normalised PMI of two events seen together ``n_xy`` times in ``n`` trials (1.0 if always)."""
    if n_xy <= 0:
        return -1.0
    p_xy, p_x, p_y = n_xy / n, n_x / n, n_y / n
    if p_xy >= 1.0:
        return 1.0
    return math.log(p_xy / (p_x * p_y)) / -math.log(p_xy)


def _remove_edges(G: nx.MultiDiGraph, key: str) -> None:
    G.remove_edges_from([(u, v, key) for u, nbrs in G.adjacency() for v, keys in nbrs.items() if key in keys])


def add_cooccurrence(G: nx.MultiDiGraph, *, min_papers: int = 2, npmi_min: float = 0.0) -> int:
    """Add ``CO_OCCURS`` edges for concept pairs named together often enough.

    Pairs are counted one concept at a time (its papers' concept lists, numpy), never all
    pairs at once, so memory stays O(papers x concepts per paper).

    Returns:
        The number of edges added.
    """
    _remove_edges(G, CO_OCCURS)
    pcs = paper_concepts(G)
    n = len(pcs)
    concepts = sorted({c for cs in pcs.values() for c in cs})
    rank = {c: i for i, c in enumerate(concepts)}
    rows = [np.array(sorted(rank[c] for c in cs), dtype=np.int64) for cs in pcs.values()]
    postings: list[list[int]] = [[] for _ in concepts]
    for p, row in enumerate(rows):
        for c in row.tolist():
            postings[c].append(p)
    df = [len(ps) for ps in postings]
    added = 0
    for a in range(len(concepts)):  # a < b in node-id order, as the edges have always been added
        if df[a] < min_papers:
            continue
        cand = np.concatenate([rows[p] for p in postings[a]])
        bs, inv = _unique_inverse(cand[cand > a])
        ws = np.bincount(inv, minlength=len(bs))
        keep = ws >= min_papers
        for b, w in zip(bs[keep].tolist(), ws[keep].tolist()):
            score = npmi(w, df[a], df[b], n)
            if score > npmi_min:
                G.add_edge(concepts[a], concepts[b], key=CO_OCCURS, type=CO_OCCURS, weight=w, npmi=round(score, 4))
                added += 1
    return added


def add_similar_papers(G: nx.MultiDiGraph, *, top_k: int = 5) -> int:
    """Add ``SIMILAR_TO`` edges from each paper to its ``top_k`` most similar papers.

    Similarity is the cosine of binary concept vectors weighted by IDF = log(N / df).

    Returns:
        The number of edges added.
    """
    _remove_edges(G, SIMILAR_TO)
    pcs = paper_concepts(G)
    n = len(pcs)
    if n < 2 or top_k == 0:
        return 0
    df = Counter(c for cs in pcs.values() for c in cs)
    idf = {c: math.log(n / d) for c, d in df.items()}
    # fsum: a set's order varies with PYTHONHASHSEED, and a norm summed in that order varies in its
    # last bit, enough to flip two tied papers' ranks from one run to the next.
    norm = {p: math.sqrt(math.fsum(idf[c] ** 2 for c in cs)) for p, cs in pcs.items()}
    cap = min(SIMILAR_MAX_DF * n, SIMILAR_MAX_PAPERS)
    usable = {c for c, d in df.items() if idf[c] > 0 and not (d > 50 and d > cap)}
    papers = sorted(pcs)
    postings: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(papers):
        for c in pcs[p]:
            if c in usable:
                postings[c].append(i)
    post = {c: np.array(ix, dtype=np.int64) for c, ix in postings.items()}
    norms = np.array([norm[p] for p in papers])
    # One paper at a time: its dot products with every paper sharing a concept (summed in concept
    # order, as bincount adds sequentially), then its top_k by (score desc, paper id).
    # Memory is O(papers * top_k) plus one paper's neighbourhood, never all pairs.
    keep: dict[tuple[str, str], tuple[float, int]] = {}
    for i, a in enumerate(papers):
        cs = sorted(pcs[a] & usable)
        if not cs:
            continue
        idx = np.concatenate([post[c] for c in cs])
        w = np.repeat([idf[c] ** 2 for c in cs], [len(post[c]) for c in cs])
        for o, score, shared in top_neighbours(idx, w, i, norm[a], norms, top_k):
            b = papers[o]
            keep[min(a, b), max(a, b)] = (score, shared)
    for (a, b), (s, k) in sorted(keep.items()):
        G.add_edge(a, b, key=SIMILAR_TO, type=SIMILAR_TO, score=round(s, 4), shared=k)
    return len(keep)


def top_neighbours(idx: np.ndarray, w: np.ndarray, i: int, norm_i: float, norms: np.ndarray,
                   top_k: int) -> list[tuple[int, float, int]]:
    """Paper ``i``'s ``top_k`` most similar papers as (paper index, cosine, shared concepts), from the
    postings ``idx`` of its concepts and their weights ``w`` (one per posting), ties by index."""
    others, inv = _unique_inverse(idx)
    dot = np.bincount(inv, weights=w)
    shared = np.bincount(inv)
    mine = others != i
    others, dot, shared = others[mine], dot[mine], shared[mine]
    if not len(others):
        return []
    # rounded so that equal similarities summed in different orders tie, and the index decides
    score = np.round(dot / (norm_i * norms[others]), 12)
    return [(int(others[j]), float(score[j]), int(shared[j])) for j in _top(score, others, top_k)]


def _unique_inverse(idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(idx, return_inverse=True)``, faster on a concatenation of sorted runs (a stable
    argsort merges runs instead of sorting from scratch)."""
    order = np.argsort(idx, kind="stable")
    s = idx[order]
    first = np.empty(len(s), dtype=bool)
    first[:1] = True
    np.not_equal(s[1:], s[:-1], out=first[1:])
    inv = np.empty(len(s), dtype=np.intp)
    inv[order] = np.cumsum(first) - 1
    return s[first], inv


def _top(score: np.ndarray, ids: np.ndarray, k: int) -> np.ndarray:
    """Positions of the ``k`` best by (score desc, id asc), as ``np.lexsort((ids, -score))[:k]``
    gives, without sorting everything: only the candidates scoring at least the k-th best are."""
    if len(score) > k:
        kth = np.partition(score, len(score) - k)[len(score) - k]
        cand = np.flatnonzero(score >= kth)
        return cand[np.lexsort((ids[cand], -score[cand]))[:k]]
    return np.lexsort((ids, -score))[:k]


def cooccurrence_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """The undirected weighted concept graph of the ``CO_OCCURS`` edges of ``G``."""
    H = nx.Graph()
    H.add_weighted_edges_from((u, v, keys[CO_OCCURS].get("weight", 1)) for u, nbrs in G.adjacency()
                              for v, keys in nbrs.items() if CO_OCCURS in keys)
    return H


def add_communities(G: nx.MultiDiGraph, *, seed: int = 0, H: nx.Graph | None = None) -> list[dict]:
    """Louvain communities of the co-occurrence graph; sets ``community`` and ``G.graph["communities"]``.

    ``H``: the graph's :func:`cooccurrence_graph`, if already made.

    Returns:
        The list stored in ``G.graph["communities"]``.
    """
    H = cooccurrence_graph(G) if H is None else H
    parts = nx.community.louvain_communities(H, weight="weight", seed=seed) if len(H) else []
    ranked = [sorted(p, key=lambda c: (-int(G.nodes[c].get("paper_count") or 0), G.nodes[c]["name"], c))
              for p in parts]
    ranked.sort(key=lambda p: (-len(p), p[0]))
    for c in concepts_of(G):
        G.nodes[c]["community"] = -1
    info = []
    for i, members in enumerate(ranked):
        for c in members:
            G.nodes[c]["community"] = i
        top = [G.nodes[c]["name"] for c in members[:5]]
        info.append({"id": i, "label": " / ".join(top[:3]), "size": len(members), "top": top})
    G.graph["communities"] = info
    return info


def pagerank(H: nx.Graph, *, alpha: float = 0.85, tol: float = 1e-10, max_iter: int = 200) -> dict:
    """PageRank of an undirected weighted graph by power iteration (numpy; no scipy needed)."""
    nodes = list(H)
    idx = {v: i for i, v in enumerate(nodes)}
    ends, w = [], []
    for u, v, d in H.edges(data=True):
        ends += [idx[u], idx[v]]
        w.append(float(d.get("weight", 1.0)))
    rank = _pagerank(len(nodes), np.array(ends, dtype=np.int64).reshape(-1, 2), np.array(w),
                     alpha=alpha, tol=tol, max_iter=max_iter)
    return {v: float(rank[i]) for v, i in idx.items()}


def _pagerank(n: int, pairs: np.ndarray, w: np.ndarray, *, alpha: float = 0.85, tol: float = 1e-10,
              max_iter: int = 200) -> np.ndarray:
    """PageRank of ``n`` nodes joined by undirected ``pairs`` (k x 2 indices) of weights ``w``."""
    if n == 0:
        return np.zeros(0)
    ix = np.int32 if n < 2**31 else np.int64  # half the memory of the edge arrays on large graphs
    src_a = np.concatenate([pairs[:, 0], pairs[:, 1]]).astype(ix)
    dst_a = np.concatenate([pairs[:, 1], pairs[:, 0]]).astype(ix)
    w_a = np.concatenate([w, w]).astype(float)
    out_w = np.bincount(src_a, weights=w_a, minlength=n)
    dangling = out_w == 0
    rank = np.full(n, 1.0 / n)
    flow = np.empty_like(w_a)
    for _ in range(max_iter):
        share = np.where(dangling, 0.0, rank / np.where(dangling, 1.0, out_w))
        np.take(share, src_a, out=flow)
        flow *= w_a
        new = np.bincount(dst_a, weights=flow, minlength=n) * alpha
        new += (1.0 - alpha) / n + alpha * rank[dangling].sum() / n
        err = float(np.abs(new - rank).sum())
        rank = new
        if err < n * tol:
            break
    return rank


def add_ranks(G: nx.MultiDiGraph) -> None:
    """Set ``pagerank`` and ``degree`` on every Paper and Concept node.

    PageRank runs on the undirected Paper/Concept graph, a pair weighted by the edges joining it.
    """
    keep = [n for n, d in G.nodes(data=True) if d.get("label") in ("Paper", "Concept")]
    idx = {n: i for i, n in enumerate(keep)}
    size = len(keep)
    degree = dict.fromkeys(G, 0)
    codes = array("q")  # 8 bytes a pair, not a Python int each: millions of edges on large builds
    for u, nbrs in G.adjacency():
        i = idx.get(u)
        for v, keys in nbrs.items():
            m = len(keys)  # parallel edges of different types
            degree[u] += m
            degree[v] += m
            j = idx.get(v)
            if i is not None and j is not None and i != j:
                code = i * size + j if i < j else j * size + i
                for _ in range(m):
                    codes.append(code)
    pairs, weights = np.unique(np.frombuffer(codes, dtype=np.int64), return_counts=True)
    del codes
    pairs = np.stack([pairs // max(size, 1), pairs % max(size, 1)], axis=1)
    rank = _pagerank(size, pairs, weights)
    for n, i in idx.items():
        G.nodes[n]["pagerank"] = round(float(rank[i]), 8)
        G.nodes[n]["degree"] = degree[n]
