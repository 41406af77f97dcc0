"""Per-doc token columns: the token attributes the rules read, taken once per doc as plain lists,
and the candidate record the rules make from a token range (:func:`new_candidate`).

Each ``token.pos_`` (``.tag_``, ``.text`` ...) creates a Token object and looks up a string;
the chunker reads several attributes of every token, so it reads them all at once with one
``Doc.to_array`` call instead and indexes plain lists by token position.
"""

from __future__ import annotations

import itertools
import weakref

import numpy
from spacy.attrs import (DEP, HEAD, IDX, IS_PUNCT, LEMMA, LIKE_EMAIL, LIKE_NUM, LIKE_URL, LOWER, ORTH, POS, SPACY,
                         TAG)
from spacy.tokens import Doc

from .shapes import word_groups

__all__ = ["TokenColumns", "doc_text", "new_candidate"]

_ATTRS = [ORTH, POS, TAG, LOWER, LEMMA, DEP, SPACY, IDX, LIKE_NUM, LIKE_URL, LIKE_EMAIL, IS_PUNCT, HEAD]  # 6 strings
#: String hash -> string, shared by all docs: a string's hash is the same in every vocab.
#: A cache only (cleared when large), so results never depend on what was processed before.
_NAMES: dict[int, str] = {}
_MAX_NAMES = 1 << 19
#: Each live doc's columns: the candidate component makes them, the learned scorer reads them again.
_OF_DOC: "weakref.WeakKeyDictionary[Doc, TokenColumns]" = weakref.WeakKeyDictionary()


class TokenColumns:
    """Token attributes of one doc as lists indexed by token position.

    ``text``, ``ws`` (trailing whitespace), ``idx`` (character offset), ``pos``, ``tag``,
    ``lower``, ``lemma`` (lower-cased), ``dep``, ``like_num``/``like_url``/``like_email``/``is_punct``,
    ``head`` (the head's position), ``has_dobj`` (the token has a direct object), ``doc_text`` and
    ``sents`` (token ranges).
    """

    __slots__ = ("text", "ws", "idx", "pos", "tag", "lower", "lemma", "dep", "like_num", "like_url",
                 "like_email", "is_punct", "head", "has_dobj", "doc_text", "sents", "_governors", "_groups")

    def __init__(self, doc: Doc):
        array = doc.to_array(_ATTRS)
        strings = doc.vocab.strings
        self.text, self.pos, self.tag, self.lower, lemma, self.dep = (_strings(strings, col)
                                                                      for col in array[:, :6].T.tolist())
        self.lemma = list(map(str.lower, lemma))
        numbers = array[:, 6:].astype("int64")  # heads are relative offsets, stored unsigned
        spacy_, self.idx, self.like_num, self.like_url, self.like_email, self.is_punct = numbers[:, :6].T.tolist()
        self.ws = [" " if s else "" for s in spacy_]
        heads = numbers[:, 6] + numpy.arange(len(numbers))
        self.head = heads.tolist()
        self.has_dobj = [False] * len(self.text)
        for head in heads[array[:, 5] == strings["dobj"]].tolist():
            self.has_dobj[head] = True
        self.doc_text = "".join(itertools.chain.from_iterable(zip(self.text, self.ws)))  # == doc.text, faster
        self.sents = [(s.start, s.end) for s in doc.sents] if len(doc) else []
        self._governors: set[int] | None = None
        self._groups: list[list[tuple[int, int]]] | None = None

    @classmethod
    def of(cls, doc: Doc) -> "TokenColumns":
        """The doc's columns, made once while the doc lives (papergraph's components read its
        tokens and never change them; a doc whose length changed gets new ones)."""
        toks = _OF_DOC.get(doc)
        if toks is None or len(toks) != len(doc):
            toks = _OF_DOC[doc] = cls(doc)
        return toks

    def __len__(self) -> int:
        return len(self.text)

    def root(self, start: int, end: int) -> int:
        """``doc[start:end].root.i``, by spaCy's rule: a sentence root in the span, else the token
        whose head lies outside the span with the fewest steps to its sentence root (the first
        of equals; childless punctuation and spaces last)."""
        head = self.head
        if end - start == 1:
            return start
        for i in range(start, end):
            if head[i] == i:
                return i
        best, root = len(head), -1
        for i in range(start, end):
            if not start <= head[i] < end:
                steps = self._steps_to_root(i)
                if steps < best:
                    best, root = steps, i
        return start if root == -1 else root

    def _steps_to_root(self, i: int) -> int:
        head, n = self.head, len(self.head)
        if (self.is_punct[i] or self.text[i].isspace()) and i not in self.governors():
            return n - 1
        steps = 0
        while head[i] != i:
            i = head[i]
            steps += 1
            if steps >= n:
                raise RuntimeError(f"dependency cycle at token {i}")
        return steps

    def governors(self) -> set[int]:
        """Positions of the tokens that have dependents."""
        if self._governors is None:
            self._governors = {h for i, h in enumerate(self.head) if h != i}
        return self._governors

    def sentence_groups(self) -> list[list[tuple[int, int]]]:
        """Each sentence's word groups (:func:`~papergraph.nlp.shapes.word_groups`) as token ranges
        of the doc, made once (the chunker and the known-name scan both walk them)."""
        if self._groups is None:
            text, tag, ws = self.text, self.tag, self.ws
            self._groups = [[(s0 + a, s0 + b) for a, b in word_groups(text[s0:s1], tag[s0:s1], ws[s0:s1])]
                            for s0, s1 in self.sents]
        return self._groups

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text`` (no trailing whitespace)."""
        return self.doc_text[self.idx[start]:self.idx[end - 1] + len(self.text[end - 1])]


def _strings(strings, hashes: list[int]) -> list[str]:
    """The strings of ``hashes``, through the shared cache."""
    try:
        return list(map(_NAMES.__getitem__, hashes))
    except KeyError:
        if len(_NAMES) > _MAX_NAMES:
            _NAMES.clear()
        for h in set(hashes):
            if h not in _NAMES:
                _NAMES[h] = strings[h]
        return list(map(_NAMES.__getitem__, hashes))


def doc_text(doc: Doc) -> str:
    """``doc.text``, kept on the doc (``doc._.pg_text``): spaCy rebuilds it from the tokens on every access."""
    if not Doc.has_extension("pg_text"):
        return doc.text
    text = doc._.pg_text
    if text is None:
        text = doc._.pg_text = doc.text
    return text


_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


def new_candidate(toks: TokenColumns, start: int, end: int, *, rule: str, conf: float,
                  types: dict | None = None, name: bool = False) -> dict:
    """A plain, picklable candidate record for tokens ``doc[start:end]`` (a trailing "'s" dropped)."""
    while end - start > 1 and toks.text[end - 1] in _POSSESSIVE:
        end -= 1
    s, e = toks.idx[start], toks.idx[end - 1] + len(toks.text[end - 1])
    if e - s > 2 and toks.doc_text[e - 1] == "." and toks.doc_text[e - 2] != ".":
        e -= 1  # a sentence's period left on a name's token ("ROUGE-L.", "HumanEval Pro.")
    return {
        "s": s, "e": e, "text": toks.doc_text[s:e], "ts": start, "te": end,
        "head": toks.lemma[end - 1], "rules": [rule], "conf": conf,
        "types": dict(types or {}), "roles": {}, "name": name,
        "plural": toks.tag[end - 1] in ("NNS", "NNPS") and not name,
    }
