"""OpenAlex enrichment: citation counts and venues for papers already fetched, by arXiv id.

``GET /works?filter=doi:D1|D2|...&per-page=50`` (https://developers.openalex.org, filters OR'ed
with ``|``) with the DOIs arXiv registers for its papers (``10.48550/arXiv.<id>``). A work gives
``cited_by_count`` and, among its ``locations``, the source it appeared in; the first source that
is not arXiv itself becomes the ``venue``. Records without an arXiv id, or unknown to OpenAlex,
are written unchanged. A ``mailto`` parameter (from ``--contact``) puts requests in OpenAlex's
polite pool.
"""

from __future__ import annotations

import json
from typing import Iterator

from ..errors import InputError
from ..ingest.records import normalize_arxiv_id
from .http import BadResponse, Client
from .types import Page, Request

__all__ = ["DEFAULT_URL", "BATCH", "pages", "parse_works", "arxiv_doi"]

DEFAULT_URL = "https://api.openalex.org/works"
#: Ids per request (OpenAlex accepts up to 50 values OR'ed in one filter).
BATCH = 50


def arxiv_doi(arxiv_id: str) -> str:
    """The DOI arXiv registers for a paper (DataCite), lower-case as OpenAlex stores it."""
    return f"10.48550/arxiv.{arxiv_id}".lower()


def _records(path: str) -> list[dict]:
    """The JSON Lines records to enrich.

    Raises:
        InputError: the file cannot be read, or a line is not a JSON object.
    """
    out = []
    try:
        with open(path, encoding="utf-8") as fh:
            for no, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except ValueError as e:
                    raise InputError(f"malformed JSON: {e}", path, no) from None
                if not isinstance(rec, dict):
                    raise InputError("expected a JSON object", path, no)
                out.append(rec)
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", path) from None
    except UnicodeDecodeError as e:
        raise InputError(f"not UTF-8 text: {e.reason}", path) from None
    return out


def pages(client: Client, req: Request, cursor: dict | None) -> Iterator[Page]:
    """The records of ``req.ids_from`` enriched, ``req.page_size`` (at most :data:`BATCH`) per page, from
    ``cursor`` (``{"offset": n}``) on."""
    if not req.ids_from:
        raise InputError("openalex enriches papers already fetched: give them with --ids-from FILE.jsonl")
    records = _records(req.ids_from)
    if req.limit is not None:
        records = records[:req.limit]
    offset = (cursor or {}).get("offset", 0)
    mailto = {"mailto": client.options.contact} if client.options.contact and "@" in client.options.contact else {}
    while offset < len(records):
        batch = records[offset:offset + min(BATCH, req.page_size)]
        dois = {arxiv_doi(a): i for i, r in enumerate(batch) if (a := normalize_arxiv_id(str(r.get("id", ""))))}
        found = {}
        if dois:
            params = {"filter": "doi:" + "|".join(dois), "per-page": len(dois), **mailto}
            found = client.get(req.base_url or DEFAULT_URL, params, parse_works)
        out = []
        for i, r in enumerate(batch):
            a = normalize_arxiv_id(str(r.get("id", "")))
            extra = found.get(arxiv_doi(a), {}) if a else {}
            out.append({**r, **extra})
        offset += len(batch)
        yield Page(out, {"offset": offset} if offset < len(records) else None, len(records))
    if not records:
        yield Page([], None, 0)


def parse_works(body: bytes) -> dict[str, dict]:
    """DOI (lower-case, no ``https://doi.org/``) -> ``{"citations", "venue"}`` of one ``/works`` response.

    Raises:
        BadResponse: not JSON, or no ``results`` list.
    """
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as e:
        raise BadResponse(f"malformed JSON: {str(e).splitlines()[0][:120]}") from None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(results, list):
        raise BadResponse("expected a JSON object with a 'results' list")
    out = {}
    for work in results:
        if not isinstance(work, dict) or not isinstance(work.get("doi"), str):
            continue
        doi = work["doi"].lower().removeprefix("https://doi.org/")
        info = {}
        if isinstance(work.get("cited_by_count"), int) and not isinstance(work["cited_by_count"], bool):
            info["citations"] = work["cited_by_count"]
        venue = _venue(work)
        if venue:
            info["venue"] = venue
        out[doi] = info
    return out


def _venue(work: dict) -> str | None:
    """The first source of the work's locations that is not arXiv (its journal or proceedings)."""
    locations = [work.get("primary_location")] + list(work.get("locations") or [])
    for loc in locations:
        source = loc.get("source") if isinstance(loc, dict) else None
        name = source.get("display_name") if isinstance(source, dict) else None
        if isinstance(name, str) and name.strip() and not name.casefold().startswith("arxiv"):
            return " ".join(name.split())
    return None
