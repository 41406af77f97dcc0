"""The local engine: one spaCy pipeline in this process, or ``jobs`` worker processes.

With ``jobs > 1`` papers go to a process pool in partitions; each worker runs the whole
extraction (spaCy and papergraph's components, including the per-paper assembly) and sends
back only the small JSON of each ``PaperExtraction``, so this process does no NLP work and no
``Doc`` is ever serialised (``nlp.pipe(n_process=...)`` ships every Doc back to the parent and
assembles there, which left the parent the bottleneck). Workers are forked with the loaded
pipeline where the platform allows it, else each loads it once (:mod:`papergraph.engine.worker`).
"""

from __future__ import annotations

import math
import multiprocessing
import os
import threading
from typing import Iterator, Sequence

from ..model import Paper, PaperExtraction

__all__ = ["LocalBackend"]

# Largest partition sent to a worker process.
MAX_PARTITION = 256


class LocalBackend:
    """Extract on this machine.

    Args:
        model: spaCy pipeline name.
        vocab: extra vocabulary file.
        jobs: worker processes (1: extract in this process).
        batch_size: texts per spaCy batch.
    """

    def __init__(self, *, model: str | None, vocab: str | os.PathLike | None, jobs: int, batch_size: int):
        from ..nlp import load_pipeline
        from .heap import freeze_loaded
        from .worker import make_spec

        self.nlp = load_pipeline(model, vocab=vocab)
        freeze_loaded()
        self.spec = make_spec(model=model, vocab=vocab, batch_size=batch_size)
        self.jobs, self.batch_size = jobs, batch_size

    def fingerprint(self) -> str:
        """The pipeline fingerprint (cache key part)."""
        from ..nlp import pipeline_fingerprint

        return pipeline_fingerprint(self.nlp)

    def extract(self, papers: Sequence[Paper]) -> Iterator[tuple[PaperExtraction, str | None]]:
        """Yield ``(extraction, its cache JSON or None)`` per paper, in order."""
        from ..model import share_strings
        from ..nlp import extract_papers
        from .heap import fewer_collections

        if not papers:
            return
        if self.jobs <= 1 or len(papers) < 2 * self.batch_size:
            with fewer_collections():
                for ex in extract_papers(papers, self.nlp, jobs=1, batch_size=self.batch_size):
                    yield share_strings(ex), None
            return
        yield from self._extract_in_pool(papers)

    def _extract_in_pool(self, papers: Sequence[Paper]) -> Iterator[tuple[PaperExtraction, str]]:
        from ..cache import decode
        from ..errors import PapergraphError
        from . import worker

        size = max(self.batch_size, min(MAX_PARTITION, math.ceil(len(papers) / (4 * self.jobs))))
        ranges = [(i, min(i + size, len(papers))) for i in range(0, len(papers), size)]
        fork = "fork" in multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if fork else "spawn")
        if fork:  # the children inherit the pipeline already loaded here
            worker._PIPELINES.setdefault(self.spec.key, (self.nlp, threading.Lock()))
        with ctx.Pool(self.jobs) as pool:
            tasks = ((self.spec, list(papers[a:b])) for a, b in ranges)
            for (a, b), rows in zip(ranges, _results(pool.imap(_run_partition, tasks))):
                if len(rows) != b - a:
                    raise PapergraphError(f"a worker process returned {len(rows)} results for {b - a} papers")
                for paper, data in zip(papers[a:b], rows):
                    ex = decode(data, paper.id)
                    if ex is None:
                        raise PapergraphError(f"a worker process returned an unreadable result for paper {paper.id}")
                    yield ex, data

    def close(self) -> None:
        """Nothing to release (the pool lives only as long as one :meth:`extract`)."""


def _results(it: Iterator[list[str]]) -> Iterator[list[str]]:
    """The pool's results; a failure in a worker becomes one papergraph error line."""
    from ..errors import PapergraphError

    while True:
        try:
            rows = next(it)
        except StopIteration:
            return
        except PapergraphError:
            raise
        except Exception as e:  # noqa: BLE001 -- anything raised in a worker, reported in one line
            raise PapergraphError(f"extraction failed in a worker process: {type(e).__name__}: {e}") from e
        yield rows


def _run_partition(task: tuple) -> list[str]:
    from .worker import extract_partition

    spec, papers = task
    return extract_partition(spec, papers)
