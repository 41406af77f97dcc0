"""Opening inputs: byte streams, encodings (UTF-8, BOMs), bounded line reading.

Parsers never see raw bytes: they get :class:`Line` items from :func:`iter_lines`, where a
line that cannot be used (bad UTF-8, a NUL byte, over the size limit) carries an ``error``
instead of failing the whole file.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import BinaryIO, Iterator

#: How many bytes are read up front to detect the format.
HEAD_BYTES = 64 * 1024

_BOMS = (
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
_SURROGATE = re.compile("[\udc80-\udcff]")
_DRAIN = 1 << 20


@dataclass(frozen=True)
class Line:
    """One physical line, without its terminator; ``error`` says why it is unusable."""

    no: int
    text: str
    error: str | None = None
    quotes: int = 0  # '"' characters in a dropped (too long) line, so CSV keeps its quoting state


@dataclass(frozen=True)
class Bad:
    """A bad record a parser found: its 1-based line (``None`` for the whole file) and why."""

    line: int | None
    reason: str


@dataclass(frozen=True)
class Raw:
    """A record's fields as a parser read them, before validation (see ``records.make_paper``)."""

    line: int
    fields: dict


def sniff_encoding(head: bytes) -> tuple[str, int]:
    """The encoding a byte-order mark announces (default UTF-8) and the mark's length."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding, len(bom) if encoding == "utf-8" else 0
    return "utf-8", 0


def binary_reason(head: bytes) -> str | None:
    """Why the first bytes of an input are not text at all (UTF-16 without BOM, binary), or ``None``.

    Only a file that is mostly unreadable is refused as a whole; a text file with a stray NUL or
    bad byte is read line by line, and the spoiled lines are reported one by one.
    """
    if sniff_encoding(head)[0] != "utf-8" or len(head) < 8:
        return None
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) >= 0.4 * (len(head) // 2) and min(even, odd) <= 0.05 * (len(head) // 2):
        order = "LE" if odd > even else "BE"
        return f"NUL bytes in every other position: UTF-16{order} text without a byte-order mark? save it as UTF-8"
    text = head.decode("utf-8", errors="replace")
    junk = sum(1 for c in text if c == "\ufffd" or (c < " " and c not in "\t\n\r\f"))
    if junk >= 0.3 * len(text):
        return f"binary data, not text ({junk} of the first {len(text)} characters are control or invalid bytes)"
    return None


def decode_head(head: bytes) -> str:
    """Best-effort text of the first bytes, for format detection only."""
    encoding, skip = sniff_encoding(head)
    return head[skip:].decode(encoding, errors="replace")


class _Prefixed(io.RawIOBase):
    """A raw stream that replays already-read bytes before the rest of ``stream``."""

    def __init__(self, head: bytes, stream: BinaryIO):
        self._head, self._stream = memoryview(head), stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        read = getattr(self._stream, "read1", self._stream.read)
        data = read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def rewind(stream: BinaryIO, head: bytes) -> BinaryIO:
    """``stream`` positioned at its start again, after ``head`` was read from it."""
    try:
        if stream.seekable():
            stream.seek(0)
            return stream
    except (OSError, ValueError):
        pass
    return io.BufferedReader(_Prefixed(head, stream))


def format_mb(n: int) -> str:
    """Bytes as megabytes with one decimal (1 MB = 10**6 bytes)."""
    return f"{n / 1_000_000:.1f} MB"


def too_long(size: int, limit: int, what: str = "line") -> str:
    """The message for a line (or record) over the size limit."""
    return f"{what} too long ({format_mb(size)} > {format_mb(limit)} limit)"


def text_error(text: str) -> str | None:
    """Why a decoded line cannot be used (undecodable bytes, NUL), or ``None``."""
    bad = _SURROGATE.search(text)
    if bad:
        byte = ord(bad.group()) - 0xDC00
        column = len(text[: bad.start()].encode("utf-8", "surrogateescape")) + 1
        return f"invalid UTF-8 byte 0x{byte:02X} at column {column} (save the file as UTF-8)"
    if "\x00" in text:
        hint = "UTF-16 text without a byte-order mark?" if text.count("\x00") * 3 >= len(text) else \
            "binary data in a text file?"
        return f"NUL byte at column {text.index(chr(0)) + 1} ({hint})"
    return None


def iter_lines(stream: BinaryIO, *, max_record_bytes: int) -> Iterator[Line]:
    """Yield the lines of a byte stream, decoded, never holding more than one bounded line.

    UTF-8 (with or without BOM) is decoded line by line, so a bad byte spoils only its line;
    UTF-16/32 with BOM is decoded by a text wrapper, and a decoding error ends the file.
    Lines end at ``\\n``; a trailing ``\\r`` (CRLF files) is dropped.
    """
    head = stream.read(4)
    encoding, skip = sniff_encoding(head)
    stream = rewind(stream, head)
    if encoding != "utf-8":
        yield from _iter_wide(stream, encoding, max_record_bytes)
        return
    stream.read(skip)
    no = 0
    while True:
        chunk = stream.readline(max_record_bytes + 2)
        if not chunk:
            return
        no += 1
        complete = chunk.endswith(b"\n")
        body = chunk[:-1] if complete else chunk
        if body.endswith(b"\r"):
            body = body[:-1]
        if not complete and len(chunk) == max_record_bytes + 2:
            size, quotes = _drain(stream)
            yield Line(no, "", too_long(len(chunk) + size, max_record_bytes), chunk.count(b'"') + quotes)
            continue
        if len(body) > max_record_bytes:
            yield Line(no, "", too_long(len(body), max_record_bytes), body.count(b'"'))
            continue
        text = body.decode("utf-8", "surrogateescape")
        yield Line(no, text, text_error(text))


def _drain(stream: BinaryIO) -> tuple[int, int]:
    """Skip to the end of the current line; the bytes skipped (terminator excluded) and their '"'s."""
    total = quotes = 0
    while True:
        chunk = stream.readline(_DRAIN)
        quotes += chunk.count(b'"')
        if not chunk:
            return total, quotes
        if chunk.endswith(b"\n"):
            return total + len(chunk.rstrip(b"\r\n")), quotes
        total += len(chunk)


def _iter_wide(stream: BinaryIO, encoding: str, max_record_bytes: int) -> Iterator[Line]:
    """Lines of a UTF-16/32 stream (the BOM says which byte order)."""
    text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="\n")
    try:
        yield from _wide_lines(text, encoding, max_record_bytes)
    finally:
        text.detach()  # closing the wrapper would close the caller's stream (stdin)


def _wide_lines(text: io.TextIOWrapper, encoding: str, max_record_bytes: int) -> Iterator[Line]:
    """The loop of :func:`_iter_wide`."""
    no = 0
    while True:
        no += 1
        try:
            chunk = text.readline(max_record_bytes + 2)
            if not chunk:
                return
            if not chunk.endswith("\n") and len(chunk) == max_record_bytes + 2:
                size, quotes = len(chunk), chunk.count('"')
                while chunk and not chunk.endswith("\n"):
                    chunk = text.readline(_DRAIN)
                    size += len(chunk.rstrip("\r\n"))
                    quotes += chunk.count('"')
                yield Line(no, "", too_long(size, max_record_bytes), quotes)
                continue
        except UnicodeError as exc:
            yield Line(no, "", f"invalid {encoding.upper()} text ({exc.reason}); reading stopped here")
            return
        body = chunk.rstrip("\n")
        body = body[:-1] if body.endswith("\r") else body
        if len(body) > max_record_bytes:
            yield Line(no, "", too_long(len(body), max_record_bytes), body.count('"'))
            continue
        yield Line(no, body, text_error(body))
