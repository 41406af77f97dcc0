"""Extraction records -> the partitioned Parquet extraction tables (:mod:`.rows`), streaming.

An extraction record is one JSON line per paper: ``{"paper": {...}, "extraction": {...}}`` with
the fields of :class:`papergraph.model.Paper` and ``PaperExtraction.to_dict()``
(:func:`record`). ``papergraph build --big`` writes the tables straight from the extraction
stream; ``papergraph columnar`` reads record files.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import InputError
from ..model import Paper, PaperExtraction
from .keys import Keys
from .rows import TABLES, write_part

__all__ = ["record", "read_records", "write_tables", "PART_SIZE"]

#: Papers per Parquet part (a task of the graph stage reads one part of each table).
PART_SIZE = 20_000


def record(paper: Paper, ex: PaperExtraction) -> dict:
    """The extraction record of one paper."""
    return {"paper": paper.to_dict(), "extraction": ex.to_dict()}


def read_records(path: str | os.PathLike, skipped: list[str] | None = None) -> Iterator[tuple[Paper, PaperExtraction]]:
    """(Paper, PaperExtraction) of each line of a record file.

    Args:
        skipped: when given, a bad line is appended here as "file:line: reason" and skipped;
            otherwise it raises.

    Raises:
        InputError: the file cannot be read, or a line is not a record (naming file and line).
    """
    try:
        fh = open(path, encoding="utf-8")
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None
    with fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                d = json.loads(line)
                p = Paper(**d["paper"])
                if not isinstance(p.id, str) or not p.id:
                    raise ValueError("paper has no id")
                ex = PaperExtraction.from_dict(d["extraction"])
            except (ValueError, KeyError, TypeError) as e:
                msg = f"{path}:{n}: not an extraction record ({type(e).__name__}: {e})"
                if skipped is None:
                    raise InputError(msg) from None
                skipped.append(msg)
                continue
            yield p, ex


def write_tables(pairs: Iterable[tuple[Paper, PaperExtraction]], directory: str | os.PathLike, *,
                 keys: Keys | None = None, part_size: int = PART_SIZE) -> int:
    """Write ``pairs`` as the extraction tables into ``directory`` (replaced), ``part_size`` papers a
    part, holding one part at a time. Returns the number of papers."""
    d = Path(directory)
    for t in TABLES:
        shutil.rmtree(d / t, ignore_errors=True)
    keys = keys or Keys()
    batch, part, n = [], 0, 0
    for pair in pairs:
        batch.append(pair)
        if len(batch) >= part_size:
            n += write_part(batch, d, part, keys)
            batch, part = [], part + 1
    if batch or not part:
        n += write_part(batch, d, part, keys)
    return n
