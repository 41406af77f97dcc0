"""Format detection from a file's extension and its first bytes.

Content wins where it is unambiguous (``<`` is XML, ``[`` a JSON array, ``{`` JSON);
otherwise the extension decides. Without an extension (or on stdin) a CSV/TSV header
naming ``title`` is recognised, and any other text is read as a daily-papers listing.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath

from .source import decode_head

#: Extension -> format name.
EXTENSIONS = {
    ".txt": "daily",
    ".text": "daily",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonlines": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xml": "atom",
    ".atom": "atom",
}
UNKNOWN_FORMAT = (
    "expected a daily-papers listing (.txt), JSON Lines (.jsonl), a JSON array (.json), "
    "CSV (.csv), TSV (.tsv) or arXiv Atom XML (.xml)"
)


def detect_format(name: str | None, head: bytes) -> str | None:
    """The format of an input, or ``None`` if it is not one papergraph reads.

    Args:
        name: the file name (``None`` for stdin: content only).
        head: the first bytes of the input.

    Returns:
        One of ``"daily"``, ``"jsonl"``, ``"json"``, ``"csv"``, ``"tsv"``, ``"atom"``, or ``None``.
    """
    suffix = PurePath(name).suffix.lower() if name else ""
    by_extension = EXTENSIONS.get(suffix)
    text = decode_head(head).lstrip("\ufeff \t\r\n")
    first = text[:1]
    # a listing may start with a title such as "[Re] Reproducing ..." or "<think> ...": content
    # overrides a text extension (or no extension) only where it really is XML or JSON
    plain = by_extension in (None, "daily", "csv", "tsv")
    if first == "<" and (not plain or _XML_START.match(text)):
        return "atom"
    if first == "[" and (not plain or _JSON_ARRAY_START.match(text)):
        return "json"
    if first == "{" and (not plain or _JSON_OBJECT_START.match(text)):
        return "jsonl" if by_extension == "jsonl" or _first_line_is_json(text) else "json"
    if by_extension:
        return by_extension
    header = text.split("\n", 1)[0].casefold()
    if "title" in header and ("abstract" in header or "summary" in header):
        if "\t" in header:
            return "tsv"
        if "," in header:
            return "csv"
    if suffix or "\x00" in text or "\ufffd" in text[:-3]:
        return None
    return "daily"


_XML_START = re.compile(r"<(?:\?xml|!--|!DOCTYPE|(?:[\w.-]+:)?feed[\s>/])", re.IGNORECASE)
_JSON_ARRAY_START = re.compile(r"\[\s*(?:[{\]]|$)")
_JSON_OBJECT_START = re.compile(r'\{\s*(?:["}]|$)')


def unknown_format_message(name: str | None) -> str:
    """The error message for an input :func:`detect_format` rejected."""
    suffix = PurePath(name).suffix.lower() if name else ""
    what = f"extension {suffix!r}" if suffix else "content (binary data?)"
    return f"unknown format: {what}; {UNKNOWN_FORMAT}"


def _first_line_is_json(text: str) -> bool:
    """Whether the first line alone is a complete JSON value (then the file is JSON Lines)."""
    line = text.split("\n", 1)[0]
    try:
        json.loads(line)
    except (ValueError, RecursionError):
        return False
    return True
