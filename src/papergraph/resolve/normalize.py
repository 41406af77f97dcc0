"""Surface forms -> match keys for entity resolution, from the word lists of ``data/linking.toml``.

A key ignores case, hyphens, spaces, punctuation and a plural "s" (as ``concept_key``), and
also number/year formats ("AIME 2024" = "AIME24"), "+" (kept as "plus": "StarCoder+" is not
"StarCoder"), word classes ("memory consumption" = "memory usage") and phrase synonyms
("inference-time scaling" = "test-time scaling"), also at the end of a longer name ("latent
chain-of-thought reasoning" = "latent chain-of-thought").  Each key comes with the rules that made it.
"""

from __future__ import annotations

import functools
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib import resources

from ..nlp.canonical import concept_key, is_acronym

__all__ = ["Lexicon", "lexicon", "norm_key", "singular", "clean_name", "words_of", "acronym_fits", "is_name_like"]

# All-caps words keep their case in keys, so the "MATH" benchmark is not the "math" task.
_CASE_KEPT = re.compile(r"^[A-Z]{2,10}s?$")
_YEAR = re.compile(r"([a-z])[ ]?(?:19|20)(\d\d)\b")
_TRAILING_ACRONYM = re.compile(r"\s*\(\s*([A-Za-z][A-Za-z0-9&+\-]{1,11})\s*\)?\s*$")


@dataclass(frozen=True)
class Lexicon:
    """The word lists of ``data/linking.toml`` in the forms the rules use."""

    generic: frozenset[str]
    not_concepts: frozenset[str]
    suffix_words: frozenset[str]
    same_type_suffix_words: frozenset[str]  # kind words that join only a concept of the same type
    leading_fillers: frozenset[tuple[str, ...]]  # word sequences
    trailing_fillers: frozenset[str]
    vendor: re.Pattern
    word_rules: tuple[tuple[re.Pattern, str], ...]
    head_forms: dict  # last word -> the form it is joined to, when types agree
    synonyms: dict  # key -> (canonical key, class name)


def _spaced(s: str) -> str:
    """Lower case, "+" as " plus", every run of non-word characters one space."""
    s = unicodedata.normalize("NFKC", s).casefold().replace("+", " plus ")
    return re.sub(r"[\W_]+", " ", s).strip()


def _word_rule(words: list[str], head: bool, after: list[str]) -> tuple[re.Pattern, str]:
    alts = "|".join(re.escape(_spaced(w)) for w in sorted(words, key=len, reverse=True))
    pre = "\\b"
    if after:  # a look-behind must have a fixed width: capture the word before instead
        pre = "(?P<pre>\\b(?:" + "|".join(re.escape(_spaced(a)) for a in after) + ") )"
    return re.compile(pre + "(?:" + alts + ")" + ("$" if head else "\\b")), _spaced(words[0])


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The resolution word lists shipped with papergraph (``papergraph/data/linking.toml``)."""
    text = resources.files("papergraph").joinpath("data/linking.toml").read_text(encoding="utf-8")
    d = tomllib.loads(text)
    vendors = sorted(d.get("vendors", []), key=len, reverse=True)
    vendor = re.compile(r"^(?:" + "|".join(re.escape(v) for v in vendors) + r")[\s-]+(?=\S)")
    rules = tuple(_word_rule(w["words"], w.get("head", False), w.get("after", [])) for w in d.get("words", []))
    lex = Lexicon(frozenset(d.get("generic", [])), frozenset(d.get("not_concepts", [])),
                  frozenset(d.get("suffix_words", [])), frozenset(d.get("same_type_suffix_words", [])),
                  frozenset(tuple(f.casefold().split()) for f in d.get("leading_fillers", [])),
                  frozenset(d.get("trailing_fillers", [])), vendor, rules,
                  {w.casefold(): f["words"][0] for f in d.get("head_forms", []) for w in f["words"][1:]}, {})
    for cls in d.get("synonyms", []):
        phrases = cls["phrases"]
        first = _base_key(phrases[0], lex)[0]
        for p in phrases:
            lex.synonyms[_base_key(p, lex)[0]] = (first, phrases[0])
    return lex


def _base_key(surface: str, lex: Lexicon) -> tuple[str, tuple[str, ...]]:
    """The key before phrase synonyms, and the rules that changed it."""
    s = unicodedata.normalize("NFKC", surface).strip()
    if _CASE_KEPT.match(s):
        return (s[:-1] if s.endswith("s") and len(s) > 3 else s), ()
    rules = []
    spaced = _spaced(s)
    if "+" in s:
        rules.append("plus")
    y = _YEAR.sub(r"\1\2", spaced)
    if y != spaced:
        rules.append("year")
    w = y
    for pat, first in lex.word_rules:
        w = pat.sub(lambda m, f=first: (m.groupdict().get("pre") or "") + f, w)
    if w != y:
        rules.append("words")
    k = "".join(singular(x) for x in w.split())
    return k, tuple(rules)


def singular(word: str) -> str:
    """A lower-case word without a plural ending ("chains" -> "chain", "strategies" -> "strategy",
    "approaches" -> "approach"; "bias", "class", "analysis" kept)."""
    if len(word) <= 3 or not word.endswith("s") or word.endswith(("ss", "us", "is", "as", "series", "species")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    return word[:-1]


@functools.lru_cache(maxsize=1 << 16)
def norm_key(surface: str) -> tuple[str, tuple[str, ...]]:
    """The match key of a surface form and the rules that made it differ from a plain fold.

    Example:
        norm_key("AIME 2024")[0] == norm_key("AIME24")[0]
    """
    lex = lexicon()
    k, rules = _base_key(surface, lex)
    syn = lex.synonyms.get(k)
    if syn:
        return (syn[0], rules + (f"synonym of {syn[1]}",)) if syn[0] != k else (k, rules)
    return _tail_synonym(surface, lex) or (k, rules)


def _tail_synonym(surface: str, lex: Lexicon) -> tuple[str, tuple[str, ...]] | None:
    """The key of a name that ends in a phrase of several words of a synonym class, that phrase
    written as its class's first one ("latent chain-of-thought reasoning" = "latent
    chain-of-thought"): the words before it qualify either synonym alike."""
    words = _spaced(surface).split()
    for i in range(1, len(words) - 1):
        tail = " ".join(words[i:])
        k, rules = _base_key(tail, lex)
        syn = lex.synonyms.get(k)
        if syn and syn[0] != k:
            head = _base_key(" ".join(words[:i]), lex)[0]
            return head + syn[0], rules + (f"ends in a synonym of {syn[1]}",)
    return None


@functools.lru_cache(maxsize=1 << 16)
def clean_name(name: str) -> tuple[str, str | None]:
    """``name`` without leading hedges/determiners, trailing function words and a trailing
    "(ACR" parenthesis; returns the cleaned name and that acronym (or None).

    Example:
        clean_name("Chain-of-Thought(CoT") == ("Chain-of-Thought", "CoT")
    """
    lex = lexicon()
    acr = None
    m = _TRAILING_ACRONYM.search(name)
    if m and m.start() > 0 and is_acronym(m.group(1)):
        name, acr = name[: m.start()].rstrip(), m.group(1)
    words = name.split()
    while len(words) > 1:
        n = max((len(f) for f in lex.leading_fillers if len(f) < len(words)
                 and [w.casefold() for w in words[:len(f)]] == list(f)), default=0)
        if not n:
            break
        del words[:n]
    while len(words) > 1 and words[-1].casefold() in lex.trailing_fillers:
        words.pop()
    return " ".join(words), acr


def words_of(surface: str) -> list[str]:
    """The lower-case words of a surface form (hyphens and punctuation split words)."""
    return _spaced(surface).split()


def is_name_like(surface: str) -> bool:
    """True for names written with a digit or a capital after the first letter ("GPT-4o", "LoRA")."""
    s = surface.strip()
    return any(ch.isdigit() for ch in s) or any(ch.isupper() for ch in s[1:])


_STOPWORDS = frozenset({"of", "with", "for", "from", "the", "a", "an", "and", "in", "on", "to", "by", "via"})


def acronym_fits(acronym: str, expansion: str) -> bool:
    """True when the acronym reads off the expansion word by word: each content word (a
    hyphenated compound is one word) gives its first letter and maybe more of its letters, in
    order; "of", "with" ... may give none (after Schwartz & Hearst 2003). "RLVR" fits "reinforcement learning with verifiable rewards",
    "LoRA" fits "low-rank adaptation"; "LMs" does not fit "large language models"."""
    a = acronym.strip()
    if len(a) > 2 and a.endswith("s") and a[-2].isupper():
        a = a[:-1]
    a = re.sub(r"[^a-z0-9]", "", a.casefold())
    # a hyphenated compound is one word: "Reasoning-Pruning" may give one letter or more
    words = [w.replace(" ", "") for w in (_spaced(t) for t in expansion.split()) if w]
    if not a or not words or len(a) > 12 or len(words) > 12:
        return False
    if singular(a) in {singular(w) for w in words_of(expansion)}:
        return False  # "Lifelong LLM Memory" holds "LLM": it does not define it

    @functools.lru_cache(maxsize=None)
    def fit(i: int, w: int) -> bool:
        if w == len(words):
            return i == len(a)
        word = words[w]
        if word in _STOPWORDS and fit(i, w + 1):
            return True
        if i >= len(a) or a[i] != word[0]:
            return False
        j, rest = i + 1, word[1:]
        if fit(j, w + 1):
            return True
        for ch in rest:  # take more letters of this word, in order
            if j < len(a) and ch == a[j]:
                j += 1
                if fit(j, w + 1):
                    return True
        return False

    return fit(0, 0)


def strip_vendor(name: str) -> str | None:
    """``name`` without a vendor prefix ("OpenAI o1" -> "o1"), or None if it has none."""
    m = lexicon().vendor.match(name)
    return name[m.end():] if m else None


__all__ += ["strip_vendor", "concept_key"]
