"""Which named models a paper evaluates on which named benchmarks, from its evaluation sentences.

"We evaluate X and Y on A and B", "X and Y are tested across A", "experiments on A and B with X":
an evaluation word (verb or noun) whose object (or passive subject, or "with"/"using" phrase)
holds Model mentions (or the paper's proposed method) and whose "on"/"across"/"over" phrase holds Benchmark mentions, read
from the dependency parse; every model so named is paired with every benchmark so named.
"""

from __future__ import annotations

from ..model import PaperExtraction
from .tokens import doc_text

__all__ = ["evaluated_pairs", "EVALUATION_WORDS"]

#: Lemmas of the verbs and nouns that introduce an evaluation.
EVALUATION_WORDS = frozenset({"evaluate", "evaluation", "test", "benchmark", "assess", "assessment", "validate",
                              "validation", "experiment", "measure", "compare", "comparison", "run", "apply"})
_VENUE = frozenset({"on", "across", "over"})
_TOOL = frozenset({"with", "using", "use"})
_MAX = 8  # a longer list is more likely a parse error than an evaluation


def _range(tok) -> tuple[int, int]:
    """Character range of a token's subtree."""
    return tok.left_edge.idx, tok.right_edge.idx + len(tok.right_edge)


def _inside(ms, ranges, keep) -> list[str]:
    """Names (in order, distinct) of the mentions of concepts ``keep(concept)`` inside any of ``ranges``."""
    names = {}
    for s, e, c in ms:
        if keep(c) and any(a <= s and e <= b for a, b in ranges):
            names.setdefault(c.name, None)
    return list(names)


def _is_benchmark(c) -> bool:
    return c.type == "Benchmark"


def _is_evaluated(c) -> bool:
    """A named model, or the paper's own method (not a generic method such as "large language model")."""
    return c.type == "Model" or (c.type == "Method" and c.role == "proposed")


def _venue_ranges(tok) -> list[tuple[int, int]]:
    """The "on/across/over" phrases of the word, or of its objects ("evaluate [X on A]" is a common parse)."""
    heads = [tok] + [n for c in tok.children if c.dep_ in ("dobj", "nsubjpass") for n in (c, *c.conjuncts)]
    return [_range(p) for h in heads for p in h.children if p.dep_ == "prep" and p.lower_ in _VENUE]


def _object_ranges(tok) -> list[tuple[int, int]]:
    out = [_range(c) for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    out += [_range(c) for c in tok.children if c.dep_ in ("prep", "acl", "advcl") and c.lower_ in _TOOL]
    return out


def evaluated_pairs(docs: dict, ex: PaperExtraction, texts: dict | None = None) -> list[tuple[str, str, str, str]]:
    """``(model name, benchmark name, evidence sentence, rule)`` for each model a sentence of the
    paper evaluates on a benchmark (names are the paper's concept names)."""
    out = []
    for fld, doc in docs.items():
        if doc is None:
            continue
        text = doc_text(doc)
        original = (texts or {}).get(fld)
        source = original if original is not None and len(original) == len(text) else text
        mentions = sorted((m.start, m.end, c) for c in ex.concepts for m in c.mentions if m.field == fld)
        if not any(c.type == "Benchmark" for _, _, c in mentions):
            continue
        for sent in doc.sents:
            ms = [x for x in mentions if sent.start_char <= x[0] < sent.end_char]
            if not any(c.type == "Benchmark" for _, _, c in ms) or not any(c.type == "Model" for _, _, c in ms):
                continue
            for tok in sent:
                if tok.lemma_.lower() not in EVALUATION_WORDS or tok.pos_ not in ("VERB", "NOUN"):
                    continue
                venues = _venue_ranges(tok)
                benches = _inside(ms, venues, _is_benchmark)
                models = [n for n in _inside(ms, _object_ranges(tok), _is_evaluated)
                          if n not in _inside(ms, venues, _is_evaluated)]
                if benches and models and len(benches) <= _MAX and len(models) <= _MAX:
                    evidence = source[sent.start_char:sent.end_char].strip()
                    out += [(m, b, evidence, "evaluate-on") for m in models for b in benches]
    return out
