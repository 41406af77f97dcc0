"""Reported results: "71.27% accuracy on X", "improves F1 by 13%", "+26.23 FID", "200x faster".

The component finds the numbers (``find_results``, pure, regex over one sentence);
:func:`collect` attaches the metric, benchmark and subject from the paper's concepts
mentioned in the same sentence.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from ..model import PaperExtraction, Result
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
            else:
                value, unit, cue = float(groups[0]), "%", sentence[max(0, m.start() - 40): m.end() + 20]
            direction = "down" if _DOWN.search(cue) else "up" if _UP.search(cue) else "none"
            if kind == "absolute" and re.search(r"\bby\s*$", sentence[:m.start()]):
                continue
            if kind == "absolute" and _SETTING.search(sentence[:m.start()]):
                continue  # "using only 10% of the data": a setting, not a result
            if unit == "x" and re.match(r"\s*(?:\w+\s+)?(?:models?|LLMs?|networks?|parameters?)\b",
                                        sentence[m.end():], re.I):
                continue  # "a 70x larger model": a size, not a result
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


# What may stand between a number and the metric/benchmark it reports (same clause only).
_METRIC_AFTER = re.compile(r"^\s*(?:%|points?|pp|percentage points?)?\s*(?:(?:in|of|the|on|average|mean|overall|"
                           r"absolute|relative|higher|lower|better|more|less|improvements?|gains?|increase|"
                           r"reduction|points?|top-1|top-5)\s+){0,3}$", re.I)
_METRIC_BEFORE = re.compile(r"^\s*(?:(?:of|is|was|to|from|by|reaches|reaching|achieves?|achieving|attains?|scores?|"
                            r"increases?|improves?|rises?|drops?|goes|up|at|an?|average|avg\.?|\(|=|:)\s*)*"
                            r"(?:\d+(?:\.\d+)?\s*%?\s*(?:to|and|vs\.?)\s*)?$", re.I)
_BENCH_BETWEEN = re.compile(r"^[^,;]{0,40}?\b(?:on|in|for|across)\s+(?:the\s+)?$", re.I)


def _metric(ms, r, text: str):
    """The metric the number reports: right after it ("71% accuracy"), before it ("accuracy of 71%",
    "accuracy from 74% to 81%") or inside a relative pattern ("improves F1 by 13%")."""
    best = None
    for s, e, c in ms:
        if c.type != "Metric":
            continue
        if r["end"] <= s and _METRIC_AFTER.match(text[r["end"]:s]):
            d = s - r["end"]
        elif e <= r["start"] and _METRIC_BEFORE.match(text[e:r["start"]]):
            d = r["start"] - e
        elif r["start"] <= s and e <= r["end"]:
            d = 0
        else:
            continue
        if best is None or d < best[0]:
            best = (d, c.name)
    return best[1] if best else None


def _benchmark(ms, r, text: str):
    """The benchmark named after the number with "on/in/across" ("71% accuracy on GSM8K"), else
    before it in the same clause ("on GSM8K improves from 84% to 91%")."""
    for s, _, c in sorted(ms, key=lambda x: x[0]):
        if c.type == "Benchmark" and s >= r["end"] and _BENCH_BETWEEN.match(text[r["end"]:s]) \
                and " and " not in text[r["end"]:s]:
            return c.name
    before = [(e, c) for s, e, c in ms if c.type == "Benchmark" and e <= r["start"]
              and re.search(r"\b(?:on|in)\s+(?:the\s+)?$", text[max(0, s - 8):s])
              and not re.search(r"[,;()]|\band\b|\bthan\b", text[e:r["start"]])]
    return max(before, key=lambda x: x[0])[1].name if before else None


def _subject(ms, r, text: str):
    """Who achieves it: the sentence's proposed Model/Method, else the nearest Model before it in the clause."""
    for s, _, c in ms:  # "68.7% for majority voting"
        if c.type in ("Model", "Method") and s >= r["end"] and re.fullmatch(r"\s*(?:for|with|by|of)\s+(?:the\s+)?",
                                                                            text[r["end"]:s]):
            return c.name
    if re.search(r"\brespectively\b", text[r["end"]:r["end"] + 200].split(".")[0]):
        return None  # "A and B reach 39% and 57%, respectively": not resolved
    for _, _, c in sorted(ms, key=lambda x: x[0]):
        if c.type in ("Model", "Method") and c.role == "proposed":
            return c.name
    before = [(s, c) for s, e, c in ms if c.type == "Model" and e <= r["start"]
              and not re.search(r"[;,()]", text[e:r["start"]])
              and not re.search(r"\b(?:against|than|over|versus|vs\.?)\s+(?:the\s+)?$", text[max(0, s - 12):s])]
    return max(before, key=lambda x: x[0])[1].name if before else None


def collect(docs: dict, ex: PaperExtraction, texts: dict | None = None) -> list[Result]:
    """The results of one paper with their metric, benchmark and subject filled in where stated.

    ``texts`` (field -> the paper's original text) supplies text and evidence in the paper's
    own characters; the docs hold prepared (sentence-cased, LaTeX-blanked) text.
    """
    out = []
    for fld, doc in docs.items():
        if not doc._.pg_results:
            continue
        original = (texts or {}).get(fld)
        text = doc_text(doc)
        source = original if original is not None and len(original) == len(text) else text
        for r in doc._.pg_results:
            s, e = r["sent"]
            ms = [(m.start, m.end, c) for c in ex.concepts for m in c.mentions if m.field == fld and s <= m.start < e]
            out.append(Result(
                value=r["value"], unit=r["unit"], kind=r["kind"], direction=r["direction"],
                text=source[r["start"]:r["end"]], evidence=source[s:e].strip(), metric=_metric(ms, r, text),
                benchmark=_benchmark(ms, r, text), subject=_subject(ms, r, text),
                field=fld, start=r["start"], end=r["end"]))
    return out


@Language.factory("papergraph_results", default_config={})
def make_results(nlp: Language, name: str) -> Results:
    """Factory of the result component."""
    return Results(nlp, name)
