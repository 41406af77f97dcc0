"""What the learned scorer's features read of one paper, made once per paper: the texts and docs,
each doc's token columns, the words of each text, and how the candidates' spans nest.

The features of :mod:`papergraph.nlp.features` ask it for the words around and before each
mention and for each mention's tokens; the answers are those of slicing the text and of
``Doc.char_span`` (tests/test_nlp_fast_paths.py compares them).
"""

from __future__ import annotations

import bisect
import re

from spacy.tokens import Doc

from .lexicon import Lexicon
from .tokens import TokenColumns

__all__ = ["Context", "sentence_start"]

_WORD = re.compile(r"[\w][\w'’.+@^-]*")

#: Words of the sentence before a mention that say what the paper does with it.
_ROLE_WORDS = {"we", "our", "propose", "proposes", "proposed", "introduce", "introduces", "present", "presents",
               "develop", "design", "new", "novel", "outperform", "outperforms", "than", "baseline", "baselines",
               "compared", "compare", "against", "over", "existing", "prior", "previous", "such", "including",
               "like", "e.g.", "use", "using", "based", "on", "evaluate", "evaluated", "benchmark", "called",
               "named", "dubbed", "this", "paper", "recent", "popular", "traditional", "conventional", "via",
               "by", "with", "release", "surpasses", "beats", "state-of-the-art", "leverage", "leverages"}


def sentence_start(text: str, start: int) -> int:
    """Where the sentence holding offset ``start`` begins, as the role words see it: its ". " (or 0)."""
    return max(text.rfind(". ", 0, start), 0)


class Context:
    """What features of one paper need besides the candidates: texts, docs, lexicon, and for each
    candidate span whether it lies inside, or contains, another candidate's span.

    It also keeps what every candidate of the paper reads again: each doc's token columns
    (:class:`~papergraph.nlp.tokens.TokenColumns`, shared with the candidate component) and
    each field's lower-cased text.
    """

    def __init__(self, texts: dict[str, str], docs: dict[str, Doc], lex: Lexicon,
                 spans: list[tuple[str, int, int]], own_start: int = 0):
        self.texts, self.lex = texts, lex
        self.docs = docs
        self.own_start = own_start
        self.nesting = _nesting(spans)
        self._lower: dict[str, str | None] = {}

    @property
    def docs(self) -> dict[str, Doc]:
        return self._docs

    @docs.setter
    def docs(self, docs: dict[str, Doc]) -> None:
        self._docs = docs
        self._columns: dict[str, TokenColumns] = {}  # (made from the docs: forgotten with them)
        self._conj_heads: dict[str, set[int]] = {}
        self._word_index: dict[str, _WordIndex] = {}
        self._views: dict[str, tuple] = {}
        self._conj: dict[tuple[str, int], list[str]] = {}

    def view(self, field: str) -> tuple:
        """``(text, lower(field), columns(field), doc, conj_heads(field), word index)`` of a field, made
        once (``columns``, ``doc``, ``conj_heads`` None without a doc; the word index None when
        ``lower`` is None)."""
        v = self._views.get(field)
        if v is None:
            text, low, toks = self.texts.get(field, ""), self.lower(field), self.columns(field)
            index = None
            if low is not None:
                index = self._word_index.get(field)
                if index is None:
                    index = self._word_index[field] = _WordIndex(low)
            v = self._views[field] = (text, low, toks, self._docs.get(field),
                                      self.conj_heads(field) if toks is not None else None, index)
        return v

    def conj_features(self, field: str, root: int) -> list[str]:
        """"conj-gaz=<type>" of each of the first four conjuncts of the field's token ``root`` that
        the gazetteer knows, made once per token (nested candidates share their root)."""
        out = self._conj.get((field, root))
        if out is None:
            gazetteer_type = self.lex.gazetteer_type
            out = self._conj[(field, root)] = [f"conj-gaz={g}" for g in (gazetteer_type(other.text) for other in
                                                                         self._docs[field][root].conjuncts[:4]) if g]
        return out

    def columns(self, field: str) -> TokenColumns | None:
        """The token columns of the field's doc (None without a doc)."""
        toks = self._columns.get(field)
        if toks is None:
            doc = self._docs.get(field)
            if doc is None:
                return None
            toks = self._columns[field] = TokenColumns.of(doc)
        return toks

    def conj_heads(self, field: str) -> set[int]:
        """Positions of the field's tokens that have a ``conj`` dependent."""
        heads = self._conj_heads.get(field)
        if heads is None:
            toks = self.columns(field)
            heads = self._conj_heads[field] = {h for h, d in zip(toks.head, toks.dep) if d == "conj"}
        return heads

    def lower(self, field: str) -> str | None:
        """The field's text lower-cased, or None when slices of it would not be the lower-cased
        slices (``str.lower`` maps character by character except for a final sigma and length
        changes such as "İ")."""
        try:
            return self._lower[field]
        except KeyError:
            text = self.texts.get(field, "")
            low = text.lower()
            low = self._lower[field] = low if len(low) == len(text) and "Σ" not in text else None
            return low

    def words(self, field: str, start: int, end: int) -> list[str]:
        """``_words(texts[field][start:end])``, from the field's text lower-cased once."""
        low = self.lower(field)
        if low is None:
            return _words(self.texts.get(field, "")[start:end])
        return _WORD.findall(low, start, end)  # no anchors or look-behind: as on the slice

    def sentence_words(self, field: str, start: int) -> set[str]:
        """Role-telling words of the sentence before ``start`` ("we", "propose", "outperform", ...):
        ``set(words(left, start)) & _ROLE_WORDS`` with ``left`` the sentence's ". ", from an
        index of the field's words."""
        text = self.texts.get(field, "")
        left = sentence_start(text, start)
        index = self._word_index.get(field)
        if index is None:
            low = self.lower(field)
            if low is None:
                return set(_words(text[left:start])) & _ROLE_WORDS
            index = self._word_index[field] = _WordIndex(low)
        return index.role_words(left, start)


class _WordIndex:
    """Where the words of a lower-cased text are, and which of them are role words.

    The words of a slice ``[left, start)`` that starts at a sentence's ". " (or at 0) are the
    text's words inside it, plus the cut head of a word running over ``start``: a scan of the
    slice and one of the text are in step from ``left`` on (a word can hold the period at
    ``left``, but then it ends at the space after it).
    """

    def __init__(self, low: str):
        self.low = low
        self.starts, self.ends, self.role_starts, self.roles = [], [], [], []
        for m in _WORD.finditer(low):
            self.starts.append(m.start())
            self.ends.append(m.end())
            if m.group() in _ROLE_WORDS:
                self.role_starts.append(m.start())
                self.roles.append(m.group())

    def role_words(self, left: int, start: int) -> set[str]:
        """``set(_WORD.findall(low, left, start)) & _ROLE_WORDS``."""
        r0 = bisect.bisect_left(self.role_starts, left)
        r1 = bisect.bisect_left(self.role_starts, start)
        k = bisect.bisect_left(self.starts, start) - 1  # the last word starting before ``start``
        cut = None
        if k >= 0 and self.ends[k] > start and self.starts[k] >= left:  # it runs over ``start``
            cut = self.low[self.starts[k]:start]
            if r1 > r0 and self.role_starts[r1 - 1] == self.starts[k]:
                r1 -= 1  # the whole word is not in the slice
        out = set(self.roles[r0:r1])
        if cut in _ROLE_WORDS:
            out.add(cut)
        return out

    def last_two(self, left: int, start: int) -> list[str]:
        """``_WORD.findall(low, left, start)[-2:]``: the last two words starting in the slice, the
        last one cut at ``start`` (a scan of the slice is in step with the text's from its first
        whole word on); else the scan itself."""
        starts = self.starts
        j = bisect.bisect_left(starts, start)
        if j - bisect.bisect_left(starts, left) < 2:
            return _WORD.findall(self.low, left, start)[-2:]
        low, end = self.low, self.ends[j - 1]
        return [low[starts[j - 2]:self.ends[j - 2]], low[starts[j - 1]:end if end < start else start]]

    def first_two(self, end: int, stop: int) -> list[str]:
        """``_WORD.findall(low, end, stop)[:2]``: the first two words starting in the slice, cut at
        ``stop``, when no word runs over ``end`` (its tail would come first); else the scan itself."""
        starts, ends = self.starts, self.ends
        k = bisect.bisect_left(starts, end)
        if k and ends[k - 1] > end:
            return _WORD.findall(self.low, end, stop)[:2]
        low = self.low
        return [low[starts[i]:ends[i] if ends[i] < stop else stop] for i in range(k, min(k + 2, len(starts)))
                if starts[i] < stop]


def _nesting(spans: list[tuple[str, int, int]]) -> dict[tuple[str, int, int], tuple[bool, bool]]:
    """``(field, start, end) -> (inside another span, contains another span)``, in O(n log n).

    Spans sorted by (start, -end): a span lies inside another iff some earlier one ends at or
    after its end; it contains another iff some later one ends at or before its end.
    """
    out: dict[tuple[str, int, int], tuple[bool, bool]] = {}
    by_field: dict[str, set[tuple[int, int]]] = {}
    for f, a, b in spans:
        by_field.setdefault(f, set()).add((a, b))
    for f, items in by_field.items():
        order = sorted(items, key=lambda ab: (ab[0], -ab[1]))
        n = len(order)
        suffix_min = [0] * (n + 1)
        suffix_min[n] = 1 << 62
        for i in range(n - 1, -1, -1):
            suffix_min[i] = min(suffix_min[i + 1], order[i][1])
        prefix_max = -1
        for i, (a, b) in enumerate(order):
            out[(f, a, b)] = (prefix_max >= b, suffix_min[i + 1] <= b)
            prefix_max = max(prefix_max, b)
    return out


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _span(toks: TokenColumns, doc: Doc, start: int, end: int) -> tuple[int, int, int] | None:
    """``doc.char_span(start, end, alignment_mode="expand")`` as ``(first token, end token, root)``
    when it is not empty, else None; from the token columns (tokens tile the text: token ``i``
    holds characters ``idx[i]`` up to the next token's ``idx``)."""
    idx = toks.idx
    if not idx or start < 0 or start >= len(toks.doc_text) or end - 1 >= len(toks.doc_text):
        return None
    a = bisect.bisect_right(idx, start) - 1
    b = bisect.bisect_right(idx, end - 1)
    if a < 0 or b < 1:
        return None
    if start == idx[a] + len(toks.text[a]):
        a += 1  # on the token's trailing whitespace: the span starts after it
    if a >= b:
        if a > b:  # a reversed range: whatever spaCy does with it
            span = doc.char_span(start, end, alignment_mode="expand")
            return (span.start, span.end, span.root.i) if span is not None and len(span) else None
        return None
    return a, b, toks.root(a, b)
