"""The English pipeline's attribute ruler, applied by table lookup instead of spaCy's Matcher.

spaCy's ``attribute_ruler`` maps fine-grained tags (and a few words and dependencies) to the
coarse part of speech, morphology and lemma exceptions with ~180 token patterns run by its
:class:`~spacy.matcher.Matcher`; that costs about as much as the parser (~4.5 ms a paper
here). :class:`FastAttributeRuler` is the same component (same patterns, same serialisation)
that matches them differently: which patterns a token satisfies depends only on its own
tag, lower-case form, dependency label and whitespace flag, so it is worked out once per
distinct combination and remembered. The attributes are then set exactly as spaCy sets them
(matches in pattern order, :func:`set_token_attrs`), so the output is the same token for
token; ``tests/test_nlp_attribute_ruler.py`` checks that against spaCy's own component. A
pattern this table cannot express (another attribute, an ``OP`` quantifier, another
predicate) makes the whole component fall back to spaCy's Matcher.
"""

from __future__ import annotations

import operator
import re
from functools import partial

from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

__all__ = ["FastAttributeRuler", "use_fast_attribute_ruler"]

#: Token attributes a pattern may test, and the ``to_array`` column each is read from.
_ATTRS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_MAX_KEYS = 1 << 17  # remembered token combinations (a cache only)


def _not_in(values: frozenset, v) -> bool:
    return v not in values


def _search(rx: re.Pattern, v: str) -> bool:
    return rx.search(v) is not None


def _test(attr: str, value):
    """A function of the token's value of ``attr`` (a string, or a bool for IS_SPACE), or None
    if ``value`` is not a form this table handles (module-level parts: the pipeline pickles)."""
    if isinstance(value, dict):
        if len(value) != 1:
            return None
        (op, arg), = value.items()
        if op == "IN" and isinstance(arg, list):
            return frozenset(arg).__contains__
        if op == "NOT_IN" and isinstance(arg, list):
            return partial(_not_in, frozenset(arg))
        if op == "REGEX" and isinstance(arg, str) and attr != "IS_SPACE":
            return partial(_search, re.compile(arg))
        return None
    if attr == "IS_SPACE":
        return partial(operator.is_, value) if isinstance(value, bool) else None
    return value.__eq__ if isinstance(value, str) else None


_LOWER = _ATTRS.index("LOWER")


class _Table:
    """The compiled patterns: per pattern ``(attr id, length, matched index)``; the token tests
    of every pattern position, split by what they read so a new token is tested cheaply: tests
    with a fixed lower-case form are looked up by it (``by_lower``), tests that do not read it
    are decided once per (tag, dependency, whitespace) (``base``), the rest (a regex on the form)
    are run (``other``)."""

    def __init__(self, patterns, by_lower, no_lower, other):
        self.patterns, self.by_lower, self.no_lower, self.other = patterns, by_lower, no_lower, other
        self.base: dict = {}

    def satisfied(self, values: tuple) -> frozenset:
        """``(k, j)`` of every pattern k whose position j the token ``values`` satisfies."""
        key = (values[0], values[2], values[3])
        base = self.base.get(key)
        if base is None:
            base = self.base[key] = frozenset(kj for kj, checks in self.no_lower
                                              if all(f(values[a]) for a, f in checks))
        extra = [kj for kj, checks in self.by_lower.get(values[_LOWER], ()) if all(f(values[a]) for a, f in checks)]
        extra += [kj for kj, checks in self.other if all(f(values[a]) for a, f in checks)]
        return base.union(extra) if extra else base


def _compile(ruler: AttributeRuler) -> _Table | None:
    """The ruler's patterns as a :class:`_Table`; None if a pattern is outside what it handles."""
    patterns, by_lower, no_lower, other = [], {}, [], []
    for attr_id, entry in enumerate(ruler.patterns):
        for pattern in entry["patterns"]:
            k = len(patterns)
            for j, tok in enumerate(pattern):
                if not tok or set(tok) - set(_ATTRS):
                    return None
                checks = tuple((_ATTRS.index(a), _test(a, v)) for a, v in tok.items())
                if any(f is None for _, f in checks):
                    return None
                lower = tok.get("LOWER")
                rest = tuple(c for c in checks if c[0] != _LOWER)
                if isinstance(lower, str):
                    by_lower.setdefault(lower, []).append(((k, j), rest))
                elif isinstance(lower, dict) and set(lower) == {"IN"}:
                    if not all(isinstance(v, str) for v in lower["IN"]):
                        return None
                    for v in set(lower["IN"]):
                        by_lower.setdefault(v, []).append(((k, j), rest))
                elif lower is None:
                    no_lower.append(((k, j), checks))
                else:
                    other.append(((k, j), checks))
            index = entry.get("index", 0)
            if not -len(pattern) <= index < len(pattern):
                return None
            patterns.append((attr_id, len(pattern), index % len(pattern)))
    return _Table(patterns, by_lower, no_lower, other)


class FastAttributeRuler(AttributeRuler):
    """``attribute_ruler`` with the same patterns and output, matched by table lookup."""

    def __init__(self, *args, **kwargs):
        self._table = None  # compiled patterns, or False: use spaCy's Matcher
        self._keys: dict = {}
        super().__init__(*args, **kwargs)

    def add(self, *args, **kwargs) -> None:
        self._table, self._keys = None, {}
        super().add(*args, **kwargs)

    def clear(self) -> None:
        self._table, self._keys = None, {}
        super().clear()

    def __call__(self, doc: Doc) -> Doc:
        if self._table is None:
            compiled = _compile(self)
            self._table = False if compiled is None else compiled
        if self._table is False:
            return super().__call__(doc)
        try:
            for attr_id, i in self._matches(doc):
                set_token_attrs(doc[i], self.attrs[attr_id])
            return doc
        except Exception as e:
            return self.get_error_handler()(self.name, self, [doc], e)

    def _matches(self, doc: Doc) -> list[tuple[int, int]]:
        """(pattern id, token index) of every match, in the order spaCy applies them."""
        keys, strings = self._keys, doc.vocab.strings
        if len(keys) > _MAX_KEYS:
            keys.clear()
        found = []
        rows = doc.to_array(["TAG", "LOWER", "DEP", "IS_SPACE"]).tolist()
        sat = []
        for row in rows:
            key = tuple(row)
            hit = keys.get(key)
            if hit is None:
                hit = keys[key] = self._satisfied((strings[row[0]], strings[row[1]], strings[row[2]], bool(row[3])))
            sat.append(hit)
        n = len(sat)
        for start, hit in enumerate(sat):
            for k, attr_id, length, index in hit[:-1]:
                if length == 1 or (start + length <= n and all((k, j) in sat[start + j][-1] for j in range(1, length))):
                    found.append((attr_id, start + index))
        found.sort()
        return found

    def _satisfied(self, values: tuple) -> tuple:
        """The patterns whose first token ``values`` satisfies, as ``(k, attr id, length, index)``,
        followed by the set of ``(k, position)`` of every token position it satisfies."""
        positions = self._table.satisfied(values)
        patterns = self._table.patterns
        first = [(k, *patterns[k]) for k, j in positions if j == 0]
        return (*first, positions)


def use_fast_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Replace the pipeline's attribute ruler ``name`` by a :class:`FastAttributeRuler` with its
    patterns (same output); False if the pipeline has none."""
    if name not in nlp.pipe_names or type(nlp.get_pipe(name)) is not AttributeRuler:
        return False
    old = nlp.get_pipe(name)
    new = nlp.replace_pipe(name, "papergraph_attribute_ruler")
    new.add_patterns(old.patterns)
    return True


@Language.factory("papergraph_attribute_ruler", default_config={"validate": False})
def make_fast_attribute_ruler(nlp: Language, name: str, validate: bool) -> FastAttributeRuler:
    """Factory of :class:`FastAttributeRuler` (patterns are added after, as for spaCy's)."""
    return FastAttributeRuler(nlp.vocab, name, validate=validate)
