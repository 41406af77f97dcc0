"""Features of one concept candidate for the learned scorer: its name, its rules, its contexts.

A candidate is an :class:`~papergraph.model.ExtractedConcept` (from the rules or from
:mod:`papergraph.nlp.spans`) with its mentions in the paper's title and abstract. Features
are plain strings ("w=lora", "pv=on", "rule=gazetteer"), so the model's weights are a
readable table and every decision can be traced to them.
"""

from __future__ import annotations

import bisect
import itertools
import re
from typing import NamedTuple

import numpy as np

from ..model import ExtractedConcept
from .feature_context import _ROLE_WORDS, Context, _span, _words, sentence_start
from . import frequency
from .lexicon import Lexicon
from .shapes import is_acronym, is_name_token, singular

__all__ = ["concept_features", "role_features", "dense_vector", "Context", "DENSE_WIDTH"]

_SHAPE_RUN = re.compile(r"(.)\1+")
_NON_WORD = re.compile(r"[\W_]+")
_HEAD_PARTS = re.compile(r"[-/]")
_LETTER_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
_SIZE_SUFFIX = re.compile(r"[-\s]?\d+(?:\.\d+)?([KkMmBbTt])$")


class _ShapeTable(dict):
    """``str.translate`` table of word shapes: upper-case letters -> X, other letters -> x,
    digits -> d, other characters kept; filled one code point at a time."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        shape = self[code] = "X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c
        return shape


_SHAPES = _ShapeTable()


def _first_group(m: re.Match) -> str:
    return m.group(1)


def _shape(text: str) -> str:
    return _SHAPE_RUN.sub(_first_group, text.translate(_SHAPES))  # (a function: no template to expand)


def _bucket(x: float, edges: tuple[float, ...]) -> int:
    """How many of the (ascending) ``edges`` lie below ``x``."""
    return bisect.bisect_left(edges, x)


#: Features that are also paired with the candidate's source ("src=chunk|len=2") and with its head.
_SRC_PAIRED = ("nabs=", "title", "len=", "acr", "cap", "lower", "digit", "inside", "contains", "pos=", "dep=", "zh=")
_HEAD_PAIRED = ("pv=", "nx=")


class _NameParts(NamedTuple):
    """The features of a name alone (memoised per lexicon), around the two that read its aliases."""

    first: list[str]  # w= ... acr ("has-acr" follows)
    middle: list[str]  # digit ... lower ("gaz=" follows)
    gaz: str | None
    last: list[str]  # ht= ... standalone
    nm: str
    head: str  # "hd=..."
    paired: dict[str, list[str]]  # source feature -> its pairs with the name's features


_MAX_NAMES = 1 << 13  # names whose features are remembered


def _name_parts(name: str, lex: Lexicon) -> _NameParts:
    memo = lex.memo("scorer-name")
    parts = memo.get(name)
    if parts is None:
        if len(memo) >= _MAX_NAMES:  # a cache only (~2 KB a name): forget the older half
            for old in list(itertools.islice(memo, _MAX_NAMES // 2)):
                del memo[old]
        parts = memo[name] = _name_parts_of(name, lex)
    return parts


def _name_parts_of(name: str, lex: Lexicon) -> _NameParts:
    ws = name.split()
    low = [w.lower() for w in ws]
    f = [f"w={w}" for w in low[:6]]
    head = singular(low[-1]) if low else ""
    f += [f"hd={head}", f"fw={low[0] if low else ''}", f"len={min(len(ws), 5)}", f"shape={_shape(name)[:12]}",
          f"suf={head[-3:]}", f"hdlen={min(len(head), 8)}"]
    if len(ws) > 1:
        f.append(f"hd2={low[-2]}_{head}")
    for p in _HEAD_PARTS.split(head):
        if p and p != head:
            f.append(f"hp={p}")
    if is_acronym(name):
        f.append("acr")
    m: list[str] = []
    if any(map(str.isdigit, name)):
        m.append("digit")
        size = _SIZE_SUFFIX.search(name)
        if size:
            m.append(f"size={size.group(1).upper()}")  # "-62K", "-10M" name data sets; "-7B" models
    if "@" in name:
        m.append("at-sign")
    if any(map(is_name_token, ws)):
        m.append("name-token")
    if name[:1].isupper():
        m.append("cap")
    if name.islower():
        m.append("lower")
    last = [f"ht={t}" for t in lex.head_types(head)[:2]]
    if head in lex.standalone:
        last.append("standalone")
    last += _frequency_features(name)
    paired = [x for x in f + m + last if x.startswith(_SRC_PAIRED)]
    return _NameParts(f, m, lex.gazetteer_type(name), last, "nm=" + _NON_WORD.sub("", name.casefold()), f"hd={head}",
                      {src: [f"{src}|{x}" for x in paired] for src in ("src=chunk", "src=rule")})


def _frequency_features(name: str) -> list[str]:
    """How common the name's words are in English (:func:`~papergraph.nlp.frequency.zipf`, whole
    Zipf units): its last word's, its rarest word's, and pairs of them with the word count and
    the word before the last; a name of everyday words is rarely a concept on its own."""
    table = frequency.load()  # (zipf's table)
    zs = [int(min(7.0, table.get(w.lower(), 0.0))) for w in _LETTER_WORD.findall(name)]
    if not zs:
        return ["znone"]
    last, rarest = zs[-1], min(zs)
    f = [f"zh={last}", f"zmin={rarest}", f"zmin={rarest}|len={min(len(zs), 4)}", f"zmin={rarest}|zh={last}"]
    if len(zs) > 1:
        f.append(f"zn={zs[-2]}|zh={last}")
    return f


def _name_features(c: ExtractedConcept, lex: Lexicon, parts: _NameParts | None = None) -> list[str]:
    p = parts or _name_parts(c.name, lex)
    f = p.first + ["has-acr"] if any(map(is_acronym, c.aliases)) else p.first + []
    f += p.middle
    g = p.gaz
    if not g:
        for a in c.aliases:  # the first alias the gazetteer knows
            g = lex.gazetteer_type(a)
            if g:
                break
    if g:
        f.append(f"gaz={g}")
    f += p.last
    return f


def _rule_features(c: ExtractedConcept) -> list[str]:
    if c.rules == ["chunk"]:
        return ["rule=chunk", "src=chunk"]
    f = [f"rule={r.split(':')[0] if r.startswith('head:') else r}" for r in c.rules[:12]]
    f.append("src=rule")
    f.append(f"rtype={c.type}")
    f.append(f"conf={_bucket(c.confidence, (0.45, 0.6, 0.75, 0.9))}")
    for t, v in c.type_scores.items():
        f.append(f"ts={t}:{_bucket(v, (0.0, 0.5, 1.5, 3.0))}")
    return f


_NABS = ("nabs=0", "nabs=1", "nabs=2", "nabs=3")


class _Prefixed(dict):
    """``table[x] == prefix + x``, each string made once (and its hash computed once)."""

    def __init__(self, prefix: str):
        super().__init__()
        self.prefix = prefix

    def __missing__(self, x: str) -> str:
        if len(self) > 1 << 14:
            self.clear()  # a cache only
        s = self[x] = self.prefix + x
        return s


_SB, _POS, _DEP = _Prefixed("sb="), _Prefixed("pos="), _Prefixed("dep=")
_SRC_PAIRS = {src: _Prefixed(src + "|") for src in ("src=chunk", "src=rule")}


def _mention_features(c: ExtractedConcept, ctx: Context) -> tuple[list[str], list[str], list[str]]:
    """The features of a candidate's mentions (sorted), and those of them that start with
    ``_SRC_PAIRED`` and with ``_HEAD_PAIRED`` (sorted)."""
    f: set[str] = set()
    mentions = c.mentions
    n_title = [m.field for m in mentions].count("title")
    src = {_NABS[min(len(mentions) - n_title, 3)]}
    if n_title:
        src.add("title")
    head = set()
    add, add_src = f.add, src.add
    for m in mentions[:4] if len(mentions) > 4 else mentions:
        fld, start, end = m.field, m.start, m.end
        text, low, toks, doc, conj_heads, index = ctx.view(fld)
        w0 = start - 40 if start > 40 else 0
        if low is None:
            before, after = _words(text[w0:start]), _words(text[end:end + 40])
        else:
            before, after = index.last_two(w0, start), index.first_two(end, end + 40)
        if before:
            head.add("pv=" + before[-1])
            add("pv2=" + " ".join(before[-2:]))
        else:
            head.add("pv=<s>")
            add("pv2=")
        if after:
            head.add("nx=" + after[0])
            add("nx2=" + " ".join(after[:2]))
        else:
            head.add("nx=</s>")
            add("nx2=")
        if text[end:end + 2].lstrip().startswith("("):
            add("paren-after")
        if text[max(0, start - 2):start].rstrip().endswith("("):
            add("paren-before")
        span = _span(toks, doc, start, end) if toks is not None else None
        if span is not None:
            a, b, root = span
            dep, gov = toks.dep[root], toks.lemma[toks.head[root]]
            add_src(_POS[toks.pos[root]])
            add_src(_DEP[dep])
            add("gov=" + gov)
            add(f"govdep={dep}:{gov}")
            add("pp=" + "_".join(toks.pos[a:b if b < a + 4 else a + 4]))
            if dep == "conj" or root in conj_heads:  # else the root has no conjuncts
                f.update(ctx.conj_features(fld, root))
            if index is None:
                f.update([_SB[w] for w in ctx.sentence_words(fld, start)])
            else:
                f.update(map(_SB.__getitem__, index.role_words(sentence_start(text, start), start)))
        if fld == "title":
            src.update(_title_position(text, start, end))
        elif _ENUM_MARK.search(text, w0, start) and _ENUM.search(text, w0, start):
            add_src("enum")  # "(ii) a X", "First, X", "The second stage, X,": one of the paper's listed parts
        if fld == "title" and text[end:end + 1] == ":":
            add_src("title-colon")
        inside, contains = ctx.nesting.get((fld, start, end), (False, False))
        if inside:
            add_src("inside")
        if contains:
            add_src("contains")
    f |= src
    f |= head
    return sorted(f), sorted(src), sorted(head)


_ENUM = re.compile(r"\((?:\d|i{1,3}|iv|v|[a-d])\)|\b(?:[Ff]irst|[Ss]econd|[Tt]hird|[Ff]inally),|\b\d\)\s"
                   r"|(?:stage|step|phase|module|component),|\b(?:two|three|four|several) [\w -]{0,30}:")
#: A character every match of ``_ENUM`` holds (each alternative ends at one): a window without one holds none.
_ENUM_MARK = re.compile(r"[),:]")
_TITLE_LINK = re.compile(r"\s*(for|with|via|in|on|of|to|through|and|by|from)\b", re.I)


def _title_position(text: str, start: int, end: int) -> tuple[str, str, str]:
    """Where a title mention stands ("tpos=": its start, after the title's "Name:", or within) and
    the linking word after it ("tnx=for", "tnx=end"), and the two paired."""
    before = text[:start].rstrip()
    after_name = before.endswith((":", "—", " -", "–"))
    pos = "tpos=start" if not before else "tpos=after-colon" if after_name else "tpos=mid"
    m = _TITLE_LINK.match(text, end)
    nxt = "tnx=" + (m.group(1).lower() if m else "other" if text[end:].strip() else "end")
    return f"{pos}|{nxt}", pos, nxt


def _sentence_words(ctx: Context, field: str, start: int) -> set[str]:
    """Role-telling words of the sentence before ``start`` ("we", "propose", "outperform", ...)."""
    return ctx.sentence_words(field, start)


def concept_features(c: ExtractedConcept, ctx: Context) -> list[str]:
    """Features of a candidate for keep-or-drop and type.

    Its name's features, its rules', its mentions' (sorted), its folded name, the features of
    ``_SRC_PAIRED`` paired with its source (rules or noun chunk) and the first eight of
    ``_HEAD_PAIRED`` paired with its head, in that order.
    """
    parts = _name_parts(c.name, ctx.lex)
    mentions, src_paired, head_paired = _mention_features(c, ctx)
    src = "src=chunk" if c.rules == ["chunk"] else "src=rule"
    f = _name_features(c, ctx.lex, parts) + _rule_features(c) + mentions
    f.append(parts.nm)
    f += parts.paired[src]
    pairs = _SRC_PAIRS[src]
    f += [pairs[x] for x in src_paired]
    f += [f"{parts.head}|{x}" for x in head_paired[:8]]
    f.append(_first_position(c, ctx))
    return f


_FPOS = tuple(f"fpos={i}" for i in range(5))


def _first_position(c: ExtractedConcept, ctx: Context) -> str:
    """Where in the abstract the candidate is first named, in fifths ("fpos=0": its first sentences)."""
    starts = [m.start for m in c.mentions if m.field == "abstract"]
    if not starts:
        return "fpos=none"
    return _FPOS[min(4, 5 * min(starts) // max(1, len(ctx.texts.get("abstract", ""))))]


def role_features(c: ExtractedConcept, ctx: Context, base: list[str]) -> list[str]:
    """Features of a kept concept for its role: ``base`` plus the rules' role and the words before it."""
    f = list(base)
    f.append(f"role={c.role}")
    f += [f"rr={r}" for r in c.rules if r.startswith("role:")]
    f.append(f"type={c.type}")
    first = c.mentions[0] if c.mentions else None
    if first is not None:
        f += [f"rsb={w}" for w in sorted(_sentence_words(ctx, first.field, first.start))]
        after = set(ctx.words(first.field, first.end, first.end + 60)) & _ROLE_WORDS
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
