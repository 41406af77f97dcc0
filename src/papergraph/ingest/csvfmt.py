"""Reader for CSV and TSV files with a header row naming the columns.

Columns are matched case-insensitively: ``title``, ``abstract`` (or ``summary``), and
optionally ``id``, ``authors``, ``date``, ``url``, ``categories``; others are ignored.
Quoted fields may span lines; a record's line is the physical line where it starts.

Quoting is read strictly: a quote left open mid-file runs into a later quote that is not followed
by a delimiter, which is an error; the record is reported at its first line and reading resumes
at the line after it, so the rows the open quote swallowed are read (or reported) one by one.
"""

from __future__ import annotations

import csv
from collections import deque
from typing import Iterable, Iterator

from .source import Bad, Line, Raw, format_mb


class _TooLong(Exception):
    """A record grew past the size limit (an unclosed quote, usually)."""


class _Feed:
    """The lines of a file for ``csv.reader``, keeping (a bounded number of) the current record's
    lines so that they can be read again after a quoting error."""

    def __init__(self, lines: Iterable[Line], limit: int):
        self._lines, self._limit = iter(lines), limit
        self._pending: deque[Line] = deque()
        self.taken: list[Line] = []
        self._size = 0

    def __iter__(self):
        return self

    def __next__(self) -> str:
        if self._size > self._limit:
            raise _TooLong
        line = self._pending.popleft() if self._pending else next(self._lines)
        self.taken.append(line)
        self._size += len(line.text) + 1
        # a dropped line stands in as its quote parity, so a quoted field it was part of still ends
        return (line.text or '"' * (line.quotes % 2)) + "\n"

    def start(self) -> None:
        """A new record begins."""
        self.taken, self._size = [], 0

    def resync(self) -> None:
        """Read the lines after the current record's first line again."""
        self._pending.extendleft(reversed(self.taken[1:]))
        self.taken = self.taken[:1]


def parse_csv(lines: Iterable[Line], *, delimiter: str = ",",
              max_record_bytes: int = 1_000_000) -> Iterator[Raw | Bad]:
    """Yield one record per data row; a header without title/abstract columns ends the file.

    Args:
        lines: the file's lines (see ``source.iter_lines``).
        delimiter: ``","`` for CSV, ``"\\t"`` for TSV.
        max_record_bytes: the longest record (and field) accepted, as for the other formats.
    """
    csv.field_size_limit(max(max_record_bytes, 1))
    feed = _Feed(lines, max_record_bytes)
    reader = csv.reader(feed, delimiter=delimiter, strict=True)
    header: list[str] | None = None
    while True:
        feed.start()
        try:
            row = next(reader)
        except StopIteration:
            return
        except (csv.Error, _TooLong) as exc:
            if not feed.taken:
                return
            start, end = feed.taken[0].no, feed.taken[-1].no
            yield Bad(start, _quote_problem(exc, start, end, max_record_bytes))
            if header is None:
                return
            if "unexpected end of data" not in str(exc):
                feed.resync()
            continue
        start = feed.taken[0].no
        errors = [line.error for line in feed.taken if line.error]
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


def _quote_problem(exc: Exception, start: int, end: int, limit: int) -> str:
    """The message for a record csv could not read."""
    if isinstance(exc, _TooLong) or "field limit" in str(exc):
        return (f"record too long (over {format_mb(limit)} from line {start} to {end}; "
                "an unclosed quote?)")
    if "unexpected end of data" in str(exc):
        return (f"malformed CSV: a quote opened at line {start} is never closed; lines {start}-{end} "
                "(to the end of the file) were not read")
    if end > start:
        return f"malformed CSV: {exc} at line {end} (a quote opened at line {start} left open?)"
    return f"malformed CSV: {exc}"


def _missing_columns(header: list[str]) -> str | None:
    """Which required column a header lacks, as a phrase for the message."""
    if "title" not in header:
        return "'title'"
    if "abstract" not in header and "summary" not in header:
        return "'abstract' (or 'summary')"
    return None
