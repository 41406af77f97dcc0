"""The Dask engine: partitions of papers extracted on Dask workers, results reassembled in order.

With no scheduler address a ``LocalCluster`` is started for the run (worker processes with one
thread each, listening on 127.0.0.1 only, no dashboard). With ``tcp://host:port`` the client
connects to an existing cluster; its workers need papergraph and the spaCy model installed
(the vocabulary file is shipped with the tasks). Each worker process loads the pipeline once
(see :mod:`papergraph.engine.worker`).
"""

from __future__ import annotations

import logging
import math
import os
from collections import deque
from typing import Iterator, Sequence

from ..errors import ConfigError, PapergraphError
from ..model import Paper, PaperExtraction
from .worker import extract_partition, make_spec, worker_fingerprint

__all__ = ["DaskBackend"]

# Largest partition; small enough that a lost worker costs little and progress is smooth.
MAX_PARTITION = 500
# How long to wait for a remote scheduler and its first worker (seconds; env
# PAPERGRAPH_DASK_CONNECT_TIMEOUT overrides it).
CONNECT_TIMEOUT = 30


class DaskBackend:
    """Extract on a Dask cluster.

    Args:
        model: spaCy pipeline name.
        vocab: extra vocabulary file.
        workers: worker processes of the ``LocalCluster`` (when no scheduler is given).
        batch_size: texts per spaCy batch on the workers.
        scheduler: address of a running scheduler, or None for a local cluster.
        partition_size: papers per task (default: about four tasks per worker thread, at most
            ``MAX_PARTITION``).

    Raises:
        ConfigError: dask is not installed or the scheduler cannot be reached.
    """

    def __init__(self, *, model: str | None, vocab: str | os.PathLike | None, workers: int,
                 batch_size: int, scheduler: str | None, partition_size: int | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ConfigError("--engine dask needs dask.distributed: pip install 'papergraph[dask]'") from None
        self.spec = make_spec(model=model, vocab=vocab, batch_size=batch_size)
        self.partition_size = partition_size
        self.cluster = None
        if scheduler:
            try:
                wait = float(os.environ.get("PAPERGRAPH_DASK_CONNECT_TIMEOUT") or CONNECT_TIMEOUT)
                self.client = Client(scheduler, timeout=f"{wait}s")
                self.client.wait_for_workers(1, timeout=wait)
            except (OSError, TimeoutError, ValueError) as e:
                raise ConfigError(f"cannot use Dask scheduler {scheduler}: {e}") from None
        else:
            self.cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                        host="127.0.0.1", dashboard_address=None,
                                        silence_logs=logging.ERROR)
            self.client = Client(self.cluster)

    def _threads(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def fingerprint(self) -> str:
        """The pipeline fingerprint, computed by a worker (which runs the pipeline)."""
        return _result(self.client.submit(worker_fingerprint, self.spec, pure=False))

    def extract(self, papers: Sequence[Paper]) -> Iterator[tuple[PaperExtraction, str]]:
        """Yield ``(extraction, JSON)`` per paper, in order.

        At most about two partitions per worker thread are in flight, so neither the client
        nor the scheduler holds the whole corpus twice.
        """
        from ..cache import decode

        if not papers:
            return
        threads = self._threads()
        size = self.partition_size or max(1, min(MAX_PARTITION, math.ceil(len(papers) / (4 * threads))))
        parts = (list(papers[i:i + size]) for i in range(0, len(papers), size))
        queue: deque = deque()

        def submit() -> None:
            part = next(parts, None)
            if part is not None:
                queue.append((part, self.client.submit(extract_partition, self.spec, part, pure=False)))

        for _ in range(2 * threads + 1):
            submit()
        while queue:
            part, fut = queue.popleft()
            rows = _result(fut)
            fut.release()
            submit()
            if len(rows) != len(part):
                raise PapergraphError(f"a Dask worker returned {len(rows)} results for {len(part)} papers")
            for paper, data in zip(part, rows):
                ex = decode(data, paper.id)
                if ex is None:
                    raise PapergraphError(f"a Dask worker returned an unreadable result for paper {paper.id}")
                yield ex, data

    def close(self) -> None:
        """Disconnect; stop the local cluster if this backend started one."""
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def _result(fut):
    """A future's value; worker failures become one-line papergraph errors."""
    try:
        return fut.result()
    except PapergraphError:
        raise
    except Exception as e:  # noqa: BLE001 -- anything raised on a worker, reported in one line
        raise PapergraphError(f"extraction failed on a Dask worker: {type(e).__name__}: {e}") from e
