"""Where `papergraph extract`'s CPU time goes, per stage, in one process (``time.process_time``).

The spaCy stages are the English pipeline as papergraph runs it (its attribute ruler and lemmatizer
by table lookup, :mod:`papergraph.nlp.attribute_ruler`, :mod:`papergraph.nlp.lemmatizer`), so the
printed ratio is against that pipeline, not stock spaCy (``bench/run.py`` measures both).

Runs the English pipeline's own components, then each of papergraph's spaCy components, in
batches as ``nlp.pipe`` does, then the per-paper steps of :func:`papergraph.nlp.extract_papers`
(assembly, the learned scorer, relations, results), and prints milliseconds per paper for each
and the ratio the bench measures (bare spaCy / everything). CPU time, so the split does not move
with the machine's load as much as wall time does. The cyclic GC is set as ``papergraph extract``
sets it (:mod:`papergraph.engine.heap`) unless ``--default-gc``. ``--cprofile FILE`` also writes a
cProfile of the papergraph part (components and per-paper steps).

Usage:
    python bench/extract_profile.py ../shared/gold/dev.jsonl ../shared/gold/train.jsonl [--repeats 3]
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import time
from collections import defaultdict

from papergraph.ingest import read_inputs
from papergraph.nlp import load_pipeline, relations, results
from papergraph.nlp.concepts import own_work_start
from papergraph.nlp.lexicon import lexicon_for
from papergraph.nlp.text import prepare_text, prepare_title

_OURS = "papergraph_"


def _batches(items, size):
    for i in range(0, len(items), size):
        yield items[i:i + size]


def profile_once(nlp, papers, batch_size: int, prof: cProfile.Profile | None) -> dict[str, float]:
    """CPU seconds per stage over ``papers`` (one pass)."""
    secs: dict[str, float] = defaultdict(float)
    texts = [t for p in papers for t in (prepare_title(p.title or ""), prepare_text(p.abstract or ""))]
    docs = []
    for batch in _batches(texts, batch_size):
        t0 = time.process_time()
        ds = [nlp.make_doc(t) for t in batch]
        secs["spacy:tokenizer"] += time.process_time() - t0
        for name, proc in nlp.pipeline:
            ours = name.startswith(_OURS)
            if ours and prof:
                prof.enable()
            t0 = time.process_time()
            ds = list(proc.pipe(ds)) if hasattr(proc, "pipe") else [proc(d) for d in ds]
            secs[("rules:" if ours else "spacy:") + name] += time.process_time() - t0
            if ours and prof:
                prof.disable()
        docs.extend(ds)
    assembler = nlp.get_pipe("papergraph_concepts")
    scorer_pipe = nlp.get_pipe("papergraph_scorer")
    lex = lexicon_for(assembler.vocab_path)
    if prof:
        prof.enable()
    for k, paper in enumerate(papers):
        pdocs = {"title": docs[2 * k], "abstract": docs[2 * k + 1]}
        fields = {"title": paper.title or "", "abstract": paper.abstract or ""}
        t0 = time.process_time()
        ex = assembler.assemble(paper, pdocs, min_confidence=0.0)
        t1 = time.process_time()
        scorer_pipe.rescore(ex, fields, pdocs, lex, own_work_start(pdocs["abstract"]))
        t2 = time.process_time()
        ex.relations = relations.collect(pdocs, ex, fields)
        ex.results = results.collect(pdocs, ex, fields)
        t3 = time.process_time()
        secs["rules:assemble"] += t1 - t0
        secs["scorer:rescore"] += t2 - t1
        secs["rules:relations+results"] += t3 - t2
    if prof:
        prof.disable()
    return secs


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("inputs", nargs="+", help="paper files (any format papergraph reads)")
    ap.add_argument("--repeats", type=int, default=3, help="passes (the fastest of each stage is kept)")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--cprofile", help="write a cProfile of papergraph's part of the first pass here")
    ap.add_argument("--default-gc", action="store_true",
                    help="keep Python's cyclic-GC settings (default: those `papergraph extract` sets, engine/heap.py)")
    args = ap.parse_args(argv)
    papers = read_inputs(args.inputs).papers
    nlp = load_pipeline()
    profile_once(nlp, papers[:8], args.batch_size, None)  # warm caches that every run would fill
    if not args.default_gc:
        from papergraph.engine.heap import EXTRACT_GC_THRESHOLDS, freeze_loaded

        freeze_loaded()
        gc.set_threshold(*EXTRACT_GC_THRESHOLDS)
    best: dict[str, float] = {}
    for r in range(args.repeats):
        prof = cProfile.Profile() if args.cprofile and r == 0 else None
        secs = profile_once(nlp, papers, args.batch_size, prof)
        if prof:
            prof.dump_stats(args.cprofile)
        for k, v in secs.items():
            best[k] = min(best.get(k, v), v)
    n = len(papers)
    groups: dict[str, float] = defaultdict(float)
    print(f"{n} papers, best of {args.repeats} passes, CPU ms per paper")
    for k, v in best.items():
        groups[k.split(":")[0]] += v
        print(f"  {k:<34} {1000 * v / n:7.2f}")
    for g in ("spacy", "rules", "scorer"):
        print(f"{g:<36} {1000 * groups[g] / n:7.2f}")
    total = sum(groups.values())
    print(f"bare spaCy / everything: {groups['spacy'] / total:.3f}; "
          f"rules + scorer = {(groups['rules'] + groups['scorer']) / groups['spacy']:.1%} of spaCy")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
