"""Reader for CSV and TSV files with a header row naming the columns.

Columns are matched case-insensitively: ``title``, ``abstract`` (or ``summary``), and
optionally ``id``, ``authors``, ``date``, ``url``, ``categories``; others are ignored.
Quoted fields may span lines; a record's line is the physical line where it starts.
"""

from __future__ import annotations

import csv
from typing import Iterable, Iterator

from .source import Bad, Line, Raw


def parse_csv(lines: Iterable[Line], *, delimiter: str = ",") -> Iterator[Raw | Bad]:
    """Yield one record per data row; a header without title/abstract columns ends the file.

    Args:
        lines: the file's lines (see ``source.iter_lines``).
        delimiter: ``","`` for CSV, ``"\\t"`` for TSV.
    """
    problems: dict[int, str] = {}  # unreadable lines, reported with the record spanning them

    def feed() -> Iterator[str]:
        for line in lines:
            if line.error:
                problems[line.no] = line.error
            # a dropped line stands in as its quote parity, so a quoted field it was part of still ends
            yield (line.text or '"' * (line.quotes % 2)) + "\n"

    reader = csv.reader(feed(), delimiter=delimiter)
    header: list[str] | None = None
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.clear()
            yield Bad(start, f"malformed CSV: {exc}")
            continue
        errors = [problems.pop(n) for n in range(start, reader.line_num + 1) if n in problems]
        if errors:
            yield Bad(start, errors[0])
            if header is None:
                return  # no usable header: the rest of the file cannot be read
        elif not row:
            continue  # a blank line
        elif header is None:
            header = [name.strip().casefold() for name in row]
            missing = _missing_columns(header)
            if missing:
                found = ", ".join(repr(n) for n in row)
                yield Bad(start, f"the header row has no {missing} column (found: {found})")
                return
        elif len(row) != len(header):
            fields = f"{len(row)} field" + ("s" if len(row) != 1 else "")
            yield Bad(start, f"row has {fields}, the header has {len(header)}")
        else:
            yield Raw(start, dict(zip(header, row)))


def _missing_columns(header: list[str]) -> str | None:
    """Which required column a header lacks, as a phrase for the message."""
    if "title" not in header:
        return "'title'"
    if "abstract" not in header and "summary" not in header:
        return "'abstract' (or 'summary')"
    return None
