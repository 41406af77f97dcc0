"""Fetch papers from their sources into the JSON Lines papergraph reads.

Sources: ``arxiv`` (the arXiv API), ``arxiv-oai`` (arXiv's OAI-PMH, for bulk harvests),
``hf-daily`` (Hugging Face daily papers, with upvotes), and ``openalex``, which adds citation
counts and venues to papers already fetched. Each record is validated as the readers
would (``ingest/records.py``); bad ones are skipped and counted, duplicates across pages dropped.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from typing import Callable

from ..errors import FetchError
from ..ingest.records import BadRecord, make_paper
from . import arxiv, hf, oai, openalex
from .http import Client, ClientOptions
from .store import Harvest
from .types import Request

__all__ = ["SOURCES", "DEFAULT_DELAY", "Request", "ClientOptions", "FetchSummary", "fetch_to_file"]

#: Source name -> its pages(client, request, cursor) generator.
SOURCES = {"arxiv": arxiv.pages, "arxiv-oai": oai.pages, "hf-daily": hf.pages, "openalex": openalex.pages}
#: Seconds between requests by default: what arXiv asks for its API and OAI-PMH; 1 s for Hugging Face;
#: OpenAlex allows 10 requests a second.
DEFAULT_DELAY = {"arxiv": 3.0, "arxiv-oai": 3.0, "hf-daily": 1.0, "openalex": 0.2}
#: Environment variables naming another endpoint per source (a mirror, or a test server).
URL_ENV = {"arxiv": "PAPERGRAPH_ARXIV_URL", "arxiv-oai": "PAPERGRAPH_OAI_URL", "hf-daily": "PAPERGRAPH_HF_URL",
           "openalex": "PAPERGRAPH_OPENALEX_URL"}


@dataclass
class FetchSummary:
    """What a fetch wrote."""

    source: str
    output: str
    records: int = 0
    duplicates: int = 0
    skipped: list[str] = field(default_factory=list)
    pages: int = 0
    requests: int = 0
    resumed: bool = False
    seconds: float = 0.0

    def format(self) -> str:
        resumed = " (resumed)" if self.resumed else ""
        return (f"fetched {self.records} papers from {self.source} in {self.pages} pages, {self.requests} requests, "
                f"{self.seconds:.1f}s{resumed}; {self.duplicates} duplicates dropped, "
                f"{len(self.skipped)} records skipped\nwrote {self.output}")


def fetch_to_file(source: str, req: Request, output: str | os.PathLike, *, options: ClientOptions | None = None,
                  restart: bool = False, progress: Callable[[int, int | None], None] | None = None,
                  warn: Callable[[str], None] | None = None) -> FetchSummary:
    """Fetch ``req`` from ``source`` into ``output`` (JSON Lines), resuming an interrupted fetch.

    Args:
        source: one of :data:`SOURCES`.
        req: what to fetch; ``req.base_url`` else the source's environment variable else the public endpoint.
        output: the file to write; replaced only when the fetch is complete.
        options: politeness, retries and contact (default: the source's delay).
        restart: ignore the state of an interrupted fetch and start again.
        progress: called after each page with (papers so far, total if the source says).
        warn: called with a message per skipped record.

    Returns:
        What was fetched.

    Raises:
        FetchError: the source failed (the part file and resume state are kept: run again to resume).
        OutputError: the output could not be written.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {', '.join(SOURCES)}")
    if req.base_url is None and os.environ.get(URL_ENV[source]):
        req = Request(**{**req.__dict__, "base_url": os.environ[URL_ENV[source]]})
    options = options or ClientOptions(delay=DEFAULT_DELAY[source])
    harvest = Harvest(output, req.key(source))
    harvest.open(restart=restart)
    summary = FetchSummary(source, str(output), records=harvest.count, resumed=harvest.resumed)
    t0 = time.perf_counter()
    if harvest.resumed and harvest.cursor is None:  # the last page was saved; only the rename was missing
        harvest.finish()
        return summary
    with Client(options) as client:
        try:
            for page in SOURCES[source](client, req, harvest.cursor):
                good = []
                for n, rec in enumerate(page.records, 1):
                    try:
                        make_paper(rec, f"{source}:{summary.pages + 1}:{n}")
                        good.append(rec)
                    except BadRecord as e:
                        msg = f"{source} page {summary.pages + 1} record {n} ({rec.get('id', '?')}): {e}; skipped"
                        summary.skipped.append(msg)
                        if warn:
                            warn(msg)
                added, dups = harvest.add(good, page.cursor)
                summary.pages += 1
                summary.duplicates += dups
                summary.records = harvest.count
                if progress:
                    progress(harvest.count, page.total)
        except FetchError as e:
            raise FetchError(f"{e} ({harvest.count} papers so far kept in {harvest.part}; {output} unchanged; "
                             "run the same fetch again to resume)") from None
        finally:
            summary.requests = client.requests
            summary.seconds = time.perf_counter() - t0
    harvest.finish()
    return summary
