"""Training and cross-validation of the learned scorer (:mod:`papergraph.nlp.scorer`).

Gold papers (format of ``shared/gold/GUIDELINES.md``) go through the rule pipeline once;
every candidate gets its features and a label from the gold (its type if it pairs with a
gold concept as the shared scorer pairs them, else NONE; the gold role for the role
model). :func:`fit` trains both models; :func:`cross_validate` trains on all folds but one
and predicts the held-out papers, fold by fold, so the figures are those of papers the
weights never saw.

Example:
    >>> data = collect(load_records("gold.jsonl"), load_pipeline(scorer=False))
    >>> model = fit(data, Config())
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from spacy.language import Language

from ..model import CONCEPT_TYPES, ROLES, Paper
from .concepts import own_work_start
import numpy as np

from .features import concept_features, dense_vector, role_features
from .lexicon import lexicon_for
from .linear import train
from .scorer import CONCEPT_LABELS, ScorerModel, candidates, decide, scorable
from .text import prepare_text, prepare_title

__all__ = ["Config", "PaperData", "collect", "fit", "predict", "cross_validate", "as_record", "fold_report", "load_config", "rules_only"]


@dataclass
class Config:
    """Hyper-parameters (``training/scorer.toml``)."""

    l2: float = 1e-3
    epochs: int = 300
    lr: float = 0.05
    min_count: int = 2
    threshold: float = 0.5
    chunk_threshold: float | None = None
    proposed_threshold: float | None = None
    chunk_proposed_threshold: float | None = None
    title_threshold: float | None = None
    proposed_probability: float | None = None
    none_weight: float = 1.0
    proposed_weight: float = 1.0
    role_l2: float = 3e-3
    dense: bool = False
    chunks: bool = True
    dense_l2: float = 1e-2
    seed: int = 2026

    @classmethod
    def from_dict(cls, d: dict) -> "Config":
        unknown = set(d) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"unknown scorer config keys: {', '.join(sorted(unknown))}")
        return cls(**d)


@dataclass
class PaperData:
    """One gold paper's candidates, their features and labels."""

    id: str
    gold: dict
    cands: list
    ctx: object
    feats: list[list[str]]
    labels: list[int]
    roles: list[int | None] = field(default_factory=list)
    role_feats: list[list[str] | None] = field(default_factory=list)
    dense: object = None  # np.ndarray (candidates x DENSE_WIDTH)
    n_rules: int = 0  # cands[:n_rules] are the rules' own concepts


def _pairs(gold: list[dict], cands: list) -> dict[int, int]:
    """Candidate index -> gold index, paired one-to-one as the shared scorer pairs them."""
    from ..evaluate import pair_concepts
    preds = [{"name": c.name, "aliases": list(c.aliases)} for c in cands]
    return {pi: gi for gi, pi in pair_concepts(gold, preds, typed=False)}


def collect(records: Iterable[dict], nlp: Language, *, vocab_path: str | None = None,
            rules: bool = True, chunks: bool = True) -> list[PaperData]:
    """Run the rules over gold records and label every candidate (``rules=False``: the parse's
    candidates only, for the ablation "model only")."""
    records = list(records)
    assembler = nlp.get_pipe("papergraph_concepts")
    lex = lexicon_for(vocab_path)
    papers = [Paper(id=str(r["id"]), title=r.get("title") or "", abstract=r.get("abstract") or "") for r in records]

    def texts():
        for p in papers:
            yield prepare_title(p.title), (p, "title")
            yield prepare_text(p.abstract), (p, "abstract")

    out: list[PaperData] = []
    pending: dict = {}
    by_id = {str(r["id"]): r for r in records}
    for doc, (paper, fld) in nlp.pipe(texts(), as_tuples=True, batch_size=32):
        pending[fld] = doc
        if fld != "abstract":
            continue
        docs, pending = pending, {}
        ex = assembler.assemble(paper, docs, min_confidence=0.0)
        if not rules:
            ex.concepts = []
        fields = {"title": paper.title, "abstract": paper.abstract}
        cands, ctx = candidates(ex, fields, docs, lex, own_work_start(docs.get("abstract")), chunks=chunks or not rules)
        feats = [concept_features(c, ctx) for c in cands]
        dense = np.stack([dense_vector(c, ctx) for c in cands]) if cands else np.zeros((0, 1), dtype=np.float32)
        gold = by_id[paper.id]
        pairs = _pairs(gold.get("concepts", []), cands)
        labels, roles, rfeats = [], [], []
        for i, c in enumerate(cands):
            g = gold["concepts"][pairs[i]] if i in pairs else None
            labels.append(CONCEPT_LABELS.index(g["type"]) if g and g.get("type") in CONCEPT_TYPES else 0)
            if g is not None and g.get("role") in ROLES:
                c2 = copy.copy(c)
                c2.type = g["type"]
                roles.append(ROLES.index(g["role"]))
                rfeats.append(role_features(c2, ctx, feats[i]))
            else:
                roles.append(None)
                rfeats.append(None)
        ctx.docs = {}  # the record keeps no Doc (picklable, small)
        out.append(PaperData(paper.id, gold, cands, ctx, feats, labels, roles, rfeats, dense, len(ex.concepts)))
    return out


def fit(data: Sequence[PaperData], cfg: Config) -> ScorerModel:
    """Train the concept and role models on the given papers."""
    X = [f for d in data for f in d.feats]
    y = [lab for d in data for lab in d.labels]
    cw = [cfg.none_weight] + [1.0] * len(CONCEPT_TYPES)
    # candidates naming what the gold says the paper proposes weigh more: a contribution missed costs most
    proposed = ROLES.index("proposed")
    sw = None if cfg.proposed_weight == 1.0 else [
        cfg.proposed_weight if lab and r == proposed else 1.0 for d in data for lab, r in zip(d.labels, d.roles)]
    dense = np.concatenate([d.dense for d in data if len(d.cands)]) if cfg.dense else None
    concept = train(X, y, labels=CONCEPT_LABELS, l2=cfg.l2, epochs=cfg.epochs, lr=cfg.lr, min_count=cfg.min_count,
                    class_weight=cw, sample_weight=sw, seed=cfg.seed, dense=dense, dense_l2=cfg.dense_l2)
    RX = [f for d in data for f in d.role_feats if f is not None]
    ry = [r for d in data for r in d.roles if r is not None]
    role = train(RX, ry, labels=ROLES, l2=cfg.role_l2, epochs=cfg.epochs, lr=cfg.lr, min_count=cfg.min_count,
                 seed=cfg.seed)
    return ScorerModel(concept, role, threshold=cfg.threshold, **{k: getattr(cfg, k) for k in ScorerModel.BARS},
                       proposed_probability=cfg.proposed_probability, chunks=cfg.chunks,
                       meta={"papers": len(data), "examples": len(X), "config": cfg.__dict__})


def predict(model: ScorerModel, d: PaperData) -> list:
    """The concepts the model keeps for one collected paper (copies; ``d`` is unchanged)."""
    keep = scorable(d.cands)
    cands = [copy.copy(d.cands[i]) for i in keep]
    dense = d.dense[keep] if model.concept.dense is not None else None
    return decide(model, cands, d.ctx, [d.feats[i] for i in keep], dense)


def as_record(d: PaperData, concepts: list) -> dict:
    """A prediction line in the format of ``papergraph extract`` (what score.py reads), with type scores."""
    return {"id": d.id, "title": d.gold.get("title", ""), "concepts": [
        {"name": c.name, "type": c.type, "aliases": list(c.aliases), "role": c.role, "confidence": c.confidence,
         "rules": list(c.rules), "type_scores": dict(c.type_scores)} for c in concepts]}


def load_config(path=None) -> Config:
    """Training settings from a TOML file's ``[scorer]`` table; default: those of the shipped weights."""
    import tomllib

    from .scorer import load_model
    if path is None:
        shipped = load_model()
        return Config.from_dict(dict(shipped.meta.get("config", {}))) if shipped is not None else Config()
    with open(path, "rb") as fh:
        return Config.from_dict(tomllib.load(fh).get("scorer", {}))


def rules_only(data: Sequence[PaperData], min_confidence: float = 0.5) -> list[dict]:
    """What the rules alone predict (the assembly's default threshold), for the ablation."""
    return [as_record(d, [c for c in d.cands[:d.n_rules] if c.confidence >= min_confidence]) for d in data]


def cross_validate(data: Sequence[PaperData], fold_of: dict[str, int], cfg: Config) -> tuple[list[dict], dict]:
    """Held-out predictions for every paper (in input order) and the fold of each paper id."""
    missing = [d.id for d in data if d.id not in fold_of]
    if missing:
        raise ValueError(f"{len(missing)} papers have no fold (first: {missing[0]})")
    preds: dict[str, dict] = {}
    for k in sorted(set(fold_of[d.id] for d in data)):
        model = fit([d for d in data if fold_of[d.id] != k], cfg)
        for d in data:
            if fold_of[d.id] == k:
                preds[d.id] = as_record(d, predict(model, d))
    return [preds[d.id] for d in data], {d.id: fold_of[d.id] for d in data}



_FIGURES = (("untyped F1", lambda r: r["untyped"]["f"]), ("typed F1", lambda r: r["typed"]["f"]),
            *((f"{t} F1", (lambda t: lambda r: r["per_type"][t]["f"])(t)) for t in CONCEPT_TYPES),
            ("proposed recall", lambda r: r["proposed_recall"] or 0.0), ("role agreement", lambda r: r["role_agreement"] or 0.0))


def fold_report(gold: dict[str, dict], preds: list[dict], fold_of: dict[str, int]) -> str:
    """Mean and spread (sample standard deviation) over folds of each figure, one line each."""
    from statistics import mean, stdev

    from ..evaluate import score
    by_fold: dict[int, dict] = {}
    for p in preds:
        by_fold.setdefault(fold_of[p["id"]], {})[p["id"]] = p
    results = [score({i: gold[i] for i in ps}, ps) for _, ps in sorted(by_fold.items())]
    lines = [f"per fold ({len(results)} folds): mean +/- sd [min, max]"]
    for name, get in _FIGURES:
        v = [get(r) for r in results]
        sd = stdev(v) if len(v) > 1 else 0.0
        lines.append(f"  {name:<16} {mean(v):.3f} +/- {sd:.3f} [{min(v):.3f}, {max(v):.3f}]")
    return "\n".join(lines)
