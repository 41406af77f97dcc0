"""Who reports a number: the model or method a result is for.

"68.7% for X"; none for others' numbers ("the state-of-the-art of 43%") or "respectively" lists;
the Model/Method in the subject of the verb that governs the number (dependency parse: "X achieves
...", "X reduces latency by 40%"); "we" / "our method" -> the paper's one proposed model or method;
the sentence's proposed one; the nearest model before the number in its clause.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .result_links import Sentence

__all__ = ["subject_of"]

_OURS = re.compile(r"^(?:we|our|ours|the proposed|the new)\b", re.I)
# "the single-attempt state-of-the-art of 43%", "baselines reach only 60%": others' numbers
_OTHERS = re.compile(r"(?:state[- ]of[- ]the[- ]art|baselines?|prior work|previous (?:best|methods?))\s*(?:of|at|reach\w*|"
                     r"achiev\w*|scor\w*|,\s*which reach\w*)?\s*(?:only\s+|about\s+|around\s+)?$", re.I)


def _governing_subject(sent: Sentence, r, models):
    """The Model/Method in the subject of the verb that governs the number, or "ours" for we/our X."""
    span = sent.doc.char_span(r["start"], r["end"], alignment_mode="expand")
    if span is None:
        return None
    tok = next((t for t in span if re.search(r"\d", t.text)), span[0])
    for _ in range(8):
        if tok.pos_ in ("VERB", "AUX"):
            subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
            if not subj and tok.dep_ in ("conj", "advcl", "xcomp") and tok.head is not tok:
                tok = tok.head
                continue
            if not subj:
                return None
            sub = subj[0]
            s, e = sub.left_edge.idx, sub.right_edge.idx + len(sub.right_edge)
            inside = [c for ms, me, c in models if s <= ms and me <= e]
            if inside:
                return inside[0].name
            return "ours" if _OURS.match(sent.text[s:e]) else None
        if tok.head is tok:
            return None
        tok = tok.head
    return None


def subject_of(sent: Sentence, r, models, respectively: bool, proposed: str | None):
    """The name of the model or method result ``r`` of sentence ``sent`` is for, or None.

    Args:
        sent: the sentence (a :class:`.result_links.Sentence`).
        r: the result (document offsets).
        models: ``(start, end, concept)`` of the sentence's Model/Method mentions.
        respectively: the sentence is a "respectively" list.
        proposed: the paper's one proposed model or method, if it has exactly one.
    """
    text = sent.text
    for s, _, c in models:
        if s >= r["end"] and re.fullmatch(r"\s*(?:%|\\%)?\s*(?:for|with|by|of)\s+(?:the\s+)?", text[r["end"]:s]):
            return c.name
    if respectively:
        return None  # "A and B reach 39% and 57%, respectively": not resolved
    if _OTHERS.search(text[max(sent.start, r["start"] - 60):r["start"]]):
        return None
    who = _governing_subject(sent, r, models)
    if who == "ours":
        own = [c.name for _, _, c in models if c.role == "proposed"]
        return own[0] if own else proposed
    if who:
        return who
    for _, _, c in models:
        if c.role == "proposed":
            return c.name
    before = [(s, c) for s, e, c in models if c.type == "Model" and e <= r["start"]
              and not re.search(r"[;,()]", text[e:r["start"]])
              and not re.search(r"\b(?:against|than|over|versus|vs\.?)\s+(?:the\s+)?$", text[max(0, s - 12):s])]
    if before:
        return max(before, key=lambda x: x[0])[1].name
    if not models and _OURS.search(text[sent.start:r["start"]].split(",")[-1].strip()):
        return proposed  # "Our approach increases ...": the paper's one proposed model or method
    return None
