"""Validate and normalise one record's fields into a :class:`~papergraph.model.Paper`.

Every reader hands its records here, so all formats agree on what a good record is:
a non-blank string title and abstract (``abstract`` or ``summary``), optional ``id``,
``authors``, ``date``, ``url``, ``categories``, ``upvotes``, ``citations``, ``venue``. Unknown fields
are ignored.
"""

from __future__ import annotations

import hashlib
import re

from ..model import Paper, fold_title, title_id

#: Field names accepted for the abstract, in order of preference.
ABSTRACT_FIELDS = ("abstract", "summary")
#: Field names accepted for the date, in order of preference (``update_date``: arXiv snapshot).
DATE_FIELDS = ("date", "published", "update_date")

_ARXIV_PREFIX = re.compile(
    r"^(?:arxiv:|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)", re.IGNORECASE
)
_ARXIV_NEW = re.compile(r"^(\d{4}\.\d{4,5})(?:v\d+)?(?:\.pdf)?$")
_ARXIV_OLD = re.compile(r"^([a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?$")
_SPACE = re.compile(r"\s+")
# Line and paragraph separators other than \n (U+2028, U+2029, NEL, VT, FF): spaCy reads them as
# letters, so "Sparse\u2029LoRA" became one concept name. One character each: offsets stay.
_SEPARATORS = str.maketrans({c: " " for c in "\u2028\u2029\x85\x0b\x0c"})
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|,|\band\b)\s*")
_BAD_CHAR = re.compile("[\x00\ud800-\udfff]")
#: Longest id, date and word (in a title or abstract) accepted: what Neo4j indexes (ids, dates,
#: concept names made of words) must stay far below its 8 KB index key limit.
MAX_ID, MAX_DATE, MAX_WORD = 512, 64, 1000
_LONG_WORD = re.compile(r"\S{%d,}" % (MAX_WORD + 1))


class BadRecord(ValueError):
    """A record that cannot become a Paper; the message says why."""


def normalize_arxiv_id(value: str) -> str | None:
    """The bare arXiv id (no version, no URL or ``arXiv:`` prefix), or ``None`` if not one.

    >>> normalize_arxiv_id("http://arxiv.org/abs/2401.01234v2")
    '2401.01234'
    """
    bare = _ARXIV_PREFIX.sub("", value.strip())
    match = _ARXIV_NEW.match(bare) or _ARXIV_OLD.match(bare)
    return match.group(1) if match else None


def collapse(text: str) -> str:
    """Strip and collapse runs of whitespace to one space."""
    return _SPACE.sub(" ", text).strip()


def make_paper(fields: dict, source: str) -> Paper:
    """Build a Paper from one record's fields.

    Args:
        fields: the record as read (JSON object, CSV row, Atom entry, listing block).
        source: ``"file:line"`` of the record.

    Returns:
        The Paper; its id is the record's own id (arXiv ids normalised) or ``title_id(title)``.

    Raises:
        BadRecord: no title or abstract, a field of the wrong type, or unusable characters.
    """
    title = collapse(_text(fields, "title") or "")
    if not title:
        raise BadRecord("record has no title")
    abstract = ""
    for name in ABSTRACT_FIELDS:
        abstract = (_text(fields, name) or "").translate(_SEPARATORS).strip()
        if abstract:
            break
    if not abstract:
        raise BadRecord("record has no abstract (expected an 'abstract' or 'summary' field)")
    date = None
    for name in DATE_FIELDS:
        date = collapse(_text(fields, name) or "") or None
        if date:
            break
    url = collapse(_text(fields, "url") or "") or None
    if date and len(date) > MAX_DATE:
        raise BadRecord(f"field 'date' is {len(date):,} characters long (at most {MAX_DATE})")
    for name, text in (("title", title), ("abstract", abstract)):
        word = _LONG_WORD.search(text)
        if word:
            raise BadRecord(f"field '{name}' has a {len(word.group()):,}-character word at column {word.start() + 1} "
                            f"(at most {MAX_WORD:,}; binary data or an encoded blob?)")
    paper_id = _paper_id(fields.get("id"), title, abstract)
    if len(paper_id) > MAX_ID:
        raise BadRecord(f"field 'id' is {len(paper_id):,} characters long (at most {MAX_ID})")
    return Paper(
        id=paper_id,
        title=title,
        abstract=abstract,
        date=date,
        authors=_names(fields.get("authors"), "authors", _AUTHOR_SPLIT),
        url=url,
        categories=_names(fields.get("categories"), "categories", _SPACE),
        sources=[source],
        upvotes=_count(fields.get("upvotes"), "upvotes"),
        citations=_count(fields.get("citations"), "citations"),
        venue=collapse(_text(fields, "venue") or "") or None,
    )


def _text(fields: dict, name: str) -> str | None:
    """A string field, ``None`` if absent; any other type is a bad record."""
    value = fields.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRecord(f"field '{name}' must be a string, not {_kind(value)}")
    _check_chars(value, name)
    return value


def _check_chars(value: str, name: str) -> None:
    """Reject NUL and unpaired surrogates, which no output format can store."""
    bad = _BAD_CHAR.search(value)
    if bad:
        raise BadRecord(f"field '{name}' contains the invalid character U+{ord(bad.group()):04X}")


def _paper_id(value: object, title: str, abstract: str) -> str:
    """The record's own id (arXiv ids without version) or the title-derived id."""
    if value is None or value == "":
        return derived_id(title, abstract)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise BadRecord(f"field 'id' must be a string or an integer, not {_kind(value)}")
    text = str(value).strip()
    if not text:
        return derived_id(title, abstract)
    _check_chars(text, "id")
    return normalize_arxiv_id(text) or text


def derived_id(title: str, abstract: str) -> str:
    """``title_id(title)``; for a title with no letters or digits ("???", an emoji), which would
    fold to the same id as every other such title, a hash of the title and abstract instead."""
    if fold_title(title):
        return title_id(title)
    h = hashlib.sha1(f"{title}\x00{abstract}".encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"t-{h}"


def _names(value: object, name: str, separator: re.Pattern) -> list[str]:
    """A list of strings, or a string split on ``separator``; blanks dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        items = separator.split(value)
    elif isinstance(value, list) and all(isinstance(v, str) for v in value):
        items = value
    else:
        raise BadRecord(f"field '{name}' must be a string or a list of strings")
    out = []
    for item in items:
        _check_chars(item, name)
        if collapse(item):
            out.append(collapse(item))
    return out


def _count(value: object, name: str) -> int | None:
    """A whole number >= 0 (or its decimal string, as CSV gives it), ``None`` if absent."""
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 2**63:
        raise BadRecord(f"field '{name}' must be a whole number >= 0, not {value!r:.40}")
    return value


def _kind(value: object) -> str:
    """A JSON-ish name for a value's type, for messages."""
    kinds = {dict: "an object", list: "a list", bool: "a boolean", int: "a number", float: "a number"}
    return kinds.get(type(value), type(value).__name__)
