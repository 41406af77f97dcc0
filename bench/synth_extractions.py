"""Seeded synthetic extraction records: what the NLP stage would hand the graph stage for N papers.

Extracting a million abstracts takes about eight worker-hours, so the graph-stage benchmarks run
on records made here. Concept popularity follows a Zipf law over a vocabulary that grows with
the corpus (``vocab = 40 * N ** 0.7``); each paper names 4-14 concepts with roles (proposed,
used, compared, mentioned), some with type scores that disagree with the concept's type (so the
corpus vote matters), surface variants that share a key (case, hyphens) and aliases of the same
key; some models are sized variants of other models ("Kavo-7B" of "Kavo", so ``VARIANT_OF``);
about a third of the papers state relations and 40 % report results on their benchmarks and metrics.
Names are made of invented syllables, so no name is in the knowledge base and only per-key
resolution applies (the columnar and networkx builds then resolve alike).

Papers are made in blocks of 1,000, each from its own generator seeded by (seed, block): the
records of paper i do not depend on how the corpus is split into parts.

    python bench/synth_extractions.py 2000 /tmp/records.jsonl --seed 1
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from papergraph.model import ExtractedConcept, Mention, Paper, PaperExtraction, Relation, Result  # noqa: E402

BLOCK = 1000
ZIPF_S = 1.07
_SYL = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]  # 70 syllables, none ending in "s"
_TYPES = ("Model", "Method", "Task", "Benchmark", "Metric")
_ROLES = ("proposed", "used", "compared", "mentioned")
_ROLE_P = (0.06, 0.44, 0.14, 0.36)
_RELS = ("EVALUATED_ON", "APPLIED_TO", "BASED_ON", "PART_OF")


def vocab_size(n: int) -> int:
    """Distinct concepts of an ``n``-paper corpus."""
    return max(50, int(40 * n ** 0.7))


def _word(r: int, salt: int) -> str:
    x, out = r * 7 + salt + len(_SYL), []  # two syllables at least
    while True:
        out.append(_SYL[x % len(_SYL)])
        x //= len(_SYL)
        if not x:
            break
    return "".join(out)


def concept_name(r: int) -> str:
    """The name of the concept of Zipf rank ``r`` (unique per rank: its syllables encode ``r``)."""
    t = _TYPES[r % 5]
    base = " ".join(w.capitalize() for w in (_word(r, 3), _word(r // 5 % 97, 1)))
    if t == "Model" and (r // 5) % 3 == 1:
        return concept_name(r - 5) + f"-{7 * (1 + r % 4)}B"  # a sized variant of another model
    return base


def concept_type(r: int) -> str:
    return _TYPES[r % 5]


class Corpus:
    """The synthetic corpus of ``n`` papers for ``seed``."""

    def __init__(self, n: int, seed: int = 0):
        self.n, self.seed = n, seed
        v = vocab_size(n)
        w = 1.0 / np.arange(1, v + 1) ** ZIPF_S
        self.cdf = np.cumsum(w / w.sum())

    def papers(self, lo: int, hi: int):
        """(Paper, PaperExtraction) of papers ``lo <= i < hi``."""
        for block in range(lo // BLOCK, -(-hi // BLOCK)):
            rng = np.random.default_rng([self.seed, block])
            for i in range(block * BLOCK, min((block + 1) * BLOCK, self.n)):
                pair = self._paper(i, rng)
                if lo <= i < hi:
                    yield pair

    def _paper(self, i: int, rng: np.random.Generator):
        k = int(rng.integers(4, 15))
        ranks = list(dict.fromkeys(np.searchsorted(self.cdf, rng.random(k)).tolist()))
        roles = rng.choice(len(_ROLES), size=len(ranks), p=_ROLE_P).tolist()
        sentences, concepts, pos = [], [], 0
        for r, role in zip(ranks, roles):
            name = concept_name(r)
            u = rng.random()
            surface = name.lower() if u < 0.15 else name.replace(" ", "-") if u < 0.25 else name
            lead = ("We propose ", "We use ", "We compare with ", "This relates to ")[role]
            sent = f"{lead}{surface} in our study."
            start = pos + len(lead)
            sentences.append(sent)
            conf = round(float(rng.uniform(0.3, 0.99)), 4)
            t = concept_type(r) if rng.random() > 0.1 else _TYPES[int(rng.integers(5))]
            scores = {}
            if rng.random() < 0.3:
                other = _TYPES[int(rng.integers(5))]
                scores = {t: round(conf * 0.8, 4)}
                scores[other] = round(scores.get(other, 0) + conf * 0.2, 4)
            aliases = [name.lower()] if rng.random() < 0.1 and surface != name.lower() else []
            concepts.append(ExtractedConcept(
                name=surface, type=t, role=_ROLES[role], aliases=aliases,
                mentions=[Mention("abstract", start, start + len(surface), surface)], confidence=conf,
                rules=["synthetic", f"cue:{_ROLES[role]}"] if rng.random() < 0.5 else ["synthetic"],
                type_scores=scores, evidence=sent))
            pos += len(sent) + 1
        abstract = " ".join(sentences)
        rels = []
        if len(concepts) > 1 and rng.random() < 0.33:
            for _ in range(int(rng.integers(1, 3))):
                a, b = rng.choice(len(concepts), size=2, replace=False).tolist()
                target = concepts[b].name if rng.random() > 0.1 else concept_name(int(rng.integers(50)))
                rels.append(Relation(concepts[a].name, target, _RELS[int(rng.integers(4))],
                                     concepts[a].evidence, round(float(rng.uniform(0.4, 0.9)), 4), "synthetic"))
        results = []
        if rng.random() < 0.4:
            by_type = {}
            for c, r in zip(concepts, ranks):
                by_type.setdefault(concept_type(r), c.name)
            for _ in range(int(rng.integers(1, 3))):
                v = round(float(rng.uniform(10, 99)), 2)
                ev = f"It reaches {v}% there."
                results.append(Result(v, "%", "absolute", "up", f"{v}%", ev, metric=by_type.get("Metric"),
                                      benchmark=by_type.get("Benchmark"), subject=by_type.get("Model"),
                                      field="abstract", start=0, end=len(ev)))
        pid = f"syn-{i:08d}"
        paper = Paper(pid, f"{concepts[0].name} for {concepts[-1].name}", abstract,
                      date=f"{2020 + i % 7}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                      authors=[f"{_word(i + j, 5).capitalize()} {_word(i // 3 + j, 2).capitalize()}"
                               for j in range(1 + i % 4)],
                      url=f"https://example.org/syn/{i}", categories=["cs.CL"] if i % 3 else ["cs.CL", "cs.LG"],
                      sources=[f"synthetic:{i + 1}"])
        return paper, PaperExtraction(pid, concepts, rels, results)


def write_records(n: int, path: str, seed: int = 0) -> int:
    """Write ``n`` extraction records (see :mod:`papergraph.columnar.writer`) to ``path``."""
    from papergraph.columnar import record

    with open(path, "w", encoding="utf-8") as fh:
        for paper, ex in Corpus(n, seed).papers(0, n):
            fh.write(json.dumps(record(paper, ex), ensure_ascii=False) + "\n")
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("papers", type=int)
    ap.add_argument("output")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    print(f"{write_records(a.papers, a.output, a.seed)} records -> {a.output}")


if __name__ == "__main__":
    main()
