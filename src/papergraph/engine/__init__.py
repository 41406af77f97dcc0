"""Extraction engines: run the spaCy stage locally or on Dask, reusing cached results.

Contract (used by :func:`papergraph.api.extract`):

    run_extraction(papers, *, engine="local"|"dask", ...) -> Iterator[PaperExtraction]

yields one extraction per paper, in paper order, whatever the engine; papers whose title and
abstract are already in the extraction cache (same pipeline fingerprint) are not re-extracted.
Both engines stream: texts go through ``nlp.pipe`` in batches and only the small
``PaperExtraction`` values come back.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Iterator, Protocol, Sequence

from ..errors import ConfigError
from ..model import Paper, PaperExtraction

__all__ = ["ENGINES", "EngineStats", "run_extraction"]

ENGINES = ("local", "dask")
# Fresh results are written to the cache in transactions of this many papers.
_WRITE_BATCH = 256
# Cached results are read this many papers at a time.
_READ_BATCH = 512


@dataclass
class EngineStats:
    """What a run did: papers served from the cache and papers extracted."""

    cached: int = 0
    extracted: int = 0


class Backend(Protocol):
    """What an engine provides: the pipeline fingerprint and ordered extraction."""

    def fingerprint(self) -> str: ...

    def extract(self, papers: Sequence[Paper]) -> Iterator[tuple[PaperExtraction, str | None]]:
        """Yield ``(extraction, its cache JSON or None)`` per paper, in order."""
        ...

    def close(self) -> None: ...


def run_extraction(
    papers: Sequence[Paper],
    *,
    engine: str = "local",
    model: str | None = None,
    vocab: str | os.PathLike | None = None,
    jobs: int = 1,
    batch_size: int = 64,
    scheduler: str | None = None,
    use_cache: bool = False,
    cache_dir: str | os.PathLike | None = None,
    stats: EngineStats | None = None,
) -> Iterator[PaperExtraction]:
    """Extract every paper, in order, on the chosen engine.

    Args:
        papers: the papers.
        engine: ``"local"`` (this machine, ``jobs`` processes) or ``"dask"``.
        model: spaCy pipeline name (default as :func:`papergraph.nlp.load_pipeline`).
        vocab: extra vocabulary file.
        jobs: local worker processes; with ``engine="dask"`` and no ``scheduler``, the number
            of workers of the ``LocalCluster`` started for the run.
        batch_size: texts per spaCy batch.
        scheduler: a Dask scheduler address (``tcp://host:8786``); only with ``engine="dask"``.
        use_cache: reuse and fill the extraction cache.
        cache_dir: the cache directory (default :func:`papergraph.cache.default_cache_dir`).
        stats: filled in with the number of cached and extracted papers.

    Yields:
        One :class:`PaperExtraction` per paper.

    Raises:
        ConfigError: unknown engine, scheduler without the Dask engine, unreachable scheduler.
    """
    if engine not in ENGINES:
        raise ConfigError(f"unknown engine {engine!r}; valid: {', '.join(ENGINES)}")
    if scheduler and engine != "dask":
        raise ConfigError("--scheduler needs --engine dask")
    stats = stats if stats is not None else EngineStats()
    if engine == "dask":
        from .dask_engine import DaskBackend

        backend: Backend = DaskBackend(model=model, vocab=vocab, workers=jobs, batch_size=batch_size,
                                       scheduler=scheduler)
    else:
        from .local import LocalBackend

        backend = LocalBackend(model=model, vocab=vocab, jobs=jobs, batch_size=batch_size)
    try:
        if not use_cache:
            for ex, _ in backend.extract(papers):
                stats.extracted += 1
                yield ex
            return
        from ..cache import ExtractionCache

        with ExtractionCache(cache_dir) as cache:
            yield from _with_cache(papers, backend, cache, stats)
    finally:
        backend.close()


def _with_cache(papers: Sequence[Paper], backend: Backend, cache, stats: EngineStats) -> Iterator[PaperExtraction]:
    """Serve cached papers from ``cache``, extract the rest on ``backend``, store what is new.

    Cached rows are read and decoded ``_READ_BATCH`` papers at a time, as the caller consumes
    them, so a caller that streams never holds every cached extraction at once. A row that turns
    out unreadable is re-extracted on its own (and overwritten).
    """
    from ..cache import content_key, decode, encode

    fp = backend.fingerprint()
    keys = [content_key(p) for p in papers]
    cached = cache.hits(fp, keys)
    fresh = backend.extract([p for p, k in zip(papers, keys) if k not in cached])
    pending: list[tuple[str, str]] = []
    for start in range(0, len(papers), _READ_BATCH):
        idx = range(start, min(start + _READ_BATCH, len(papers)))
        rows = cache.get_many(fp, [keys[i] for i in idx if keys[i] in cached])
        for i in idx:
            paper = papers[i]
            data = rows.get(keys[i])
            ex = decode(data, paper.id) if data is not None else None
            if ex is not None:
                stats.cached += 1
                yield ex
                continue
            ex, data = next(fresh) if keys[i] not in cached else next(iter(backend.extract([paper])))
            if ex.paper_id != paper.id:
                raise RuntimeError(f"engine returned paper {ex.paper_id!r} for {paper.id!r}")
            pending.append((keys[i], data if data is not None else encode(ex)))
            if len(pending) >= _WRITE_BATCH:
                cache.put_many(fp, pending)
                pending = []
            stats.extracted += 1
            yield ex
    cache.put_many(fp, pending)
