"""Extra concept candidates from the parse: noun-chunk spans the rules did not propose.

The rules of :mod:`papergraph.nlp.candidates` propose what they recognise (heads, names,
gazetteer entries); many Method, Task and Metric phrases have heads no rule knows
("locality of experience", "static analysis", "token footprint"). Every noun chunk and its
shorter suffixes that end at the chunk's root become candidates here, grouped per paper by
their folded form; the learned scorer (:mod:`papergraph.nlp.scorer`) keeps the few that are
concepts.
"""

from __future__ import annotations

import functools
import re

from spacy.tokens import Doc

from ..model import ExtractedConcept, Mention
from .concepts import choose_name
from .shapes import SEPARATORS, bad_name
from .tokens import TokenColumns

__all__ = ["chunk_spans", "chunk_concepts", "match_key"]

_SKIP_POS = {"DET", "PRON", "PUNCT", "NUM", "CCONJ", "ADP", "PART", "SYM", "SPACE", "X", "AUX", "VERB", "ADV"}
_MAX_TOKENS = 6
_BREAKS = SEPARATORS - {"'s", "’s"}
_NON_WORD = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=1 << 16)
def match_key(text: str) -> str:
    """The folded, singular form two surface forms share when they name the same concept."""
    folded = _NON_WORD.sub("", text.casefold())
    if len(folded) > 4 and folded.endswith("es") and not folded.endswith("ses"):
        return folded[:-2]
    if len(folded) > 3 and folded.endswith("s") and not folded.endswith("ss"):
        return folded[:-1]
    return folded


def chunk_spans(doc: Doc, toks: TokenColumns | None = None) -> list[tuple[int, int, bool]]:
    """Token spans ``(start, end, plural)`` of the doc's noun chunks and their suffixes.

    Leading determiners, pronouns, numbers and punctuation are dropped; a span ends at the
    chunk's root (a noun or proper noun) and holds at most six tokens. ``toks``: the doc's
    token columns, if already made.
    """
    out: list[tuple[int, int, bool]] = []
    try:  # doc.noun_chunks as (start, end, label), without making their Span objects
        chunks = (list(doc.noun_chunks_iterator(doc)) if doc.noun_chunks_iterator is not None
                  else [(c.start, c.end, c.label) for c in doc.noun_chunks])
    except ValueError:  # no parse
        return out
    if not chunks:
        return out
    toks = toks or TokenColumns.of(doc)
    pos, text, tag, punct = toks.pos, toks.text, toks.tag, toks.is_punct
    for start, end, *_ in chunks:
        end -= 1
        if pos[end] not in ("NOUN", "PROPN") or toks.root(start, end + 1) != end:
            continue
        while start < end and (pos[start] in _SKIP_POS or not text[start].strip()):
            start += 1
        plural = tag[end] in ("NNS", "NNPS")
        first = max(start, end - _MAX_TOKENS + 1)
        # a suffix from ``s`` holds a break ("Fortytwo: Swarm Inference", "X, Y": not one name)
        # when the last break before ``end`` is at or after ``s``
        last_break = next((i for i in range(end - 1, first - 1, -1) if text[i] in _BREAKS), -1)
        for s in range(max(first, last_break + 1), end + 1):
            if pos[s] in _SKIP_POS or punct[s]:
                continue
            out.append((s, end + 1, plural))
    return out


def chunk_concepts(docs: dict[str, Doc], texts: dict[str, str], known: set[str]) -> list[ExtractedConcept]:
    """The paper's chunk candidates not already among the rules' concepts, one per folded form.

    Args:
        docs: ``{"title": doc, "abstract": doc}``.
        texts: the paper's original field texts (mentions are cut from them).
        known: match keys (:func:`match_key`) of the rules' concept names and aliases.
    """
    groups: dict[str, list[tuple[str, int, int, bool]]] = {}
    for fld, doc in docs.items():
        if doc is None:
            continue
        toks = TokenColumns.of(doc)
        text = texts.get(fld, "")
        idx, words = toks.idx, toks.text
        for s, e, plural in chunk_spans(doc, toks):
            a, b = idx[s], idx[e - 1] + len(words[e - 1])
            surface = text[a:b]
            if bad_name(surface):
                continue
            k = match_key(surface)
            if not k or k in known:
                continue
            groups.setdefault(k, []).append((fld, a, b, plural))
    out = []
    for members in groups.values():
        forms = [(texts[f][a:b], plural, f) for f, a, b, plural in members]
        name = choose_name(forms)
        if len(members) == 1:  # the usual case: one mention, no alias
            f, a, b, _ = members[0]
            mentions = [Mention(f, a, b, forms[0][0])]
            aliases = [forms[0][0]] if forms[0][0] != name else []
        else:
            spans = sorted({(f, a, b) for f, a, b, _ in members}, key=lambda m: (m[0] != "title", m[1], m[2]))
            mentions = [Mention(f, a, b, texts[f][a:b]) for f, a, b in spans]
            aliases = sorted({t for t, _, _ in forms if t != name})
        out.append(ExtractedConcept(name=name, type="Method", role="used", aliases=aliases, mentions=mentions,
                                    confidence=0.0, rules=["chunk"], type_scores={}))
    return out
