"""Co-occurrence (NPMI), similar papers and PageRank over integer codes, one chunk per Dask task.

Papers are coded by id order and concepts by node-id order, as :mod:`papergraph.analysis` orders
them; a paper's concepts and a concept's papers are CSR arrays (:class:`Incidence`, a few bytes
per paper -> concept edge) that every worker holds once. :func:`cooccurrence_chunk` and
:func:`similar_chunk` run the same per-concept and per-paper steps as ``add_cooccurrence`` and
``add_similar_papers`` on a range of concepts or papers (the same ``top_neighbours``), so the
edges are the same; only the similarity norms are summed in concept order rather than exactly
(``math.fsum``): a last-bit difference at most, below the 12 decimals scores are ranked at.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..analysis import SIMILAR_MAX_DF, SIMILAR_MAX_PAPERS, _pagerank, _unique_inverse, npmi, top_neighbours

__all__ = ["Incidence", "cooccurrence_chunk", "similar_chunk", "ranks"]


def _gather(ptr: np.ndarray, vals: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The concatenation of ``vals[ptr[r]:ptr[r+1]]`` for each r in ``rows``, without a Python loop."""
    starts, lens = ptr[rows], ptr[rows + 1] - ptr[rows]
    total = int(lens.sum())
    if not total:
        return vals[:0]
    offs = np.repeat(starts - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
    return vals[offs + np.arange(total)]


@dataclass
class Incidence:
    """Paper -> concept edges as CSR both ways (codes: papers by id, concepts by node id)."""

    n_papers: int
    n_concepts: int
    p_ptr: np.ndarray  # paper -> its concepts (sorted)
    p_idx: np.ndarray
    c_ptr: np.ndarray  # concept -> its papers (sorted)
    c_idx: np.ndarray
    _sim: tuple | None = None

    @classmethod
    def from_pairs(cls, papers: np.ndarray, concepts: np.ndarray, n_papers: int, n_concepts: int) -> "Incidence":
        """From one (paper code, concept code) pair per paper -> concept edge (no duplicates)."""
        order = np.lexsort((concepts, papers))
        p_idx = concepts[order].astype(np.int32)
        p_ptr = np.concatenate([[0], np.cumsum(np.bincount(papers, minlength=n_papers))]).astype(np.int64)
        order = np.lexsort((papers, concepts))
        c_idx = papers[order].astype(np.int32)
        c_ptr = np.concatenate([[0], np.cumsum(np.bincount(concepts, minlength=n_concepts))]).astype(np.int64)
        return cls(n_papers, n_concepts, p_ptr, p_idx, c_ptr, c_idx)

    def df(self) -> np.ndarray:
        """Papers naming each concept."""
        return np.diff(self.c_ptr)


def cooccurrence_chunk(inc: Incidence, lo: int, hi: int, *, min_papers: int = 2, npmi_min: float = 0.0):
    """``CO_OCCURS`` pairs (a, b, weight, npmi) with ``lo <= a < hi`` and a < b, as
    ``papergraph.analysis.add_cooccurrence`` finds them."""
    df = inc.df()
    n = inc.n_papers
    out_a, out_b, out_w, out_s = [], [], [], []
    for a in range(lo, hi):
        if df[a] < min_papers:
            continue
        cand = _gather(inc.p_ptr, inc.p_idx, inc.c_idx[inc.c_ptr[a]:inc.c_ptr[a + 1]])
        bs, inv = _unique_inverse(cand[cand > a])
        ws = np.bincount(inv, minlength=len(bs))
        keep = ws >= min_papers
        for b, w in zip(bs[keep].tolist(), ws[keep].tolist()):
            score = npmi(w, int(df[a]), int(df[b]), n)
            if score > npmi_min:
                out_a.append(a), out_b.append(b), out_w.append(w), out_s.append(round(score, 4))
    return (np.array(out_a, dtype=np.int32), np.array(out_b, dtype=np.int32),
            np.array(out_w, dtype=np.int64), np.array(out_s, dtype=np.float64))


def _similar_setup(inc: Incidence):
    """IDF of each concept, whether it may make two papers similar, each paper's norm (cached on
    ``inc``: a worker computes them once for all its chunks)."""
    if inc._sim is None:
        n = inc.n_papers
        df = inc.df()
        idf = np.log(n / np.maximum(df, 1))
        cap = min(SIMILAR_MAX_DF * n, SIMILAR_MAX_PAPERS)
        usable = (idf > 0) & ~((df > 50) & (df > cap))
        inc._sim = (idf, usable, _norms(inc, idf ** 2))
    return inc._sim


def similar_chunk(inc: Incidence, lo: int, hi: int, *, top_k: int = 5):
    """Each paper's ``top_k`` most similar papers for papers ``lo <= i < hi``: (i, j, score, shared)
    rows, score unrounded, as ``papergraph.analysis.add_similar_papers`` picks them."""
    idf, usable, norms = _similar_setup(inc)
    sq = idf ** 2
    out_i, out_j, out_s, out_k = [], [], [], []
    for i in range(lo, hi):
        cs = inc.p_idx[inc.p_ptr[i]:inc.p_ptr[i + 1]]
        cs = cs[usable[cs]]
        if not len(cs):
            continue
        lens = inc.c_ptr[cs + 1] - inc.c_ptr[cs]
        idx = _gather(inc.c_ptr, inc.c_idx, cs)
        w = np.repeat(sq[cs], lens)
        for o, score, shared in top_neighbours(idx, w, i, norms[i], norms, top_k):
            out_i.append(i), out_j.append(o), out_s.append(score), out_k.append(shared)
    return (np.array(out_i, dtype=np.int32), np.array(out_j, dtype=np.int32),
            np.array(out_s, dtype=np.float64), np.array(out_k, dtype=np.int64))


def _norms(inc: Incidence, sq: np.ndarray) -> np.ndarray:
    """Each paper's IDF-weighted norm over all its concepts (summed in concept order)."""
    owner = np.repeat(np.arange(inc.n_papers), np.diff(inc.p_ptr))
    return np.sqrt(np.bincount(owner, weights=sq[inc.p_idx], minlength=inc.n_papers))


def ranks(n_nodes: int, pair_chunks: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """PageRank (rounded to 8 decimals) of ``n_nodes`` joined by undirected (u, v) code arrays,
    a pair weighted by the edges joining it, as ``papergraph.analysis.add_ranks`` computes it."""
    size = max(n_nodes, 1)
    codes = []
    for u, v in pair_chunks:
        u, v = u.astype(np.int64), v.astype(np.int64)
        keep = u != v
        u, v = u[keep], v[keep]
        codes.append(np.minimum(u, v) * size + np.maximum(u, v))
    allc = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int64)
    del codes
    pairs, weights = np.unique(allc, return_counts=True)
    del allc
    pairs = np.stack([pairs // size, pairs % size], axis=1)
    return np.round(_pagerank(n_nodes, pairs, weights), 8)
