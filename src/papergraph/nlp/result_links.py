"""What a reported number is about: its metric, benchmark and subject (model or method).

Read per sentence from the positions of the concepts extracted in it, the dependency parse and
scope rules, in order of how directly the text says it:

* metric: a Metric concept or a measured noun phrase ("latency", "token usage") next to the
  number ("71% accuracy", "accuracy of 71%", "reduces latency by 40%"), the measure the governing
  change verb changes (parse), shared along a list ("accuracy rates of 63%, 95% and 66%"), else
  the paper's only metric;
* benchmark: "on B" after or before the number, "B (85.2%)", a list of benchmarks matched to a
  list of numbers by "respectively", the sentence's scope ("On B, ...") or only benchmark, else
  the paper's only benchmark;
* subject: see :mod:`.result_subject`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc

from .measures import is_measure
from .result_subject import subject_of

__all__ = ["Sentence", "link_sentence", "measure_phrases"]

# What may stand between a number and the metric it reports (same clause only).
_METRIC_AFTER = re.compile(r"^\s*(?:%|points?|pp|percentage points?)?\s*(?:(?:in|of|the|on|average|mean|overall|"
                           r"absolute|relative|higher|lower|better|more|less|fewer|improvements?|gains?|increase|"
                           r"reduction|points?|top-1|top-5)\s+){0,3}$", re.I)
_HEDGE = r"up to|approximately|about|around|roughly|nearly|almost|over|more than|at least|only|just|an average of"
_METRIC_BEFORE = re.compile(r"^\s*(?:(?:on|in)\s+[A-Za-z][\w.-]*(?:\s+[A-Za-z][\w.-]*){0,2}\s+"  # "accuracy on B improves"
                            r"(?=(?:increases?|improves?|rises?|drops?|decreases?|goes|is|was|from|of)\b))?"
                            r"(?:(?:rates?\s+)?(?:of|is|was|to|from|by|reaches|reaching|achieves?|achieving|attains?|"
                            r"scores?|increases?|improves?|rises?|drops?|goes|up|at|an?|average|avg\.?|\(|=|:|"
                            + _HEDGE + r")\s*)*(?:\d+(?:\.\d+)?\s*%?\s*(?:to|and|vs\.?)\s*)?$", re.I)
_BENCH_BETWEEN = re.compile(r"^[^,;]{0,40}?\b(?:on|in|for|across)\s+(?:the\s+)?$|^\s*(?:%|\\%)?\s*of\s+(?:the\s+)?$", re.I)
# "..., and pass@32 from 60% to 67%": a parallel clause that keeps the benchmark named before it
_PARALLEL = re.compile(r"^\s*(?:%|\\%)?\s*,?\s*(?:and\s+)?(?:the\s+)?[\w@-]+(?:\s+[\w@-]+)?\s+from\s+$", re.I)
_LIST_GAP = re.compile(r"^\s*(?:%|\\%)?\s*(?:(?:on|in|for)\s+[^\d,;()]{1,40}?)?(?:,|,?\s*and|,?\s*or|&|to|-|–|/|vs\.?|versus)"
                       r"\s*$", re.I)
_RANGE_GAP = re.compile(r"^\s*(?:%|\\%)?\s*(?:to|-|–|vs\.?|versus)\s*$", re.I)
_VAGUE = {"significant", "substantial", "considerable", "notable", "large", "larger", "small", "smaller",
          "higher", "lower", "better", "worse", "more", "less", "fewer", "relative", "absolute", "total",
          "overall", "remarkable", "impressive", "average", "similar", "comparable", "strong", "state-of-the-art"}
# the sentence scopes its numbers to something that is not one named benchmark
_OTHER_SCOPE = re.compile(r"\b(?:on|across|over)\s+(?!the same\b)(?:[\w-]+\s+){0,3}?(?:tasks?|datasets?|benchmarks?|"
                          r"domains?|settings?)\b", re.I)
_CHANGE_NOUN = re.compile(r"(?:improvement|gain|increase|reduction|decrease|drop|boost|jump|degradation)s?$")
_CHANGE_LEMMA = re.compile(r"(?:improve|increase|boost|reduce|decrease|cut|lower|raise|enhance|elevate|drop|save|"
                           r"shrink|lift|degrade)$")
_SIZE = re.compile(r"\b(?:larger|smaller|bigger|more parameters)\b", re.I)
_DOWN_WORDS = re.compile(r"\b(?:fewer|less|faster|cheaper|reduc\w*|cut\w*|sav\w*|speedups?)\b", re.I)


@dataclass
class Sentence:
    """One sentence of a paper's field: its text offsets, concept mentions and the paper's concepts."""

    doc: Doc
    text: str  # the doc's whole text
    start: int
    end: int
    mentions: list  # [(start, end, concept)] inside the sentence, sorted
    paper_concepts: list  # every ExtractedConcept of the paper


def measure_phrases(doc: Doc, start: int, end: int, taken: list) -> list[tuple[int, int, str]]:
    """Noun phrases in ``[start, end)`` whose head word names a measure ("latency", "token usage"),
    as ``(start, end, name)``; phrases overlapping a non-Metric concept mention in ``taken`` are left out."""
    out = []
    for tok in doc.char_span(start, end, alignment_mode="contract") or []:
        if tok.pos_ not in ("NOUN", "PROPN") or not (is_measure(tok.text) or is_measure(tok.lemma_)):
            continue
        if tok.dep_ == "compound" and not _CHANGE_NOUN.match(tok.head.lower_):
            continue  # "performance gains": the measure is the modifier of a change word
        toks = [tok]
        for left in reversed(list(tok.lefts)):
            if left.i != toks[0].i - 1 or left.dep_ not in ("compound", "amod", "nmod") or left.like_num \
                    or left.lower_ in _VAGUE or not re.search(r"[A-Za-z]", left.text):
                break
            toks.insert(0, left)
        s, e = toks[0].idx, tok.idx + len(tok)
        if any(s < me and ms < e and c.type != "Metric" for ms, me, c in taken):
            continue
        words = [t.text for t in toks[:-1]] + [tok.lemma_ if tok.tag_ == "NNS" and tok.text.islower() else tok.text]
        out.append((s, e, " ".join(w.lower() if w[:1].isupper() and w[1:].islower() else w for w in words)))
    return out


def _metric_near(cands, r, text: str):
    """The metric candidate next to the number: after it, before it, or inside the matched span."""
    best = None
    for s, e, name in cands:
        if r["end"] <= s and _METRIC_AFTER.match(text[r["end"]:s]):
            d = s - r["end"]
        elif e <= r["start"] and _METRIC_BEFORE.match(text[e:r["start"]]):
            d = r["start"] - e
        elif r["start"] <= s and e <= r["end"]:
            d = (r["end"] - e) / 1000  # inside "reduces latency by 40%": the one nearest the number
        else:
            continue
        if best is None or d < best[0]:
            best = (d, name)
    return best[1] if best else None


def _changed_measure(sent: Sentence, r, metrics):
    """The measure that the change verb governing the number changes: "reduces [the latency of X] by
    40%", "[output tokens] are reduced by 58%", "improve [the performance of X on B] from 26% to 30%"."""
    span = sent.doc.char_span(r["start"], r["end"], alignment_mode="expand")
    if span is None:
        return None
    tok = next((t for t in span if re.search(r"\d", t.text)), span[0])
    for _ in range(6):
        if tok.head is tok:
            return None
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX"):
            break
    if not _CHANGE_LEMMA.match(tok.lemma_.lower()):
        return None
    children = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")] \
        or [c for c in tok.children if c.dep_ == "nsubj"]  # "[accuracy on B] increases from 83% to 89%"
    for c in children:
        own = [name for s, e, name in metrics if c.left_edge.idx <= s and e <= c.idx + len(c)]
        if own:  # the phrase's own head or modifier: "improves [the mean accuracy gains] from RL with rewards"
            return own[-1]
        end = min(r["start"], c.right_edge.idx + len(c.right_edge))
        found = [name for s, e, name in metrics if c.left_edge.idx <= s and e <= end]
        if found:
            return found[-1]  # else the nearest before the number: "[the performance of X on B] from 26% to 30%"
    return None


def _measure_after(text: str, r):
    """A measure named in the two words after the number ("3x fewer PRM passes", "30% less compute")."""
    m = re.match(r"\s+(?:(?:in|of|the)\s+){0,2}((?:[\w@-]+\s+)?([\w@-]+))(?=\s*(?:[,.;:)]|$|(?:for|on|in|of|with|and|"
                 r"while|compared|than|over|at|under|across|without|per|to|when|during)\b))", text[r["end"]:r["end"] + 60])
    if not m:
        return None
    words = m.group(1).split()
    if words[0].lower() in ("on", "for", "with", "at", "over", "than"):
        return None  # "35.3% on length instruction following": a scope, not a measure
    if not is_measure(words[-1]):
        return None
    return " ".join(words) if len(words) > 1 and words[0].lower() not in _VAGUE else words[-1]


def _benchmark_near(bench, r, text: str):
    """ "71% accuracy on B" (after), "on B improves from 84% to 91%" (before) or "B (85.2%)"."""
    for s, e, c in bench:
        if s >= r["end"] and _BENCH_BETWEEN.match(text[r["end"]:s]) and " and " not in text[r["end"]:s]:
            return c.name
    for s, e, c in bench:  # tables in text: "GSM8K (85.2%)", "GSM8K: 85.2"
        if e <= r["start"] and re.fullmatch(r"\s*(?:\(|:|=)\s*", text[e:r["start"]]):
            return c.name
    before = [(e, c) for s, e, c in bench if e <= r["start"]  # (a parenthesis may open right before the number)
              and re.search(r"\b(?:on|in)\s+(?:the\s+)?$", text[max(0, s - 8):s])
              and not re.search(r"[,;()]|\band\b|\bthan\b", re.sub(r"\(\s*$", "", text[e:r["start"]]))]
    return max(before, key=lambda x: x[0])[1].name if before else None


def _in_parentheses(bench, r, text: str, sent_start: int):
    """The one benchmark inside the same parentheses as the number ("6.1% (94.3%, CIFAR-10)"), or in
    the parentheses right after it ("6.1% (94.3%, CIFAR-10)" for 6.1%)."""
    after = re.match(r"\s*\(", text[r["end"]:])
    open_ = r["end"] + after.end() - 1 if after else text.rfind("(", sent_start, r["start"])
    if open_ < 0 or (not after and ")" in text[open_:r["start"]]):
        return None
    close = text.find(")", open_)
    inside = {c.name for s, e, c in bench if open_ < s and (close < 0 or e <= close)}
    return inside.pop() if len(inside) == 1 else None


def _scope_benchmark(bench, text: str, sent: Sentence):
    """ "On B, ..." / "In particular, on the B benchmark, ...": the benchmark that scopes the sentence."""
    head = text[sent.start:sent.end]
    m = re.match(r"\s*(?:[A-Z][\w ]{0,25},\s*)?(?:on|in|across)\s+(?:the\s+)?", head, re.I)
    if not m:
        return None
    comma = head.find(",", m.end())
    scope = [c for s, e, c in bench if sent.start + m.end() <= s and (comma < 0 or e <= sent.start + comma)]
    return scope[0].name if len({c.name for c in scope}) == 1 and scope[0] is bench[0][2] \
        and bench[0][0] == sent.start + m.end() else None


def _paper_single(concepts, types, roles=None) -> str | None:
    names = {c.name for c in concepts if c.type in types and (roles is None or c.role in roles)}
    return names.pop() if len(names) == 1 else None


def link_sentence(sent: Sentence, results: list[dict]) -> list[dict]:
    """``results`` (one sentence's, document offsets, in order) with ``metric``, ``benchmark`` and
    ``subject`` set to a concept name, a measured phrase, or None."""
    text, ms = sent.text, sent.mentions
    metrics = [(s, e, c.name) for s, e, c in ms if c.type == "Metric"]
    metrics += [p for p in measure_phrases(sent.doc, sent.start, sent.end, ms)
                if not any(p[0] < e and s < p[1] for s, e, _ in metrics)]
    bench = [(s, e, c) for s, e, c in ms if c.type == "Benchmark"]
    models = [(s, e, c) for s, e, c in ms if c.type in ("Model", "Method")]
    respectively = bool(re.search(r"\brespectively\b", text[sent.start:sent.end]))
    out = []
    for r in results:
        r = dict(r)
        r["metric"] = _metric_near(metrics, r, text) or _changed_measure(sent, r, metrics) \
            or _measure_after(text, r) or ("speedup" if re.search(r"\b(?:faster|speedups?)\b", r["text"]) else None)
        r["benchmark"] = None if respectively else _in_parentheses(bench, r, text, sent.start) \
            or _benchmark_near(bench, r, text)
        # a cell of a table in text ("Name (62.5)") belongs to that name only
        r["cell"] = bool(re.search(r"(?:[A-Z0-9][\w+-]*|\))\s*(?:\(|:)\s*$", text[sent.start:r["start"]]))
        out.append(r)
    for prev, r in zip(out, out[1:]):  # lists share what the first member states
        gap = text[prev["end"]:r["start"]]
        if r["metric"] is None and prev["unit"] == r["unit"] and _LIST_GAP.match(gap):
            r["metric"] = prev["metric"]
        if r["benchmark"] is None and _PARALLEL.match(gap) and not any(
                prev["end"] <= s and e <= r["start"] and c.type != "Metric" for s, e, c in ms):
            r["benchmark"] = prev["benchmark"]
        if _RANGE_GAP.match(gap):  # "from 26.8% to 30.8%", "85.9% on B versus 68.7% for X"
            r["benchmark"] = r["benchmark"] or prev["benchmark"]
            prev["benchmark"] = prev["benchmark"] or r["benchmark"]
    distinct = list({c.name: None for _, _, c in bench})
    if respectively and len(distinct) == len(out) > 1:
        for r, name in zip(out, distinct):
            r["benchmark"] = name
    elif respectively and len(distinct) == 1 and out and re.match(r"\s*(?:&|and|,)\s*\d+\b", text[bench[0][1]:]):
        out[0]["benchmark"] = distinct[0]  # "B24 & 25 scores of 54% and 46%, respectively": the first is B24
    scope = _scope_benchmark(bench, text, sent) if bench else None
    # one benchmark for the whole sentence, unless it heads a list we cannot read ("AIME24 & 25")
    single = distinct[0] if len(distinct) == 1 and not any(
        re.match(r"\s*(?:&|and|,)\s*\d", text[e:]) for _, e, _ in bench) else None
    proposed = _paper_single(sent.paper_concepts, ("Model", "Method"), ("proposed",))
    for r in out:
        cell = r.pop("cell")
        if r["benchmark"] is None and not cell and (not respectively or len(distinct) == 1):
            r["benchmark"] = scope or single
        if r["benchmark"] is None and not cell and not bench and not _SIZE.search(r["text"]) \
                and not _OTHER_SCOPE.search(text[sent.start:sent.end]) \
                and not any(c.type == "Model" and re.search(r"\bon\s+$", text[max(0, s - 4):s]) for s, _, c in models):
            r["benchmark"] = _paper_single(sent.paper_concepts, ("Benchmark",))
        if r["metric"] is None and r["unit"] in ("%", "points", "") and not _DOWN_WORDS.search(r["text"]):
            # unless the number names its own metric we do not know ("+20.9% Zero-shot Cls-OA metric")
            if not re.match(r"\s*(?:[\w@-]+\s+){1,4}(?:metric|score)s?\b", text[r["end"]:sent.end]):
                r["metric"] = _paper_single(sent.paper_concepts, ("Metric",))
        r["subject"] = subject_of(sent, r, models, respectively, proposed)
    return out

