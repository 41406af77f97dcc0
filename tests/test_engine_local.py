"""The local engine: worker processes (--jobs) give exactly the in-process extraction, in order."""

from __future__ import annotations

import gc

import pytest

from papergraph.engine import EngineStats, run_extraction
from papergraph.engine.local import LocalBackend
from papergraph.errors import ConfigError
from papergraph.ingest import read_inputs


@pytest.fixture(scope="module")
def papers(shared_corpus):
    return read_inputs([shared_corpus]).papers[:70]


def test_jobs_2_equals_jobs_1(papers, tmp_path):
    one = [e.to_dict() for e in run_extraction(papers, jobs=1, batch_size=16)]
    stats = EngineStats()
    # batch 16 and 70 papers: the pool path, several partitions, the last one short
    two = [e.to_dict() for e in run_extraction(papers, jobs=2, batch_size=16, use_cache=True,
                                               cache_dir=tmp_path, stats=stats)]
    assert [d["paper_id"] for d in two] == [p.id for p in papers]
    assert two == one
    assert sum(len(d["concepts"]) for d in one) > 100
    assert (stats.extracted, stats.cached) == (len(papers), 0)
    # what the worker processes sent back is what the cache now serves
    again = EngineStats()
    cached = [e.to_dict() for e in run_extraction(papers, jobs=1, batch_size=16, use_cache=True,
                                                  cache_dir=tmp_path, stats=again)]
    assert (again.extracted, again.cached) == (0, len(papers)) and cached == one


def test_unknown_engine_is_a_config_error(papers):
    with pytest.raises(ConfigError, match="unknown engine"):
        list(run_extraction(papers[:1], engine="spark"))


def test_extraction_gc_settings_are_raised_while_extracting_then_restored(papers):
    before = gc.get_threshold()
    try:
        gc.set_threshold(100_000, 3, 3)
        backend = LocalBackend(model=None, vocab=None, jobs=1, batch_size=16)
        assert gc.get_freeze_count() > 0  # the loaded pipeline is out of the collector's way
        it = backend.extract(papers[:3])
        next(it)
        assert gc.get_threshold() == (100_000, 20, 10)  # a higher young threshold is never lowered
        assert len(list(it)) == 2
        assert gc.get_threshold() == (100_000, 3, 3)
    finally:
        gc.set_threshold(*before)
