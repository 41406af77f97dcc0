"""The learned scorer: rules and parse propose concept candidates, trained weights decide.

For each paper the rules' concepts (:mod:`papergraph.nlp.concepts`) and the noun-chunk
candidates (:mod:`papergraph.nlp.spans`) are described by features
(:mod:`papergraph.nlp.features`) and scored by two logistic regressions trained on the gold
(``training/scorer.py``; weights in ``nlp/data/scorer.json``):

* ``concept``: NONE or one of the five types — a candidate is kept when
  ``1 - P(NONE) >= threshold`` (lower bars for noun chunks, for what the title names and for
  what the role model says the paper proposes; see :func:`decide`) and typed by its most
  probable type;
* ``role``: proposed / used / compared / mentioned of each kept concept.

Kept candidates whose mentions all lie inside a better-scored kept candidate are dropped
(so "reasoning" inside "efficient reasoning" is not kept twice unless it stands alone), variants
of one kept concept are joined, and each lists the text's class-word forms among its aliases
("hybrid training" written "hybrid training procedure").
The probabilities become the concept's ``type_scores`` and ``confidence``, and ``rules``
gains ``scorer`` so every decision keeps its provenance. One rule overrides the type: a name
that ends in its own capitalised kind word ("Mental-Ability Reasoning Benchmark", "… Dataset",
"… Corpus") is a Benchmark, whatever its context (rule ``type:named-kind``).
"""

from __future__ import annotations

import functools
import itertools
import json
import math
import os
import re
from importlib import resources

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from ..model import CONCEPT_TYPES, ExtractedConcept, PaperExtraction
from . import frequency
from .features import Context, concept_features, dense_vector, role_features
from .concepts import CLASS_HEADS, ROLE_ORDER, class_stem, singular
from .lexicon import Lexicon
from .linear import LinearModel
from .spans import chunk_concepts, match_key

__all__ = ["Scorer", "ScorerModel", "load_model", "candidates", "scorable", "apply", "decide", "class_word_forms",
           "DEFAULT_WEIGHTS"]

DEFAULT_WEIGHTS = "scorer.json"
CONCEPT_LABELS = ("NONE",) + CONCEPT_TYPES
# A name of capitalised words (and small joining words) ending in a data kind word.
_NAMED_DATA = re.compile(r"^[A-Z0-9][\w'*+.-]*[ -](?:(?:[A-Z0-9][\w'*+.-]*|as|of|for|and|in|on|to|with|the)[ -])*"
                         r"(?:Benchmark|Dataset|Data[ -]?[Ss]et|Corpus)$")


class ScorerModel:
    """The two trained models and the keep thresholds (see :func:`decide`)."""

    #: The keep bars besides ``threshold`` (None: derived from it), scaled with it by :meth:`rescaled`.
    BARS = ("chunk_threshold", "proposed_threshold", "chunk_proposed_threshold", "title_threshold")

    def __init__(self, concept: LinearModel, role: LinearModel, *, threshold: float = 0.5,
                 chunk_threshold: float | None = None, proposed_threshold: float | None = None,
                 chunk_proposed_threshold: float | None = None, title_threshold: float | None = None,
                 proposed_probability: float | None = None, chunks: bool = True, meta: dict | None = None):
        self.concept, self.role, self.threshold = concept, role, threshold
        self.chunk_threshold = threshold if chunk_threshold is None else chunk_threshold
        self.proposed_threshold = threshold if proposed_threshold is None else proposed_threshold
        self.chunk_proposed_threshold = (self.proposed_threshold if chunk_proposed_threshold is None
                                         else chunk_proposed_threshold)
        self.title_threshold = threshold if title_threshold is None else title_threshold
        self.proposed_probability = proposed_probability  # None: the role model's most probable role only
        self.chunks = chunks
        self.meta = meta or {}

    def to_dict(self) -> dict:
        return {"format": 1, "threshold": self.threshold, **{k: getattr(self, k) for k in self.BARS},
                "proposed_probability": self.proposed_probability, "chunks": self.chunks, "meta": self.meta,
                "concept": self.concept.to_dict(), "role": self.role.to_dict()}

    @classmethod
    def from_dict(cls, d: dict) -> "ScorerModel":
        if d.get("format") != 1:
            raise ValueError(f"unknown scorer weights format {d.get('format')!r}")
        return cls(LinearModel.from_dict(d["concept"]), LinearModel.from_dict(d["role"]),
                   threshold=float(d["threshold"]), **{k: d.get(k) for k in cls.BARS},
                   proposed_probability=d.get("proposed_probability"), chunks=bool(d.get("chunks", True)),
                   meta=d.get("meta") or {})

    def rescaled(self, threshold: float) -> "ScorerModel":
        """The same weights with ``threshold`` as the keep bar and every other bar scaled with it."""
        scale = threshold / self.threshold
        return ScorerModel(self.concept, self.role, threshold=threshold,
                           **{k: getattr(self, k) * scale for k in self.BARS},
                           proposed_probability=self.proposed_probability, chunks=self.chunks, meta=self.meta)


@functools.lru_cache(maxsize=4)
def load_model(path: str | None = None) -> ScorerModel | None:
    """The weights at ``path`` (default: the package's ``nlp/data/scorer.json``); None if not shipped."""
    if path is None:
        res = resources.files("papergraph.nlp") / "data" / DEFAULT_WEIGHTS
        if not res.is_file():
            return None
        return ScorerModel.from_dict(json.loads(res.read_text(encoding="utf-8")))
    with open(path, encoding="utf-8") as fh:
        return ScorerModel.from_dict(json.load(fh))


def candidates(ex: PaperExtraction, texts: dict[str, str], docs: dict[str, Doc], lex: Lexicon,
               own_start: int = 0, *, chunks: bool = True) -> tuple[list[ExtractedConcept], Context]:
    """The rules' concepts plus (``chunks``) the noun-chunk candidates of one paper, and the features' context."""
    cands = list(ex.concepts)
    if chunks:
        known = {match_key(f) for c in ex.concepts for f in (c.name, *c.aliases)}
        cands += chunk_concepts(docs, texts, known)
    spans = [(m.field, m.start, m.end) for c in cands for m in c.mentions]
    return cands, Context(texts, docs, lex, spans, own_start)


def scorable(cands: list[ExtractedConcept]) -> list[int]:
    """Indices of the candidates the model decides on: all but noun chunks of everyday words
    only ("the first step", "results"), which no cross-validation fold ever kept (they still nest
    in the other candidates, and stay negative examples in training)."""
    return [i for i, c in enumerate(cands) if c.rules != ["chunk"] or not frequency.everyday(c.name)]


def apply(model: ScorerModel, ex: PaperExtraction, texts: dict[str, str], docs: dict[str, Doc], lex: Lexicon,
          own_start: int = 0) -> PaperExtraction:
    """Re-decide one paper's concepts with the trained model (in place; returns ``ex``)."""
    cands, ctx = candidates(ex, texts, docs, lex, own_start, chunks=model.chunks)
    cands = [cands[i] for i in scorable(cands)]
    ex.concepts = decide(model, cands, ctx, [concept_features(c, ctx) for c in cands],
                         [dense_vector(c, ctx) for c in cands] if model.concept.dense is not None else None)
    return ex


def decide(model: ScorerModel, cands: list[ExtractedConcept], ctx: Context,
           feats: list[list[str]], dense=None) -> list[ExtractedConcept]:
    """The kept candidates (in their order), typed, with role, confidence and type scores set.

    A candidate is kept when ``1 - P(NONE)`` reaches its threshold (rules' or chunk's; for a
    candidate the title names, at most ``title_threshold``), or reaches ``proposed_threshold``
    (a noun chunk: ``chunk_proposed_threshold``) and the role model says the paper proposes it
    (its most probable role, or P(proposed) >= ``proposed_probability``).
    """
    scored = []
    if not cands:
        probs, role_rows = (), []
    elif dense is None:  # both models' rows of all features from one look-up each
        probs, role_rows = _joint_rows(model, feats)
    else:
        probs, role_rows = model.concept.proba_many(feats, dense).tolist(), None
    chunk_bar, rule_bar, title_bar = model.chunk_threshold, model.threshold, model.title_threshold
    for i, (c, p) in enumerate(zip(cands, probs)):
        keep = 1.0 - p[0]
        chunk = c.rules == ["chunk"]
        bar = chunk_bar if chunk else rule_bar
        if title_bar <= keep < bar and any(m.field == "title" for m in c.mentions):
            bar = title_bar
        proposed_bar = model.chunk_proposed_threshold if chunk else model.proposed_threshold
        if keep >= bar or keep >= proposed_bar:
            scored.append((keep, keep >= bar, keep >= proposed_bar, c,
                           feats[i] if role_rows is None else role_rows[i], p))
    scored.sort(key=lambda t: -t[0])
    typed = [_named_kind(c, *_typed(p)) for *_, c, _, p in scored]
    roles, p_prop = _roles(model, ctx, [(c, f, typ) for (*_, c, f, _), (_, typ) in zip(scored, typed)],
                           rows=role_rows is not None)
    p_bar = math.inf if model.proposed_probability is None else model.proposed_probability
    kept: list[ExtractedConcept] = []
    taken: dict[str, list[tuple[int, int]]] = {}
    for (keep, passed, proposable, c, f, p), (types, typ), role, pp in zip(scored, typed, roles, p_prop):
        if c.rules == ["chunk"] and all(_inside(taken.get(m.field, ()), m.start, m.end) for m in c.mentions):
            continue
        if c.mentions and all(_holds_two(taken.get(m.field, ()), m.start, m.end) for m in c.mentions):
            continue  # "PlimModel scores QuillBench": two better-scored concepts strung together
        if not passed and not (proposable and (role == "proposed" or pp >= p_bar)):
            continue
        c.type = typ
        for m in c.mentions:
            taken.setdefault(m.field, []).append((m.start, m.end))
        c.type_scores, c.confidence, c.role = types, round(keep, 3), role
        if "scorer" not in c.rules:
            c.rules = [*c.rules, "scorer"]
        kept.append(c)
    order = {id(c): i for i, c in enumerate(cands)}
    joined = _join_variants(kept)
    _class_word_forms(joined, ctx)
    return sorted(joined, key=lambda c: order[id(c)])


_CLASS_WORDS = CLASS_HEADS | {"task", "problem", "setting"}


def _join_variants(kept: list[ExtractedConcept]) -> list[ExtractedConcept]:
    """``kept`` with the variants of one concept joined: a name written again with another case,
    separator or plural ("Gaussian Process Model", "Gaussian process models"), or "X" plus a class
    word ("test-time scaling method", "regression setting"; GUIDELINES: "X" and "X method" are one
    entity), of the same type. The variant's name, aliases and mentions go to the concept first
    kept under that name (else the one holding it as an alias); the stronger role wins."""
    names: dict[tuple[str, str], ExtractedConcept] = {}
    forms: dict[tuple[str, str], ExtractedConcept] = {}
    for c in kept:
        names.setdefault((c.type, match_key(c.name)), c)
        for s in c.aliases:
            forms.setdefault((c.type, match_key(s)), c)
    joined: set[int] = set()
    for c in kept:
        stem = class_stem(c.name, _CLASS_WORDS)
        keys = [match_key(c.name)] + ([match_key(stem)] if stem else [])
        into = next((t for k in keys for t in (names.get((c.type, k)), forms.get((c.type, k)))
                     if t is not None and t is not c and id(t) not in joined), None)
        if into is None:
            continue
        into.aliases = [*into.aliases, *(a for a in (c.name, *c.aliases) if a not in into.aliases and a != into.name)]
        into.mentions = sorted([*into.mentions, *c.mentions], key=lambda m: (m.field != "title", m.start))
        into.confidence = max(into.confidence, c.confidence)
        if ROLE_ORDER.index(c.role) < ROLE_ORDER.index(into.role):
            into.role = c.role
        joined.add(id(c))
    return [c for c in kept if id(c) not in joined]


# Words that, written after a name, name the same thing in the guidelines' sense ("X" and "X method"
# are one entity; "GSM8K benchmark", "summarization task", "CoT-Valve approach").
_FORM_WORDS = _CLASS_WORDS | {"procedure", "metric", "dataset", "benchmark", "prompting", "sampling"}
_NEXT_WORD = re.compile(r"[ -]([A-Za-z]+)\b")


def class_word_forms(c: ExtractedConcept, texts: dict[str, str]) -> list[str]:
    """The other forms of ``c`` with or without a class word, not yet among its name and aliases:
    those the text writes with a class word after one of its mentions ("hybrid training" written
    "hybrid training procedure"), and its name without a trailing class word ("PRM calibration
    method" -> "PRM calibration"). GUIDELINES: "X" and "X method" are one entity."""
    seen = {f.lower() for f in (c.name, *c.aliases)}
    new = []
    for m in c.mentions:
        text = texts.get(m.field) or ""
        nxt = _NEXT_WORD.match(text, m.end)
        word = singular(nxt.group(1).lower()) if nxt else ""
        if word in _FORM_WORDS or (word == "model" and c.type in ("Model", "Method")):
            new.append(text[m.start:nxt.end()])
    stem = class_stem(c.name, _CLASS_WORDS)
    if stem:
        new.append(stem)
    out = []
    for f in new:
        if f.lower() not in seen:
            seen.add(f.lower())
            out.append(f)
    return out


def _class_word_forms(kept: list[ExtractedConcept], ctx: Context) -> None:
    """Each kept concept's :func:`class_word_forms` added to its aliases (the node keeps them; the
    resolver does not link through a form that contains the name)."""
    for c in kept:
        forms = class_word_forms(c, ctx.texts)
        if forms:
            c.aliases = [*c.aliases, *forms]


def _typed(p: list[float]) -> tuple[dict[str, float], str]:
    """The type scores of a candidate's concept probabilities ``p`` and its most probable type."""
    types = {t: round(x * 3.0, 3) for t, x in zip(CONCEPT_TYPES, p[1:])}
    return types, max(CONCEPT_TYPES, key=lambda t: types[t])


def _named_kind(c: ExtractedConcept, types: dict[str, float], typ: str) -> tuple[dict[str, float], str]:
    """Benchmark, with all the type scores (the corpus vote reads them), for a name that says it
    is one (``_NAMED_DATA``); else ``types`` and ``typ``."""
    if typ != "Benchmark" and _NAMED_DATA.match(c.name):
        if "type:named-kind" not in c.rules:
            c.rules = [*c.rules, "type:named-kind"]
        return {t: round(sum(types.values()), 3) if t == "Benchmark" else 0.0 for t in types}, "Benchmark"
    return types, typ


def _roles(model: ScorerModel, ctx: Context, items: list[tuple[ExtractedConcept, list, str]], *,
           rows: bool = False) -> tuple[list[str], list[float]]:
    """The role model's role of each ``(candidate, its features, its type)`` and its P(proposed), all in one pass
    (as one ``model.role.proba`` each: the role features read the type it would get).
    ``rows``: the features are given as the role model's rows (:func:`_joint_rows`)."""
    role = model.role
    index, zero = role.index()
    feats = []
    for c, f, typ in items:
        old_type, c.type = c.type, typ
        if rows:  # role_features(c, ctx, f): f's rows, then those of the role's own features
            feats.append(f.tolist() + list(map(index.get, role_features(c, ctx, []), itertools.repeat(zero))))
        else:
            feats.append([j for j in map(index.get, role_features(c, ctx, f)) if j is not None])
        c.type = old_type
    if not feats:
        return [], []
    probs = role.proba_each_rows(feats)
    return [role.labels[int(i)] for i in probs.argmax(axis=1)], probs[:, role.labels.index("proposed")].tolist()


def _joint_rows(model: ScorerModel, feats: list[list[str]]) -> tuple[list[list[float]], list[np.ndarray]]:
    """The concept model's probabilities of each candidate's features (``proba_many``) and the role
    model's rows of them, from one look-up of each feature in both models' joint vocabulary."""
    joint = _joint(model)
    lengths = [len(f) for f in feats]
    keys = np.fromiter(map(joint.index.get, itertools.chain.from_iterable(feats), itertools.repeat(joint.unknown)),
                       dtype=np.int64, count=sum(lengths))
    probs = model.concept.proba_rows(joint.concept[keys], lengths).tolist()
    role = joint.role[keys]
    ends = itertools.accumulate(lengths)
    return probs, [role[e - n:e] for n, e in zip(lengths, ends)]


def _joint(model: ScorerModel) -> "_Joint":
    """The :class:`_Joint` vocabulary of the model's two linear models, made once (kept with the
    concept model: a copy of the weights with another threshold shares it)."""
    hit = model.concept.__dict__.get("_joint")
    if hit is None or hit[0] is not model.role:
        hit = model.concept.__dict__["_joint"] = (model.role, _Joint(model.concept, model.role))
    return hit[1]


class _Joint:
    """Both models' vocabularies as one: ``index[feature]`` is a key whose rows in the concept and
    the role model's tables are ``concept[key]`` and ``role[key]`` (their zero rows when the model
    lacks it); ``unknown`` is the key of a feature neither has."""

    def __init__(self, concept: LinearModel, role: LinearModel):
        (cindex, czero), (rindex, rzero) = concept.index(), role.index()
        names = list(cindex) + [f for f in rindex if f not in cindex]
        self.index = {f: k for k, f in enumerate(names)}
        self.unknown = len(names)
        self.concept = np.array([cindex.get(f, czero) for f in names] + [czero], dtype=np.int64)
        self.role = np.array([rindex.get(f, rzero) for f in names] + [rzero], dtype=np.int64)


def _holds_two(spans, start: int, end: int) -> bool:
    """True when two kept spans that do not overlap lie inside ``start:end`` (the one that ends
    first and the one that starts last are disjoint exactly when any two are)."""
    inner = [(a, b) for a, b in spans if start <= a and b <= end and (a, b) != (start, end)]
    return bool(inner) and min(b for _, b in inner) <= max(a for a, _ in inner)


def _inside(spans, start: int, end: int) -> bool:
    return any(a <= start and end <= b and (a, b) != (start, end) for a, b in spans)


class Scorer:
    """spaCy component holding the scorer's weights; :meth:`rescore` applies them to one paper."""

    def __init__(self, nlp: Language, name: str, *, weights: str | None, enabled: bool, threshold: float | None):
        self.name = name
        self.weights = weights
        self.enabled = enabled
        self.model = load_model(weights) if enabled else None
        if self.model is not None:
            frequency.load()  # now, not during the first paper's extraction
        if self.model is not None and threshold is not None:
            if not 0.0 <= threshold <= 1.0:
                raise ValueError(f"threshold must be within [0, 1], got {threshold}")
            self.model = self.model.rescaled(threshold)
        if self.model is not None and self.model.concept.dense is None:
            _joint(self.model)  # now, not during the first paper's extraction

    def __call__(self, doc: Doc) -> Doc:
        return doc

    def rescore(self, ex: PaperExtraction, texts: dict[str, str], docs: dict[str, Doc], lex: Lexicon,
                own_start: int = 0) -> PaperExtraction:
        """``ex`` re-decided by the model; unchanged when disabled or no weights are shipped."""
        if self.model is None:
            return ex
        return apply(self.model, ex, texts, docs, lex, own_start)


@Language.factory("papergraph_scorer", default_config={"weights": None, "enabled": True, "threshold": None})
def make_scorer(nlp: Language, name: str, weights: str | None, enabled: bool, threshold: float | None) -> Scorer:
    """Factory of the learned scorer (weights: a JSON file; default the package's)."""
    if weights is not None and not os.path.isfile(weights):
        raise ValueError(f"scorer weights {weights!r} not found")
    return Scorer(nlp, name, weights=weights, enabled=enabled, threshold=threshold)

