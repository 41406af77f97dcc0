"""Reader for arXiv API exports (Atom XML), streamed through defusedxml's SAX parser.

``<entry>`` children used: ``id`` (``http://arxiv.org/abs/2401.01234v2`` -> ``2401.01234``),
``title``, ``summary``, ``author/name``, ``published`` (else ``updated``; date part only),
``category/@term`` and ``link[@rel="alternate"]/@href``. Title and summary whitespace is
collapsed (the API wraps lines). Entity declarations and external references are refused.
"""

from __future__ import annotations

from typing import BinaryIO, Iterator
from xml.sax import SAXException
from xml.sax.handler import ContentHandler, feature_namespaces

from defusedxml import DefusedXmlException
from defusedxml.expatreader import create_parser

from .records import collapse
from .source import Bad, Raw, too_long

ATOM_NS = "http://www.w3.org/2005/Atom"
_CHUNK = 64 * 1024
_TEXT_FIELDS = ("id", "title", "summary", "published", "updated")


class _NotAtom(Exception):
    """The document is XML but not an Atom feed."""


def parse_atom(stream: BinaryIO, *, max_record_bytes: int) -> Iterator[Raw | Bad]:
    """Yield one record per ``<entry>``; malformed XML ends the file with a bad record."""
    parser = create_parser()
    parser.setFeature(feature_namespaces, True)
    handler = _Handler(parser, max_record_bytes)
    parser.setContentHandler(handler)
    try:
        while True:
            chunk = stream.read(_CHUNK)
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
            yield from handler.drain()
            if not chunk:
                return
    except SAXException as exc:
        yield from handler.drain()
        line = exc.getLineNumber() if hasattr(exc, "getLineNumber") else parser.getLineNumber()
        yield Bad(line, f"malformed XML: {exc.getMessage()}")
    except DefusedXmlException:
        yield from handler.drain()
        yield Bad(parser.getLineNumber(), "XML entity declarations and external references are not allowed")
    except _NotAtom as exc:
        reason = f"not an arXiv Atom feed: the root element is <{exc}>, expected <feed>"
        yield Bad(parser.getLineNumber(), reason)


class _Handler(ContentHandler):
    """Collects entries as SAX events arrive; ``drain()`` hands them over."""

    def __init__(self, parser, max_record_bytes: int):
        super().__init__()
        self.parser, self.limit = parser, max_record_bytes
        self.out: list[Raw | Bad] = []
        self.depth = 0
        self.entry: dict | None = None
        self.entry_depth = self.entry_line = self.entry_size = 0
        self.field: str | None = None
        self.field_depth = 0
        self.text: list[str] = []

    def drain(self) -> list[Raw | Bad]:
        out, self.out = self.out, []
        return out

    def startElementNS(self, name, qname, attrs):
        uri, local = name
        self.depth += 1
        if self.depth == 1 and local != "feed":
            raise _NotAtom(qname or local)
        if uri not in (ATOM_NS, None):
            return
        if self.entry is not None:  # attribute values count towards the record's size, as text does
            self.entry_size += sum(len(v) for v in attrs.values())
        if self.entry is None:
            if local == "entry":
                self.entry = {"authors": [], "categories": [], "url": None}
                self.entry_depth, self.entry_size = self.depth, 0
                self.entry_line = self.parser.getLineNumber()
            return
        if self.field:
            return  # markup inside a text field: keep only its text
        child = self.depth == self.entry_depth + 1
        if child and local in _TEXT_FIELDS or local == "name" and self.depth == self.entry_depth + 2:
            self.field, self.field_depth, self.text = local, self.depth, []
        elif child and local == "category" and attrs.get((None, "term")):
            self.entry["categories"].append(attrs.get((None, "term")))
        elif child and local == "link" and attrs.get((None, "rel"), "alternate") == "alternate":
            self.entry["url"] = self.entry["url"] or attrs.get((None, "href"))

    def characters(self, content):
        if self.field:
            self.entry_size += len(content)
            if self.entry_size <= self.limit:
                self.text.append(content)

    def endElementNS(self, name, qname):
        self.depth -= 1
        if self.entry is None:
            return
        if self.field and self.depth == self.field_depth - 1:
            value = "".join(self.text)
            if self.field == "name":
                self.entry["authors"].append(value)
            else:
                self.entry.setdefault(self.field, value)
            self.field = None
        elif not self.field and self.depth == self.entry_depth - 1:
            self.out.append(self._finish(self.entry))
            self.entry = None

    def _finish(self, entry: dict) -> Raw | Bad:
        """The entry as a record (or a bad one if its text is over the size limit)."""
        if self.entry_size > self.limit:
            return Bad(self.entry_line, too_long(self.entry_size, self.limit, "record"))
        date = (entry.get("published") or entry.get("updated") or "").strip()[:10]
        fields = {
            "id": entry.get("id"),
            "title": entry.get("title"),
            "summary": collapse(entry.get("summary") or ""),
            "authors": entry["authors"],
            "date": date or None,
            "url": entry["url"],
            "categories": entry["categories"],
        }
        return Raw(self.entry_line, fields)
