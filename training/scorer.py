#!/usr/bin/env python3
"""Train papergraph's learned scorer on gold papers and write the weights the package ships.

    .venv/bin/python training/scorer.py                       # dev + train gold -> src/papergraph/nlp/data/scorer.json
    .venv/bin/python training/scorer.py --gold tiny.jsonl -o /tmp/w.json

Deterministic: the same gold, settings (training/scorer.toml) and spaCy model give the same
weights. Cross-validated figures: ``papergraph eval --folds`` (see docs/quality.md).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "gold"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", action="append", help="gold JSON Lines (repeatable) [default: shared dev + train]")
    ap.add_argument("--config", default=str(HERE / "scorer.toml"), help="training settings (TOML, [scorer])")
    ap.add_argument("-o", "--output", default=str(HERE.parent / "src" / "papergraph" / "nlp" / "data" / "scorer.json"))
    ap.add_argument("--model", default=None, help="spaCy English pipeline [default: papergraph's]")
    args = ap.parse_args(argv)

    from papergraph.evaluate import load_records
    from papergraph.nlp import load_pipeline
    from papergraph.nlp.train import collect, fit, load_config

    golds = args.gold or [str(SHARED / "dev.jsonl"), str(SHARED / "train.jsonl")]
    records: dict[str, dict] = {}
    for g in golds:
        records.update(load_records(g))
    cfg = load_config(args.config)
    t0 = time.time()
    nlp = load_pipeline(args.model, config={"papergraph_scorer": {"enabled": False}})
    data = collect(records.values(), nlp, chunks=cfg.chunks)
    model = fit(data, cfg)
    model.meta["gold"] = [os.path.basename(g) for g in golds]
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8") as fh:
        json.dump(model.to_dict(), fh, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        fh.write("\n")
    os.replace(tmp, args.output)
    print(f"trained on {len(data)} papers, {model.meta['examples']} candidates in {time.time() - t0:.0f} s; "
          f"{len(model.concept.weights)} + {len(model.role.weights)} features -> {args.output} "
          f"({os.path.getsize(args.output) / 1e6:.1f} MB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
