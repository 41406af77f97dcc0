"""The extraction cache: incremental reuse, invalidation, --no-cache, `cache clear`, killed builds."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from papergraph import nlp as pg_nlp
from papergraph.api import extract
from papergraph.cache import CACHE_FILE, ExtractionCache, encode
from papergraph.cli import cli
from papergraph.engine import EngineStats
from papergraph.ingest import read_inputs
from papergraph.model import PaperExtraction

N = 10


@pytest.fixture(scope="module")
def source_papers(shared_corpus):
    return read_inputs([shared_corpus]).papers


def write_jsonl(path: Path, papers) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        for p in papers:
            fh.write(json.dumps({"id": p.id, "title": p.title, "abstract": p.abstract, "date": p.date}) + "\n")
    return path


def run(path: Path, cache_dir: Path | None, **kw) -> tuple[EngineStats, dict[str, dict]]:
    """Extract ``path`` (cache on iff cache_dir); the stats and each paper's extraction as a dict."""
    stats = EngineStats()
    _, exs = extract([path], use_cache=cache_dir is not None, cache_dir=cache_dir, corpus_vote=False,
                     stats=stats, **kw)
    return stats, {e.paper_id: e.to_dict() for e in exs}


@pytest.fixture(scope="module")
def corpus(source_papers, tmp_path_factory):
    """N papers of the shared corpus as JSON Lines, and their extraction without any cache."""
    path = write_jsonl(tmp_path_factory.mktemp("corpus") / "papers.jsonl", source_papers[:N])
    stats, fresh = run(path, None)
    assert stats.extracted == N and stats.cached == 0
    return path, fresh


def test_second_run_extracts_nothing_and_returns_the_same(corpus, tmp_path):
    path, fresh = corpus
    first, got1 = run(path, tmp_path)
    assert (first.extracted, first.cached) == (N, 0)
    second, got2 = run(path, tmp_path)
    assert (second.extracted, second.cached) == (0, N)
    assert got1 == fresh and got2 == fresh
    assert any(d["concepts"] for d in got2.values())


def test_only_new_papers_are_extracted(corpus, source_papers, tmp_path):
    path, fresh = corpus
    run(path, tmp_path)
    more = write_jsonl(tmp_path / "more.jsonl", source_papers[:N + 3])
    stats, got = run(more, tmp_path)
    assert (stats.extracted, stats.cached) == (3, N)
    assert {k: got[k] for k in fresh} == fresh
    assert set(got) - set(fresh) == {p.id for p in source_papers[N:N + 3]}


@pytest.mark.parametrize("jobs", [1, 2])
def test_unreadable_rows_are_reextracted_in_place_and_rewritten(corpus, source_papers, tmp_path, jobs):
    """Rows read lazily: damaged ones, between good rows and new papers, are re-extracted in order."""
    path, fresh = corpus
    run(path, tmp_path)
    db = sqlite3.connect(tmp_path / CACHE_FILE)
    keys = [r[0] for r in db.execute("SELECT content FROM extraction ORDER BY content")]
    with db:
        db.execute("UPDATE extraction SET data = ? WHERE content = ?", ['{"concepts": [', keys[1]])
        db.execute("UPDATE extraction SET data = ? WHERE content = ?", ["null", keys[6]])
    db.close()
    more = write_jsonl(tmp_path / "more.jsonl", source_papers[:N + 2])
    stats, got = run(more, tmp_path, jobs=jobs, batch_size=1)
    assert (stats.extracted, stats.cached) == (4, N - 2)
    _, reference = run(more, None)
    assert list(got) == list(reference) and got == reference
    again, _ = run(more, tmp_path)
    assert (again.extracted, again.cached) == (0, N + 2)


def test_changed_title_or_abstract_is_reextracted_but_not_other_fields(corpus, source_papers, tmp_path):
    path, _ = corpus
    run(path, tmp_path)
    papers = [p for p in read_inputs([path]).papers]
    papers[2].abstract = papers[2].abstract.rsplit(". ", 1)[0] + "."
    papers[5].title = papers[5].title + " Revisited"
    papers[7].date = "1999-01-01"  # not read by extraction: stays cached
    changed = write_jsonl(tmp_path / "changed.jsonl", papers)
    stats, got = run(changed, tmp_path)
    assert (stats.extracted, stats.cached) == (2, N - 2)
    _, reference = run(changed, None)
    assert got == reference


def test_pipeline_version_change_invalidates(corpus, tmp_path, monkeypatch):
    path, fresh = corpus
    run(path, tmp_path)
    monkeypatch.setattr(pg_nlp, "COMPONENTS_VERSION", pg_nlp.COMPONENTS_VERSION + "-next")
    stats, got = run(path, tmp_path)
    assert (stats.extracted, stats.cached) == (N, 0)
    again, _ = run(path, tmp_path)
    assert (again.extracted, again.cached) == (0, N)
    assert ExtractionCache(tmp_path).info().entries == 2 * N  # one set of rows per pipeline version


def test_vocabulary_change_invalidates(corpus, tmp_path):
    path, _ = corpus
    run(path, tmp_path)
    vocab = tmp_path / "vocab.toml"
    vocab.write_text('[gazetteer]\n"Frobnicator" = "Model"\n', encoding="utf-8")
    stats, _ = run(path, tmp_path, vocab=vocab)
    assert (stats.extracted, stats.cached) == (N, 0)
    stats, _ = run(path, tmp_path, vocab=vocab)
    assert (stats.extracted, stats.cached) == (0, N)
    vocab.write_text('[gazetteer]\n"Frobnicator" = "Benchmark"\n', encoding="utf-8")  # same path, new content
    stats, _ = run(path, tmp_path, vocab=vocab)
    assert (stats.extracted, stats.cached) == (N, 0)


def test_config_and_model_version_change_the_fingerprint():
    base = pg_nlp.load_pipeline()
    fp = pg_nlp.pipeline_fingerprint(base)
    assert pg_nlp.pipeline_fingerprint(pg_nlp.load_pipeline()) == fp  # stable across loads
    assert pg_nlp.pipeline_fingerprint(pg_nlp.load_pipeline(config={"min_confidence": 0.8})) != fp
    assert pg_nlp.pipeline_fingerprint(pg_nlp.load_pipeline(config={"name_parts": False})) != fp
    base.meta["version"] = base.meta["version"] + ".post1"
    assert pg_nlp.pipeline_fingerprint(base) != fp


def test_rows_of_another_fingerprint_are_never_served(tmp_path):
    with ExtractionCache(tmp_path) as cache:
        cache.put_many("fp-a", [("k1", encode(PaperExtraction("x")))])
        assert cache.get_many("fp-b", ["k1"]) == {}
        assert cache.hits("fp-a", ["k1", "k2"]) == {"k1"}


def _build(runner, path, out, cache_dir, *extra):
    res = runner.invoke(cli, ["build", str(path), "-o", str(out), "--cache-dir", str(cache_dir), "-q",
                              "--no-analytics", *extra])
    assert res.exit_code == 0, res.output
    graph = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    return sum(n.get("label") == "Concept" for n in graph["nodes"])


def test_no_cache_neither_reads_nor_writes_and_clear_empties(corpus, tmp_path):
    path, _ = corpus
    runner = CliRunner()
    cache_dir = tmp_path / "cache"
    _build(runner, path, tmp_path / "nocache", cache_dir, "--no-cache")
    assert not (cache_dir / CACHE_FILE).exists()
    real = _build(runner, path, tmp_path / "a", cache_dir)
    assert real > 0
    info = runner.invoke(cli, ["cache", "info", "--cache-dir", str(cache_dir)])
    assert info.exit_code == 0 and f"entries: {N}" in info.output
    # Poison every row with an empty extraction: a build that reads the cache now finds no concepts.
    db = sqlite3.connect(cache_dir / CACHE_FILE)
    with db:
        db.execute("UPDATE extraction SET data = ?", [encode(PaperExtraction("whatever"))])
    db.close()
    assert _build(runner, path, tmp_path / "b", cache_dir) == 0
    assert _build(runner, path, tmp_path / "c", cache_dir, "--no-cache") == real
    db = sqlite3.connect(cache_dir / CACHE_FILE)
    assert {r[0] for r in db.execute("SELECT data FROM extraction")} == {encode(PaperExtraction("whatever"))}
    db.close()
    cleared = runner.invoke(cli, ["cache", "clear", "--cache-dir", str(cache_dir)])
    assert cleared.exit_code == 0, cleared.output
    assert not list(cache_dir.glob(CACHE_FILE + "*"))
    assert "(empty)" in runner.invoke(cli, ["cache", "info", "--cache-dir", str(cache_dir)]).output
    assert _build(runner, path, tmp_path / "d", cache_dir) == real


_KILLABLE = """
import sys
import papergraph.engine as engine
from papergraph.api import extract
engine._WRITE_BATCH = {batch}
extract([sys.argv[1]], use_cache=True, cache_dir=sys.argv[2], corpus_vote=False)
"""


def test_killed_build_leaves_a_consistent_cache(source_papers, tmp_path):
    batch, total = 4, 80
    papers = source_papers[:total]
    path = write_jsonl(tmp_path / "papers.jsonl", papers)
    db_path = tmp_path / "cache" / CACHE_FILE
    proc = subprocess.Popen([sys.executable, "-c", _KILLABLE.format(batch=batch), str(path), str(db_path.parent)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    rows, deadline = 0, time.monotonic() + 300
    try:
        while rows < 3 * batch and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
            if db_path.exists():
                try:
                    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5) as db:
                        rows = db.execute("SELECT COUNT(*) FROM extraction").fetchone()[0]
                except sqlite3.OperationalError:
                    continue
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()[-500:]
    with ExtractionCache(db_path.parent) as cache:
        assert cache._db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        data = [r[0] for r in cache._db.execute("SELECT data FROM extraction")]
    kept = len(data)
    assert 3 * batch <= kept < total and kept % batch == 0  # whole transactions only
    assert all(PaperExtraction.from_dict(json.loads(d)) is not None for d in data)
    # The papers committed before the kill are the first ones; a rerun extracts only the others.
    head = write_jsonl(tmp_path / "head.jsonl", papers[:kept + 2])
    stats, got = run(head, db_path.parent)
    assert (stats.extracted, stats.cached) == (2, kept)
    _, reference = run(head, None)
    assert got == reference


def test_decode_round_trips_and_refuses_damaged_rows(corpus):
    """What `encode` stored comes back equal (shared strings and all); damaged rows read as misses."""
    from papergraph.cache import decode

    _, fresh = corpus
    for pid, d in fresh.items():
        ex = PaperExtraction.from_dict(d)
        back = decode(encode(ex), "other-id")
        assert back.paper_id == "other-id"
        assert back.to_dict() == {**d, "paper_id": "other-id"}
    good = encode(PaperExtraction.from_dict(next(iter(fresh.values()))))
    damaged = [good[:-5], "[1, 2]", "null", '"\\ud800"', '{"concepts": [{"name": "\\ud800"}]}',
               json.dumps({"paper_id": "x", "concepts": [{"name": "a"}]}),  # concept without a type
               json.dumps({"paper_id": "x", "concepts": [{"name": "a", "type": "Model", "mentions": [{"start": 1}]}]}),
               json.dumps({"paper_id": "x", "concepts": [{"name": "a", "type": "Model", "rules": 3}]})]
    for data in damaged:
        assert decode(data, "x") is None, data
    assert decode('{"paper_id": "y", "concepts": [], "relations": [], "results": [], "extra": 1e400}', "x") \
        is not None  # orjson refuses 1e400; the standard parser reads it as inf
