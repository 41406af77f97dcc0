"""A polite HTTP client for the sources: one connection, a delay between requests, retries.

Status retries (429 and 5xx, honouring ``Retry-After``) and connection/read retries come from
urllib3's :class:`~urllib3.util.Retry` mounted on a requests session; a body cut short, or one the
source's parser rejects, is retried here with the same backoff. Whatever still fails becomes one
:class:`~papergraph.errors.FetchError` naming the URL.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Callable, TypeVar

import requests
from defusedxml import ElementTree as ET
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from .. import __version__
from ..errors import FetchError

__all__ = ["ClientOptions", "Client", "BadResponse", "user_agent"]

T = TypeVar("T")
#: Statuses retried with backoff (Retry-After honoured for 429 and 503).
RETRY_STATUSES = (429, 500, 502, 503, 504)


class BadResponse(ValueError):
    """A response body a source parser cannot use (malformed XML/JSON, not the expected document)."""


def parse_xml(body: bytes):
    """The root element of an XML response body (defusedxml: no entities, no DTDs).

    Raises:
        BadResponse: malformed or refused XML.
    """
    try:
        return ET.fromstring(body)
    except ET.ParseError as e:
        raise BadResponse(f"malformed XML: {e}") from None
    except Exception as e:  # defusedxml refuses entities and DTDs
        raise BadResponse(f"refused XML: {type(e).__name__}") from None


@dataclass(frozen=True)
class ClientOptions:
    """How to talk to a source.

    Args:
        delay: seconds between the starts of two requests (arXiv asks for 3).
        retries: attempts after the first, per request, for every kind of failure.
        backoff: base of the exponential backoff in seconds (backoff * 2**n, at most 60 s).
        timeout: seconds to wait for the connection and for each read.
        contact: an e-mail or URL put into the User-Agent so operators can reach you.
    """

    delay: float = 3.0
    retries: int = 4
    backoff: float = 2.0
    timeout: float = 30.0
    contact: str | None = None


def user_agent(contact: str | None) -> str:
    """The User-Agent: papergraph, its version and the contact (from ``--contact`` or the environment)."""
    contact = contact or os.environ.get("PAPERGRAPH_CONTACT")
    return f"papergraph/{__version__} (+https://pypi.org/project/papergraph/" + (f"; {contact})" if contact else ")")


class Client:
    """GET with politeness and retries; ``get(url, params, parse)`` returns ``parse(body)``."""

    def __init__(self, options: ClientOptions, *, sleep: Callable[[float], None] = time.sleep):
        self.options, self._sleep, self._last = options, sleep, None
        retry = Retry(total=options.retries, connect=options.retries, read=options.retries,
                      status=options.retries, backoff_factor=options.backoff, backoff_max=60,
                      status_forcelist=RETRY_STATUSES, allowed_methods=frozenset({"GET"}),
                      respect_retry_after_header=True, raise_on_status=False)
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent(options.contact)
        adapter = HTTPAdapter(max_retries=retry, pool_connections=1, pool_maxsize=1)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.requests = 0

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def get(self, url: str, params: dict, parse: Callable[[bytes], T]) -> T:
        """``parse`` of the body of ``GET url?params``, retrying cut-short and unparsable bodies.

        Raises:
            FetchError: the source is unreachable, answered an HTTP error after the retries, or
                its body stayed unusable.
        """
        where = _where(url, params)
        for attempt in range(self.options.retries + 1):
            last = attempt == self.options.retries
            try:
                body = self._get(url, params, where)
                return parse(body)
            except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError) as e:
                if last:  # a body cut short or garbled: urllib3 does not retry those, this loop does
                    raise FetchError(f"{where}: cannot fetch: {_reason(e)}") from None
            except (requests.ConnectionError, requests.Timeout) as e:  # urllib3 retried these already
                raise FetchError(f"{where}: cannot fetch: {_reason(e)}") from None
            except BadResponse as e:
                if last:
                    raise FetchError(f"{where}: bad response: {e}") from None
            self._sleep(min(60.0, self.options.backoff * 2 ** attempt))
        raise AssertionError("unreachable")

    def _get(self, url: str, params: dict, where: str) -> bytes:
        """One polite GET (with urllib3's status retries); the body, or a FetchError for an HTTP error."""
        if self._last is not None:
            wait = self._last + self.options.delay - time.monotonic()
            if wait > 0:
                self._sleep(wait)
        self._last = time.monotonic()
        self.requests += 1
        try:
            resp = self.session.get(url, params=params, timeout=self.options.timeout)
            body = resp.content  # a body cut short raises ChunkedEncodingError here
        except requests.exceptions.RetryError as e:
            raise FetchError(f"{where}: gave up after {self.options.retries} retries: {_reason(e)}") from None
        except requests.exceptions.InvalidURL as e:
            raise FetchError(f"{where}: bad URL: {e}") from None
        finally:
            self._last = time.monotonic()
        retried = getattr(getattr(resp.raw, "retries", None), "history", None) or ()
        self.requests += len(retried)  # the requests urllib3 repeated (statuses, timeouts), when it tells
        if resp.status_code >= 400:
            tries = f" after {self.options.retries} retries" if resp.status_code in RETRY_STATUSES else ""
            raise FetchError(f"{where}: HTTP {resp.status_code} {resp.reason or ''}".rstrip() + tries)
        return body


def _where(url: str, params: dict) -> str:
    """The request as one short string for messages."""
    query = "&".join(f"{k}={v}" for k, v in params.items())
    text = f"{url}?{query}" if query else url
    return text if len(text) <= 200 else text[:197] + "..."


def _reason(e: Exception) -> str:
    """The innermost useful line of a requests/urllib3 error."""
    text = str(e.args[0] if e.args else e)
    for marker in ("Caused by ", "Failed to establish a new connection: "):
        if marker in text:
            text = text.rsplit(marker, 1)[1]
    return " ".join(text.split())[:200].rstrip("')")
