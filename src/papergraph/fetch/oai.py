"""arXiv's OAI-PMH 2.0 interface: ``ListRecords`` in the ``arXiv`` metadata format.

Protocol: https://www.openarchives.org/OAI/openarchivesprotocol.html. The first request names
``metadataPrefix``, ``set``, ``from`` and ``until``; every later one only the
``resumptionToken`` of the previous response (an empty token ends the list). ``noRecordsMatch``
is an empty result, not an error; other ``<error>`` codes are errors. Deleted records (header
``status="deleted"``) are skipped. Flow control is a 503 with ``Retry-After``, which the client
honours. The ``arXiv`` format carries ``id``, ``created``, ``authors/author/{keyname,forenames}``,
``title``, ``categories`` (space-separated) and ``abstract``.
"""

from __future__ import annotations

from typing import Iterator


from ..errors import FetchError
from .http import BadResponse, Client, parse_xml
from .types import Page, Request, paper_record

__all__ = ["DEFAULT_URL", "pages", "parse_response"]

DEFAULT_URL = "https://oaipmh.arxiv.org/oai"
_OAI = "http://www.openarchives.org/OAI/2.0/"
_ARXIV = "http://arxiv.org/OAI/arXiv/"
_NS = {"o": _OAI, "x": _ARXIV}


def pages(client: Client, req: Request, cursor: dict | None) -> Iterator[Page]:
    """Pages of ``ListRecords`` from ``cursor`` (``{"token": ...}``) on; the last page's cursor is None."""
    token = (cursor or {}).get("token")
    seen = (cursor or {}).get("seen", 0)
    while True:
        if token:
            params = {"verb": "ListRecords", "resumptionToken": token}
        else:
            params = {"verb": "ListRecords", "metadataPrefix": "arXiv"}
            params.update({k: v for k, v in (("set", req.oai_set), ("from", req.date_from),
                                             ("until", req.date_until)) if v})
        records, token, total = client.get(req.base_url or DEFAULT_URL, params, parse_response)
        if req.categories:
            records = [r for r in records if _in_categories(r, req.categories)]
        seen += len(records)
        done = not token or (req.limit is not None and seen >= req.limit)
        yield Page(records, None if done else {"token": token, "seen": seen}, total)
        if done:
            return


def _in_categories(record: dict, wanted: tuple[str, ...]) -> bool:
    """Whether the record is in one of the categories (``cs`` matches ``cs.CL``)."""
    return any(c == w or c.startswith(w + ".") for c in record.get("categories", []) for w in wanted)


def parse_response(body: bytes) -> tuple[list[dict], str | None, int | None]:
    """(records, resumption token or None, completeListSize or None) of one ``ListRecords`` response.

    Raises:
        BadResponse: malformed XML or not an OAI-PMH response.
        FetchError: an OAI-PMH error other than ``noRecordsMatch`` (bad arguments, a bad token).
    """
    root = parse_xml(body)
    if root.tag != f"{{{_OAI}}}OAI-PMH":
        raise BadResponse(f"not an OAI-PMH response (root element {root.tag!r})")
    for err in root.findall("o:error", _NS):
        if err.get("code") == "noRecordsMatch":
            return [], None, 0
        expired = err.get("code") == "badResumptionToken"
        hint = " (the resumption token expired: run again with --restart)" if expired else ""
        raise FetchError(f"OAI-PMH error {err.get('code')}: {' '.join((err.text or '').split())}{hint}")
    listing = root.find("o:ListRecords", _NS)
    if listing is None:
        raise BadResponse("no <ListRecords> element")
    records = []
    for rec in listing.findall("o:record", _NS):
        header = rec.find("o:header", _NS)
        if header is not None and header.get("status") == "deleted":
            continue
        meta = rec.find("o:metadata/x:arXiv", _NS)
        if meta is not None:
            records.append(_record(meta))
    tok = listing.find("o:resumptionToken", _NS)
    token = (tok.text or "").strip() if tok is not None else ""
    size = tok.get("completeListSize") if tok is not None else None
    return records, token or None, int(size) if size and size.isdigit() else None


def _record(meta) -> dict:
    """One ``<arXiv>`` metadata element as a paper record."""
    authors = []
    for a in meta.findall("x:authors/x:author", _NS):
        name = " ".join(p for p in (a.findtext("x:forenames", "", _NS), a.findtext("x:keyname", "", _NS),
                                    a.findtext("x:suffix", "", _NS)) if p and p.strip())
        authors.append(name)
    return paper_record(
        id=meta.findtext("x:id", "", _NS),
        title=meta.findtext("x:title", "", _NS),
        abstract=meta.findtext("x:abstract", "", _NS),
        date=meta.findtext("x:created", "", _NS)[:10] or None,
        authors=authors,
        url=None,
        categories=meta.findtext("x:categories", "", _NS).split(),
        source="arxiv-oai",
    )
