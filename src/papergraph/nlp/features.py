"""Features of one concept candidate for the learned scorer: its name, its rules, its contexts.

A candidate is an :class:`~papergraph.model.ExtractedConcept` (from the rules or from
:mod:`papergraph.nlp.spans`) with its mentions in the paper's title and abstract. Features
are plain strings ("w=lora", "pv=on", "rule=gazetteer"), so the model's weights are a
readable table and every decision can be traced to them.
"""

from __future__ import annotations

import re

import numpy as np
from spacy.tokens import Doc

from ..model import ExtractedConcept
from .lexicon import Lexicon
from .shapes import is_acronym, is_name_token, singular

__all__ = ["concept_features", "role_features", "dense_vector", "Context", "DENSE_WIDTH"]

_WORD = re.compile(r"[\w][\w'’.+@^-]*")
_SHAPE_RUN = re.compile(r"(.)\1+")
_NON_WORD = re.compile(r"[\W_]+")
_SIZE_SUFFIX = re.compile(r"[-\s]?\d+(?:\.\d+)?([KkMmBbTt])$")
#: Words of the sentence before a mention that say what the paper does with it.
_ROLE_WORDS = {"we", "our", "propose", "proposes", "proposed", "introduce", "introduces", "present", "presents",
               "develop", "design", "new", "novel", "outperform", "outperforms", "than", "baseline", "baselines",
               "compared", "compare", "against", "over", "existing", "prior", "previous", "such", "including",
               "like", "e.g.", "use", "using", "based", "on", "evaluate", "evaluated", "benchmark", "called",
               "named", "dubbed", "this", "paper", "recent", "popular", "traditional", "conventional", "via",
               "by", "with", "release", "surpasses", "beats", "state-of-the-art", "leverage", "leverages"}


class Context:
    """What features of one paper need besides the candidates: texts, docs, lexicon, and for each
    candidate span whether it lies inside, or contains, another candidate's span."""

    def __init__(self, texts: dict[str, str], docs: dict[str, Doc], lex: Lexicon,
                 spans: list[tuple[str, int, int]], own_start: int = 0):
        self.texts, self.docs, self.lex = texts, docs, lex
        self.own_start = own_start
        self.nesting = _nesting(spans)


def _nesting(spans: list[tuple[str, int, int]]) -> dict[tuple[str, int, int], tuple[bool, bool]]:
    """``(field, start, end) -> (inside another span, contains another span)``, in O(n log n).

    Spans sorted by (start, -end): a span lies inside another iff some earlier one ends at or
    after its end; it contains another iff some later one ends at or before its end.
    """
    out: dict[tuple[str, int, int], tuple[bool, bool]] = {}
    by_field: dict[str, set[tuple[int, int]]] = {}
    for f, a, b in spans:
        by_field.setdefault(f, set()).add((a, b))
    for f, items in by_field.items():
        order = sorted(items, key=lambda ab: (ab[0], -ab[1]))
        n = len(order)
        suffix_min = [0] * (n + 1)
        suffix_min[n] = 1 << 62
        for i in range(n - 1, -1, -1):
            suffix_min[i] = min(suffix_min[i + 1], order[i][1])
        prefix_max = -1
        for i, (a, b) in enumerate(order):
            out[(f, a, b)] = (prefix_max >= b, suffix_min[i + 1] <= b)
            prefix_max = max(prefix_max, b)
    return out


def _shape(text: str) -> str:
    s = "".join("X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c for c in text)
    return _SHAPE_RUN.sub(r"\1", s)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _bucket(x: float, edges: tuple[float, ...]) -> int:
    return sum(x > e for e in edges)


def _name_features(c: ExtractedConcept, lex: Lexicon) -> list[str]:
    name = c.name
    ws = name.split()
    low = [w.lower() for w in ws]
    f = [f"w={w}" for w in low[:6]]
    head = singular(low[-1]) if low else ""
    f += [f"hd={head}", f"fw={low[0] if low else ''}", f"len={min(len(ws), 5)}", f"shape={_shape(name)[:12]}",
          f"suf={head[-3:]}", f"hdlen={min(len(head), 8)}"]
    if len(ws) > 1:
        f.append(f"hd2={low[-2]}_{head}")
    for p in re.split(r"[-/]", head):
        if p and p != head:
            f.append(f"hp={p}")
    if is_acronym(name):
        f.append("acr")
    if any(is_acronym(a) for a in c.aliases):
        f.append("has-acr")
    if any(ch.isdigit() for ch in name):
        f.append("digit")
        size = _SIZE_SUFFIX.search(name)
        if size:
            f.append(f"size={size.group(1).upper()}")  # "-62K", "-10M" name data sets; "-7B" models
    if "@" in name:
        f.append("at-sign")
    if any(is_name_token(w) for w in ws):
        f.append("name-token")
    if name[:1].isupper():
        f.append("cap")
    if name.islower():
        f.append("lower")
    g = lex.gazetteer_type(name) or next((lex.gazetteer_type(a) for a in c.aliases if lex.gazetteer_type(a)), None)
    if g:
        f.append(f"gaz={g}")
    ht = lex.head_types(head)
    for t in ht[:2]:
        f.append(f"ht={t}")
    if head in lex.standalone:
        f.append("standalone")
    return f


def _rule_features(c: ExtractedConcept) -> list[str]:
    f = [f"rule={r.split(':')[0] if r.startswith('head:') else r}" for r in c.rules[:12]]
    f.append("src=chunk" if c.rules == ["chunk"] else "src=rule")
    if c.rules != ["chunk"]:
        f.append(f"rtype={c.type}")
        f.append(f"conf={_bucket(c.confidence, (0.45, 0.6, 0.75, 0.9))}")
        for t, v in c.type_scores.items():
            f.append(f"ts={t}:{_bucket(v, (0.0, 0.5, 1.5, 3.0))}")
    return f


def _mention_features(c: ExtractedConcept, ctx: Context) -> list[str]:
    f: set[str] = set()
    n_title = sum(m.field == "title" for m in c.mentions)
    n_abs = len(c.mentions) - n_title
    f.add(f"nabs={min(n_abs, 3)}")
    if n_title:
        f.add("title")
    for m in c.mentions[:4]:
        text = ctx.texts.get(m.field, "")
        before = _words(text[max(0, m.start - 40):m.start])
        after = _words(text[m.end:m.end + 40])
        pv = before[-1] if before else "<s>"
        nx = after[0] if after else "</s>"
        f.update((f"pv={pv}", f"nx={nx}", f"pv2={' '.join(before[-2:])}", f"nx2={' '.join(after[:2])}"))
        if text[m.end:m.end + 2].lstrip().startswith("("):
            f.add("paren-after")
        if text[max(0, m.start - 2):m.start].rstrip().endswith("("):
            f.add("paren-before")
        doc = ctx.docs.get(m.field)
        if doc is not None:
            span = doc.char_span(m.start, m.end, alignment_mode="expand")
            if span is not None and len(span):
                root = span.root
                f.update((f"pos={root.pos_}", f"dep={root.dep_}", f"gov={root.head.lemma_.lower()}",
                          f"govdep={root.dep_}:{root.head.lemma_.lower()}",
                          "pp=" + "_".join(t.pos_ for t in span[:4])))
                for other in root.conjuncts[:4]:
                    g = ctx.lex.gazetteer_type(other.text)
                    if g:
                        f.add(f"conj-gaz={g}")
                f.update(f"sb={w}" for w in _sentence_words(text, m.start))
        if m.field == "title" and text[m.end:m.end + 1] == ":":
            f.add("title-colon")
        inside, contains = ctx.nesting.get((m.field, m.start, m.end), (False, False))
        if inside:
            f.add("inside")
        if contains:
            f.add("contains")
    return sorted(f)


def _sentence_words(text: str, start: int) -> set[str]:
    """Role-telling words of the sentence before ``start`` ("we", "propose", "outperform", ...)."""
    left = max(text.rfind(". ", 0, start), 0)
    return set(_words(text[left:start])) & _ROLE_WORDS


def concept_features(c: ExtractedConcept, ctx: Context) -> list[str]:
    """Features of a candidate for keep-or-drop and type."""
    f = _name_features(c, ctx.lex) + _rule_features(c) + _mention_features(c, ctx)
    f.append("nm=" + _NON_WORD.sub("", c.name.casefold()))
    src = f[f.index("src=chunk") if "src=chunk" in f else f.index("src=rule")]
    f += [f"{src}|{x}" for x in f if x.startswith(("nabs=", "title", "len=", "acr", "cap", "lower", "digit", "inside",
                                                   "contains", "pos=", "dep="))]
    head = next((x for x in f if x.startswith("hd=")), "hd=")
    f += [f"{head}|{x}" for x in f if x.startswith(("pv=", "nx="))][:8]
    return f


def role_features(c: ExtractedConcept, ctx: Context, base: list[str]) -> list[str]:
    """Features of a kept concept for its role: ``base`` plus the rules' role and the words before it."""
    f = list(base)
    f.append(f"role={c.role}")
    f += [f"rr={r}" for r in c.rules if r.startswith("role:")]
    f.append(f"type={c.type}")
    first = c.mentions[0] if c.mentions else None
    if first is not None:
        text = ctx.texts.get(first.field, "")
        f += [f"rsb={w}" for w in sorted(_sentence_words(text, first.start))]
        after = set(_words(text[first.end:first.end + 60])) & _ROLE_WORDS
        f += [f"sa={w}" for w in sorted(after)]
        if first.field == "abstract":
            f.append("own" if first.start >= ctx.own_start else "background")
    return f


_WIDTH = 96  # en_core_web_sm's tok2vec width
DENSE_WIDTH = 4 * _WIDTH


def dense_vector(c: ExtractedConcept, ctx: Context) -> np.ndarray:
    """The English pipeline's contextual token vectors (``doc.tensor``) around a candidate:
    mean over its first mentions of [span mean, span root, token before, token after]."""
    rows = []
    for m in c.mentions[:4]:
        doc = ctx.docs.get(m.field)
        if doc is None or doc.tensor is None or not len(doc.tensor) or doc.tensor.shape[1] != _WIDTH:
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        t = doc.tensor
        zero = np.zeros(_WIDTH, dtype=np.float32)
        rows.append(np.concatenate([t[span.start:span.end].mean(axis=0), t[span.root.i],
                                    t[span.start - 1] if span.start > 0 else zero,
                                    t[span.end] if span.end < len(doc) else zero]))
    if not rows:
        return np.zeros(DENSE_WIDTH, dtype=np.float32)
    return np.mean(rows, axis=0).astype(np.float32)
