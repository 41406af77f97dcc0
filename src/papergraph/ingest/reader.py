"""Reading inputs: expand paths, detect formats, validate records, merge duplicates."""

from __future__ import annotations

import hashlib
import logging
import os
import stat
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
from .records import BadRecord, derived_id, make_paper, normalize_arxiv_id
from .source import HEAD_BYTES, Bad, Raw, binary_reason, decode_head, iter_lines, rewind

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
    renamed: list[Skipped] = field(default_factory=list)  # papers whose input id was taken: a new id


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
        The papers, first-seen order; a duplicate (same arXiv id, same title-derived id, or
        same ``fold_title``) is merged into the first: its sources are appended, blank fields
        filled, and an input id replaces a title-derived one. A record whose other (non-arXiv)
        id is already taken by a paper with another title is kept as its own paper with the id
        ``ID~HASH`` (hash of its title and abstract), listed in ``IngestReport.renamed``.

    Raises:
        InputError: the first bad input (``"file:line: reason"``), unless ``skip_bad``.
    """
    skipped: list[Skipped] = []
    files: list[str] = []
    papers: list[Paper] = []
    by_id: dict[str, Paper] = {}
    by_title: dict[str, Paper] = {}
    renamed: list[Skipped] = []
    read = duplicates = 0
    records = iter_records(
        paths, skip_bad=skip_bad, max_record_bytes=max_record_bytes, skipped=skipped, files=files
    )
    for paper in records:
        read += 1
        folded = fold_title(paper.title)
        first = by_title.get(folded) if folded else None
        taken = by_id.get(paper.id)
        if first is None and taken is not None:
            if _merges_on_id(paper):
                first = taken
            else:  # the same id for another paper (two files numbering rows 1, 2, ...): keep both
                new_id = _distinct_id(paper, by_id)
                renamed.append(Skipped(paper.sources[0], f"id {paper.id!r} is already the id of another paper "
                                                         f"({taken.sources[0]}); this one is kept as {new_id!r}"))
                paper.id = new_id
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
    return IngestReport(papers, read, duplicates, skipped, files, renamed)


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
    """The files an argument names: itself, the supported files of a directory, or ``"-"``.

    Inside a directory only regular files (or symlinks to them) are read: a FIFO, a device or a
    symlink to one is reported, never opened, and so is a subdirectory that cannot be listed.
    """
    if arg == "-" or os.path.isfile(arg):
        yield arg
    elif os.path.isdir(arg):
        found = False

        def unlistable(err: OSError) -> None:
            bad(err.filename or arg, None, f"cannot read the directory: {err.strerror or err}")

        for root, dirs, names in os.walk(arg, onerror=unlistable):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(names):
                if not name.startswith(".") and Path(name).suffix.lower() in EXTENSIONS:
                    found = True
                    path = os.path.join(root, name)
                    if os.path.isfile(path):
                        yield path
                    else:
                        bad(path, None, _not_regular(path))
        if not found:
            bad(arg, None, f"no supported files in directory (looked for {', '.join(sorted(EXTENSIONS))})")
    elif os.path.exists(arg):
        bad(arg, None, _not_regular(arg))
    else:
        bad(arg, None, "no such file or directory")


def _not_regular(path: str) -> str:
    """The message for a path that is neither a regular file nor a directory."""
    if not os.path.exists(path):
        return "broken symlink (its target does not exist)"
    mode = os.stat(path).st_mode
    kind = ("a FIFO" if stat.S_ISFIFO(mode) else "a character device" if stat.S_ISCHR(mode)
            else "a block device" if stat.S_ISBLK(mode) else "a socket" if stat.S_ISSOCK(mode) else "not a file")
    via = " (through a symlink)" if os.path.islink(path) else ""
    return f"not a regular file: {kind}{via}; papergraph reads files, directories and '-' (stdin)"


def _open(target: str):
    """Open a regular file for reading without ever blocking on a FIFO swapped in after the check."""
    fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise IsADirectoryError(0, _not_regular(target))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _read_one(target: str, bad: Callable, max_record_bytes: int) -> Iterator[Paper]:
    """The Papers of one file (or stdin), reporting its bad records through ``bad``."""
    name = STDIN if target == "-" else target
    if target == "-" and (sys.stdin is None or getattr(sys.stdin, "buffer", None) is None):
        bad(name, None, "stdin is closed")
        return
    try:
        stream = sys.stdin.buffer if target == "-" else _open(target)
    except OSError as exc:
        bad(name, None, f"cannot read the file: {exc.strerror or exc}")
        return
    try:
        yield from _read_stream(stream, name, None if target == "-" else target, bad, max_record_bytes)
    except OSError as exc:
        bad(name, None, f"cannot read the file: {exc.strerror or exc}")
    except ValueError as exc:  # reading a closed stdin
        bad(name, None, f"cannot read: {exc}")
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
    why = binary_reason(head)
    if why:
        bad(name, None, why)
        return
    fmt = detect_format(filename, head)
    if fmt is None:
        bad(name, None, unknown_format_message(filename))
        return
    found = 0
    source = os.path.realpath(filename) if filename else name  # the same however the path was typed
    for item in _parse(fmt, rewind(stream, head), limit):
        found += 1
        if isinstance(item, Bad):
            bad(name, item.line, item.reason)
            continue
        try:
            yield make_paper(item.fields, f"{source}:{item.line}")
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
        return parse_csv(lines, delimiter="\t" if fmt == "tsv" else ",", max_record_bytes=limit)
    return parse_daily(lines, max_record_bytes=limit)


def _merges_on_id(paper: Paper) -> bool:
    """Whether a paper's id names it across inputs: an arXiv id or a title-derived id."""
    return normalize_arxiv_id(paper.id) == paper.id or paper.id == derived_id(paper.title, paper.abstract)


def _distinct_id(paper: Paper, taken: dict) -> str:
    """``ID~HASH`` for a paper whose input id another paper has (``HASH`` from title and abstract)."""
    h = hashlib.sha1(f"{paper.title}\x00{paper.abstract}".encode("utf-8", "surrogatepass")).hexdigest()
    new, n = f"{paper.id}~{h[:8]}", 1
    while new in taken:
        n += 1
        new = f"{paper.id}~{h[:8]}-{n}"
    return new


def _merge(first: Paper, dup: Paper) -> None:
    """Fold a duplicate record into the first Paper read for it."""
    first.sources.extend(s for s in dup.sources if s not in first.sources)
    if first.id == title_id(first.title) and dup.id != title_id(dup.title):
        first.id = dup.id  # prefer the input's own id, whatever the reading order
    first.date = first.date or dup.date
    first.url = first.url or dup.url
    first.authors = first.authors or dup.authors
    first.categories = first.categories or dup.categories
    first.upvotes = max((v for v in (first.upvotes, dup.upvotes) if v is not None), default=None)
    first.citations = max((v for v in (first.citations, dup.citations) if v is not None), default=None)
    first.venue = first.venue or dup.venue
