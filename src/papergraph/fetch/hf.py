"""Hugging Face daily papers: ``GET /api/daily_papers?date=YYYY-MM-DD``, one request per day.

The response is a JSON array; each item holds a ``paper`` object with ``id`` (the arXiv id),
``title``, ``summary``, ``authors`` (objects with ``name``), ``publishedAt`` and ``upvotes``.
A paper's date is the listing day (the day it was featured), as for pasted listings; its
upvotes are kept as the ``upvotes`` property.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Iterator

from .http import BadResponse, Client
from .types import Page, Request, paper_record

__all__ = ["DEFAULT_URL", "pages", "parse_day", "days"]

DEFAULT_URL = "https://huggingface.co/api/daily_papers"


def days(req: Request) -> list[str]:
    """The listing days of a request (``date_from`` .. ``date_until``; today, UTC, when neither is given)."""
    today = dt.datetime.now(dt.timezone.utc).date().isoformat()
    first = dt.date.fromisoformat(req.date_from or req.date_until or today)
    last = dt.date.fromisoformat(req.date_until or req.date_from or today)
    return [(first + dt.timedelta(days=i)).isoformat() for i in range((last - first).days + 1)]


def pages(client: Client, req: Request, cursor: dict | None) -> Iterator[Page]:
    """One page per listing day from ``cursor`` (``{"day": ...}``) on; the last page's cursor is None."""
    todo = days(req)
    if cursor and cursor.get("day") in todo:
        todo = todo[todo.index(cursor["day"]):]
    seen = (cursor or {}).get("seen", 0)
    for i, day in enumerate(todo):
        records = client.get(req.base_url or DEFAULT_URL, {"date": day}, lambda body, day=day: parse_day(body, day))
        if req.limit is not None:
            records = records[:max(0, req.limit - seen)]
        seen += len(records)
        last = i == len(todo) - 1 or (req.limit is not None and seen >= req.limit)
        yield Page(records, None if last else {"day": todo[i + 1], "seen": seen}, None)
        if last:
            return


def parse_day(body: bytes, day: str) -> list[dict]:
    """The records of one day's JSON array.

    Raises:
        BadResponse: not JSON, or not an array of objects with a ``paper`` object.
    """
    try:
        items = json.loads(body)
    except (ValueError, RecursionError) as e:
        raise BadResponse(f"malformed JSON: {str(e).splitlines()[0][:120]}") from None
    if not isinstance(items, list):
        raise BadResponse(f"expected a JSON array of papers, got {type(items).__name__}")
    out = []
    for n, item in enumerate(items, 1):
        paper = item.get("paper") if isinstance(item, dict) else None
        if not isinstance(paper, dict):
            raise BadResponse(f"item {n} has no 'paper' object")
        authors = [a.get("name", "") for a in paper.get("authors") or [] if isinstance(a, dict)]
        upvotes = paper.get("upvotes")
        out.append(paper_record(
            id=str(paper.get("id") or ""),
            title=_str(paper.get("title") or item.get("title")),
            abstract=_str(paper.get("summary")),
            date=day,
            authors=[a for a in authors if isinstance(a, str)],
            url=None,
            categories=[],
            source="hf-daily",
            upvotes=upvotes if isinstance(upvotes, int) and not isinstance(upvotes, bool) else None,
        ))
    return out


def _str(value) -> str:
    return value if isinstance(value, str) else ""
