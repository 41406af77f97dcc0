"""Acronym definitions: "large language models (LLMs)" and "LLMs (large language models)".

The long form is found with the Schwartz & Hearst (2003) right-to-left character match
("A simple algorithm for identifying abbreviation definitions in biomedical text"),
reimplemented here: every character of the short form must appear in order in the long
form, the first one at the start of a word.
"""

from __future__ import annotations

import numpy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.tokens import Doc

from .shapes import is_acronym
from .tokens import doc_text

__all__ = ["Abbreviations", "find_long_form", "is_short_form", "find_definitions"]

_SKIP_START = {"a", "an", "the", "our", "their", "its", "this", "these", "novel", "new", "of", "and", "or",
               "by", "with", "to", "for", "in", "on", "called", "named", "dubbed", "termed", "as", "we"}


def is_short_form(text: str) -> bool:
    """True when ``text`` can be an abbreviation: 2-10 characters, starts alphanumeric, has a letter."""
    t = text.strip()
    if not 2 <= len(t) <= 10 or " " in t or not t[0].isalnum() or not any(c.isalpha() for c in t):
        return False
    return any(c.isupper() for c in t)


def find_long_form(short: str, long_text: str) -> int:
    """Start index in ``long_text`` of the long form of ``short``, or -1.

    Example:
        find_long_form("LLMs", "advances in large language models") == 12
    """
    core = short[:-1] if len(short) > 2 and short.endswith("s") and short[-2].isupper() else short
    s, pos = len(core) - 1, len(long_text) - 1
    while s >= 0:
        c = core[s].lower()
        if not c.isalnum():
            s -= 1
            continue
        while pos >= 0 and (long_text[pos].lower() != c or (s == 0 and pos > 0 and long_text[pos - 1].isalnum())):
            pos -= 1
        if pos < 0:
            return -1
        pos -= 1
        s -= 1
    start = pos + 1
    return start


def _trim_start(words: list, lo: int) -> int:
    while lo < len(words) and words[lo].lower_ in _SKIP_START:
        lo += 1
    return lo


def find_definitions(doc: Doc) -> list[tuple[int, int, int, int]]:
    """Acronym definitions in ``doc`` as token spans ``(short_start, short_end, long_start, long_end)``."""
    out = []
    opens = numpy.flatnonzero(doc.to_array(ORTH) == doc.vocab.strings["("]).tolist()  # the "(" tokens
    for tok in (doc[i] for i in opens):
        close = next((t.i for t in doc[tok.i + 1: tok.i + 14] if t.text == ")"), None)
        if close is None or close == tok.i + 1:
            continue
        inner = doc[tok.i + 1: close]
        inner_text = inner.text.split(";")[0].split(",")[0].strip()
        if is_short_form(inner_text) and len(inner_text.split()) == 1:
            pair = _long_before(doc, tok.i, inner_text)
            if pair is not None:
                out.append((tok.i + 1, tok.i + 1 + _tokens_for(inner, inner_text), *pair))
        elif tok.i > 0 and is_short_form(doc[tok.i - 1].text) and is_acronym(doc[tok.i - 1].text):
            # reversed: "LLMs (large language models)"
            start = find_long_form(doc[tok.i - 1].text, inner.text)
            if start == 0 or (start > 0 and inner.text[:start].strip().lower() in _SKIP_START):
                out.append((tok.i - 1, tok.i, tok.i + 1, close))
    return out


def _tokens_for(inner, text: str) -> int:
    n, acc = 0, ""
    for t in inner:
        acc += t.text_with_ws
        n += 1
        if acc.strip() == text:
            break
    return n


def _long_before(doc: Doc, paren: int, short: str) -> tuple[int, int] | None:
    core = short.rstrip("s") if short.endswith("s") and short[:-1].isupper() else short
    max_words = min(len(core) + 5, 2 * len(core))
    lo = paren
    sent_start = doc[paren].sent.start
    words = 0
    while lo > sent_start and words < max_words:
        lo -= 1
        if doc[lo].text in {".", ";", ":", "(", ")"}:
            lo += 1
            break
        if doc[lo].whitespace_:
            words += 1
    window = doc[lo:paren]
    if not len(window):
        return None
    start = find_long_form(short, window.text)
    if start < 0:
        return None
    span = doc.char_span(window.start_char + start, window.end_char, alignment_mode="expand")
    if span is None:
        return None
    first = _trim_start(list(doc[span.start: span.end]), 0)
    if span.start + first >= span.end:
        return None
    return span.start + first, span.end


class Abbreviations:
    """spaCy component: ``doc._.pg_abbrevs`` = list of (short_start, short_end, long_start, long_end) token offsets."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        if not Doc.has_extension("pg_abbrevs"):
            Doc.set_extension("pg_abbrevs", default=None)

    def __call__(self, doc: Doc) -> Doc:
        doc._.pg_abbrevs = find_definitions(doc) if "(" in doc_text(doc) else []
        return doc


@Language.factory("papergraph_abbreviations", default_config={})
def make_abbreviations(nlp: Language, name: str) -> Abbreviations:
    """Factory of the acronym-definition component."""
    return Abbreviations(nlp, name)
