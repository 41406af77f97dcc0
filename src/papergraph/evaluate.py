"""Score extracted concepts against a gold file, with the figures of ``../shared/tools/score.py``.

Matching follows ``../shared/gold/GUIDELINES.md``: surface forms are compared after
case-folding and dropping punctuation, hyphens and spaces, with a plural "s"/"es" stripped;
per paper, gold and predicted concepts are paired one-to-one, greedily in file order, first
on their names alone, then on names plus aliases. Precision, recall and F1 are
micro-averaged over papers, untyped and typed, overall and per type; plus the recall of
``proposed`` gold concepts and the agreement of roles on matched pairs.

Example:
    >>> from papergraph.evaluate import load_records, score
    >>> res = score(load_records("gold.jsonl"), load_records("pred.jsonl"))
    >>> res["untyped"]["f"]
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from typing import Iterable, Sequence

from .errors import InputError

__all__ = ["TYPES", "match_keys", "pair_concepts", "score", "load_records", "format_report", "evaluate", "cross_validate"]

TYPES = ("Model", "Benchmark", "Method", "Task", "Metric")
_NON_WORD = re.compile(r"[\W_]+")


def match_keys(form: str) -> set[str]:
    """Keys of one surface form: folded, plus the fold without a plural "s" or "es"."""
    folded = _NON_WORD.sub("", str(form).casefold())
    if not folded:
        return set()
    found = {folded}
    if len(folded) > 3 and folded[-1] == "s" and folded[-2] != "s":
        found.add(folded[:-1])
    if len(folded) > 4 and folded[-2:] == "es":
        found.add(folded[:-2])
    return found


def _all_keys(concept: dict) -> set[str]:
    out: set[str] = set()
    for form in (concept.get("name", ""), *(concept.get("aliases") or ())):
        out.update(match_keys(form))
    return out


def pair_concepts(gold: list[dict], pred: list[dict], *, typed: bool) -> list[tuple[int, int]]:
    """One-to-one greedy pairs ``(gold index, pred index)``: name matches first, then any alias."""
    name_keys = ([match_keys(g.get("name", "")) for g in gold], [match_keys(p.get("name", "")) for p in pred])
    full_keys = ([_all_keys(g) for g in gold], [_all_keys(p) for p in pred])
    pairs: list[tuple[int, int]] = []
    gold_done: set[int] = set()
    pred_done: set[int] = set()
    for gk, pk in (name_keys, full_keys):
        for gi, g in enumerate(gold):
            if gi in gold_done:
                continue
            for pi, p in enumerate(pred):
                if pi in pred_done or (typed and g.get("type") != p.get("type")):
                    continue
                if gk[gi] & pk[pi]:
                    pairs.append((gi, pi))
                    gold_done.add(gi)
                    pred_done.add(pi)
                    break
    return pairs


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4)}


def score(gold: dict[str, dict], pred: dict[str, dict], show_errors: int = 0) -> dict:
    """Score predictions against gold; both map paper id -> record with ``concepts``.

    Papers of ``gold`` missing from ``pred`` predict nothing; extra papers of ``pred`` are ignored.
    Gold concepts whose type is not one of :data:`TYPES` are not scored.
    """
    n = Counter()
    by_type = {t: Counter() for t in TYPES}
    roles = Counter()
    misses: list[tuple] = []
    spurious: list[tuple] = []
    for pid, grec in gold.items():
        gc = [c for c in grec.get("concepts", []) if c.get("type") in TYPES]
        prec = pred.get(pid)
        pc = list((prec or {}).get("concepts") or [])
        n["papers_predicted"] += pid in pred
        n["gold"] += len(gc)
        n["pred"] += len(pc)
        untyped = pair_concepts(gc, pc, typed=False)
        n["tp"] += len(untyped)
        for gi, pi in untyped:
            if gc[gi].get("role") and pc[pi].get("role"):
                roles["both"] += 1
                roles["agree"] += gc[gi]["role"] == pc[pi]["role"]
        gold_hit = {gi for gi, _ in untyped}
        pred_hit = {pi for _, pi in untyped}
        for gi, c in enumerate(gc):
            if c.get("role") == "proposed":
                n["proposed"] += 1
                n["proposed_tp"] += gi in gold_hit
            if gi not in gold_hit:
                misses.append((pid, c["type"], c["name"]))
        spurious.extend((pid, c.get("type"), c.get("name")) for pi, c in enumerate(pc) if pi not in pred_hit)
        typed = pair_concepts(gc, pc, typed=True)
        n["typed_tp"] += len(typed)
        for t in TYPES:
            by_type[t]["gold"] += sum(c["type"] == t for c in gc)
            by_type[t]["pred"] += sum(c.get("type") == t for c in pc)
            by_type[t]["tp"] += sum(gc[gi]["type"] == t for gi, _ in typed)
    out = {
        "papers": len(gold),
        "papers_predicted": n["papers_predicted"],
        "gold_concepts": n["gold"],
        "pred_concepts": n["pred"],
        "untyped": _prf(n["tp"], n["pred"], n["gold"]),
        "typed": _prf(n["typed_tp"], n["pred"], n["gold"]),
        "per_type": {t: {**_prf(v["tp"], v["pred"], v["gold"]), "gold": v["gold"], "pred": v["pred"]}
                     for t, v in by_type.items()},
        "proposed_recall": round(n["proposed_tp"] / n["proposed"], 4) if n["proposed"] else None,
        "role_agreement": round(roles["agree"] / roles["both"], 4) if roles["both"] else None,
    }
    if show_errors:
        out["misses"] = misses[:show_errors]
        out["spurious"] = spurious[:show_errors]
    return out


def load_records(path: str | os.PathLike) -> dict[str, dict]:
    """A JSON Lines file of paper records, by ``id``.

    Raises:
        InputError: the file is unreadable, a line is not a JSON object or has no ``id``.
    """
    path = os.fspath(path)
    rows: dict[str, dict] = {}
    try:
        with open(path, encoding="utf-8") as fh:
            for lineno, line in enumerate(fh, 1):
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except json.JSONDecodeError as e:
                    raise InputError(f"not JSON: {e.msg}", path, lineno) from None
                if not isinstance(obj, dict) or "id" not in obj:
                    raise InputError("expected a JSON object with an 'id' field", path, lineno)
                rows[str(obj["id"])] = obj
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", path) from None
    return rows


def format_report(res: dict) -> str:
    """The result as text, laid out like ``score.py``'s output."""
    lines = [
        f"papers {res['papers']} (predicted {res['papers_predicted']}), "
        f"gold concepts {res['gold_concepts']}, predicted {res['pred_concepts']}",
        f"{'':10} {'P':>6} {'R':>6} {'F1':>6} {'gold':>5} {'pred':>5}",
    ]
    for t, v in res["per_type"].items():
        lines.append(f"{t:10} {v['p']:6.3f} {v['r']:6.3f} {v['f']:6.3f} {v['gold']:5d} {v['pred']:5d}")
    lines.append(f"proposed recall {res['proposed_recall']}, role agreement {res['role_agreement']}")
    lines += [f"miss: {row}" for row in res.get("misses", [])]
    lines += [f"spurious: {row}" for row in res.get("spurious", [])]
    u, t = res["untyped"], res["typed"]
    lines.append(f"untyped P={u['p']:.3f} R={u['r']:.3f} F1={u['f']:.3f}  "
                 f"typed P={t['p']:.3f} R={t['r']:.3f} F1={t['f']:.3f}")
    return "\n".join(lines)


def predictions(pairs: Iterable) -> dict[str, dict]:
    """Prediction records by id from ``(paper, extraction)`` pairs (the ``extract`` format)."""
    from .export.concepts import extraction_record

    return {str(p.id): extraction_record(p, ex) for p, ex in pairs}


def evaluate(gold_path: str | os.PathLike, *, show_errors: int = 0, **extract_options) -> dict:
    """Extract concepts from the papers of a gold file and score them against it.

    Args:
        gold_path: gold JSON Lines (``id``, ``title``, ``abstract``, ``concepts``).
        show_errors: list up to this many missed and spurious concepts.
        **extract_options: passed to :func:`papergraph.api.extract` (model, vocab, ...).

    Returns:
        The :func:`score` result.
    """
    from .api import extract

    gold = load_records(gold_path)
    report, exs = extract([gold_path], **extract_options)
    by_id = {p.id: p for p in report.papers}
    return score(gold, predictions((by_id[e.paper_id], e) for e in exs), show_errors)


def cross_validate(gold_paths: Sequence[str | os.PathLike], folds_path: str | os.PathLike, *,
                   config: str | os.PathLike | None = None, model: str | None = None, vocab=None,
                   corpus_vote: bool = True, mode: str = "combined", show_errors: int = 0,
                   pred_out: str | os.PathLike | None = None) -> tuple[dict, str]:
    """Score the learned scorer by cross-validation: per fold, train on the others, predict it.

    Args:
        gold_paths: gold JSON Lines files, read together.
        folds_path: JSON with ``fold_of`` (paper id -> fold), as ``shared/gold/folds.json``.
        config: a TOML file of training settings (default: those of the shipped weights).
        model, vocab: as for :func:`papergraph.api.extract`.
        corpus_vote: vote each concept's type over all held-out predictions (as ``extract`` does).
        mode: ``combined`` (the rules' and the parse's candidates, decided by the trained scorer),
            ``rules`` (the rules alone: nothing trained) or ``model`` (the scorer over the parse's
            candidates only), for the ablation.
        show_errors: list up to this many missed and spurious concepts.
        pred_out: also write the held-out predictions (JSON Lines) here.

    Returns:
        The :func:`score` result over all held-out predictions, and the per-fold summary text.
    """
    from .nlp import load_pipeline
    from .nlp.train import collect, cross_validate as cv, fold_report, load_config, rules_only

    gold: dict[str, dict] = {}
    for p in gold_paths:
        gold.update(load_records(p))
    try:
        with open(folds_path, encoding="utf-8") as fh:
            fold_of = {str(k): int(v) for k, v in json.load(fh)["fold_of"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise InputError(f"not a folds file with a 'fold_of' object ({e})", os.fspath(folds_path)) from None
    missing = [i for i in gold if i not in fold_of]
    if missing:
        raise InputError(f"{len(missing)} gold papers have no fold (first: {missing[0]})", os.fspath(folds_path))
    nlp = load_pipeline(model, vocab=vocab, config={"papergraph_scorer": {"enabled": False}})
    if mode not in ("combined", "rules", "model"):
        raise ValueError(f"unknown mode {mode!r}")
    cfg = load_config(config)
    data = collect(gold.values(), nlp, vocab_path=None if vocab is None else os.fspath(vocab), rules=mode != "model",
                   chunks=cfg.chunks)
    preds = rules_only(data) if mode == "rules" else cv(data, fold_of, cfg)[0]
    preds = _voted(preds, corpus_vote)
    if pred_out is not None:
        with open(pred_out, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(p, ensure_ascii=False) + "\n" for p in preds)
    by_id = {p["id"]: p for p in preds}
    return score(gold, by_id, show_errors), fold_report(gold, preds, fold_of)


def _voted(preds: list[dict], vote: bool) -> list[dict]:
    """Prediction records with ``concept_id`` from the resolution stage over all of them (as
    ``extract`` writes it) and, with ``vote``, their types voted over all of them."""
    from .api import resolve_extractions
    from .export.concepts import with_concept_ids
    from .model import PaperExtraction
    from .nlp.canonical import apply_votes

    exs = [PaperExtraction.from_dict({"paper_id": p["id"], "concepts": p["concepts"]}) for p in preds]
    canon = resolve_extractions(exs)
    voted = apply_votes(exs, canon) if vote else exs
    out = []
    for p, ex in zip(preds, voted):
        rec = {**p, "concepts": [{**c, "type": v.type} for c, v in zip(p["concepts"], ex.concepts)]}
        out.append(with_concept_ids(rec, canon))
    return out
