"""Reader for "Daily Papers" text listings copied from a web page.

Two layouts are accepted, mixed freely: a title line directly followed by its abstract line,
or title and abstract as blocks separated by blank lines. Each abstract is one line (one
paragraph); further abstract-like lines right after an abstract are more paragraphs of it,
joined with ``"\\n"``.

Title or abstract? An abstract is long (>= 300 characters), or has several sentences, or is
a sentence of 12+ words ending with a period; a title is short and does not end with a
period. A line that is neither (short, ending with a period) is taken as what its position
needs: the abstract after a title, else a title.

Page chrome is dropped: "new", "Subscribe", "Daily Papers", "byAK and the research
community", "Get trending papers in your email inbox…" (any variant), also when glued to the
front of a title ("SubscribeRemote Auditing: …" -> "Remote Auditing: …").

Dates: a header line such as "May 20" sets the ``date`` of the papers after it. The listing
gives no year, so the date is stored as the ISO 8601 year-less form ``"--05-20"`` (sorts by
month and day); a header with a year ("May 20, 2025", "2025-05-20") gives ``"2025-05-20"``.
"""

from __future__ import annotations

import re
from typing import Iterable, Iterator

from .records import collapse
from .source import Bad, Line, Raw

_WHOLE_LINE_CHROME = {"new", "subscribe", "daily papers", "byak and the research community"}
_GLUED_CHROME = ("Subscribe", "Daily Papers", "byAK and the research community")
_INBOX = re.compile(r"Get trending papers in your email inbox(?:[^!]{0,40}!|.*$)", re.IGNORECASE)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")  # fmt: skip
_DATE = re.compile(
    r"^(?:(?P<m1>[A-Za-z]{3,9})\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?"
    r"|(?P<d2>\d{1,2})\s+(?P<m2>[A-Za-z]{3,9})\.?)(?:,?\s+(?P<y>\d{4}))?$"
)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_SENTENCE_BREAK = re.compile(r"[.!?][\"')\]]?\s+[A-Z(\"]")


def parse_daily(lines: Iterable[Line], *, max_record_bytes: int) -> Iterator[Raw | Bad]:
    """Yield the records of a daily-papers listing.

    Args:
        lines: the file's lines (see ``source.iter_lines``).
        max_record_bytes: an abstract stops taking further paragraphs at this size.

    Returns:
        An iterator of ``Raw`` records (``title``, ``abstract``, ``date``) and ``Bad`` ones:
        a title without an abstract, an abstract without a title, or an unreadable line.
        An unreadable line in a title's place takes that title's abstract with it.
    """
    date: str | None = None
    title: Line | None = None  # waiting for its abstract
    current: Raw | None = None  # complete, but more abstract paragraphs may follow
    orphaned = False  # a bad line took a title's place: its abstract belongs to that bad record
    for line in lines:
        if line.error:
            if title is None:
                if current:
                    yield current
                current, orphaned = None, True
            title = None
            yield Bad(line.no, line.error)
            continue
        text = strip_chrome(line.text.strip())
        if not text:
            continue
        header = parse_date_header(text)
        kind = "header" if header else line_kind(text)
        if title is None and kind == "abstract":
            if current and len(current.fields["abstract"]) + len(text) < max_record_bytes:
                current.fields["abstract"] += "\n" + text
            elif not orphaned:
                yield Bad(line.no, f"abstract without a title: {_clip(text)}")
            continue
        if title is not None and kind in ("abstract", "either"):
            current, title = Raw(title.no, {"title": title.text, "abstract": text, "date": date}), None
            continue
        # a new title or date header: what came before is complete
        if current:
            yield current
        if title:
            yield _no_abstract(title)
        current, title, orphaned = None, None, False
        if header:
            date = header
        else:
            title = Line(line.no, collapse(text))
    if current:
        yield current
    if title:
        yield _no_abstract(title)


def strip_chrome(text: str) -> str:
    """The line without page chrome: ``""`` if it is all chrome."""
    while text:
        if text.casefold() in _WHOLE_LINE_CHROME:
            return ""
        match = _INBOX.match(text)
        if match:
            text = text[match.end() :].lstrip()
            continue
        for chrome in _GLUED_CHROME:
            rest = text[len(chrome) :]
            if text.startswith(chrome) and not rest[:1].islower():
                text = rest.lstrip()
                break
        else:
            return text
    return text


def parse_date_header(text: str) -> str | None:
    """``"--MM-DD"`` (or ``"YYYY-MM-DD"`` with a year) for a date header line, else ``None``."""
    iso = _ISO_DATE.match(text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
    else:
        match = _DATE.match(text)
        if not match:
            return None
        name = (match["m1"] or match["m2"]).lower()
        months = [i for i, m in enumerate(_MONTHS, 1) if m.startswith(name)]
        if not months or len(name) < 3:
            return None
        month, day = months[0], int(match["d1"] or match["d2"])
        year = int(match["y"]) if match["y"] else None
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


def line_kind(text: str) -> str:
    """``"abstract"``, ``"title"`` or ``"either"`` for one line of a listing (see module doc)."""
    words = len(text.split())
    breaks = len(_SENTENCE_BREAK.findall(text))
    if len(text) >= 300 or (breaks >= 2 and words >= 20) or (text.endswith(".") and words >= 12):
        return "abstract"
    if len(text) < 300 and not text.endswith("."):
        return "title"
    return "either"


def _no_abstract(title: Line) -> Bad:
    return Bad(title.no, f"title without an abstract: {_clip(title.text)}")


def _clip(text: str, n: int = 60) -> str:
    """The start of a text, quoted, for messages."""
    return repr(text if len(text) <= n else text[: n - 1] + "…")
