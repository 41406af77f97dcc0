"""The knowledge base: lookups, case rules, ambiguity, families, and the committed data file."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from papergraph.knowledge import KBEntry, KnowledgeBase, load_kb, normalise

ROOT = Path(__file__).resolve().parents[1]
SHARED_KB = ROOT.parent / "shared" / "kb"
HEADER = "kb_id\tname\ttype\taliases\tsource\tsource_id\turl\tmatch\n"
ROWS = [
    ("lm_eval:gsm8k", "GSM8K", "Benchmark", "openai/gsm8k", "fold"),
    ("lm_eval:hendrycks_math", "MATH", "Benchmark", "", "exact-case"),
    ("hf_transformers:falcon", "Falcon", "Model", "", "exact-case"),
    ("hf_transformers:llama", "LLaMA", "Model", "Llama", "exact-case"),
    ("papergraph:model/llama-3", "Llama 3", "Model", "Llama-3|LLaMA-3", "exact-case"),
    ("hf_transformers:qwen2", "Qwen2", "Model", "", "fold"),
    ("papergraph:model/qwen2.5", "Qwen2.5", "Model", "", "fold"),
    ("hf_transformers:phi", "Phi", "Model", "", "exact-case"),
    ("torchmetrics:detection/map", "mAP", "Metric", "mean average precision", "exact-case"),
    ("hf_evaluate:mae", "MAE", "Metric", "Mean Absolute Error", "exact-case"),
    ("papergraph:method/lora", "LoRA", "Method", "low-rank adaptation", "exact-case"),
    ("papergraph:benchmark/humaneval+", "HumanEval+", "Benchmark", "", "fold"),
    ("a:one", "Twin", "Benchmark", "TW-1", "fold"),
    ("b:two", "Twin", "Model", "", "fold"),  # the same name for two things: ambiguous
]


@pytest.fixture()
def kb(tmp_path) -> KnowledgeBase:
    path = tmp_path / "kb.tsv"
    lines = [HEADER] + [f"{i}\t{n}\t{t}\t{a}\t{i.split(':')[0]}\t{i.split(':')[1]}\t\t{m}\n" for i, n, t, a, m in ROWS]
    path.write_text("".join(lines), encoding="utf-8")
    return load_kb(path)


def test_normalise_drops_separators_and_spells_plus():
    assert normalise("GSM-8K") == "GSM8K"
    assert normalise("HumanEval+") == "HumanEvalplus"
    assert normalise("Llama 3.1") == "Llama31"


@pytest.mark.parametrize("surface, kb_id", [
    ("GSM8K", "lm_eval:gsm8k"), ("gsm-8k", "lm_eval:gsm8k"), ("openai/gsm8k", "lm_eval:gsm8k"),
    ("MATH", "lm_eval:hendrycks_math"), ("math", None), ("Math", None),
    ("Falcon", "hf_transformers:falcon"), ("falcon", None),
    ("Llama", "hf_transformers:llama"), ("LLaMA", "hf_transformers:llama"), ("llama", None),
    ("LLaMA-3", "papergraph:model/llama-3"), ("Llama 3", "papergraph:model/llama-3"),
    ("mAP", "torchmetrics:detection/map"), ("map", None), ("MAP", None),
    ("mean absolute error", "hf_evaluate:mae"), ("Mean Absolute Error", "hf_evaluate:mae"),
    ("LoRA", "papergraph:method/lora"), ("Low-Rank Adaptation", "papergraph:method/lora"),
    ("HumanEval+", "papergraph:benchmark/humaneval+"), ("humaneval plus", "papergraph:benchmark/humaneval+"),
    ("TW-1", "a:one"), ("Twin", None), ("unknown thing", None), ("", None),
])
def test_lookup(kb, surface, kb_id):
    hit = kb.lookup(surface)
    assert (hit.kb_id if hit else None) == kb_id


def test_lookup_returns_entry_with_provenance(kb):
    e = kb.lookup("Mean Absolute Error")
    assert e == KBEntry("hf_evaluate:mae", "MAE", "Metric", ("Mean Absolute Error",), "hf_evaluate", "")
    assert len(kb) == len(ROWS)


@pytest.mark.parametrize("surface, kb_id", [
    ("Qwen2.5-Math-7B", "papergraph:model/qwen2.5"),
    ("Qwen2-VL-7B", "hf_transformers:qwen2"),
    ("Llama-3-8B", "papergraph:model/llama-3"),
    ("Llama-2-7b", "hf_transformers:llama"),
    ("LLaMA-13B", "hf_transformers:llama"),
    ("Phi-4-reasoning", "hf_transformers:phi"),
    ("Phishing", None),      # no boundary after "Phi"
    ("Llama", None),         # the entry itself: not a family of it
    ("llama-7b", None),      # exact-case entry, lower-case text
    ("GSM8K-Hard", None),    # a Benchmark prefix is no model family
])
def test_family(kb, surface, kb_id):
    hit = kb.family(surface)
    assert (hit.kb_id if hit else None) == kb_id


def test_package_kb_loads_and_knows_common_names():
    kb = load_kb()
    assert load_kb() is kb  # cached
    assert len(kb) > 1000
    assert kb.lookup("GSM8K").type == "Benchmark"
    assert kb.lookup("GPT-4o").type == "Model"
    assert kb.lookup("BLEU").type == "Metric"
    assert kb.lookup("direct preference optimization").kb_id == kb.lookup("DPO").kb_id
    assert kb.lookup("RAG").type == "Method"  # curated: a technique, not one model
    for word in ("bark", "Bark", "align", "mega", "falcon", "alignment", "beam", "math", "record", "palm"):
        assert kb.lookup(word) is None, word
    assert kb.family("Qwen2.5-Math-7B").type == "Model"


def _committed_rows():
    with open(ROOT / "src/papergraph/data/kb.tsv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_every_row_has_id_source_and_valid_fields():
    rows = _committed_rows()
    assert len({r["kb_id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["kb_id"] and r["source"] and r["source_id"], r
        assert r["kb_id"] == f"{r['source'].split('|')[0]}:{r['source_id'].split('|')[0]}"
        assert r["type"] in ("Model", "Benchmark", "Method", "Task", "Metric")
        assert r["match"] in ("exact-case", "fold")
        assert len(r["source"].split("|")) == len(r["source_id"].split("|"))


@pytest.mark.skipif(not SHARED_KB.is_dir(), reason="needs ../shared/kb")
def test_build_script_reproduces_committed_file(tmp_path):
    out = tmp_path / "kb.tsv"
    subprocess.run([sys.executable, str(ROOT / "scripts/build_kb.py"), "-o", str(out)], check=True,
                   capture_output=True)
    assert out.read_bytes() == (ROOT / "src/papergraph/data/kb.tsv").read_bytes()


def _build_module():
    import importlib.util
    spec = importlib.util.spec_from_file_location("build_kb", ROOT / "scripts/build_kb.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_build_rules_on_a_small_fixture(tmp_path):
    head = "name\taliases\tkind\tsource\tsource_id\turl\n"
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "benchmarks.tsv").write_text(
        head + "AlignBench\talignment|THUDM/AlignBench\tbenchmark\topencompass\talignbench\thttp://a\n"
        "ARC\tarc_easy|ai2_arc\tbenchmark\tlm_eval\tarc\thttp://b\n", encoding="utf-8")
    (shared / "models.tsv").write_text(
        head + "Bark\t\tmodel_family\thf_transformers\tbark\thttp://c\n"
        "LLaMA\t\tmodel_family\thf_transformers\tllama\thttp://d\n"
        "RAG\t\tmodel_family\thf_transformers\trag\thttp://e\n"
        "Qwen2\tqwen2\tmodel_family\thf_transformers\tqwen2\thttp://f\n", encoding="utf-8")
    (shared / "metrics.tsv").write_text(head + "mAP\tmean_average_precision\tmetric\ttorchmetrics\tmap\t\n",
                                        encoding="utf-8")
    extra = tmp_path / "extra.tsv"
    extra.write_text(head + "Llama\tLLaMA-1\tmodel\tpapergraph\tmodel/llama\thttps://arxiv.org/abs/2302.13971\n"
                     "retrieval-augmented generation\tRAG\tmethod\tpapergraph\tmethod/rag\t\n"
                     "ARC-Easy\tARC-E\tbenchmark\tpapergraph\tbenchmark/arc-easy\t\n"
                     "text summarization\tsummarization\ttask\tpapergraph\ttask/text-summarization\t\n",
                     encoding="utf-8")
    cur = tmp_path / "cur.tsv"
    cur.write_text("kb_id\taction\tvalue\tnote\nhf_transformers:bark\tdrop\t\tword\n"
                   "hf_transformers:rag\ttype\tMethod\ttechnique\nlm_eval:arc\tdrop-alias\tarc_easy\tsubset\n",
                   encoding="utf-8")
    mod = _build_module()
    rows = {r["kb_id"]: r for r in mod.build(shared, extra, cur)}
    assert "hf_transformers:bark" not in rows                       # dropped
    assert rows["opencompass:alignbench"]["aliases"] == ["THUDM/AlignBench"]  # "alignment": an identifier
    llama = rows["hf_transformers:llama"]                            # the hand-written row merged in
    assert llama["source"] == ["hf_transformers", "papergraph"] and "Llama" in llama["aliases"]
    assert llama["url"] == ["http://d", "https://arxiv.org/abs/2302.13971"]
    assert llama["match"] == "exact-case"
    rag = rows["hf_transformers:rag"]                                # retyped, then merged with the method
    assert rag["type"] == "Method" and "retrieval-augmented generation" in rag["aliases"]
    assert "papergraph:benchmark/arc-easy" in rows                  # its own row once the alias is gone
    assert rows["hf_transformers:qwen2"]["match"] == "fold"
    assert rows["torchmetrics:map"]["match"] == "exact-case"
    assert rows["papergraph:task/text-summarization"]["aliases"] == ["summarization"]  # written on purpose
    out = tmp_path / "kb.tsv"
    mod.write(list(rows.values()), out)
    kb = load_kb(out)
    assert kb.lookup("Llama").kb_id == "hf_transformers:llama" and kb.lookup("llama") is None
    assert kb.lookup("Retrieval-Augmented Generation").type == "Method"
