"""Whole columnar runs: inputs (extracted as usual) or extraction record files -> the outputs.

``papergraph build --big`` is :func:`build_big`; ``papergraph columnar`` is :func:`from_records`.
Both write ``OUT/tables/`` (the extraction tables), then the graph stage's ``OUT/neo4j-import/``,
``OUT/parquet/`` and ``OUT/graph-top.gexf``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable, Sequence

from ..errors import ConfigError, InputError
from .keys import Keys
from .pipeline import StageReport, graph_stage, local_client
from .writer import read_records, write_tables

__all__ = ["BIG_PAPERS", "build_big", "from_records"]

#: ``build --engine dask`` takes the columnar path from this many papers on (the networkx graph
#: of 200k papers needs about 6.5 GB; see BENCHMARKS.md, run G and issue 19).
BIG_PAPERS = 200_000


def _client(scheduler: str | None, workers: int, memory_limit: str, spill_dir: str | None):
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise ConfigError("the columnar build needs dask: pip install 'papergraph[dask]'") from None
        try:
            return Client(scheduler, timeout="30s")
        except (OSError, TimeoutError, ValueError) as e:
            raise ConfigError(f"cannot use Dask scheduler {scheduler}: {e}") from None
    return local_client(workers, memory_limit, spill_dir)


def _curation_keys(curation) -> Keys:
    from ..api import load_curation

    return Keys(load_curation(curation))


def _stage(out: Path, keys: Keys, *, scheduler, workers, memory_limit, kb, top_n, seed,
           done: Callable[[str], None] | None) -> StageReport:
    spill = out / ".dask-tmp"
    client = _client(scheduler, workers, memory_limit, str(spill))
    try:
        return graph_stage(out / "tables", out, client, keys=keys, kb=kb, top_n=top_n, seed=seed, done=done)
    finally:
        client.close()
        if client.cluster is not None:
            client.cluster.close()
        shutil.rmtree(spill, ignore_errors=True)


def from_records(paths: Sequence[str | os.PathLike], out: str | os.PathLike, *, skip_bad: bool = False,
                 curation=None, kb: bool = True, scheduler: str | None = None, workers: int = 2,
                 memory_limit: str = "1.5GB", top_n: int = 2000, seed: int = 0,
                 warn: Callable[[str], None] | None = None,
                 done: Callable[[str], None] | None = None) -> StageReport:
    """Extraction record files -> tables -> graph stage outputs in ``out``.

    Raises:
        InputError: a bad record (unless ``skip_bad``: then it is skipped and reported), no papers.
    """
    out = Path(out)
    keys = _curation_keys(curation)
    skipped: list[str] | None = [] if skip_bad else None
    seen: set[str] = set()

    def pairs():
        for path in paths:
            for p, ex in read_records(path, skipped):
                if p.id in seen:
                    raise InputError(f"{path}: paper id {p.id!r} occurs twice in the records")
                seen.add(p.id)
                yield p, ex

    n = write_tables(pairs(), out / "tables", keys=keys)
    for s in skipped or ():
        if warn:
            warn(f"skipped {s}")
    if not n:
        raise InputError("no extraction records read" + (f" ({len(skipped)} skipped)" if skipped else ""))
    if done:
        done(f"tables: {n:,} papers" + (f", {len(skipped)} records skipped" if skipped else ""))
    return _stage(out, keys, scheduler=scheduler, workers=workers, memory_limit=memory_limit, kb=kb,
                  top_n=top_n, seed=seed, done=done)


def build_big(inputs, out: str | os.PathLike, *, curation=None, kb: bool = True, scheduler: str | None = None,
              jobs: int = 2, memory_limit: str = "1.5GB", top_n: int = 2000, seed: int = 0,
              min_papers: int = 0, warn: Callable[[str], None] | None = None,
              done: Callable[[str], None] | None = None, **extraction) -> StageReport | None:
    """Extract ``inputs`` (keyword arguments as ``papergraph.api.build_outputs``) straight into the
    tables, then run the graph stage. Returns None, having done nothing but read the inputs, when
    they hold fewer than ``min_papers`` papers (the networkx build is then the one to run)."""
    from ..api import _extractions, _require_papers, _warn_skipped

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out}: exists and is not a directory")
    report, stream = _extractions(inputs, jobs=jobs, scheduler=scheduler, **extraction)
    if len(report.papers) < min_papers:
        return None
    _warn_skipped(report, warn)
    _require_papers(report, out)
    keys = _curation_keys(curation)
    by_id = {p.id: p for p in report.papers}
    n = write_tables(((by_id.pop(ex.paper_id), ex) for ex in stream), out / "tables", keys=keys)
    if done:
        done(f"tables: {n:,} papers extracted")
    return _stage(out, keys, scheduler=scheduler, workers=jobs, memory_limit=memory_limit, kb=kb,
                  top_n=top_n, seed=seed, done=done)
