"""Rows sent to Neo4j in batched write transactions, ``workers`` at a time (see :mod:`.loader`)."""

from __future__ import annotations

import queue
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from operator import itemgetter
from typing import Iterator

from ..errors import Neo4jError

__all__ = ["Batches", "run_batches", "split", "single"]


def single(tx, query: str, **params) -> int:
    """The single value of ``query``'s single row (a count, or a list)."""
    return tx.run(query, **params).single(strict=True)[0]


@dataclass(frozen=True)
class Batches:
    """Rows for one query, and what they are (for messages)."""

    query: str
    rows: list[dict]
    what: str
    #: An idempotent query for the driver's retries, when ``query`` (a CREATE) is not: a batch
    #: whose commit was lost with the connection may be in the database already.
    retry: str | None = None


def run_batches(driver, database: str, jobs: list[Batches], batch_size: int, workers: int,
                 update) -> list[tuple[Batches, object]]:
    """Send every job's rows in batches, one write transaction each, ``workers`` at a time.

    Each worker has its own session; ``update`` (the progress bar) runs in the calling thread.

    Returns:
        ``(job, result)`` per batch, in order: the query's single value (a count, or a list
        with a row per row of the batch).

    Raises:
        Neo4jError: a batch merged fewer rows than it had (an end node is missing).
    """
    batches = [(job, rows) for job in jobs for rows in split(job.rows, batch_size)]
    if not batches:
        return []
    sessions: queue.SimpleQueue = queue.SimpleQueue()
    opened = [driver.session(database=database) for _ in range(min(workers, len(batches)))]
    for session in opened:
        sessions.put(session)

    def send(item: tuple[Batches, list[dict]]) -> tuple[Batches, object]:
        job, batch = item
        tries = 0

        def work(tx):
            nonlocal tries
            tries += 1
            return single(tx, job.retry if tries > 1 and job.retry else job.query, rows=batch)

        session = sessions.get()
        try:
            result = session.execute_write(work)
        finally:
            sessions.put(session)
        merged = len(result) if isinstance(result, list) else result
        if merged != len(batch):
            raise Neo4jError(f"{len(batch) - merged} of {len(batch)} {job.what} rows were not merged "
                             "(an end node is missing from the database)")
        return job, result

    pool = ThreadPoolExecutor(max_workers=len(opened), thread_name_prefix="papergraph-load")
    results = []
    try:
        for job, result in pool.map(send, batches):
            results.append((job, result))
            update(len(result) if isinstance(result, list) else result)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        for session in opened:
            session.close()
    return results


def split(rows: list[dict], batch_size: int) -> Iterator[list[dict]]:
    """Cut ``rows`` into batches of about ``batch_size``, each sorted in the order it locks nodes.

    Relationship rows come grouped by start node (``graph_rows`` keeps the graph's edge order); a batch
    ends only where the start node changes, so no start node is in two batches, and it may run
    over ``batch_size`` by one node's relationships. Rows are sorted by (end, start): two batches
    in flight lock the end nodes they share (the dense concepts) in the same order, so they wait
    for each other instead of deadlocking, which would cost a whole batch. A few deadlocks remain
    (same-label groups, whose start nodes are end nodes too; locks on neighbouring relationship
    records); the driver retries them. Node rows (no ``end``) are cut at ``batch_size``, in order.
    """
    if not rows or "end" not in rows[0]:
        yield from (rows[i:i + batch_size] for i in range(0, len(rows), batch_size))
        return
    cut = 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or (i - cut >= batch_size and rows[i]["start"] != rows[i - 1]["start"]):
            yield sorted(rows[cut:i], key=itemgetter("end", "start"))
            cut = i
