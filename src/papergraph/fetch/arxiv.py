"""The arXiv API (Atom 1.0 + OpenSearch), paged with ``start``/``max_results``.

Documented at https://info.arxiv.org/help/api/user-manual.html: ``search_query`` with field
prefixes (``cat:cs.CL``) and ``submittedDate:[YYYYMMDDHHMM TO YYYYMMDDHHMM]``, results sorted by
``submittedDate``, ``opensearch:totalResults`` for the size of the result set, errors returned as
a feed whose one entry has an ``.../api/errors#...`` id. The API sometimes answers a page inside
the result set with no entries; such a page is retried like a failed request.
"""

from __future__ import annotations

from typing import Iterator


from .http import BadResponse, Client, parse_xml
from .types import Page, Request, paper_record

__all__ = ["DEFAULT_URL", "search_query", "pages", "parse_feed"]

DEFAULT_URL = "https://export.arxiv.org/api/query"
_NS = {"a": "http://www.w3.org/2005/Atom", "os": "http://a9.com/-/spec/opensearch/1.1/",
       "arxiv": "http://arxiv.org/schemas/atom"}


def search_query(req: Request) -> str:
    """The ``search_query`` of a request: categories OR'ed, the free query and the date range AND'ed."""
    parts = []
    if req.categories:
        cats = " OR ".join(f"cat:{c}" for c in req.categories)
        parts.append(f"({cats})" if len(req.categories) > 1 else cats)
    if req.query:
        parts.append(f"({req.query})")
    if req.date_from or req.date_until:
        lo = (req.date_from or "1991-01-01").replace("-", "") + "0000"
        hi = (req.date_until or "2999-12-31").replace("-", "") + "2359"
        parts.append(f"submittedDate:[{lo} TO {hi}]")
    return " AND ".join(parts) or "all:*"


def pages(client: Client, req: Request, cursor: dict | None) -> Iterator[Page]:
    """Pages of the query from ``cursor`` (``{"start": n}``) on; the last page's cursor is None."""
    start = (cursor or {}).get("start", 0)
    query = search_query(req)
    while True:
        size = req.page_size if req.limit is None else min(req.page_size, req.limit - start)
        if size <= 0:
            return
        params = {"search_query": query, "start": start, "max_results": size,
                  "sortBy": "submittedDate", "sortOrder": "ascending"}

        def parse(body: bytes, start=start) -> tuple[list[dict], int]:
            records, total = parse_feed(body)
            if not records and start < total:
                raise BadResponse(f"an empty page at start={start} of {total} results")
            return records, total

        records, total = client.get(req.base_url or DEFAULT_URL, params, parse)
        start += len(records)
        done = not records or start >= total or (req.limit is not None and start >= req.limit)
        yield Page(records, None if done else {"start": start}, total)
        if done:
            return


def parse_feed(body: bytes) -> tuple[list[dict], int]:
    """The records of one Atom page and the ``opensearch:totalResults`` of the query.

    Raises:
        BadResponse: not XML, not an Atom feed, or an arXiv error feed.
    """
    root = parse_xml(body)
    if root.tag != f"{{{_NS['a']}}}feed":
        raise BadResponse(f"not an Atom feed (root element {root.tag!r})")
    entries = root.findall("a:entry", _NS)
    if len(entries) == 1 and "/api/errors" in (entries[0].findtext("a:id", "", _NS)):
        from ..errors import FetchError

        raise FetchError(f"arXiv API error: {' '.join(entries[0].findtext('a:summary', '', _NS).split())}")
    total_text = root.findtext("os:totalResults", None, _NS)
    try:
        total = int(total_text) if total_text is not None else len(entries)
    except ValueError:
        raise BadResponse(f"opensearch:totalResults is not a number: {total_text!r}") from None
    return [_entry(e) for e in entries], total


def _entry(e) -> dict:
    """One ``<entry>`` as a paper record."""
    url = next((ln.get("href") for ln in e.findall("a:link", _NS)
                if ln.get("rel", "alternate") == "alternate" and ln.get("href")), None)
    return paper_record(
        id=e.findtext("a:id", "", _NS),
        title=e.findtext("a:title", "", _NS),
        abstract=e.findtext("a:summary", "", _NS),
        date=(e.findtext("a:published", "", _NS) or e.findtext("a:updated", "", _NS))[:10],
        authors=[a.findtext("a:name", "", _NS) for a in e.findall("a:author", _NS)],
        url=url,
        categories=[c.get("term") for c in e.findall("a:category", _NS) if c.get("term")],
        source="arxiv",
    )
