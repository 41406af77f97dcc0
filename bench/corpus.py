"""A reproducible synthetic corpus for the benchmarks: recombined sentences of a real one.

Every synthetic paper takes the sentence count of a random source abstract (so lengths follow
the source distribution), an opening sentence from the source openings, a closing one from
the closings and the rest from all sentences. Its title is a made-up name, unique per index
(so readers never merge two synthetic papers as duplicates), a colon and the body of a random
source title. Paper ``i`` depends only on ``(seed, i)``: the corpus of size ``n`` is the
first ``n`` papers of any larger one, which is what the "+1 % papers" rebuild needs.

Usage:
    python bench/corpus.py --size 10000 --seed 0 -o /tmp/bench/papers-10000.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SOURCE = Path(__file__).resolve().parents[2] / "shared" / "corpus"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\"'])")
# Two-letter syllables: fixed width, so a name decodes to exactly one index.
_SYLLABLES = [c + v for c in "bdfgklmnprstvzhj" for v in "aeiou"]
_NAME_SYLLABLES = 4  # 80**4 = 40,960,000 distinct names
_SUFFIXES = ["", "", "", "-7B", "-XL", "-v2", "Net", "Former", "-Lite", "-R1", "GPT", "-Bench"]
# Multiplier coprime with 80**4 (no factor 2 or 5): a seed-dependent bijection of indexes.
_SCRAMBLE = 7919


@dataclass
class SentencePool:
    """Sentences of the source corpus, by position, and its abstract lengths (in sentences)."""

    openings: list[str]
    middles: list[str]
    closings: list[str]
    lengths: list[int]
    title_bodies: list[str]


def load_pool(source: str | Path = DEFAULT_SOURCE) -> SentencePool:
    """Read the source corpus with papergraph's readers and split its abstracts into sentences."""
    from papergraph.ingest import read_inputs

    papers = read_inputs([source], skip_bad=True).papers
    if not papers:
        raise SystemExit(f"{source}: no papers to build a benchmark corpus from")
    pool = SentencePool([], [], [], [], [])
    for p in papers:
        sents = [s.strip() for s in _SENTENCE_END.split(p.abstract) if s.strip()]
        pool.lengths.append(len(sents))
        pool.openings.append(sents[0])
        if len(sents) > 1:
            pool.closings.append(sents[-1])
        pool.middles.extend(sents[1:-1] or sents)
        pool.title_bodies.append(p.title.split(":", 1)[1].strip() if ":" in p.title else p.title)
    pool.closings = pool.closings or pool.openings
    return pool


def synthetic_name(i: int, seed: int) -> str:
    """A pronounceable made-up model name, distinct for every index below 80**4."""
    code = (i * _SCRAMBLE + seed * 104729) % len(_SYLLABLES) ** _NAME_SYLLABLES
    parts = []
    for _ in range(_NAME_SYLLABLES):
        code, r = divmod(code, len(_SYLLABLES))
        parts.append(_SYLLABLES[r])
    return "".join(parts).capitalize()


def paper(i: int, pool: SentencePool, *, seed: int) -> dict:
    """The ``i``-th synthetic paper (a JSON Lines record)."""
    rng = random.Random(f"{seed}:{i}")
    n = rng.choice(pool.lengths)
    sents = [rng.choice(pool.openings)]
    sents += [rng.choice(pool.middles) for _ in range(max(0, n - 2))]
    if n > 1:
        sents.append(rng.choice(pool.closings))
    name = synthetic_name(i, seed) + rng.choice(_SUFFIXES)
    return {
        "id": f"bench-{seed}-{i:07d}",
        "title": f"{name}: {rng.choice(pool.title_bodies)}",
        "abstract": " ".join(sents),
        "date": f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}",
    }


def write_corpus(path: str | Path, size: int, *, seed: int = 0, source: str | Path = DEFAULT_SOURCE,
                 pool: SentencePool | None = None) -> Path:
    """Write papers ``0 .. size-1`` as JSON Lines to ``path`` (atomically) and return it."""
    pool = pool or load_pool(source)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", encoding="utf-8") as fh:
        for i in range(size):
            fh.write(json.dumps(paper(i, pool, seed=seed), ensure_ascii=False) + "\n")
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, required=True, help="number of papers")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--source", default=str(DEFAULT_SOURCE), help="source corpus (files or directory)")
    ap.add_argument("-o", "--output", required=True, help="JSON Lines file to write")
    args = ap.parse_args(argv)
    write_corpus(args.output, args.size, seed=args.seed, source=args.source)
    print(f"wrote {args.size} papers to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
