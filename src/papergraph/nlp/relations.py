"""Concept-concept relations stated within one sentence.

* ``EVALUATED_ON``: a Model/Method and a Benchmark joined by "on"/"across" ("X achieves 90% on B").
* ``APPLIED_TO``: a Method followed by a Task after "for"/"to"/"in" ("X for type inference").
* ``BASED_ON``: "Y built on / based on / extends X", and "X-based Y".
* ``PART_OF``: "Y consists of / comprises / includes X".
"""

from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc

from ..model import PaperExtraction, Relation
from .tokens import doc_text

__all__ = ["Relations", "collect", "relation_between"]

_ON = re.compile(r"\b(?:on|across|over)\b(?:\s+(?:the|a|an|both|several|multiple|\w+-?\w*\s+benchmarks?))?\s*$", re.I)
_FOR = re.compile(r"\b(?:for|to|in|on)\s+(?:the\s+|a\s+)?$", re.I)
_BASED = re.compile(r"\b(?:built (?:up)?on|based on|builds (?:up)?on|extends|extending|on top of|derived from|initiali[sz]ed from)\s+(?:the\s+|a\s+)?$", re.I)
_PART = re.compile(r"\b(?:consists? of|comprises?|comprising|includes?|including|contains?|integrates?)\s+(?:a\s+|an\s+|the\s+)?$", re.I)
_MAX_GAP = 80


def relation_between(src_type: str, tgt_type: str, between: str) -> tuple[str, str] | None:
    """The relation type and rule for source -> target given the text between their mentions."""
    between = between[-_MAX_GAP:]
    if src_type in ("Model", "Method") and tgt_type == "Benchmark" and _ON.search(between):
        return "EVALUATED_ON", "on-benchmark"
    if src_type in ("Method", "Model") and tgt_type in ("Method", "Model") and _BASED.search(between):
        return "BASED_ON", "built-on"
    if src_type in ("Method", "Model") and tgt_type in ("Method", "Model") and _PART.search(between):
        return "PART_OF", "consists-of"
    if src_type == "Method" and tgt_type == "Task" and _FOR.search(between) and len(between) < 40:
        return "APPLIED_TO", "method-for-task"
    return None


class Relations:
    """spaCy component: ``doc._.pg_sents`` = sentence character spans (relations are read per sentence)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        if not Doc.has_extension("pg_sents"):
            Doc.set_extension("pg_sents", default=None)

    def __call__(self, doc: Doc) -> Doc:
        doc._.pg_sents = [(s.start_char, s.end_char) for s in doc.sents]
        return doc


def _mentions_by_sentence(docs: dict, ex: PaperExtraction):
    """(field, sentence span) -> sorted [(start, end, concept)] of the paper's concept mentions."""
    out: dict[tuple, list] = {}
    sents = {fld: doc._.pg_sents or [] for fld, doc in docs.items() if doc is not None}
    starts = {fld: [s for s, _ in spans] for fld, spans in sents.items()}
    for c in ex.concepts:
        for m in c.mentions:
            if m.field not in sents:
                continue
            k = bisect.bisect_right(starts[m.field], m.start) - 1  # the last sentence starting at or before it
            if k >= 0:
                s, e = sents[m.field][k]
                if m.start < e:
                    out.setdefault((m.field, s, e), []).append((m.start, m.end, c))
    return out


def collect(docs: dict, ex: PaperExtraction, texts: dict | None = None) -> list[Relation]:
    """The concept-concept relations of one paper (deduplicated, first evidence kept).

    ``texts`` (field -> the paper's original text) supplies the evidence sentence in the
    paper's own characters; the docs hold prepared (sentence-cased, LaTeX-blanked) text.
    """
    seen: dict[tuple, Relation] = {}
    doc_texts: dict[str, str] = {}
    for (fld, s, e), ms in _mentions_by_sentence(docs, ex).items():
        text = doc_texts.get(fld)
        if text is None:
            text = doc_texts[fld] = doc_text(docs[fld])
        original = (texts or {}).get(fld)
        ms.sort(key=lambda x: x[0])
        sentence = (original if original is not None and len(original) == len(text) else text)[s:e].strip()
        for a, (s1, e1, c1) in enumerate(ms):
            for s2, e2, c2 in ms[a + 1:]:
                if c1 is c2 or s2 < e1:
                    continue
                between = text[e1:s2]
                if text[s1:e2].count("-based") and between in ("-based ", "-"):
                    rel = ("BASED_ON", "x-based")
                    src, tgt = c2, c1
                else:
                    rel = relation_between(c1.type, c2.type, between)
                    src, tgt = c1, c2
                    if rel and rel[0] == "PART_OF":  # "Y comprises X": X is part of Y
                        src, tgt = c2, c1
                if rel and (src.name, tgt.name, rel[0]) not in seen:
                    seen[(src.name, tgt.name, rel[0])] = Relation(
                        source=src.name, target=tgt.name, type=rel[0], evidence=sentence,
                        confidence=round(min(src.confidence, tgt.confidence) * 0.8, 3), rule=rel[1])
    return list(seen.values())


@Language.factory("papergraph_relations", default_config={})
def make_relations(nlp: Language, name: str) -> Relations:
    """Factory of the relation component."""
    return Relations(nlp, name)
