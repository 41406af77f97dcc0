"""Train the concept NER (Model/Benchmark/Method/Task/Metric) on the "train" split of the silver annotations.

Reads ``data/annotations/corpus-silver.jsonl`` (offsets) and the corpus text, holds every 10th
train paper out for model selection, trains ``training/ner.cfg`` with spaCy, and writes the best
pipeline (tok2vec + ner, tokenizer with papergraph's suffix rules) to
``src/papergraph/nlp/data/concept_ner/``. The "test" split is never read.

Usage::

    python training/train.py [--corpus ../shared/corpus] [--out DIR] [--max-steps N]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

import spacy
from spacy.tokens import DocBin
from spacy.util import filter_spans, registry

sys.path.insert(0, str(Path(__file__).resolve().parent))
from annotations import ROOT, DEFAULT_OUT, read_rows  # noqa: E402

from papergraph.ingest import read_inputs  # noqa: E402
from papergraph.model import title_id  # noqa: E402
from papergraph.nlp.statistical import LABELS, default_path, fix_tokenizer  # noqa: E402

CONFIG = Path(__file__).resolve().parent / "ner.cfg"
DEV_EVERY = 10


@registry.callbacks("papergraph.concept_ner_tokenizer.v1")
def _tokenizer_callback():
    return fix_tokenizer


def make_docs(nlp, rows: list[dict], texts: dict[str, dict[str, str]], stats: dict) -> list:
    """One Doc per title/abstract with the longest non-overlapping annotated spans as entities."""
    docs = []
    for row in rows:
        for fld in ("title", "abstract"):
            doc = nlp.make_doc(texts[row["paper"]][fld])
            spans = []
            for f, start, end, label, *_ in row["spans"]:
                if f != fld:
                    continue
                stats["spans"] += 1
                span = doc.char_span(start, end, label=label, alignment_mode="contract")
                if span is None or len(span) == 0 or span.text.rstrip("s") != doc.text[start:end].rstrip("s"):
                    stats["misaligned"] += 1
                if span is not None and len(span):
                    spans.append(span)
            kept = filter_spans(spans)
            stats["overlapping"] += len(spans) - len(kept)
            doc.ents = kept
            docs.append(doc)
    return docs


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    ap.add_argument("--annotations", default=str(DEFAULT_OUT))
    ap.add_argument("--out", default=default_path())
    ap.add_argument("--max-steps", type=int, default=None)
    a = ap.parse_args(argv)

    texts = {title_id(p.title): {"title": p.title, "abstract": p.abstract} for p in read_inputs([a.corpus]).papers}
    train_rows = [r for r in read_rows(a.annotations) if r["split"] == "train"]
    dev_rows = train_rows[DEV_EVERY - 1::DEV_EVERY]
    fit_rows = [r for i, r in enumerate(train_rows) if (i + 1) % DEV_EVERY]
    nlp = fix_tokenizer(spacy.blank("en"))
    stats = {"spans": 0, "misaligned": 0, "overlapping": 0}
    with tempfile.TemporaryDirectory() as tmp:
        for name, rows in (("train", fit_rows), ("dev", dev_rows)):
            DocBin(docs=make_docs(nlp, rows, texts, stats)).to_disk(f"{tmp}/{name}.spacy")
        print(f"papers: fit {len(fit_rows)}, model-selection {len(dev_rows)}; spans {stats}", flush=True)
        from spacy.cli.train import train
        overrides = {"paths.train": f"{tmp}/train.spacy", "paths.dev": f"{tmp}/dev.spacy"}
        if a.max_steps:
            overrides["training.max_steps"] = a.max_steps
        train(CONFIG, Path(tmp) / "out", use_gpu=-1, overrides=overrides)
        best = spacy.load(Path(tmp) / "out" / "model-best")
        dev_docs = list(DocBin().from_disk(f"{tmp}/dev.spacy").get_docs(best.vocab))
        from spacy.training import Example
        scores = best.evaluate([Example(best.make_doc(d.text), d) for d in dev_docs])
        per_type = scores.get("ents_per_type") or {}
        best.meta["papergraph"] = {
            "label_precision": {lab: round(per_type.get(lab, {}).get("p", 0.5), 3) for lab in LABELS},
            "selection_scores": {k: round(v, 4) for k, v in scores.items() if k.startswith("ents_") and isinstance(v, float)},
            "papers": {"fit": len(fit_rows), "selection": len(dev_rows)},
        }
        best.meta["name"], best.meta["version"] = "papergraph_concept_ner", "0.1.0"
        best.config["initialize"]["before_init"] = None
        shutil.rmtree(a.out, ignore_errors=True)
        best.to_disk(a.out)
    size = sum(f.stat().st_size for f in Path(a.out).rglob("*") if f.is_file())
    print(f"wrote {a.out} ({size / 1e6:.1f} MB); selection-set NER scores: {best.meta['papergraph']}")


if __name__ == "__main__":
    main()
