"""Tag gold-format papers with the concept NER (and optionally the rules), write predictions, score them.

Each NER span becomes a concept (name = span text, role "used"); spans with the same folded text
in one paper are merged, the type is the majority label. With ``--rules`` the rule pipeline
(``papergraph.nlp.load_pipeline`` + ``extract_papers``) is run too, and a naive union (rule
concepts plus NER concepts matching no rule concept) is written and scored: its recall is the
"oracle" recall of using the NER as an extra candidate source.

Usage::

    python training/evaluate.py --gold ../shared/gold/dev.jsonl --out /tmp/eval/dev [--rules] [--model DIR]

writes ``DIR-ner.jsonl`` (and ``-rules.jsonl``, ``-union.jsonl``) and prints score.py's report for each.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from papergraph.model import Paper
from papergraph.nlp.statistical import load_concept_tagger, tag_texts

SCORER = Path(__file__).resolve().parent.parent.parent / "shared" / "tools" / "score.py"


def fold(text: str) -> str:
    """Fold a surface form the way score.py does (casefold, drop punctuation/spaces, drop a plural "s")."""
    k = re.sub(r"[\W_]+", "", text.casefold())
    return k[:-1] if len(k) > 3 and k.endswith("s") and not k.endswith("ss") else k


def ner_concepts(tagger, paper: dict) -> list[dict]:
    """The NER's concepts for one gold-format paper."""
    texts = [paper.get("title") or "", paper.get("abstract") or ""]
    groups: dict[str, dict] = {}
    for text, spans in zip(texts, tag_texts(tagger, texts)):
        for start, end, label, _score in spans:
            surface = text[start:end]
            g = groups.setdefault(fold(surface), {"forms": [], "labels": Counter()})
            g["labels"][label] += 1
            if surface not in g["forms"]:
                g["forms"].append(surface)
    return [{"name": g["forms"][0], "type": g["labels"].most_common(1)[0][0], "aliases": g["forms"][1:],
             "role": "used"} for k, g in groups.items() if k]


def rule_concepts(papers: list[dict]) -> dict[str, list[dict]]:
    """The rule system's concepts per paper id."""
    from papergraph.nlp import extract_papers, load_pipeline
    nlp = load_pipeline()
    objs = [Paper(id=str(p["id"]), title=p.get("title") or "", abstract=p.get("abstract") or "") for p in papers]
    return {ex.paper_id: [{"name": c.name, "type": c.type, "aliases": list(c.aliases), "role": c.role}
                          for c in ex.concepts] for ex in extract_papers(objs, nlp)}


def union(rules: list[dict], ner: list[dict]) -> list[dict]:
    """Rule concepts plus the NER concepts none of whose forms matches a rule concept's form."""
    seen = {fold(s) for c in rules for s in [c["name"], *c["aliases"]]}
    return rules + [c for c in ner if not {fold(s) for s in [c["name"], *c["aliases"]]} & seen]


def combination_report(gold: dict[str, dict], rules: dict[str, list[dict]], ner: dict[str, list[dict]]) -> dict:
    """How the NER would help the rules as a filter and as a type voter (per score.py's matching).

    Returns counts: rule concepts the NER also tags ("confirmed") or not, and how many of each
    are correct (match a gold concept untyped); and for correct rule concepts the NER also
    tags, how often the rule type and the NER type equal the gold type.
    """
    score = _scorer()
    out = Counter()
    for pid, g in gold.items():
        gc = [c for c in g.get("concepts", []) if c.get("type") in score.TYPES]
        rc, nc = rules.get(pid, []), ner.get(pid, [])
        hit = dict((pi, gi) for gi, pi in score.match(gc, rc, typed=False))
        nkeys = [score.concept_keys(c) for c in nc]
        for pi, c in enumerate(rc):
            ks = score.concept_keys(c)
            other = next((n for n, k in zip(nc, nkeys) if k & ks), None)
            tag = "confirmed" if other else "unconfirmed"
            out[f"{tag}"] += 1
            out[f"{tag}_correct"] += pi in hit
            if other and pi in hit:
                gold_type = gc[hit[pi]]["type"]
                out["typed_pairs"] += 1
                out["rule_type_right"] += c["type"] == gold_type
                out["ner_type_right"] += other["type"] == gold_type
                out["disagree"] += c["type"] != other["type"]
                out["disagree_ner_right"] += c["type"] != other["type"] == gold_type
    return dict(out)


def _scorer():
    spec = importlib.util.spec_from_file_location("pg_score", SCORER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _write(path: str, rows: dict[str, list[dict]]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for pid, concepts in rows.items():
            fh.write(json.dumps({"id": pid, "concepts": concepts}, ensure_ascii=False) + "\n")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", required=True)
    ap.add_argument("--out", required=True, help="prefix of the prediction files")
    ap.add_argument("--model", default=None, help="tagger directory (default: the shipped one)")
    ap.add_argument("--rules", action="store_true", help="also run the rule system and the union")
    a = ap.parse_args(argv)
    with open(a.gold, encoding="utf-8") as fh:
        papers = [json.loads(line) for line in fh if line.strip()]
    tagger = load_concept_tagger(a.model)
    preds = {"ner": {str(p["id"]): ner_concepts(tagger, p) for p in papers}}
    if a.rules:
        preds["rules"] = rule_concepts(papers)
        preds["union"] = {pid: union(preds["rules"].get(pid, []), c) for pid, c in preds["ner"].items()}
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    for name, rows in preds.items():
        path = f"{a.out}-{name}.jsonl"
        _write(path, rows)
        print(f"== {name}: {path}", flush=True)
        subprocess.run([sys.executable, str(SCORER), "--gold", a.gold, "--pred", path], check=True)
    if a.rules:
        gold = {str(p["id"]): p for p in papers}
        print("== combination:", json.dumps(combination_report(gold, preds["rules"], preds["ner"])))


if __name__ == "__main__":
    main()
