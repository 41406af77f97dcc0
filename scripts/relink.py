"""Re-run the resolution stage over a predictions file: new ``concept_id`` values in seconds.

Usage: python scripts/relink.py PRED.jsonl OUT.jsonl [--folds FOLDS.json]

PRED.jsonl is a file of `papergraph extract` or `papergraph eval --write-predictions` (one paper a
line, concepts with name, type, aliases); the extraction is kept, only ``concept_id`` is made
again by ``papergraph.resolve`` (knowledge base on), over all papers together. Resolution reads
each concept's type before the corpus vote: the best of its ``type_scores`` (written by ``eval``,
so its figures are reproduced exactly); ``extract`` output has voted types only, so there the
figures are close but not exact (rerun ``papergraph extract`` to confirm). With ``--folds``
(``shared/gold/folds.json``), also writes OUT.fold<N>.jsonl: each fold's papers resolved alone, as
the per-fold table of docs/quality.md ("Linking"). Score with ``score.py --entities``.
"""

import json
import sys

from papergraph.api import resolve_extractions
from papergraph.export.concepts import with_concept_ids
from papergraph.model import PaperExtraction


def read(path: str) -> list[dict]:
    out = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
                rec["concepts"] = [{k: v for k, v in c.items() if k != "concept_id"} for c in rec["concepts"]]
                rec["id"]
            except (ValueError, KeyError, TypeError, AttributeError) as e:
                sys.exit(f"{path}:{n}: not a prediction record ({e})")
            out.append(rec)
    return out


def _unvoted(c: dict) -> dict:
    """A concept with the type its own scores give (before the vote)."""
    out = dict(c)
    if c.get("type_scores"):
        out["type"] = max(c["type_scores"], key=c["type_scores"].get)
    return out


def relink(preds: list[dict]) -> list[dict]:
    exs = [PaperExtraction.from_dict({"paper_id": p["id"], "concepts": [_unvoted(c) for c in p["concepts"]]})
           for p in preds]
    canon = resolve_extractions(exs)
    return [with_concept_ids({**p, "concepts": [dict(c) for c in p["concepts"]]}, canon) for p in preds]


def write(path: str, recs: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in recs)


def main(argv: list[str]) -> None:
    if len(argv) not in (2, 4) or (len(argv) == 4 and argv[2] != "--folds"):
        sys.exit(__doc__.split("\n\n")[1])
    preds = read(argv[0])
    write(argv[1], relink(preds))
    if len(argv) == 4:
        with open(argv[3], encoding="utf-8") as fh:
            fold_of = json.load(fh)["fold_of"]
        stem = argv[1].removesuffix(".jsonl")
        for f in sorted(set(fold_of.values())):
            write(f"{stem}.fold{f}.jsonl", relink([p for p in preds if fold_of.get(p["id"]) == f]))


if __name__ == "__main__":
    main(sys.argv[1:])
