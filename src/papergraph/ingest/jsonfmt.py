"""Readers for JSON Lines (one object per line, streamed) and JSON documents (loaded whole).

A JSON document is an array of objects, or one or more objects one after the other
(pretty-printed JSON Lines). The arXiv metadata snapshot is JSON Lines with fields
``id``, ``title``, ``abstract``, ``authors`` (a string), ``categories`` (space-separated)
and ``update_date``; ``records.make_paper`` reads those names directly.
"""

from __future__ import annotations

import json
import re
from typing import BinaryIO, Iterable, Iterator

from .source import Bad, Line, Raw, sniff_encoding, too_long

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")
_SURROGATE = re.compile("[\udc80-\udcff]")  # an undecodable byte, kept by "surrogateescape"


def parse_jsonl(lines: Iterable[Line]) -> Iterator[Raw | Bad]:
    """Yield one record per non-blank line of a JSON Lines file."""
    for line in lines:
        if line.error:
            yield Bad(line.no, line.error)
        elif line.text.strip():
            yield _record(*_loads(line.text), line.no)


def parse_json_document(stream: BinaryIO, *, max_record_bytes: int) -> Iterator[Raw | Bad]:
    """Yield the objects of a JSON array (or of a sequence of objects), each with its line.

    A record (array element) over ``max_record_bytes`` is bad; a syntax error ends the file.
    """
    data = stream.read()
    encoding, skip = sniff_encoding(data)
    body = data[skip:]
    try:
        # UTF-8: a bad byte spoils only the record it is in (see _bad_byte); UTF-16/32: the file
        text = body.decode(encoding, "surrogateescape" if encoding == "utf-8" else "strict")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        yield Bad(line, f"invalid {encoding.upper()} byte 0x{body[exc.start]:02X} (save the file as UTF-8)")
        return
    if "\x00" in text:
        yield Bad(text.count("\n", 0, text.index("\x00")) + 1, "NUL byte (binary data in a JSON file?)")
        return
    lines = _LineCounter(text)
    pos = _WS.match(text).end()
    in_array = text.startswith("[", pos)
    if in_array:
        pos = _WS.match(text, pos + 1).end()
        if text.startswith("]", pos):
            pos = _WS.match(text, pos + 1).end()
            in_array = False
    while pos < len(text):
        line = lines.at(pos)
        try:
            value, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            yield Bad(exc.lineno, f"malformed JSON: {exc.msg} (column {exc.colno})")
            return
        except (ValueError, RecursionError) as exc:
            yield Bad(line, f"malformed JSON: {_reason(exc)}")
            return
        bad_byte = _SURROGATE.search(text, pos, end)
        if bad_byte:
            byte = ord(bad_byte.group()) - 0xDC00
            yield Bad(line, f"invalid UTF-8 byte 0x{byte:02X} (save the file as UTF-8)")
        elif end - pos > max_record_bytes:
            size = len(text[pos:end].encode("utf-8", "surrogateescape"))
            yield Bad(line, too_long(size, max_record_bytes, "record"))
        else:
            yield _record(value, None, line)
        pos = _WS.match(text, end).end()
        if in_array:
            if text.startswith(",", pos):
                pos = _WS.match(text, pos + 1).end()
            elif text.startswith("]", pos):
                pos, in_array = _WS.match(text, pos + 1).end(), False
                if pos < len(text):
                    yield Bad(lines.at(pos), "unexpected data after the JSON array")
                return
            else:
                yield Bad(lines.at(pos), "malformed JSON array: expected ',' or ']' after an element")
                return
    if in_array:
        yield Bad(lines.at(len(text)), "malformed JSON array: missing ']' at the end of the file")


class _LineCounter:
    """Line numbers of increasing offsets into a text, counted incrementally."""

    def __init__(self, text: str):
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def _loads(text: str) -> tuple[object, str | None]:
    """The value of one JSON text, or ``(None, reason)`` if it does not parse."""
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return None, f"malformed JSON: {exc.msg} (column {exc.colno})"
    except (ValueError, RecursionError) as exc:
        return None, f"malformed JSON: {_reason(exc)}"


def _reason(exc: Exception) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    if "integer string conversion" in str(exc):
        return "a number has too many digits"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _record(value: object, error: str | None, line: int) -> Raw | Bad:
    """A parsed JSON value as a record: it must be an object."""
    if error:
        return Bad(line, error)
    if not isinstance(value, dict):
        kind = {list: "an array", str: "a string", type(None): "null", bool: "a boolean"}
        return Bad(line, f"expected a JSON object, got {kind.get(type(value), 'a number')}")
    return Raw(line, value)
