"""Word lists and gazetteer data for the extraction components, plus user vocabulary files.

The package data lives in ``papergraph/nlp/data/``: ``lexicon.toml`` (generic heads,
evaluative modifiers, head nouns by type, single-word concepts) and ``gazetteer.tsv``
(widely known names and their types).  The gazetteer also holds every name and alias of the
knowledge base (:mod:`papergraph.knowledge`, ``papergraph/data/kb.tsv``) that names one thing;
``gazetteer.tsv`` and user entries win over it, and the KB's case rules hold ("Falcon" is a
model, "falcon" is not).  A user vocabulary file (TOML or JSON) adds to it::

    [gazetteer]            # name -> type
    "Text2Earth" = "Model"
    [aliases]              # canonical name -> other surface forms, merged into one concept
    "chain-of-thought" = ["CoT", "chain of thought"]
    never = ["state of the art", "H100"]   # names never extracted (case-insensitive)
"""

from __future__ import annotations

import functools
import json
import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..errors import ConfigError
from ..knowledge import load_kb, normalise
from ..model import CONCEPT_TYPES

__all__ = ["Lexicon", "Vocabulary", "fold", "load_lexicon", "load_vocabulary", "lexicon_for"]


_NON_WORD = re.compile(r"[\W_]+")


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Fold a surface form for lookups: NFKC, casefold, drop punctuation, hyphens and spaces."""
    return _NON_WORD.sub("", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class Vocabulary:
    """User additions: gazetteer entries, alias groups and names never to extract."""

    gazetteer: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    never: frozenset[str] = frozenset()
    source: str = ""


_MAX_MEMO = 1 << 16  # surfaces remembered per lexicon (a cache only: cleared when full)


@dataclass(frozen=True)
class Lexicon:
    """Everything the rules look up, folded for fast set/dict membership tests."""

    generic_heads: frozenset[str]
    weak_heads: frozenset[str]
    evaluative: frozenset[str]
    standalone: dict[str, str]  # lemma -> type
    heads: dict[str, frozenset[str]]  # type -> head lemmas
    gazetteer: dict[str, tuple[str, str]]  # folded name -> (surface name, type)
    gazetteer_names: tuple[tuple[str, str], ...]  # (surface name, type) for the phrase matcher
    alias_of: dict[str, str]  # folded alias -> canonical surface name
    never: frozenset[str]  # folded names
    role_modifiers: frozenset[str] = frozenset()  # "teacher" in "the teacher model"
    cased: dict[str, frozenset[str]] = field(default_factory=dict)  # folded name -> the only spellings
    prefixes: frozenset[str] = frozenset()  # every prefix of a folded gazetteer name (for scanning text)
    # Lookup indexes built from the fields above (the rules ask them for every word).
    _head_index: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _memos: dict[str, dict] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        index: dict[str, tuple[str, ...]] = {}
        for t, words in self.heads.items():
            for w in words:
                index[w] = index.get(w, ()) + (t,)
        object.__setattr__(self, "_head_index", index)
        object.__setattr__(self, "_memos", {})

    def memo(self, name: str) -> dict:
        """A memo table ``name`` for a pure function of (this lexicon, a key); cleared when large."""
        table = self._memos.get(name)
        if table is None:
            table = self._memos[name] = {}
        elif len(table) > _MAX_MEMO:
            table.clear()
        return table

    def head_types(self, lemma: str) -> list[str]:
        """The types whose head list contains ``lemma``."""
        return list(self._head_index.get(lemma, ()))

    def gazetteer_type(self, surface: str) -> str | None:
        """The gazetteer type of ``surface``; all-caps entries ("MATH") match only all-caps text."""
        memo = self.memo("gazetteer")
        try:
            return memo[surface]
        except KeyError:
            typ = memo[surface] = self._gazetteer_type(surface)
            return typ

    def _gazetteer_type(self, surface: str) -> str | None:
        hit = self.gazetteer.get(fold(surface))
        if hit is None:
            return None
        name, typ = hit
        if name.isupper() and not surface.rstrip("s").isupper():
            return None
        cased = self.cased.get(fold(surface))
        if cased is not None and normalise(surface) not in cased:
            return None  # a KB name that is also a word matches only as written ("Falcon", not "falcon")
        return typ


def _read_gazetteer_tsv(text: str, where: str) -> list[tuple[str, str]]:
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        name, _, typ = line.partition("\t")
        if typ.strip() not in CONCEPT_TYPES:
            raise ConfigError(f"{where}:{n}: type {typ!r} is not one of {', '.join(CONCEPT_TYPES)}")
        rows.append((name.strip(), typ.strip()))
    return rows


@functools.lru_cache(maxsize=1)
def _kb_gazetteer() -> tuple[dict[str, tuple[str, str]], dict[str, frozenset[str]]]:
    """The KB's surfaces as gazetteer entries (folded surface -> (surface, type)), leaving out
    surfaces that name two things, and the spellings allowed for case-sensitive ones."""
    kb = load_kb()
    seen: dict[str, set[str]] = {}
    names: dict[str, tuple[str, str]] = {}
    exact: dict[str, set[str]] = {}
    folded: set[str] = set()
    for entry in kb:
        for surface in (entry.name, *entry.aliases):
            key = fold(surface)
            if not key:
                continue
            seen.setdefault(key, set()).add(entry.kb_id)
            names.setdefault(key, (surface, entry.type))
            if kb.lookup(surface) is entry and kb.lookup(surface.lower()) is None:
                exact.setdefault(key, set()).add(normalise(surface))
            else:
                folded.add(key)
    names = {k: v for k, v in names.items() if len(seen[k]) == 1}
    cased = {k: frozenset(v) for k, v in exact.items() if k in names and k not in folded}
    return names, cased


@functools.lru_cache(maxsize=1)
def _package_data() -> tuple[dict, list[tuple[str, str]]]:
    base = resources.files("papergraph.nlp") / "data"
    lex = tomllib.loads((base / "lexicon.toml").read_text(encoding="utf-8"))
    gaz = _read_gazetteer_tsv((base / "gazetteer.tsv").read_text(encoding="utf-8"), "gazetteer.tsv")
    return lex, gaz


def load_vocabulary(path: str | os.PathLike) -> Vocabulary:
    """Read a user vocabulary file (``.toml`` or ``.json``).

    Args:
        path: the file; keys ``gazetteer`` (name -> type), ``aliases`` (name -> list of
            surface forms) and ``never`` (list of names), all optional.

    Returns:
        The parsed :class:`Vocabulary`.

    Raises:
        ConfigError: the file is missing, unreadable or malformed (the message names it).
    """
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"{p}: cannot read vocabulary file: {e.strerror or e}") from None
    except UnicodeDecodeError as e:
        raise ConfigError(f"{p}: not a UTF-8 text file (byte {e.start}); a vocabulary is TOML or JSON") from None
    try:
        data = json.loads(raw) if p.suffix.lower() == ".json" else tomllib.loads(raw)
    except (json.JSONDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{p}: not valid {'JSON' if p.suffix.lower() == '.json' else 'TOML'}: {e}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: expected a table with keys gazetteer, aliases, never")
    unknown = set(data) - {"gazetteer", "aliases", "never"}
    if unknown:
        raise ConfigError(f"{p}: unknown key(s) {', '.join(sorted(unknown))}; valid: gazetteer, aliases, never")
    gaz = data.get("gazetteer", {})
    if not isinstance(gaz, dict) or any(not isinstance(v, str) or v not in CONCEPT_TYPES for v in gaz.values()):
        raise ConfigError(f"{p}: 'gazetteer' must map names to one of {', '.join(CONCEPT_TYPES)}")
    aliases = data.get("aliases", {})
    if not isinstance(aliases, dict) or any(
        not isinstance(v, list) or not all(isinstance(s, str) for s in v) for v in aliases.values()
    ):
        raise ConfigError(f"{p}: 'aliases' must map names to lists of strings")
    never = data.get("never", [])
    if not isinstance(never, list) or not all(isinstance(s, str) for s in never):
        raise ConfigError(f"{p}: 'never' must be a list of strings")
    return Vocabulary(
        gazetteer=dict(gaz),
        aliases={k: tuple(v) for k, v in aliases.items()},
        never=frozenset(never),
        source=str(p),
    )


def _cased(cased: dict[str, frozenset[str]], gaz: list[tuple[str, str]], vocab: Vocabulary | None):
    """The KB's case rules, also allowing the spelling of a package gazetteer name; a user
    vocabulary name lifts the rule for its key."""
    out = dict(cased)
    for name, _ in gaz:
        key = fold(name)
        if key in out:
            out[key] = out[key] | {normalise(name)}
    for name in vocab.gazetteer if vocab else ():
        out.pop(fold(name), None)
    return out


def load_lexicon(vocab: Vocabulary | None = None) -> Lexicon:
    """The package word lists merged with a user vocabulary (user entries win)."""
    lex, gaz = _package_data()
    kb_names, cased = _kb_gazetteer()
    names = list(gaz) + list((vocab.gazetteer if vocab else {}).items())
    gazetteer = dict(kb_names)
    gazetteer.update((fold(n), (n, t)) for n, t in names)
    alias_of: dict[str, str] = {}
    for canon, forms in (vocab.aliases if vocab else {}).items():
        for s in (canon, *forms):
            alias_of[fold(s)] = canon
    return Lexicon(
        generic_heads=frozenset(lex["generic_heads"]),
        weak_heads=frozenset(lex.get("weak_heads", [])),
        evaluative=frozenset(lex["evaluative_modifiers"]),
        standalone=dict(lex["standalone"]),
        heads={t: frozenset(lex["heads"].get(t, [])) for t in CONCEPT_TYPES},
        gazetteer=gazetteer,
        gazetteer_names=tuple(names),
        alias_of=alias_of,
        never=frozenset(fold(s) for s in (*lex.get("not_concepts", []), *(vocab.never if vocab else ()))),
        role_modifiers=frozenset(lex.get("role_modifiers", [])),
        cased=_cased(cased, gaz, vocab),
        prefixes=frozenset(k[:n] for k in gazetteer for n in range(1, len(k) + 1)),
    )


@functools.lru_cache(maxsize=8)
def lexicon_for(vocab_path: str | None) -> Lexicon:
    """The (cached) lexicon for an optional vocabulary file path."""
    return load_lexicon(load_vocabulary(vocab_path) if vocab_path else None)
