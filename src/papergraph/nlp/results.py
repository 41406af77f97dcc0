"""Reported results: "71.27% accuracy on X", "improves F1 by 13%", "+26.23 FID", "200x faster".

The component finds the numbers (``find_results``, pure, regex over one sentence);
:func:`collect` attaches the metric, benchmark and subject (:mod:`.result_links`) and adds
the model -> benchmark evaluations the paper states.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ..model import PaperExtraction, Relation, Result
from .evaluations import evaluated_pairs
from .result_links import Sentence, link_sentence
from .tokens import doc_text

__all__ = ["Results", "collect", "find_results"]

_NUM = r"(\d+(?:\.\d+)?)"
_PATTERNS = [
    # "200x faster", "3.5× speedup", "2 times fewer"
    ("relative", re.compile(_NUM + r"\s?(?:x|×|times)\s+(faster|speedups?|fewer|less|more|higher|lower|smaller|"
                                   r"larger|reductions?|improvements?|cheaper|better)\b", re.I)),
    # "improves F1 by 13%", "reduces latency by 40%"
    ("relative", re.compile(r"\b(improv\w*|increas\w*|boost\w*|reduc\w*|decreas\w*|cut\w*|lower\w*|rais\w*|"
                            r"enhanc\w*|outperform\w*|surpass\w*|elevat\w*|gains?|drops?|sav\w*)\b[^.;%]{0,60}?\bby\s+"
                            r"(?:(?:up to|approximately|about|around|roughly|nearly|almost|over|more than|at least|"
                            r"an average of|on average)\s+)*" + _NUM
                            + r"\s?(%|x|×|points?|pp)", re.I)),
    # "+26.23 FID", "-3.1 perplexity"
    ("relative", re.compile(r"(?<![\w.])([+−-])" + _NUM + r"\s?(%?)\s+(?=[A-Za-z])")),
    # "30% fewer tokens", "a 22% point gain", "3.7% improvement"
    ("relative", re.compile(r"(?<![\w.+−-])" + _NUM + r"\s?(%|\s?percentage points?|\s?points?)\s*(?:(?:point|absolute|"
                            r"relative|performance|accuracy|average|overall)\s+){0,2}(fewer|less|more|higher|lower|faster|slower|smaller|larger|cheaper|"
                            r"improvements?|reductions?|gains?|increases?|decreases?|drops?|speedups?|better|worse|savings?)\b", re.I)),
    # "a relative improvement of 7.8%", "reduction of up to 40%"
    ("relative", re.compile(r"\b(improvements?|gains?|reductions?|increases?|decreases?|drops?|speedups?|savings?|"
                            r"margins?)"
                            r"\s+of\s+(?:(?:up to|approximately|about|around|nearly|over|more than)\s+)*" + _NUM
                            + r"\s?(%|x|×|points?|pp)", re.I)),
    # "71.27% accuracy", "90.5% on AIME 2024", "accuracy of 71%"
    ("absolute", re.compile(r"(?<![\w.+−-])" + _NUM + r"\s?(%)")),
    # "improves pass@1 from 40 to 52" (scores without a unit): two absolute values
    ("absolute", re.compile(r"\bfrom\s+" + _NUM + r"\s+to\s+" + _NUM
                            + r"(?=\s*(?:[,;)]|\.(?!\d)|$|(?:on|in|for|with|when|after|while|and|across|using|under|over)\b))")),
    # tables in text: "GSM8K (85.2)", "HumanEval: 61.6"
    ("absolute", re.compile(r"(?<=[A-Za-z0-9+)])(?:\s\(|:\s)\s*(\d{1,3}\.\d+)(?=\s*[),;])")),
]
_DIGIT = re.compile(r"\d")  # every pattern needs one: sentences without are skipped
_CHANGE_VERB = re.compile(r"\b(?:improv|increas|boost|reduc|decreas|cut|lower|rais|enhanc|outperform|surpass|"
                          r"elevat|gain|drop|sav)\w*", re.I)
_SETTING = re.compile(r"\b(?:using|uses|use|with|keeping|retaining)\s+(?:only\s+|just\s+|merely\s+)?$"
                      r"|\bat\s+(?:an?\s+)?$", re.I)
_DOWN = re.compile(r"\b(reduc|decreas|cut|lower|fewer|less|smaller|cheaper|drop|sav|worse)", re.I)
_UP = re.compile(r"\b(improv|increas|boost|rais|enhanc|outperform|surpass|elevat|gain|faster|speedup|more|higher|better|"
                 r"larger)", re.I)


def find_results(sentence: str) -> list[dict]:
    """Numbers reported in one sentence, as dicts (value, unit, kind, direction, start, end, text).

    Example:
        find_results("It is 200x faster.")[0]["value"] == 200.0
    """
    out, taken = [], []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(sentence):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            groups = m.groups()
            if rx is _PATTERNS[0][1]:
                value, unit, cue = float(groups[0]), "x", groups[1]
            elif rx is _PATTERNS[1][1]:
                # the verb nearest to "by": "enhancing X but also reducing costs by 50%" is a reduction
                verbs = _CHANGE_VERB.findall(m.group(0))
                value, unit, cue = float(groups[1]), groups[2].replace("×", "x"), verbs[-1] if verbs else groups[0]
                unit = "points" if unit.startswith(("point", "pp")) else unit
            elif rx is _PATTERNS[4][1]:
                value, cue = float(groups[1]), groups[0]
                unit = "points" if groups[2].startswith(("point", "pp")) else groups[2].replace("×", "x")
            elif rx is _PATTERNS[3][1]:
                value, cue = float(groups[0]), groups[2]
                unit = "%" if groups[1] == "%" else "points"
            elif rx is _PATTERNS[2][1]:
                value, unit, cue = float(groups[1]), groups[2], ("increase" if groups[0] == "+" else "decrease")
            elif rx is _PATTERNS[6][1]:
                out += _from_to(sentence, m, taken)
                continue
            elif rx is _PATTERNS[7][1]:
                value, unit, cue = float(groups[0]), "", ""
                m = _Span(m.start(1), m.end(1), groups[0])
            else:
                value, unit, cue = float(groups[0]), "%", sentence[max(0, m.start() - 40): m.end() + 20]
            direction = "down" if _DOWN.search(cue) else "up" if _UP.search(cue) else "none"
            if kind == "absolute" and re.search(r"\bby\s*$", sentence[:m.start()]):
                continue
            if kind == "absolute" and _SETTING.search(sentence[:m.start()]):
                continue  # "using only 10% of the data": a setting, not a result
            if re.match(r"[\s)%\d.–-]*(?:of\s+)?(?:the\s+)?(?:new|additional|extra|trainable|total)?\s*parameters\b",
                        sentence[m.end():], re.I):
                continue  # "(2.8%-5.1%) of new parameters": a model's size, not a result
            if unit == "x" and re.match(r"\s*(?:\w+\s+)?(?:models?|LLMs?|networks?|parameters?)\b",
                                        sentence[m.end():], re.I):
                continue  # "a 70x larger model": a size, not a result
            if unit == "x" and re.fullmatch(r"larger|smaller|bigger", cue, re.I) and not re.match(
                    r"\s*(?:[\w-]+\s+)?(?:gains?|improvements?|speedups?|margins?)\b", sentence[m.end():], re.I):
                continue  # "5 times larger than the previous one", "the 70x larger Llama-70B": sizes
            end = m.start() + len(m.group(0).rstrip())
            taken.append((m.start(), end))
            out.append({"value": value, "unit": unit, "kind": kind, "direction": direction,
                        "start": m.start(), "end": end, "text": sentence[m.start():end]})
    out.sort(key=lambda r: r["start"])
    for prev, r in zip(out, out[1:]):
        # "gains of 11.8% for A and 10.3% for B": list members share the change's kind
        gap = sentence[prev["end"]:r["start"]]
        if prev["kind"] == "relative" and r["kind"] == "absolute" and len(gap) < 30 and re.search(
                r",|\band\b", gap) and not re.search(r"[.;]|\b(?:to|from|but|while|whereas|yet)\b", gap):
            r["kind"], r["direction"] = "relative", prev["direction"]
    return out


class _Span:
    """A sub-span standing in for a match (``start()``, ``end()``, ``group(0)``)."""

    def __init__(self, start: int, end: int, text: str):
        self._s, self._e, self._t = start, end, text

    def start(self, *_):
        return self._s

    def end(self, *_):
        return self._e

    def group(self, *_):
        return self._t


def _from_to(sentence: str, m, taken: list) -> list[dict]:
    """The two values of "from 40 to 52" (absolute scores; the direction is the change's)."""
    a, b = float(m.group(1)), float(m.group(2))
    if all(v.is_integer() and 1900 <= v <= 2100 for v in (a, b)):
        return []  # "from 2019 to 2023": years
    direction = "up" if b > a else "down" if b < a else "none"
    out = []
    for k in (1, 2):
        taken.append((m.start(k), m.end(k)))
        out.append({"value": float(m.group(k)), "unit": "", "kind": "absolute", "direction": direction,
                    "start": m.start(k), "end": m.end(k), "text": m.group(k)})
    return out


class Results:
    """spaCy component: ``doc._.pg_results`` = results found per sentence (document offsets)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        if not Doc.has_extension("pg_results"):
            Doc.set_extension("pg_results", default=None)

    def __call__(self, doc: Doc) -> Doc:
        found = []
        text = doc_text(doc)
        if _DIGIT.search(text):  # (a sentence without one is skipped below anyway)
            for sent in doc.sents:
                sentence = text[sent.start_char:sent.end_char]  # == sent.text
                if not _DIGIT.search(sentence):
                    continue
                for r in find_results(sentence):
                    r.update(start=r["start"] + sent.start_char, end=r["end"] + sent.start_char,
                             sent=(sent.start_char, sent.end_char))
                    found.append(r)
        doc._.pg_results = found
        return doc


def collect(docs: dict, ex: PaperExtraction, texts: dict | None = None) -> list[Result]:
    """The results of one paper with their metric, benchmark and subject filled in where stated
    (see :mod:`.result_links`); also adds to ``ex.relations`` the ``EVALUATED_ON`` relations
    its results and evaluation sentences state (:mod:`.evaluations`).

    ``texts`` (field -> the paper's original text) supplies text and evidence in the paper's
    own characters; the docs hold prepared (sentence-cased, LaTeX-blanked) text.
    """
    out = []
    for fld, doc in docs.items():
        if doc is None:
            continue
        original = (texts or {}).get(fld)
        text = doc_text(doc)
        source = original if original is not None and len(original) == len(text) else text
        by_sent: dict[tuple, list] = {}
        for r in doc._.pg_results or []:
            by_sent.setdefault(tuple(r["sent"]), []).append(r)
        for (s, e), found in by_sent.items():
            ms = _mentions(ex, fld, text, s, e)
            sent = Sentence(doc, text, s, e, ms, ex.concepts)
            for r in link_sentence(sent, found):
                out.append(Result(
                    value=r["value"], unit=r["unit"], kind=r["kind"], direction=r["direction"],
                    text=source[r["start"]:r["end"]], evidence=source[s:e].strip(), metric=r["metric"],
                    benchmark=r["benchmark"], subject=r["subject"], field=fld, start=r["start"], end=r["end"]))
    _add_evaluations(docs, ex, out, texts)
    return out


def _mentions(ex: PaperExtraction, fld: str, text: str, s: int, e: int) -> list[tuple]:
    """``(start, end, concept)`` of the paper's concepts named in ``text[s:e]``: the extracted
    mentions, and further occurrences of a concept's name or aliases (the extraction keeps the
    first mentions; a result sentence may repeat "IMO" defined earlier)."""
    ms = [(m.start, m.end, c) for c in ex.concepts for m in c.mentions if m.field == fld and s <= m.start < e]
    sentence = text[s:e]
    for c in ex.concepts:
        if c.type == "Task":
            continue
        for form in {c.name, *c.aliases}:
            if len(form) < 2 or form not in sentence:
                continue
            for m in re.finditer(r"(?<![\w-])" + re.escape(form) + r"(?![\w-])", sentence):
                a, b = s + m.start(), s + m.end()
                if not any(a < me and ms_ < b for ms_, me, _ in ms):
                    ms.append((a, b, c))
    return sorted(ms, key=lambda x: (x[0], x[1]))


def _add_evaluations(docs: dict, ex: PaperExtraction, found: list[Result], texts: dict | None) -> None:
    """``ex.relations`` += Model/Method -EVALUATED_ON-> Benchmark from results and evaluation sentences."""
    types = {c.name: c.type for c in ex.concepts}
    conf = {c.name: c.confidence for c in ex.concepts}
    seen = {(r.source, r.target, r.type) for r in ex.relations}
    pairs = [(r.subject, r.benchmark, r.evidence, "result") for r in found if r.subject and r.benchmark]
    pairs += evaluated_pairs(docs, ex, texts)
    for model, bench, evidence, rule in pairs:
        if types.get(model) in ("Model", "Method") and types.get(bench) == "Benchmark" \
                and (model, bench, "EVALUATED_ON") not in seen:
            seen.add((model, bench, "EVALUATED_ON"))
            ex.relations.append(Relation(source=model, target=bench, type="EVALUATED_ON", evidence=evidence,
                                         confidence=round(min(conf[model], conf[bench]) * 0.8, 3), rule=rule))


@Language.factory("papergraph_results", default_config={})
def make_results(nlp: Language, name: str) -> Results:
    """Factory of the result component."""
    return Results(nlp, name)
