"""concepts.jsonl: the extraction of each paper, one JSON line a paper (the format score.py reads)."""

from __future__ import annotations

import json
from typing import IO, Iterable

from ..model import Paper, PaperExtraction

__all__ = ["extraction_record", "write_extractions", "with_concept_ids", "add_concept_ids"]


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


def with_concept_ids(record: dict, canon) -> dict:
    """``record`` (of :func:`extraction_record`) with each concept's ``concept_id``: the id of the
    Concept node it became (``canon``: the build's ``Canonicalization``). Concepts that became no
    node (a generic word alone) are left out."""
    pid, out = record["id"], []
    for c in record["concepts"]:
        cid = canon.assignment.get((pid, c["name"]))
        if cid is not None:
            c["concept_id"] = cid
            out.append(c)
    record["concepts"] = out
    return record


def write_extractions(fh: IO[str], pairs: Iterable[tuple[Paper, PaperExtraction]], canon=None) -> int:
    """Write one JSON line per (paper, extraction) pair to an open text file; return the count.
    With ``canon`` (the resolution), concepts carry ``concept_id`` (see :func:`with_concept_ids`)."""
    n = 0
    for paper, ex in pairs:
        rec = extraction_record(paper, ex)
        if canon is not None:
            rec = with_concept_ids(rec, canon)
        fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


def add_concept_ids(src: IO[str], dst: IO[str], canon) -> int:
    """Copy concepts.jsonl lines from ``src`` to ``dst`` adding ``concept_id`` (one line at a time)."""
    n = 0
    for line in src:
        if line.strip():
            dst.write(json.dumps(with_concept_ids(json.loads(line), canon), ensure_ascii=False) + "\n")
            n += 1
    return n
