"""Print a seeded random sample of the linked results of a build, for a hand check.

Usage: python scripts/sample_results.py OUTDIR [N] [SEED]

Reads OUTDIR/concepts.jsonl (of `papergraph build`); samples N (50) of the results that carry a
metric, benchmark or model, with random.Random(SEED) (17) over the results in file order; prints
one Markdown table row per result: paper:n, value+unit, matched text, metric, benchmark, model,
the sentence, and an empty verdict column to fill in by hand.
"""

import json
import random
import sys
from pathlib import Path


def main(outdir: str, n: int = 50, seed: int = 17) -> None:
    linked = []
    with open(Path(outdir) / "concepts.jsonl", encoding="utf-8") as fh:
        for line in fh:
            paper = json.loads(line)
            for i, r in enumerate(paper.get("results", [])):
                if r.get("metric") or r.get("benchmark") or r.get("subject"):
                    linked.append((f"{paper['id']}:{i}", r))
    print(f"<!-- {len(linked)} linked results; sample of {n}, random.Random({seed}) -->")
    print("| # | result | value | text | metric | benchmark | model | sentence | verdict |")
    print("|---|---|---|---|---|---|---|---|---|")
    for k, (rid, r) in enumerate(random.Random(seed).sample(linked, min(n, len(linked))), 1):
        cells = [str(k), rid, f"{r['value']:g}{r['unit']}", r["text"], r.get("metric") or "–",
                 r.get("benchmark") or "–", r.get("subject") or "–", r["evidence"], ""]
        print("| " + " | ".join(c.replace("|", "\\|").replace("\n", " ") for c in cells) + " |")


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:4]))
