"""Corpus-level canonicalisation: one concept per real concept across papers, types by vote.

Per paper, the extractor already folds every surface form of a concept into one
``ExtractedConcept`` (name + aliases).  Across papers this module

* keys each concept by its folded name (case, hyphens, spaces, a plural "s" ignored;
  all-caps names keep their case so the "MATH" benchmark is not the "math" task);
* merges concepts whose non-acronym aliases share a key;
* resolves a bare acronym ("RL") to the expansion other papers give it, only when the
  corpus agrees on it (all, or a two-thirds majority of at least two papers; so "RS" can mean
  different things in different papers);
* joins a vendor-prefixed model name to the bare one ("OpenAI o1" = "o1") when both are models;
* decides each concept's type by summing its per-paper ``type_scores`` (corpus voting);
* links versioned model names to their family (``VARIANT_OF``: "Qwen2.5-Math-7B" ->
  "Qwen2.5-Math") when the family is itself a concept.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Sequence

from ..model import CONCEPT_TYPES, PaperExtraction

__all__ = ["CanonicalConcept", "Canonicalization", "canonicalize", "concept_key", "apply_votes"]

# Acronym-like names ("RL", "LLMs", "LoRA", "CoT"): resolved through the expansions papers give them.
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Za-z0-9&+]{2,10}$")
# All-caps words keep their case in keys, so the "MATH" benchmark is not the "math" task.
_CASE_KEPT = re.compile(r"^[A-Z]{2,10}s?$")
# Suffixes stripped (one at a time) to find a model's family: sizes, tuning tags, dates.
_VARIANT_SUFFIX = re.compile(
    r"(?:[-_ ](?:\d+(?:\.\d+)?[BbMmKkTt]|x\d+|Instruct|Chat|Base|Preview|Turbo|Mini|mini|it|\d{4}(?:-\d\d){0,2})"
    r"|/\d+(?:\.\d+)?[BbMm])$"
)

# Organisations whose name often precedes a model's ("OpenAI o1", "Meta Llama 3").
_VENDOR = re.compile(r"^(?:OpenAI|Google|Meta|Anthropic|Microsoft|Alibaba|Mistral AI|NVIDIA|Apple|Amazon)[\s-]+(?=\S)")


@functools.lru_cache(maxsize=1 << 18)
def is_acronym(name: str) -> bool:
    """True for short names with two or more capitals such as "RL", "LLMs", "LoRA"."""
    return bool(_ACRONYM.match(name.strip()))


@functools.lru_cache(maxsize=1 << 18)
def concept_key(name: str) -> str:
    """The canonical key of a surface form.

    Example:
        concept_key("Chain-of-thought prompts") == concept_key("chain of thought prompt")
    """
    s = unicodedata.normalize("NFKC", name).strip()
    if _CASE_KEPT.match(s):
        return s[:-1] if s.endswith("s") and len(s) > 3 else s
    k = re.sub(r"[\W_]+", "", s.casefold())
    if len(k) > 3 and k.endswith("s") and not k.endswith(("ss", "us", "is")):
        k = k[:-1]
    return k


@dataclass
class CanonicalConcept:
    """One concept of the corpus."""

    key: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    papers: list[str] = field(default_factory=list)
    confidence: float = 0.5
    type_votes: dict[str, float] = field(default_factory=dict)


@dataclass
class Canonicalization:
    """The corpus' concepts and which per-paper concept became which."""

    concepts: dict[str, CanonicalConcept]
    assignment: dict[tuple[str, str], str]  # (paper_id, per-paper concept name) -> key
    variants: list[tuple[str, str]]  # (variant key, family key)


class _UnionFind:
    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, x: str) -> str:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _acronym_expansions(extractions: Sequence[PaperExtraction]) -> dict[str, Counter]:
    """Acronym key -> Counter of expansion keys, over papers that define the acronym."""
    out: dict[str, Counter] = defaultdict(Counter)
    for ex in extractions:
        for c in ex.concepts:
            if is_acronym(c.name):
                continue
            for a in c.aliases:
                if is_acronym(a):
                    out[concept_key(a)][concept_key(c.name)] += 1
    return out


#: A bare acronym takes the expansion that at least this share of the papers defining it give
#: (and at least two papers, or every one): "LLM" -> "large language model" despite a stray
#: "long-context LLM", while "RS" defined as two different things in two papers stays itself.
ACRONYM_MAJORITY = 2 / 3


def _resolve(name: str, expansions: dict[str, Counter]) -> str:
    """The key of a per-paper concept name, resolving a bare acronym when the corpus agrees."""
    key = concept_key(name)
    if is_acronym(name) and key in expansions:
        total = sum(expansions[key].values())
        (best, n), *rest = expansions[key].most_common(2) + [(None, 0)]
        if best and n > rest[0][1] and (n == total or (n >= 2 and n >= ACRONYM_MAJORITY * total)):
            return best
    return key


def canonicalize(extractions: Sequence[PaperExtraction]) -> Canonicalization:
    """Merge per-paper concepts into corpus concepts.

    Args:
        extractions: one ``PaperExtraction`` per paper.

    Returns:
        A ``Canonicalization``: concepts by key, the per-paper assignment, and variant links.
    """
    expansions = _acronym_expansions(extractions)
    resolved: dict[str, str] = {}

    def resolve(name: str) -> str:
        key = resolved.get(name)
        if key is None:
            key = resolved[name] = _resolve(name, expansions)
        return key

    uf = _UnionFind()
    for ex in extractions:
        for c in ex.concepts:
            k = resolve(c.name)
            uf.find(k)
            for a in c.aliases:
                if not is_acronym(a) and not is_acronym(c.name):
                    uf.union(k, concept_key(a))
    _merge_vendor_prefixes(extractions, resolve, uf)

    groups: dict[str, list] = defaultdict(list)
    assignment: dict[tuple[str, str], str] = {}
    for ex in extractions:
        for c in ex.concepts:
            root = uf.find(resolve(c.name))
            groups[root].append((ex.paper_id, c))
            assignment[(ex.paper_id, c.name)] = root

    concepts = {root: _merge(root, members) for root, members in groups.items()}
    return Canonicalization(concepts, assignment, _variants(concepts))


def _merge_vendor_prefixes(extractions: Sequence[PaperExtraction], resolve, uf: _UnionFind) -> None:
    """Join "OpenAI o1" to "o1" (and the like) when both are Model concepts in the corpus.

    ``resolve``: per-paper concept name -> key (see :func:`_resolve`).
    """
    models = {resolve(c.name) for ex in extractions for c in ex.concepts if c.type == "Model"}
    for ex in extractions:
        for c in ex.concepts:
            m = _VENDOR.match(c.name) if c.type == "Model" else None
            if m and concept_key(c.name[m.end():]) in models:
                uf.union(concept_key(c.name[m.end():]), resolve(c.name))


def _merge(key: str, members: list) -> CanonicalConcept:
    names = Counter(c.name for _, c in members)
    # The most frequent name; ties go to the fullest form (longest), then alphabetical.
    name = sorted(names, key=lambda n: (-names[n], is_acronym(n), -len(n), n))[0]
    votes: Counter = Counter()
    for _, c in members:
        scores = c.type_scores or {c.type: c.confidence}
        for t, s in scores.items():
            if t in CONCEPT_TYPES:
                votes[t] += s
    ctype = max(CONCEPT_TYPES, key=lambda t: (votes[t], -CONCEPT_TYPES.index(t)))
    aliases = sorted({a for _, c in members for a in [c.name, *c.aliases]} - {name}, key=lambda a: (a.casefold(), a))
    papers = sorted({pid for pid, _ in members})
    conf = max(c.confidence for _, c in members)
    return CanonicalConcept(key, name, ctype, aliases, papers, round(conf, 4),
                            {t: round(v, 4) for t, v in votes.items() if v})


def _variants(concepts: dict[str, CanonicalConcept]) -> list[tuple[str, str]]:
    out = []
    for key, c in concepts.items():
        if c.type != "Model":
            continue
        name = c.name
        while True:
            stripped = _VARIANT_SUFFIX.sub("", name)
            if stripped == name or len(stripped) < 2:
                break
            fam = concept_key(stripped)
            if fam in concepts and fam != key:
                out.append((key, fam))
                break
            name = stripped
    return sorted(out)


def apply_votes(extractions: Sequence[PaperExtraction], canon: Canonicalization) -> list[PaperExtraction]:
    """Copies of ``extractions`` whose concept types are the corpus-level vote."""
    out = []
    for ex in extractions:
        cs = []
        for c in ex.concepts:
            key = canon.assignment.get((ex.paper_id, c.name))
            t = canon.concepts[key].type if key in canon.concepts else c.type
            cs.append(replace(c, type=t))
        out.append(replace(ex, concepts=cs))
    return out
