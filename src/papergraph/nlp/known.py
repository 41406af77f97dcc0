"""Known names in the text: runs of whole words that the gazetteer (the package list, the
knowledge base of :mod:`papergraph.knowledge`, a user vocabulary) knows, with its case rules,
and the known name inside a compound ("GPT-4-powered"). They become candidates of their own.

The scan is a dictionary walk, not a pattern per name: from each word group it extends the
folded text one group at a time while it is a prefix of some known name (``Lexicon.prefixes``).
"""

from __future__ import annotations


from ..knowledge import load_kb
from .lexicon import Lexicon, fold
from .shapes import ADJ_SUFFIXES, SEPARATORS
from .tokens import TokenColumns, new_candidate

__all__ = ["add_known_names", "known_spans"]

_MAX_KNOWN_WORDS = 6  # word groups in the longest known name looked for ("Claude 3.5 Sonnet")
_NAME_KINDS = ("name", "name-part", "name+class", "gazetteer", "kb")
_NAME_KIND_SET = frozenset(_NAME_KINDS)
_NARROWED = frozenset({"Method", "Task"})  # types whose known names a longer phrase may narrow


def known_spans(toks: TokenColumns, lex: Lexicon):
    """Known names in the text as ``(start, end, type, compound)`` token ranges: the longest run
    of whole word groups that the gazetteer knows (with its case rules), and the known name in a
    compound ("GPT-4-powered", "LLaMA-based", "Claude-style")."""
    text, sep = toks.text, SEPARATORS - {"'s", "’s"}
    for (s0, _), groups in zip(toks.sents, toks.sentence_groups()):
        parts = [fold(text[a] if b - a == 1 else toks.span_text(a, b)) for a, b in groups]  # each group folded once
        n = 0
        while n < len(groups):
            key, best = "", None
            for m in range(n, min(n + _MAX_KNOWN_WORDS, len(groups))):
                a, b = groups[m]
                part = parts[m]
                if not part or b - a == 1 and text[a] in sep:
                    break  # punctuation ends a name ("--", "&", ",")
                key += part
                if key not in lex.prefixes:
                    break
                if key in lex.gazetteer:
                    span = toks.span_text(groups[n][0], b)
                    typ = lex.gazetteer_type(span)
                    if typ and _name_like(span, typ, initial=groups[n][0] == s0):
                        best = (groups[n][0], b, typ, m)
            if best:
                yield *best[:3], False
                n = best[3] + 1
                continue
            a, b = groups[n]
            if b - a > 2 and text[b - 2] == "-" and toks.lower[b - 1] in ADJ_SUFFIXES:
                typ = lex.gazetteer_type(toks.span_text(a, b - 2))
                if typ:  # a known name only: "API-based", "PhD-level" are no concepts
                    yield a, b - 2, typ, True
            n += 1


def _name_like(span: str, typ: str, *, initial: bool) -> bool:
    """A known name written as a name: a capital or a digit. For concepts named by ordinary words
    not only a sentence's first capital ("Pruning helps"), and one word needs more than its first
    capital ("LoRA", "F1"; not "Transformer"). A task of several words is specific enough in
    lower case ("semantic segmentation", "text-to-image generation")."""
    if typ == "Task" and (" " in span or "-" in span):
        return True
    if typ in ("Model", "Benchmark"):
        return any(c.isupper() or c.isdigit() for c in span)
    rest = span[1:] if initial or " " not in span else span
    return any(c.isupper() or c.isdigit() for c in rest)


def _narrows(c: dict, start: int, end: int, typ: str) -> bool:
    """A phrase that ends with a known Method or Task and narrows it ("few-shot image classification",
    "pessimistic offline RL"): it stays a candidate beside the known name, and the scorer picks."""
    return typ in _NARROWED and c["ts"] < start and c["te"] == end


def _title_cased(text: str) -> bool:
    """Several words, each capitalised: a name of its own ("Prototypical Bayesian Continual Learning")."""
    words = text.split()
    return len(words) > 1 and all(w[:1].isupper() for w in words)


def add_known_names(toks: TokenColumns, cands: list[dict], lex: Lexicon) -> list[dict]:
    """Add the known names of :func:`known_spans` as candidates (rule ``kb``, plus ``kb:<kb_id>``
    when the knowledge base has the name). A candidate with the same span gets the rules; the other
    candidates it overlaps, a phrase around it ("GSM8K test set") or one it cuts ("Diffusion XL" in
    "Stable Diffusion XL"), give way to it, except the phrase of a compound ("BoN-aware
    fine-tuning") and a phrase narrowing a known Method or Task (:func:`_narrows`); a name inside a
    longer name ("Qwen2.5 72B", a Title Cased phrase) is not added."""
    out = list(cands)
    for start, end, typ, compound in known_spans(toks, lex):
        entry = load_kb().lookup(toks.span_text(start, end))
        rules = ["kb"] + ([f"kb:{entry.kb_id}"] if entry else [])
        same = [c for c in out if (c["ts"], c["te"]) == (start, end)]
        if same:
            for c in same:
                c["rules"].extend(rules)
                c["plural"] = False  # the name as written ("Natural Questions")
            continue
        if any(c["ts"] <= start and end <= c["te"] and (not _NAME_KIND_SET.isdisjoint(c["rules"])
                                                        or _title_cased(c["text"])) for c in out):
            continue  # inside a longer name ("Qwen2.5 72B", "Prototypical Bayesian Continual Learning")
        if not compound:  # ... but "BoN-aware fine-tuning" stays beside "BoN"
            out = [c for c in out if c["te"] <= start or end <= c["ts"] or _narrows(c, start, end, typ)]
        c = new_candidate(toks, start, end, rule="kb", conf=0.8, types={typ: 2.0}, name=True)
        c["rules"].extend(rules[1:])
        out.append(c)
    return out
