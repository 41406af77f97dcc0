"""Features of one concept candidate for the learned scorer: its name, its rules, its contexts.

A candidate is an :class:`~papergraph.model.ExtractedConcept` (from the rules or from
:mod:`papergraph.nlp.spans`) with its mentions in the paper's title and abstract. Features
are plain strings ("w=lora", "pv=on", "rule=gazetteer"), so the model's weights are a
readable table and every decision can be traced to them.
"""

from __future__ import annotations

import bisect
import re
from typing import NamedTuple

import numpy as np
from spacy.tokens import Doc

from ..model import ExtractedConcept
from .lexicon import Lexicon
from .shapes import is_acronym, is_name_token, singular
from .tokens import TokenColumns

__all__ = ["concept_features", "role_features", "dense_vector", "Context", "DENSE_WIDTH"]

_WORD = re.compile(r"[\w][\w'’.+@^-]*")
_SHAPE_RUN = re.compile(r"(.)\1+")
_NON_WORD = re.compile(r"[\W_]+")
_HEAD_PARTS = re.compile(r"[-/]")
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
    candidate span whether it lies inside, or contains, another candidate's span.

    It also keeps what every candidate of the paper reads again: each doc's token columns
    (:class:`~papergraph.nlp.tokens.TokenColumns`, ``columns`` may pass those already made) and
    each field's lower-cased text.
    """

    def __init__(self, texts: dict[str, str], docs: dict[str, Doc], lex: Lexicon,
                 spans: list[tuple[str, int, int]], own_start: int = 0,
                 columns: dict[str, TokenColumns] | None = None):
        self.texts, self.lex = texts, lex
        self.docs = docs
        self.own_start = own_start
        self.nesting = _nesting(spans)
        self._columns.update(columns or {})
        self._lower: dict[str, str | None] = {}

    @property
    def docs(self) -> dict[str, Doc]:
        return self._docs

    @docs.setter
    def docs(self, docs: dict[str, Doc]) -> None:
        self._docs = docs
        self._columns: dict[str, TokenColumns] = {}  # (made from the docs: forgotten with them)
        self._conj_heads: dict[str, set[int]] = {}
        self._word_index: dict[str, _WordIndex] = {}

    def columns(self, field: str) -> TokenColumns | None:
        """The token columns of the field's doc (None without a doc)."""
        toks = self._columns.get(field)
        if toks is None:
            doc = self._docs.get(field)
            if doc is None:
                return None
            toks = self._columns[field] = TokenColumns.of(doc)
        return toks

    def conj_heads(self, field: str) -> set[int]:
        """Positions of the field's tokens that have a ``conj`` dependent."""
        heads = self._conj_heads.get(field)
        if heads is None:
            toks = self.columns(field)
            heads = self._conj_heads[field] = {h for h, d in zip(toks.head, toks.dep) if d == "conj"}
        return heads

    def lower(self, field: str) -> str | None:
        """The field's text lower-cased, or None when slices of it would not be the lower-cased
        slices (``str.lower`` maps character by character except for a final sigma and length
        changes such as "İ")."""
        try:
            return self._lower[field]
        except KeyError:
            text = self.texts.get(field, "")
            low = text.lower()
            low = self._lower[field] = low if len(low) == len(text) and "Σ" not in text else None
            return low

    def words(self, field: str, start: int, end: int) -> list[str]:
        """``_words(texts[field][start:end])``, from the field's text lower-cased once."""
        low = self.lower(field)
        if low is None:
            return _words(self.texts.get(field, "")[start:end])
        return _WORD.findall(low, start, end)  # no anchors or look-behind: as on the slice

    def sentence_words(self, field: str, start: int) -> set[str]:
        """Role-telling words of the sentence before ``start`` ("we", "propose", "outperform", ...):
        ``set(words(left, start)) & _ROLE_WORDS`` with ``left`` the sentence's ". ", from an
        index of the field's words."""
        text = self.texts.get(field, "")
        left = max(text.rfind(". ", 0, start), 0)
        index = self._word_index.get(field)
        if index is None:
            low = self.lower(field)
            if low is None:
                return set(_words(text[left:start])) & _ROLE_WORDS
            index = self._word_index[field] = _WordIndex(low)
        return index.role_words(left, start)


class _WordIndex:
    """Where the words of a lower-cased text are, and which of them are role words.

    The words of a slice ``[left, start)`` that starts at a sentence's ". " (or at 0) are the
    text's words inside it, plus the cut head of a word running over ``start``: a scan of the
    slice and one of the text are in step from ``left`` on (a word can hold the period at
    ``left``, but then it ends at the space after it).
    """

    def __init__(self, low: str):
        self.low = low
        self.starts, self.ends, self.role_starts, self.roles = [], [], [], []
        for m in _WORD.finditer(low):
            self.starts.append(m.start())
            self.ends.append(m.end())
            if m.group() in _ROLE_WORDS:
                self.role_starts.append(m.start())
                self.roles.append(m.group())

    def role_words(self, left: int, start: int) -> set[str]:
        """``set(_WORD.findall(low, left, start)) & _ROLE_WORDS``."""
        r0 = bisect.bisect_left(self.role_starts, left)
        r1 = bisect.bisect_left(self.role_starts, start)
        k = bisect.bisect_left(self.starts, start) - 1  # the last word starting before ``start``
        cut = None
        if k >= 0 and self.ends[k] > start and self.starts[k] >= left:  # it runs over ``start``
            cut = self.low[self.starts[k]:start]
            if r1 > r0 and self.role_starts[r1 - 1] == self.starts[k]:
                r1 -= 1  # the whole word is not in the slice
        out = set(self.roles[r0:r1])
        if cut in _ROLE_WORDS:
            out.add(cut)
        return out


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


class _ShapeTable(dict):
    """``str.translate`` table of word shapes: upper-case letters -> X, other letters -> x,
    digits -> d, other characters kept; filled one code point at a time."""

    def __missing__(self, code: int) -> str:
        c = chr(code)
        shape = self[code] = "X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c
        return shape


_SHAPES = _ShapeTable()


def _shape(text: str) -> str:
    return _SHAPE_RUN.sub(r"\1", text.translate(_SHAPES))


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def _bucket(x: float, edges: tuple[float, ...]) -> int:
    return sum(x > e for e in edges)


#: Features that are also paired with the candidate's source ("src=chunk|len=2") and with its head.
_SRC_PAIRED = ("nabs=", "title", "len=", "acr", "cap", "lower", "digit", "inside", "contains", "pos=", "dep=")
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


def _name_parts(name: str, lex: Lexicon) -> _NameParts:
    memo = lex.memo("scorer-name")
    parts = memo.get(name)
    if parts is None:
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
    paired = [x for x in f + m + last if x.startswith(_SRC_PAIRED)]
    return _NameParts(f, m, lex.gazetteer_type(name), last, "nm=" + _NON_WORD.sub("", name.casefold()), f"hd={head}",
                      {src: [f"{src}|{x}" for x in paired] for src in ("src=chunk", "src=rule")})


def _name_features(c: ExtractedConcept, lex: Lexicon, parts: _NameParts | None = None) -> list[str]:
    p = parts or _name_parts(c.name, lex)
    f = p.first + ["has-acr"] if any(map(is_acronym, c.aliases)) else p.first + []
    f += p.middle
    g = p.gaz or next((lex.gazetteer_type(a) for a in c.aliases if lex.gazetteer_type(a)), None)
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


def _mention_features(c: ExtractedConcept, ctx: Context) -> tuple[list[str], list[str], list[str]]:
    """The features of a candidate's mentions (sorted), and those of them that start with
    ``_SRC_PAIRED`` and with ``_HEAD_PAIRED`` (sorted)."""
    f: set[str] = set()
    n_title = sum(m.field == "title" for m in c.mentions)
    src = {_NABS[min(len(c.mentions) - n_title, 3)]}
    if n_title:
        src.add("title")
    head = set()
    for m in c.mentions[:4]:
        fld, start, end = m.field, m.start, m.end
        text = ctx.texts.get(fld, "")
        low = ctx.lower(fld)
        if low is None:
            before, after = _words(text[max(0, start - 40):start]), _words(text[end:end + 40])
        else:
            before, after = _WORD.findall(low, max(0, start - 40), start), _WORD.findall(low, end, end + 40)
        head.add("pv=" + (before[-1] if before else "<s>"))
        head.add("nx=" + (after[0] if after else "</s>"))
        f.add("pv2=" + " ".join(before[-2:]))
        f.add("nx2=" + " ".join(after[:2]))
        if text[end:end + 2].lstrip().startswith("("):
            f.add("paren-after")
        if text[max(0, start - 2):start].rstrip().endswith("("):
            f.add("paren-before")
        toks = ctx.columns(fld)
        span = _span(toks, ctx.docs[fld], start, end) if toks is not None else None
        if span is not None:
            a, b, root = span
            dep, gov = toks.dep[root], toks.lemma[toks.head[root]]
            src.add("pos=" + toks.pos[root])
            src.add("dep=" + dep)
            f.add("gov=" + gov)
            f.add(f"govdep={dep}:{gov}")
            f.add("pp=" + "_".join(toks.pos[a:min(b, a + 4)]))
            if dep == "conj" or root in ctx.conj_heads(fld):  # else the root has no conjuncts
                for other in ctx.docs[fld][root].conjuncts[:4]:
                    g = ctx.lex.gazetteer_type(other.text)
                    if g:
                        f.add(f"conj-gaz={g}")
            f.update(["sb=" + w for w in ctx.sentence_words(fld, start)])
        if fld == "title" and text[end:end + 1] == ":":
            src.add("title-colon")
        inside, contains = ctx.nesting.get((fld, start, end), (False, False))
        if inside:
            src.add("inside")
        if contains:
            src.add("contains")
    f |= src
    f |= head
    return sorted(f), sorted(src), sorted(head)


def _span(toks: TokenColumns, doc: Doc, start: int, end: int) -> tuple[int, int, int] | None:
    """``doc.char_span(start, end, alignment_mode="expand")`` as ``(first token, end token, root)``
    when it is not empty, else None; from the token columns (tokens tile the text: token ``i``
    holds characters ``idx[i]`` up to the next token's ``idx``)."""
    idx = toks.idx
    if not idx or start < 0 or start >= len(toks.doc_text) or end - 1 >= len(toks.doc_text):
        return None
    a = bisect.bisect_right(idx, start) - 1
    b = bisect.bisect_right(idx, end - 1)
    if a < 0 or b < 1:
        return None
    if start == idx[a] + len(toks.text[a]):
        a += 1  # on the token's trailing whitespace: the span starts after it
    if a >= b:
        if a > b:  # a reversed range: whatever spaCy does with it
            span = doc.char_span(start, end, alignment_mode="expand")
            return (span.start, span.end, span.root.i) if span is not None and len(span) else None
        return None
    return a, b, toks.root(a, b)


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
    f += [f"{src}|{x}" for x in src_paired]
    f += [f"{parts.head}|{x}" for x in head_paired[:8]]
    return f


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
