"""Corpus-level concepts: the types the resolution stage returns, concept keys, type votes.

The resolution itself (which per-paper concepts are one node, and why) is
``papergraph.resolve``; :func:`canonicalize` is its entry point under the old name.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Sequence

from ..model import PaperExtraction

__all__ = ["CanonicalConcept", "Canonicalization", "canonicalize", "concept_key", "is_acronym", "apply_votes"]

# Acronym-like names ("RL", "LLMs", "LoRA", "CoT"): resolved through the expansions papers give them.
_ACRONYM = re.compile(r"^(?=(?:.*[A-Z]){2})[A-Za-z0-9&+]{2,10}$")
# All-caps words keep their case in keys, so the "MATH" benchmark is not the "math" task.
_CASE_KEPT = re.compile(r"^[A-Z]{2,10}s?$")


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
    """One concept of the corpus (a Concept node)."""

    key: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    papers: list[str] = field(default_factory=list)
    confidence: float = 0.5
    type_votes: dict[str, float] = field(default_factory=dict)
    #: Why its names are one node: "rule: evidence" (see ``papergraph.resolve``).
    merge_reasons: list[str] = field(default_factory=list)
    #: Public identifier from the knowledge base, if linked.
    kb_id: str | None = None
    kb_source: str | None = None
    url: str | None = None


@dataclass
class Canonicalization:
    """The corpus' concepts and which per-paper concept became which."""

    concepts: dict[str, CanonicalConcept]
    assignment: dict[tuple[str, str], str]  # (paper_id, per-paper concept name) -> key
    variants: list[tuple[str, str]]  # (variant key, family key)
    #: Match key of every surface form seen -> node key (for names of relations and results).
    keys: dict[str, str] = field(default_factory=dict)

    def key_for_name(self, name: str) -> str | None:
        """The node a surface form names in the corpus, if any."""
        from ..resolve.normalize import norm_key

        return self.keys.get(norm_key(name)[0])

    def key_for(self, paper_id: str, name: str | None) -> str | None:
        """The node of a concept named ``name`` in paper ``paper_id`` (its own concept first)."""
        if not name:
            return None
        return self.assignment.get((paper_id, name)) or self.key_for_name(name)


def canonicalize(extractions: Sequence[PaperExtraction], **kwargs) -> Canonicalization:
    """Merge per-paper concepts into corpus concepts (the resolution stage, ``papergraph.resolve``).

    Args:
        extractions: one ``PaperExtraction`` per paper.
        **kwargs: ``curation`` and ``kb`` of :func:`papergraph.resolve.resolve`.

    Returns:
        A ``Canonicalization``: concepts by key, the per-paper assignment, and variant links.
    """
    from ..resolve import resolve

    return resolve(extractions, **kwargs)


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
