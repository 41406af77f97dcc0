"""concepts.jsonl: the extraction of each paper, one JSON line a paper (the format score.py reads)."""

from __future__ import annotations

import json
from typing import IO, Iterable

from ..model import Paper, PaperExtraction

__all__ = ["extraction_record", "write_extractions"]


def extraction_record(paper: Paper, ex: PaperExtraction) -> dict:
    """The JSON object of one paper: id, title, concepts (with mentions), relations, results."""
    return {
        "id": paper.id,
        "title": paper.title,
        "concepts": [
            {
                "name": c.name,
                "type": c.type,
                "aliases": list(c.aliases),
                "role": c.role,
                "confidence": round(c.confidence, 4),
                "rules": list(c.rules),
                "mentions": [
                    {"field": m.field, "start": m.start, "end": m.end, "text": m.text} for m in c.mentions
                ],
            }
            for c in ex.concepts
        ],
        "relations": [
            {"source": r.source, "target": r.target, "type": r.type, "evidence": r.evidence,
             "confidence": r.confidence}
            for r in ex.relations
        ],
        "results": [
            {k: v for k, v in vars(r).items()} for r in ex.results
        ],
    }


def write_extractions(fh: IO[str], pairs: Iterable[tuple[Paper, PaperExtraction]]) -> int:
    """Write one JSON line per (paper, extraction) pair to an open text file; return the count."""
    n = 0
    for paper, ex in pairs:
        fh.write(json.dumps(extraction_record(paper, ex), ensure_ascii=False) + "\n")
        n += 1
    return n
