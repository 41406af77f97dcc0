"""A small multinomial logistic regression over sparse string features (numpy only).

Used by the learned scorer (:mod:`papergraph.nlp.scorer`): each example is a list of feature
strings, each label an index. Training is full-batch Adam on the L2-regularised
cross-entropy; features seen fewer than ``min_count`` times are dropped and near-zero
weights pruned, so the saved model is a small JSON table ``feature -> weights``.

Example:
    >>> m = train([["w=lora", "shape=Xx"], ["w=the"]], [1, 0], labels=("NONE", "Method"))
    >>> m.proba(["w=lora"]).argmax()
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

import numpy as np

__all__ = ["LinearModel", "train"]


@dataclass
class LinearModel:
    """Weights of a multinomial logistic regression: ``bias`` and ``weights[feature]`` per label."""

    labels: tuple[str, ...]
    bias: np.ndarray
    weights: dict[str, np.ndarray]
    #: Weights of the dense input (``(D, labels)``), with the mean and scale that standardise it.
    dense: np.ndarray | None = None
    mean: np.ndarray | None = None
    scale: np.ndarray | None = None

    def scores(self, features: Sequence[str], x: np.ndarray | None = None) -> np.ndarray:
        """Unnormalised label scores of one example (``x``: its dense vector, if the model has one)."""
        index, matrix = self._table()
        rows = [j for j in map(index.get, features) if j is not None]
        # the bias plus each feature's weights, added in the features' order (accumulate is sequential)
        s = np.add.accumulate(np.vstack((self.bias, matrix[rows])), axis=0)[-1] if rows else self.bias.copy()
        if self.dense is not None and x is not None:
            s += ((x - self.mean) / self.scale) @ self.dense
        return s

    def proba(self, features: Sequence[str], x: np.ndarray | None = None) -> np.ndarray:
        """Label probabilities of one example (softmax of :meth:`scores`)."""
        s = self.scores(features, x)
        e = np.exp(s - s.max())
        return e / e.sum()

    def proba_many(self, examples: Sequence[Sequence[str]], dense: np.ndarray | None = None) -> np.ndarray:
        """Label probabilities of several examples at once (rows as :meth:`proba`)."""
        index, zero = self.index()
        lengths = [len(ex) for ex in examples]
        cols = np.fromiter(map(index.get, itertools.chain.from_iterable(examples), itertools.repeat(zero)),
                           dtype=np.int64, count=sum(lengths))
        return self.proba_rows(cols, lengths, dense)

    def proba_rows(self, cols: np.ndarray, lengths: Sequence[int], dense: np.ndarray | None = None) -> np.ndarray:
        """:meth:`proba_many` of examples given as table rows (:meth:`index`): the first ``lengths[0]``
        of ``cols`` are the first example's, and so on; an unknown feature's is the zero row."""
        matrix = self._table()[1]
        rows = np.repeat(np.arange(len(lengths)), lengths)
        n, k = len(lengths), len(self.labels)
        S = np.zeros((n, k)) + self.bias
        if len(rows):
            S += _segment_sum(rows, matrix[cols], n)  # each example's rows in order, from 0.0 (``x + 0.0 == x``)
        if self.dense is not None and dense is not None:
            S += ((np.asarray(dense) - self.mean) / self.scale) @ self.dense
        S -= S.max(axis=1, keepdims=True)
        np.exp(S, out=S)
        return S / S.sum(axis=1, keepdims=True)

    def proba_each(self, examples: Sequence[Sequence[str]]) -> np.ndarray:
        """:meth:`proba` of each example (no dense input), bit for bit, in one pass."""
        index = self._table()[0]
        return self.proba_each_rows([[j for j in map(index.get, ex) if j is not None] for ex in examples])

    def proba_each_rows(self, rows: Sequence[Sequence[int]]) -> np.ndarray:
        """:meth:`proba_each` of examples given as table rows (:meth:`index`; zero rows may stand
        anywhere): the bias, then each example's weights in order, padded with zero rows
        (``x + 0.0 == x``)."""
        matrix = self._table()[1]
        n, k = len(rows), len(self.labels)
        width = max(map(len, rows), default=0)
        padded = np.full((n, width), len(matrix) - 1, dtype=np.int64)  # the table's last row is zeros
        for i, row in enumerate(rows):
            padded[i, :len(row)] = row
        S = np.empty((n, k))
        S[:] = self.bias
        if width and n:
            G = np.concatenate((S[:, None, :], matrix[padded]), axis=1)
            S = np.add.accumulate(G, axis=1)[:, -1]  # sequential over features, as :meth:`scores` adds them
        S -= S.max(axis=1, keepdims=True)
        np.exp(S, out=S)
        return S / S.sum(axis=1, keepdims=True)

    def index(self) -> tuple[dict[str, int], int]:
        """The table row of each feature, and the zero row (an unknown feature's: it adds nothing)."""
        index, matrix = self._table()
        return index, len(matrix) - 1

    def _table(self) -> tuple[dict[str, int], np.ndarray]:
        table = self.__dict__.get("_table_cache")
        if table is None:
            names = list(self.weights)
            matrix = np.stack([self.weights[f] for f in names] + [np.zeros(len(self.labels))])  # + a zero row
            table = self.__dict__["_table_cache"] = ({f: i for i, f in enumerate(names)}, matrix)
        return table

    def to_dict(self) -> dict:
        """A JSON-able form (weights rounded to 4 decimals)."""
        d = {"labels": list(self.labels), "bias": _rounded(self.bias),
             "weights": {f: _rounded(v) for f, v in sorted(self.weights.items())}}
        if self.dense is not None:
            d.update(dense=[_rounded(r) for r in self.dense], mean=_rounded(self.mean), scale=_rounded(self.scale))
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "LinearModel":
        """The inverse of :meth:`to_dict`."""
        arr = (lambda k: np.asarray(d[k], dtype=np.float64) if d.get(k) is not None else None)
        return cls(tuple(d["labels"]), arr("bias"), {f: np.asarray(v, dtype=np.float64) for f, v in d["weights"].items()},
                   arr("dense"), arr("mean"), arr("scale"))


def _segment_sum(rows: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    """Sum the rows of ``values`` into ``n`` rows by ``rows`` (one bincount per column)."""
    return np.stack([np.bincount(rows, weights=values[:, j], minlength=n) for j in range(values.shape[1])], axis=1)


def _rounded(v) -> list[float]:
    return [round(float(x), 4) for x in v]


def train(examples: Sequence[Sequence[str]], y: Sequence[int], *, labels: Sequence[str], l2: float = 1e-3,
          epochs: int = 300, lr: float = 0.05, min_count: int = 2, prune: float = 1e-3,
          class_weight: Sequence[float] | None = None, sample_weight: Sequence[float] | None = None,
          seed: int = 0, dense: np.ndarray | None = None, dense_l2: float | None = None) -> LinearModel:
    """Fit a :class:`LinearModel` by full-batch Adam.

    Args:
        examples: one list of feature strings per example.
        y: the label index of each example.
        labels: label names (index order).
        l2: L2 penalty per feature weight (mean loss scale).
        epochs: Adam steps over the whole set.
        lr: Adam step size.
        min_count: features seen in fewer examples are ignored.
        prune: weights whose largest absolute value is below this are dropped from the model.
        class_weight: optional weight of each label in the loss.
        sample_weight: optional weight of each example in the loss (times its label's).
        seed: seed of the initialisation (the fit is deterministic given it).
        dense: optional dense inputs, one row per example (standardised inside).
        dense_l2: L2 penalty of the dense weights (default ``l2``).

    Returns:
        The fitted model.
    """
    if len(examples) != len(y) or not examples:
        raise ValueError("need as many labels as examples, and at least one example")
    k = len(labels)
    counts = Counter(f for ex in examples for f in set(ex))
    vocab = sorted(f for f, c in counts.items() if c >= min_count)
    index = {f: i for i, f in enumerate(vocab)}
    rows, cols = [], []
    for r, ex in enumerate(examples):
        for f in set(ex):
            j = index.get(f)
            if j is not None:
                rows.append(r)
                cols.append(j)
    rows_a, cols_a = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
    n, d = len(examples), len(vocab)
    yy = np.asarray(y, dtype=np.int64)
    onehot = np.zeros((n, k))
    onehot[np.arange(n), yy] = 1.0
    cw = np.ones(n) if class_weight is None else np.asarray(class_weight, dtype=np.float64)[yy]
    if sample_weight is not None:
        if len(sample_weight) != n:
            raise ValueError("need one sample weight per example")
        cw = cw * np.asarray(sample_weight, dtype=np.float64)
    rng = np.random.default_rng(seed)
    W = rng.normal(0.0, 1e-3, size=(d, k))
    b = np.log(onehot.mean(axis=0) + 1e-6)
    if dense is not None:
        mean = dense.mean(axis=0)
        scale = dense.std(axis=0) + 1e-6
        Xd = (dense - mean) / scale
        Wd = np.zeros((Xd.shape[1], k))
    else:
        Xd = Wd = mean = scale = None
    params = [W, b] + ([Wd] if Wd is not None else [])
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    norm = cw.sum()
    for t in range(1, epochs + 1):
        S = _segment_sum(rows_a, W[cols_a], n).astype(np.float64)
        S += b
        if Xd is not None:
            S += Xd @ Wd
        S -= S.max(axis=1, keepdims=True)
        P = np.exp(S)
        P /= P.sum(axis=1, keepdims=True)
        G = (P - onehot) * (cw / norm)[:, None]
        gW = _segment_sum(cols_a, G[rows_a], d).astype(np.float64)
        gW += l2 * W
        grads = [gW, G.sum(axis=0)]
        if Xd is not None:
            grads.append(Xd.T @ G + (l2 if dense_l2 is None else dense_l2) * Wd)
        for i, (p, g) in enumerate(zip(params, grads)):
            m[i] = beta1 * m[i] + (1 - beta1) * g
            v[i] = beta2 * v[i] + (1 - beta2) * g * g
            p -= lr * (m[i] / (1 - beta1 ** t)) / (np.sqrt(v[i] / (1 - beta2 ** t)) + eps)
    weights = {f: W[i].copy() for f, i in index.items() if np.abs(W[i]).max() >= prune}
    return LinearModel(tuple(labels), b.copy(), weights, None if Wd is None else Wd.copy(), mean, scale)
