"""The English pipeline's lemmatizer, with its word lists as sets and its answers remembered.

spaCy's rule lemmatizer costs ~3 ms a paper on new text, as much as the tagger and parser
together, for two reasons:

- a word it has not seen is checked against the list of known lemmas of its part of speech
  (``lemma_index``: 57,000 nouns) with ``in`` on a Python list, a scan per candidate form.
  :func:`use_table_lemmatizer` gives each list O(1) membership (:class:`_WordList`: still the
  same list, so it serialises as before);
- every token goes through Python: a ``Token`` object, its morphology turned into a dict
  (base forms skip spaCy's cache) and ``lemma_`` set. A token's lemma depends only on its
  text, coarse part of speech and morphology (the lookup modes need even less), so
  :class:`TableLemmatizer` reads those three columns with ``Doc.to_array``, asks the wrapped
  lemmatizer once per new combination, and writes the lemma column back with
  ``Doc.from_array``.

Tokens that already have a lemma (set by the attribute ruler) keep it, as with spaCy's
``overwrite=False``. Same output token for token; ``tests/test_nlp_lemmatizer.py`` checks that
against spaCy's own component.
"""

from __future__ import annotations

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc

__all__ = ["TableLemmatizer", "use_table_lemmatizer"]

#: Modes whose lemma is a function of the token's text, POS and morphology only.
_MODES = ("rule", "lookup", "pos_lookup")
_MAX_KEYS = 1 << 18  # remembered (text, POS, morphology) combinations (a cache only)


class _WordList(list):
    """A list of words whose ``in`` is a set lookup (the same answers, for strings)."""

    def __init__(self, words):
        super().__init__(words)
        self._set = frozenset(self)

    def __contains__(self, word) -> bool:
        return word in self._set

    def __reduce__(self):
        return (_WordList, (list(self),))


def _index_as_sets(lemmatizer: Lemmatizer) -> None:
    if not lemmatizer.lookups.has_table("lemma_index"):
        return
    table = lemmatizer.lookups.get_table("lemma_index")
    for key, words in list(table.items()):
        if type(words) is list:
            table[key] = _WordList(words)


class TableLemmatizer:
    """Wraps a spaCy :class:`~spacy.pipeline.Lemmatizer` (``lemmatizer``) and gives its
    lemmas from a table of the (text, POS, morphology) combinations it has seen."""

    def __init__(self, lemmatizer: Lemmatizer | None = None):
        self.lemmatizer = lemmatizer
        self._memo: dict[tuple[int, int, int], str] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        overwrite = self.lemmatizer.overwrite
        memo = self._memo
        strings = doc.vocab.strings
        lemmas = rows[:, 3].copy()
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not overwrite:
                continue
            key = (orth, pos, morph)
            text = memo.get(key)
            if text is None:
                if len(memo) >= _MAX_KEYS:
                    memo.clear()
                text = memo[key] = self.lemmatizer.lemmatize(doc[i])[0]
            lemmas[i] = strings.add(text)
            changed = True
        if changed:
            doc.from_array([LEMMA], lemmas)
        return doc

    def __getstate__(self):  # pickled without the table (a cache)
        return {"lemmatizer": self.lemmatizer, "_memo": {}}

    def pipe(self, docs, batch_size: int = 128):
        for doc in docs:
            yield self(doc)

    # The wrapped component's own initialisation and serialisation.
    def initialize(self, *args, **kwargs):
        self._memo.clear()
        self.lemmatizer.initialize(*args, **kwargs)
        _index_as_sets(self.lemmatizer)

    def to_bytes(self, **kwargs):
        return self.lemmatizer.to_bytes(**kwargs)

    def from_bytes(self, data, **kwargs):
        self._memo.clear()
        self.lemmatizer.from_bytes(data, **kwargs)
        _index_as_sets(self.lemmatizer)
        return self

    def to_disk(self, path, **kwargs):
        return self.lemmatizer.to_disk(path, **kwargs)

    def from_disk(self, path, **kwargs):
        self._memo.clear()
        self.lemmatizer.from_disk(path, **kwargs)
        _index_as_sets(self.lemmatizer)
        return self


def use_table_lemmatizer(nlp: Language, name: str = "lemmatizer") -> bool:
    """Wrap the pipeline's lemmatizer ``name`` in a :class:`TableLemmatizer` (same output);
    False if there is none, or it is not spaCy's own (a subclass from another package may
    look at more of the token than its text, POS and morphology)."""
    if name not in nlp.pipe_names:
        return False
    old = nlp.get_pipe(name)
    if not isinstance(old, Lemmatizer) or not type(old).__module__.startswith("spacy."):
        return False
    if old.mode not in _MODES:
        return False
    _index_as_sets(old)
    new = nlp.replace_pipe(name, "papergraph_lemmatizer")
    new.lemmatizer = old
    return True


@Language.factory("papergraph_lemmatizer")
def make_table_lemmatizer(nlp: Language, name: str) -> TableLemmatizer:
    """Factory of :class:`TableLemmatizer` (the wrapped lemmatizer is set after, see
    :func:`use_table_lemmatizer`)."""
    return TableLemmatizer()
