"""A local HTTP server (127.0.0.1, a free port) answering in the documented formats of the sources.

``/arxiv`` is the arXiv API (Atom + OpenSearch, ``search_query`` with ``cat:`` and
``submittedDate:[.. TO ..]``, ``start``/``max_results``), ``/oai`` arXiv's OAI-PMH ``ListRecords``
(``arXiv`` metadata, resumption tokens, ``from``/``until``/``set``, ``noRecordsMatch``), ``/hf``
the Hugging Face daily papers API (``?date=``). Papers are invented (``live_fixtures.PAPERS``).
``faults[path]`` is a list of what the next requests to that path get instead of the answer:
``"503"``, ``"429"`` (Retry-After 1), ``"500"``, ``"truncate"``, ``"malformed"``, ``"empty"``
(an Atom page with no entries), ``"slow"`` (an answer later than the client's timeout).
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape

ATOM = "http://www.w3.org/2005/Atom"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"


class ReplayServer:
    """The server, its papers, its scripted faults and the requests it answered."""

    def __init__(self, papers: list[dict], *, oai_page: int = 2, slow_seconds: float = 2.0):
        self.papers, self.oai_page, self.slow_seconds = papers, oai_page, slow_seconds
        self.faults: dict[str, list[str]] = {"/arxiv": [], "/oai": [], "/hf": [], "/openalex": []}
        self.requests: list[tuple[str, dict]] = []
        self.agents: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> "ReplayServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

    # --- the three formats ---

    def arxiv(self, q: dict) -> tuple[int, str, bytes]:
        query = q.get("search_query", "")
        cats = re.findall(r"cat:([\w.-]+)", query)
        dates = re.search(r"submittedDate:\[(\d{8})\d* TO (\d{8})\d*\]", query)
        hits = [p for p in self.papers if p["listed"][0] == p["date"]  # arXiv lists a paper once
                and (not cats or set(cats) & set(p["categories"]))
                and (not dates or dates[1] <= p["date"].replace("-", "") <= dates[2])]
        hits.sort(key=lambda p: (p["date"], p["id"]))
        start, size = int(q.get("start", 0)), int(q.get("max_results", 10))
        return 200, "application/atom+xml", _feed(hits[start:start + size], len(hits), start, size)

    def oai(self, q: dict) -> tuple[int, str, bytes]:
        if "resumptionToken" in q:
            m = re.fullmatch(r"(\d+)\|(.*)\|(.*)\|(.*)", q["resumptionToken"])
            if not m:
                return 200, "text/xml", _oai_error("badResumptionToken", "The value of the resumptionToken is invalid")
            offset, frm, until, oset = int(m[1]), m[2], m[3], m[4]
        else:
            offset, frm, until, oset = 0, q.get("from", ""), q.get("until", ""), q.get("set", "")
        hits = [p for p in self.papers if p["listed"][0] == p["date"]
                and (not frm or p["date"] >= frm) and (not until or p["date"] <= until)
                and (not oset or any(c.split(".")[0] == oset for c in p["categories"]))]
        hits.sort(key=lambda p: (p["date"], p["id"]))
        if not hits:
            return 200, "text/xml", _oai_error("noRecordsMatch", "No records match")
        # each later page repeats the previous page's last record, as harvests across updates do
        page = hits[max(0, offset - 1) if offset else 0:offset + self.oai_page]
        nxt = offset + self.oai_page
        token = f"{nxt}|{frm}|{until}|{oset}" if nxt < len(hits) else ""
        return 200, "text/xml", _oai_page(page, token, len(hits), offset)

    def hf(self, q: dict) -> tuple[int, str, bytes]:
        day = q.get("date", "")
        items = [{"paper": {"id": p["id"], "title": p["title"], "summary": p["abstract"],
                            "authors": [{"name": a, "hidden": False} for a in p["authors"]],
                            "publishedAt": p["date"] + "T17:59:00.000Z", "upvotes": p["upvotes"]},
                  "publishedAt": day + "T09:00:00.000Z", "title": p["title"], "numComments": 0}
                 for p in self.papers if day in p["listed"]]
        return 200, "application/json", json.dumps(items).encode()


    def openalex(self, q: dict) -> tuple[int, str, bytes]:
        """OpenAlex ``/works?filter=doi:A|B``: papers with more than one upvote are known, cited twice
        their upvotes; those with 20 or more also appeared in a journal."""
        wanted = set(q.get("filter", "").removeprefix("doi:").lower().split("|"))
        works = []
        for p in self.papers:
            doi = f"10.48550/arxiv.{p['id']}"
            if doi not in wanted or p["upvotes"] <= 1:
                continue
            arxiv_loc = {"source": {"display_name": "arXiv (Cornell University)", "type": "repository"}}
            locs = [arxiv_loc] + ([{"source": {"display_name": "Journal of  Invented Results", "type": "journal"}}]
                                  if p["upvotes"] >= 20 else [])
            works.append({"id": f"https://openalex.org/W{p['id'].replace('.', '')}", "doi": f"https://doi.org/{doi}",
                          "title": p["title"], "cited_by_count": 2 * p["upvotes"], "primary_location": arxiv_loc,
                          "locations": locs})
        return 200, "application/json", json.dumps({"meta": {"count": len(works)}, "results": works}).encode()


def _handler(server: ReplayServer):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def do_GET(self):
            url = urlparse(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            server.requests.append((url.path, q))
            server.agents.append(self.headers.get("User-Agent", ""))
            fault = server.faults.get(url.path, []).pop(0) if server.faults.get(url.path) else None
            if fault in ("503", "500"):
                return self._send(int(fault), "text/plain", b"busy", {"Retry-After": "0"})
            if fault == "429":
                return self._send(429, "text/plain", b"slow down", {"Retry-After": "1"})
            if fault == "slow":
                time.sleep(server.slow_seconds)
            if fault == "empty" and url.path == "/arxiv":
                return self._send(200, "application/atom+xml", _feed([], len(server.papers), int(q.get("start", 0)), 0))
            if fault == "empty":
                return self._send(200, "application/json", b"[]")
            handler = {"/arxiv": server.arxiv, "/oai": server.oai, "/hf": server.hf,
                       "/openalex": server.openalex}.get(url.path)
            if handler is None:
                return self._send(404, "text/plain", b"not found")
            status, ctype, body = handler(q)
            if fault == "malformed":
                body = body[: len(body) // 2].replace(b"<", b"<<", 1) + b"\x00}"
            if fault == "truncate":
                self.send_response(200)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body[: len(body) // 3])
                self.wfile.flush()
                self.close_connection = True
                return
            self._send(status, ctype, body)

        def _send(self, status: int, ctype: str, body: bytes, headers: dict | None = None):
            try:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):  # the client timed out first
                pass

    return Handler


def _feed(papers: list[dict], total: int, start: int, size: int) -> bytes:
    entries = "".join(
        f"<entry><id>http://arxiv.org/abs/{p['id']}v1</id><updated>{p['date']}T18:00:00Z</updated>"
        f"<published>{p['date']}T18:00:00Z</published><title>{escape(p['title'])}</title>"
        f"<summary>  {escape(p['abstract'])}\n</summary>"
        + "".join(f"<author><name>{escape(a)}</name></author>" for a in p["authors"])
        + f'<link href="http://arxiv.org/abs/{p["id"]}v1" rel="alternate" type="text/html"/>'
        f'<link title="pdf" href="http://arxiv.org/pdf/{p["id"]}v1" rel="related" type="application/pdf"/>'
        f'<arxiv:primary_category xmlns:arxiv="http://arxiv.org/schemas/atom" term="{p["categories"][0]}"/>'
        + "".join(f'<category term="{c}" scheme="http://arxiv.org/schemas/atom"/>' for c in p["categories"])
        + "</entry>" for p in papers)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="{ATOM}">'
            f'<title type="html">ArXiv Query</title><id>http://arxiv.org/api/replay</id>'
            f"<updated>2025-01-01T00:00:00-05:00</updated>"
            f'<opensearch:totalResults xmlns:opensearch="{OPENSEARCH}">{total}</opensearch:totalResults>'
            f'<opensearch:startIndex xmlns:opensearch="{OPENSEARCH}">{start}</opensearch:startIndex>'
            f'<opensearch:itemsPerPage xmlns:opensearch="{OPENSEARCH}">{size}</opensearch:itemsPerPage>'
            f"{entries}</feed>").encode()


_OAI_HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">'
             "<responseDate>2025-01-01T00:00:00Z</responseDate><request>http://127.0.0.1/oai</request>")


def _oai_error(code: str, text: str) -> bytes:
    return f'{_OAI_HEAD}<error code="{code}">{text}</error></OAI-PMH>'.encode()


def _oai_page(papers: list[dict], token: str, total: int, cursor: int) -> bytes:
    recs = "".join(
        f"<record><header><identifier>oai:arXiv.org:{p['id']}</identifier><datestamp>{p['date']}</datestamp>"
        f"<setSpec>{p['categories'][0].split('.')[0]}</setSpec></header><metadata>"
        f'<arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>{p["id"]}</id><created>{p["date"]}</created>'
        "<authors>" + "".join(f"<author><keyname>{escape(a.split()[-1])}</keyname>"
                              f"<forenames>{escape(' '.join(a.split()[:-1]))}</forenames></author>"
                              for a in p["authors"]) + "</authors>"
        f"<title>{escape(p['title'])}</title><categories>{' '.join(p['categories'])}</categories>"
        f"<abstract>{escape(p['abstract'])}</abstract></arXiv></metadata></record>" for p in papers)
    deleted = ('<record><header status="deleted"><identifier>oai:arXiv.org:0000.00000</identifier>'
               "<datestamp>2025-01-01</datestamp></header></record>") if cursor == 0 else ""
    tok = f'<resumptionToken cursor="{cursor}" completeListSize="{total}">{token}</resumptionToken>'
    return f"{_OAI_HEAD}<ListRecords>{deleted}{recs}{tok}</ListRecords></OAI-PMH>".encode()
