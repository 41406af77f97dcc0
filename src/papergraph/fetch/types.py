"""What every source takes (a :class:`Request`) and yields (:class:`Page` of paper records)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..ingest.records import collapse, normalize_arxiv_id

__all__ = ["Request", "Page", "paper_record"]


@dataclass(frozen=True)
class Request:
    """What to fetch; each source reads the fields that apply to it.

    Args:
        categories: arXiv categories (``cs.CL``); OR'ed.
        query: a free arXiv ``search_query`` expression, AND'ed with the rest.
        date_from: first day (``YYYY-MM-DD``), inclusive.
        date_until: last day, inclusive.
        oai_set: OAI-PMH set (``cs``) for ``arxiv-oai``.
        page_size: records asked for per request.
        limit: stop after this many records (None: all).
        base_url: the source's endpoint (None: the public one).
        ids_from: JSON Lines of papers to enrich (``openalex``).
    """

    categories: tuple[str, ...] = ()
    query: str | None = None
    date_from: str | None = None
    date_until: str | None = None
    oai_set: str | None = None
    page_size: int = 100
    limit: int | None = None
    base_url: str | None = None
    ids_from: str | None = None

    def key(self, source: str) -> dict:
        """What identifies this fetch in its resume state (everything but the endpoint; an input
        file by its path, size and modification time)."""
        key = {"source": source, "categories": list(self.categories), "query": self.query,
               "from": self.date_from, "until": self.date_until, "set": self.oai_set,
               "page_size": self.page_size, "limit": self.limit}
        if self.ids_from:
            try:
                st = os.stat(self.ids_from)
                key["ids_from"] = [os.path.abspath(self.ids_from), st.st_size, st.st_mtime_ns]
            except OSError:
                key["ids_from"] = [self.ids_from]
        return key


@dataclass
class Page:
    """One response's records; ``cursor`` resumes after it (None: this was the last page)."""

    records: list[dict]
    cursor: dict | None
    total: int | None = None
    skipped: list[str] = field(default_factory=list)


def paper_record(*, id: str, title: str, abstract: str, date: str | None, authors: list[str], url: str | None,
                 categories: list[str], source: str, **extra) -> dict:
    """A JSON Lines record in the fields papergraph's readers take (``ingest/records.py``).

    arXiv ids lose their URL prefix and version; text whitespace is collapsed; empty values are
    left out; ``extra`` (e.g. ``upvotes``) is kept as is.
    """
    raw_id = collapse(id or "")
    pid = normalize_arxiv_id(raw_id) or raw_id
    rec = {"id": pid, "title": collapse(title or ""), "abstract": collapse(abstract or ""),
           "date": (date or "").strip() or None, "authors": [collapse(a) for a in authors if a and a.strip()],
           "url": url or (f"https://arxiv.org/abs/{pid}" if normalize_arxiv_id(raw_id) else None),
           "categories": [c for c in categories if c], "source": source, **extra}
    return {k: v for k, v in rec.items() if v not in (None, "", [])}
