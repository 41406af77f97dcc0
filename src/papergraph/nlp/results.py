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

__all__ = ["Results", "collect", "find_results"]

_NUM = r"(\d+(?:\.\d+)?)"
_PATTERNS = [
    # "200x faster", "3.5× speedup", "2 times fewer"
    ("relative", re.compile(_NUM + r"\s?(?:x|×|times)\s+(faster|speedups?|fewer|less|more|higher|lower|smaller|"
                                   r"larger|reductions?|improvements?|cheaper|better)\b", re.I)),
    # "improves F1 by 13%", "reduces latency by 40%"
    ("relative", re.compile(r"\b(improv\w*|increas\w*|boost\w*|reduc\w*|decreas\w*|cut\w*|lower\w*|rais\w*|"
                            r"enhanc\w*|outperform\w*|gains?|drops?)\b[^.;%]{0,60}?\bby\s+(?:up to\s+)?" + _NUM
                            + r"\s?(%|x|×|points?|pp)", re.I)),
    # "+26.23 FID", "-3.1 perplexity"
    ("relative", re.compile(r"(?<![\w.])([+−-])" + _NUM + r"\s?(%?)\s+(?=[A-Za-z])")),
    # "71.27% accuracy", "90.5% on AIME 2024", "accuracy of 71%"
    ("absolute", re.compile(r"(?<![\w.+−-])" + _NUM + r"\s?(%)")),
]
_DOWN = re.compile(r"\b(reduc|decreas|cut|lower|fewer|less|smaller|cheaper|drop)", re.I)
_UP = re.compile(r"\b(improv|increas|boost|rais|enhanc|outperform|gain|faster|speedup|more|higher|better|larger)", re.I)


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
                value, unit, cue = float(groups[1]), groups[2].replace("×", "x"), groups[0]
                unit = "points" if unit.startswith(("point", "pp")) else unit
            elif rx is _PATTERNS[2][1]:
                value, unit, cue = float(groups[1]), groups[2], ("increase" if groups[0] == "+" else "decrease")
            else:
                value, unit, cue = float(groups[0]), "%", sentence[max(0, m.start() - 40): m.end() + 20]
            direction = "down" if _DOWN.search(cue) else "up" if _UP.search(cue) else "none"
            if kind == "absolute" and re.search(r"\bby\s*$", sentence[:m.start()]):
                continue
            end = m.start() + len(m.group(0).rstrip())
            taken.append((m.start(), end))
            out.append({"value": value, "unit": unit, "kind": kind, "direction": direction,
                        "start": m.start(), "end": end, "text": sentence[m.start():end]})
    return sorted(out, key=lambda r: r["start"])


class Results:
    """spaCy component: ``doc._.pg_results`` = results found per sentence (document offsets)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        if not Doc.has_extension("pg_results"):
            Doc.set_extension("pg_results", default=None)

    def __call__(self, doc: Doc) -> Doc:
        found = []
        if any(ch.isdigit() for ch in doc.text):
            for sent in doc.sents:
                for r in find_results(sent.text):
                    r.update(start=r["start"] + sent.start_char, end=r["end"] + sent.start_char,
                             sent=(sent.start_char, sent.end_char))
                    found.append(r)
        doc._.pg_results = found
        return doc


def _nearest(ms, pos: int, types: tuple, *, after_only: bool = False):
    best = None
    for s, e, c in ms:
        if c.type not in types or (after_only and s < pos):
            continue
        d = abs(s - pos)
        if best is None or d < best[0]:
            best = (d, c)
    return best[1].name if best and best[0] < 120 else None


def collect(docs: dict, ex: PaperExtraction, texts: dict | None = None) -> list[Result]:
    """The results of one paper with their metric, benchmark and subject filled in where stated.

    ``texts`` (field -> the paper's original text) supplies text and evidence in the paper's
    own characters; the docs hold prepared (sentence-cased, LaTeX-blanked) text.
    """
    out = []
    for fld, doc in docs.items():
        original = (texts or {}).get(fld)
        source = original if original is not None and len(original) == len(doc.text) else doc.text
        for r in doc._.pg_results or []:
            s, e = r["sent"]
            ms = [(m.start, m.end, c) for c in ex.concepts for m in c.mentions if m.field == fld and s <= m.start < e]
            subject = next((c.name for _, _, c in sorted(ms, key=lambda x: x[0])
                            if c.type in ("Model", "Method") and c.role == "proposed"), None)
            subject = subject or _nearest([x for x in ms if x[0] < r["start"]], r["start"], ("Model", "Method"))
            out.append(Result(
                value=r["value"], unit=r["unit"], kind=r["kind"], direction=r["direction"],
                text=source[r["start"]:r["end"]], evidence=source[s:e].strip(), metric=_nearest(ms, r["end"], ("Metric",)),
                benchmark=_nearest(ms, r["end"], ("Benchmark",), after_only=True), subject=subject,
                field=fld, start=r["start"], end=r["end"]))
    return out


@Language.factory("papergraph_results", default_config={})
def make_results(nlp: Language, name: str) -> Results:
    """Factory of the result component."""
    return Results(nlp, name)
