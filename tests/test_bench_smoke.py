"""The benchmark code works (tiny sizes; never asserts on timings) and its corpus is reproducible."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def _module(name: str):
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def corpus_mod():
    return _module("corpus")


@pytest.fixture(scope="module")
def run_mod():
    return _module("run")


def test_corpus_is_deterministic_and_prefix_stable(corpus_mod, shared_corpus, tmp_path):
    pool = corpus_mod.load_pool(shared_corpus)
    a = corpus_mod.write_corpus(tmp_path / "a.jsonl", 30, seed=3, pool=pool).read_text().splitlines()
    b = corpus_mod.write_corpus(tmp_path / "b.jsonl", 20, seed=3, pool=pool).read_text().splitlines()
    c = corpus_mod.write_corpus(tmp_path / "c.jsonl", 20, seed=4, pool=pool).read_text().splitlines()
    assert a[:20] == b and b != c
    recs = [json.loads(x) for x in a]
    assert len({r["id"] for r in recs}) == len({r["title"] for r in recs}) == 30
    assert all(len(r["abstract"]) > 100 for r in recs)


def test_measure_reports_the_child_peak_rss(run_mod):
    res = run_mod.measure([sys.executable, "-c", "x = bytearray(300 * 2**20); x[::4096] = b'1' * len(x[::4096]);"
                                                 "print('{\"ok\": 1}')"])
    assert res.out == {"ok": 1}
    assert 300 <= res.rss_mb < 1000


def test_failed_child_is_one_line_error(run_mod):
    with pytest.raises(SystemExit) as e:
        run_mod.measure([sys.executable, "-c", "import sys; sys.exit('boom')"])
    assert "boom" in str(e.value)


def test_rss_extrapolation(run_mod):
    built = {"1k": {"papers": 1000, "peak_rss_mb": 300.0}, "10k": {"papers": 10000, "peak_rss_mb": 390.0}}
    r = run_mod.rss_at_100k(built)
    assert r["rss_100k_mb"] == pytest.approx(1290.0) and "extrapolated" in r["how"]
    assert run_mod.rss_at_100k({**built, "100k": {"papers": 100000, "peak_rss_mb": 700.0}})["how"] == "measured"


@pytest.mark.slow
def test_bench_smoke_run(shared_corpus, tmp_path):
    out = tmp_path / "results.json"
    proc = subprocess.run([sys.executable, str(BENCH / "run.py"), "--smoke", "--no-neo4j", "--source",
                           str(shared_corpus), "--json", str(out), "--workdir", str(tmp_path / "work")],
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    res = json.loads(out.read_text())
    t = res["throughput"]
    assert t["papers"] == 16 and t["details"]["spacy"]["pipes"] and "papergraph_concepts" not in \
        t["details"]["spacy"]["pipes"] and "papergraph_concepts" in t["details"]["extract_j1"]["pipes"]
    assert t["details"]["spacy"]["model"] == t["details"]["extract_j1"]["model"]
    assert all(t[k] > 0 for k in ("spacy_per_s", "extract_j1_per_s", "extract_j2_per_s"))
    b = res["builds"]["40"]
    assert b["rebuild_papers"] == 41 and b["nodes"] > 40 and b["edges"] > 0 and b["peak_rss_mb"] > 50
    assert set(res["targets"]) == {"extract_vs_spacy", "jobs2_vs_jobs1", "rss_100k_mb", "rebuild_vs_full",
                                   "bolt_rels_per_s"}
    assert res["targets"]["bolt_rels_per_s"]["met"] is None  # not measured without Neo4j
    assert "target extract_vs_spacy" in proc.stdout
    assert (tmp_path / "work" / "papers-40.jsonl").exists()


def test_stage_profile_writes_the_build_outputs(corpus_mod, shared_corpus, tmp_path, capsys):
    """bench/stages.py runs the build step by step: its files equal `papergraph build`'s."""
    from papergraph.api import build_outputs

    papers = corpus_mod.write_corpus(tmp_path / "p.jsonl", 40, seed=1, pool=corpus_mod.load_pool(shared_corpus))
    _module("stages").main(str(papers), str(tmp_path / "cache"), str(tmp_path / "staged"))
    lines = capsys.readouterr().out.splitlines()
    stages = ["imports", "canonicalize", "build_graph", "co-occurrence", "layout", "graph.json", "graph.gexf"]
    assert [s for ln in lines for s in stages if f" {s} " in ln] == stages
    build_outputs([papers], tmp_path / "built", use_cache=True, cache_dir=tmp_path / "cache")
    for name in ("graph.json", "graph.gexf", "concepts.jsonl"):
        assert (tmp_path / "staged" / name).read_bytes() == (tmp_path / "built" / name).read_bytes()


def test_graph_size_counts_every_node_and_edge(corpus_mod, shared_corpus, tmp_path, capsys):
    """bench/graphsize.py accounts for each node and edge of the build once, by label and type."""
    from papergraph.api import build

    papers = corpus_mod.write_corpus(tmp_path / "p.jsonl", 40, seed=2, pool=corpus_mod.load_pool(shared_corpus))
    parts = _module("graphsize").main(str(papers), str(tmp_path / "cache"))
    G = build([papers], use_cache=True, cache_dir=tmp_path / "cache")
    labels = {k: v["n"] for k, v in parts.items() if k.startswith("node ")}
    types = {k: v["n"] for k, v in parts.items() if k.startswith("edge ")}
    assert labels == {f"node {lab}": c for lab, c in Counter(d["label"] for _, d in G.nodes(data=True)).items()}
    assert types == {f"edge {t}": c for t, c in Counter(k for _, _, k in G.edges(keys=True)).items()}
    assert parts["key dicts"]["n"] == len({(u, v) for u, v, _ in G.edges(keys=True)})
    assert parts["successor dicts"]["n"] == parts["predecessor dicts"]["n"] == G.number_of_nodes()
    assert all(v["dicts"] > 0 for v in parts.values())
    assert f"{G.number_of_edges():,} edges" in capsys.readouterr().out
