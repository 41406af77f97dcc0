"""Reading inputs: expand paths, detect formats, validate records, merge duplicates."""

from __future__ import annotations

import logging
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Iterator, Sequence

from ..errors import ConfigError, InputError
from ..model import Paper, fold_title, title_id
from .atom import parse_atom
from .csvfmt import parse_csv
from .daily import parse_daily
from .detect import EXTENSIONS, detect_format, unknown_format_message
from .jsonfmt import parse_json_document, parse_jsonl
from .records import BadRecord, make_paper
from .source import HEAD_BYTES, Bad, Raw, decode_head, iter_lines, rewind

log = logging.getLogger(__name__)

#: The name stdin gets in sources and messages.
STDIN = "<stdin>"


@dataclass
class Skipped:
    """A bad input skipped with ``skip_bad=True``: where (``"file:line"``, or the file) and why."""

    source: str
    reason: str


@dataclass
class IngestReport:
    """What :func:`read_inputs` read."""

    papers: list[Paper]  # deduplicated, in first-seen order
    records_read: int  # records found in the inputs (incl. duplicates, excl. skipped)
    duplicates: int  # records merged into an earlier paper
    skipped: list[Skipped] = field(default_factory=list)  # bad records skipped (skip_bad=True)
    files: list[str] = field(default_factory=list)  # files read


def read_inputs(
    paths: Sequence[str | os.PathLike], *, skip_bad: bool = False, max_record_bytes: int = 1_000_000
) -> IngestReport:
    """Read papers from files, directories or stdin, and merge duplicates.

    Args:
        paths: files, directories (every supported file inside, recursively, sorted, hidden
            ones skipped) or ``"-"`` for stdin.
        skip_bad: skip bad records (and missing, empty or unreadable files), listing them in
            ``IngestReport.skipped``, instead of raising.
        max_record_bytes: the longest line (or JSON/XML record) accepted.

    Returns:
        The papers, first-seen order; a duplicate (same id, or same ``fold_title``) is merged
        into the first: its sources are appended, blank fields filled, and an input id
        replaces a title-derived one.

    Raises:
        InputError: the first bad input (``"file:line: reason"``), unless ``skip_bad``.
    """
    skipped: list[Skipped] = []
    files: list[str] = []
    papers: list[Paper] = []
    by_id: dict[str, Paper] = {}
    by_title: dict[str, Paper] = {}
    read = duplicates = 0
    records = iter_records(
        paths, skip_bad=skip_bad, max_record_bytes=max_record_bytes, skipped=skipped, files=files
    )
    for paper in records:
        read += 1
        folded = fold_title(paper.title)
        first = by_id.get(paper.id) or (by_title.get(folded) if folded else None)
        if first is None:
            papers.append(paper)
            first = paper
        else:
            duplicates += 1
            _merge(first, paper)
        by_id.setdefault(paper.id, first)
        by_id.setdefault(first.id, first)
        if folded:
            by_title.setdefault(folded, first)
    return IngestReport(papers, read, duplicates, skipped, files)


def iter_records(
    paths: Sequence[str | os.PathLike],
    *,
    skip_bad: bool = False,
    max_record_bytes: int = 1_000_000,
    skipped: list[Skipped] | None = None,
    files: list[str] | None = None,
) -> Iterator[Paper]:
    """Stream the records of the inputs as Papers, one per record, before duplicate merging.

    Args:
        paths: as for :func:`read_inputs`.
        skip_bad: skip bad inputs instead of raising ``InputError``.
        max_record_bytes: as for :func:`read_inputs`.
        skipped: if given, skipped inputs are appended to it (else logged as warnings).
        files: if given, every file read is appended to it.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if max_record_bytes < 1:
        raise ConfigError(f"max_record_bytes must be positive, got {max_record_bytes}")

    def bad(where: str, line: int | None, reason: str) -> None:
        if not skip_bad:
            raise InputError(reason, where, line)
        item = Skipped(f"{where}:{line}" if line else where, reason)
        if skipped is None:
            log.warning("skipped %s: %s", item.source, item.reason)
        else:
            skipped.append(item)

    for arg in paths:
        for target in _expand(os.fspath(arg), bad):
            if files is not None:
                files.append(STDIN if target == "-" else target)
            yield from _read_one(target, bad, max_record_bytes)


def _expand(arg: str, bad: Callable) -> Iterator[str]:
    """The files an argument names: itself, the supported files of a directory, or ``"-"``."""
    if arg == "-" or os.path.isfile(arg):
        yield arg
    elif os.path.isdir(arg):
        found = False
        for root, dirs, names in os.walk(arg):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if not name.startswith(".") and Path(name).suffix.lower() in EXTENSIONS:
                    found = True
                    yield os.path.join(root, name)
        if not found:
            bad(arg, None, f"no supported files in directory (looked for {', '.join(sorted(EXTENSIONS))})")
    elif os.path.exists(arg):
        bad(arg, None, "not a regular file")
    else:
        bad(arg, None, "no such file or directory")


def _read_one(target: str, bad: Callable, max_record_bytes: int) -> Iterator[Paper]:
    """The Papers of one file (or stdin), reporting its bad records through ``bad``."""
    name = STDIN if target == "-" else target
    try:
        stream = sys.stdin.buffer if target == "-" else open(target, "rb")
    except OSError as exc:
        bad(name, None, f"cannot read the file: {exc.strerror or exc}")
        return
    try:
        yield from _read_stream(stream, name, None if target == "-" else target, bad, max_record_bytes)
    except OSError as exc:
        bad(name, None, f"cannot read the file: {exc.strerror or exc}")
    finally:
        if target != "-":
            stream.close()


def _read_stream(
    stream: BinaryIO, name: str, filename: str | None, bad: Callable, limit: int
) -> Iterator[Paper]:
    """Detect the format of an open input and yield its Papers."""
    head = stream.read(HEAD_BYTES)
    if len(head) < HEAD_BYTES and not decode_head(head).strip("\ufeff \t\r\n"):
        bad(name, None, "empty file (no records)")
        return
    fmt = detect_format(filename, head)
    if fmt is None:
        bad(name, None, unknown_format_message(filename))
        return
    found = 0
    for item in _parse(fmt, rewind(stream, head), limit):
        found += 1
        if isinstance(item, Bad):
            bad(name, item.line, item.reason)
            continue
        try:
            yield make_paper(item.fields, f"{name}:{item.line}")
        except BadRecord as exc:
            bad(name, item.line, str(exc))
    if not found:
        bad(name, None, f"no records found (read as {_FORMAT_NAMES[fmt]})")


_FORMAT_NAMES = {
    "daily": "a daily-papers listing",
    "jsonl": "JSON Lines",
    "json": "JSON",
    "csv": "CSV",
    "tsv": "TSV",
    "atom": "arXiv Atom XML",
}


def _parse(fmt: str, stream: BinaryIO, limit: int) -> Iterator[Raw | Bad]:
    """Dispatch to the reader of a format."""
    if fmt == "atom":
        return parse_atom(stream, max_record_bytes=limit)
    if fmt == "json":
        return parse_json_document(stream, max_record_bytes=limit)
    lines = iter_lines(stream, max_record_bytes=limit)
    if fmt == "jsonl":
        return parse_jsonl(lines)
    if fmt in ("csv", "tsv"):
        return parse_csv(lines, delimiter="\t" if fmt == "tsv" else ",")
    return parse_daily(lines, max_record_bytes=limit)


def _merge(first: Paper, dup: Paper) -> None:
    """Fold a duplicate record into the first Paper read for it."""
    first.sources.extend(s for s in dup.sources if s not in first.sources)
    if first.id == title_id(first.title) and dup.id != title_id(dup.title):
        first.id = dup.id  # prefer the input's own id, whatever the reading order
    first.date = first.date or dup.date
    first.url = first.url or dup.url
    first.authors = first.authors or dup.authors
    first.categories = first.categories or dup.categories
