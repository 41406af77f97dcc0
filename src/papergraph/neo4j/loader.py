"""Load a papergraph graph into Neo4j over Bolt: schema first, then batched MERGEs.

Every batch is one managed write transaction (``session.execute_write``, which the driver retries
on transient errors), so a load that is killed half-way leaves whole batches behind and loading
again completes it. MERGE on ids makes a second load of the same build change nothing; concept
``paper_count`` is recounted from the database after each load, so incremental loads stay right.
A wiping load (``wipe_first``) into a database then holding none of papergraph's nodes takes a
faster path to the same result: CREATE instead of MERGE, relationships by element id, and the
driver's retries of a batch MERGE (see :func:`_create_nodes`).
"""

from __future__ import annotations

import contextlib
import re
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import networkx as nx

from ..errors import ConfigError, Neo4jDataError, Neo4jError
from ..model import NODE_LABELS
from . import queries
from .batches import Batches, run_batches, single
from .library import Query, read_schema, to_plain
from .messages import check_uri, first_line as _first_line, is_data_error as _is_data_error, redact_uri, redacted as _redacted
from .sync import SyncStats, remove_stale
from .rows import PAPER_LINK_TYPES, NodeRows, RelRows, check_index_sizes, graph_rows, type_label_rows

__all__ = ["Neo4jSettings", "LoadStats", "connect", "load_graph", "apply_schema", "wipe", "db_counts", "run_query"]

Progress = Callable[..., contextlib.AbstractContextManager] | None


@dataclass(frozen=True)
class Neo4jSettings:
    """How to reach a Neo4j database (the password is never part of any message)."""

    uri: str = "bolt://127.0.0.1:7687"
    user: str = "neo4j"
    password: str | None = None
    database: str = "neo4j"

    def __repr__(self) -> str:
        return f"Neo4jSettings(uri={redact_uri(self.uri)!r}, user={self.user!r}, database={self.database!r})"


@dataclass(frozen=True)
class LoadStats:
    """What a load sent and what the database holds afterwards."""

    nodes: int
    relationships: int
    seconds: float
    db_nodes: int
    db_relationships: int
    synced: "SyncStats | None" = None  # what a synchronising load removed (see neo4j/sync.py)

    def format(self) -> str:
        rate = self.relationships / self.seconds if self.seconds else 0.0
        synced = f"{self.synced.format()}\n" if self.synced else ""
        return (f"{synced}loaded {self.nodes} nodes and {self.relationships} relationships in {self.seconds:.1f}s "
                f"({rate:,.0f} relationships/s)\n"
                f"database now holds {self.db_nodes} nodes and {self.db_relationships} relationships")


@contextlib.contextmanager
def connect(settings: Neo4jSettings) -> Iterator["neo4j.Driver"]:  # noqa: F821
    """A verified driver for ``settings``; driver errors become one-line :class:`Neo4jError`.

    Raises:
        Neo4jError: the server is unreachable, the credentials are wrong, or a query failed.
    """
    import neo4j
    from neo4j import exceptions as nex

    check_uri(settings.uri)
    uri = redact_uri(settings.uri)
    where = f"Neo4j at {uri}"
    auth = (settings.user, settings.password) if settings.password is not None else None
    try:
        driver = neo4j.GraphDatabase.driver(settings.uri, auth=auth, connection_timeout=10,
                                            max_transaction_retry_time=30)
    except (ValueError, nex.ConfigurationError) as e:
        raise ConfigError(f"bad Neo4j URI {uri!r}: {_redacted(e, settings)}") from None
    try:
        with driver:
            driver.verify_connectivity()
            yield driver
    except nex.AuthError:
        raise Neo4jError(f"{where} rejected user {settings.user!r}: wrong or missing password "
                         "(--password / NEO4J_PASSWORD)") from None
    except (nex.ServiceUnavailable, nex.SessionExpired, OSError) as e:
        raise Neo4jError(f"cannot reach {where}: {_redacted(e, settings)} "
                         "(is it running? `papergraph neo4j status`)") from None
    except nex.Neo4jError as e:
        message = f"{where} (database {settings.database!r}): {e.code}: {_redacted(e.message or e, settings)}"
        if _is_data_error(e):
            raise Neo4jDataError(f"Neo4j refused the data: {message}") from None
        raise Neo4jError(message) from None
    except nex.DriverError as e:
        raise Neo4jError(f"{where}: {type(e).__name__}: {_redacted(e, settings)}") from None


def apply_schema(driver, database: str, *, fulltext: bool = True) -> int:
    """Run ``cypher/schema.cypher`` (constraints and indexes, all IF NOT EXISTS); wait for indexes.

    Args:
        fulltext: also the full-text indexes. A load leaves them out until its data is in: a
            full-text index built once over the loaded nodes costs a fraction of updating it in
            every write transaction (a fresh 10k-paper load spends about half of its node time
            on them).

    Returns:
        The number of schema statements run.
    """
    statements = [s for s in read_schema() if fulltext or not _FULLTEXT.match(s)]
    for stmt in statements:
        driver.execute_query(stmt, database_=database)
    driver.execute_query(queries.AWAIT_INDEXES, seconds=300, database_=database)
    return len(statements)


_FULLTEXT = re.compile(r"\s*CREATE\s+FULLTEXT\s+INDEX\b", re.IGNORECASE)


def wipe(driver, database: str, *, batch_size: int = 1000) -> int:
    """Delete every Paper, Concept and Result node (and their relationships), in batches.

    A batch of nodes takes all their relationships along (a concept may have thousands), so
    batches stay small to fit the server's transaction memory.
    """
    total = 0
    with driver.session(database=database) as session:
        while True:
            n = session.execute_write(single, queries.DELETE_BATCH, limit=batch_size)
            total += n
            if n == 0:
                return total


def db_counts(driver, database: str) -> tuple[int, int]:
    """(nodes, relationships) in the database."""
    nodes = driver.execute_query(queries.COUNT_NODES, database_=database).records[0][0]
    rels = driver.execute_query(queries.COUNT_RELATIONSHIPS, database_=database).records[0][0]
    return nodes, rels


def load_graph(G: nx.MultiDiGraph, settings: Neo4jSettings, *, batch_size: int = 10_000,
               wipe_first: bool = False, progress: Progress = None, workers: int = 2,
               sync: bool = False) -> LoadStats:
    """Load ``G`` into the database of ``settings``: idempotent and incremental.

    Nodes are MERGEd on their id and relationships on (start, type, end), so a re-load, a load
    retried after a failure, or two loads at once never duplicate anything. Batches run
    ``workers`` at a time in two rounds (nodes, then relationships), the first complete before
    the second. A load with ``wipe_first`` into a database left with no Paper, Concept or Result
    node CREATEs instead (the same database, in about half the server time): wiping claims the
    database for this load, while loads without it may run alongside others, so they MERGE.

    Args:
        G: a graph built by ``papergraph build`` (see :mod:`papergraph.graph` for the schema).
        settings: where to load it.
        batch_size: rows per transaction.
        wipe_first: delete papergraph's nodes before loading.
        progress: ``click.progressbar``-like factory called as ``progress(length=, label=)``.
        workers: write transactions in flight at once.
        sync: then remove what the database holds under papergraph's schema and ``G`` does not
            (nodes, relationships, properties; see :mod:`papergraph.neo4j.sync`), so the database
            equals ``G``. Without it a load only adds and updates (several builds into one database).

    Returns:
        What was sent and the database's counts afterwards.

    Raises:
        InputError: the graph does not follow papergraph's schema (checked before connecting).
        Neo4jError: the server is unreachable, the password is wrong, or a batch failed.
    """
    if batch_size < 1 or workers < 1:
        raise ValueError("batch_size and workers must be >= 1")
    nodes, rels = graph_rows(G)
    check_index_sizes(nodes)
    n_nodes, n_rels = sum(len(g.rows) for g in nodes), sum(len(g.rows) for g in rels)
    concept_ids = [r["id"] for g in nodes if g.label == "Concept" for r in g.rows]
    with connect(settings) as driver:
        if wipe_first:
            wipe(driver, settings.database)
        apply_schema(driver, settings.database, fulltext=False)
        t0 = time.perf_counter()
        bar = progress(length=n_nodes + n_rels, label="loading") if progress else contextlib.nullcontext()
        with bar as b, driver.session(database=settings.database) as session:
            update = b.update if b is not None else (lambda n: None)
            rel_jobs, synced = None, None
            if wipe_first and _holds_none(driver, settings.database):
                rel_jobs = _create_nodes(driver, settings.database, nodes, rels, batch_size, workers, update)
            if rel_jobs is not None:  # the first load: paper_count came with the nodes
                run_batches(driver, settings.database, rel_jobs, batch_size, workers, update)
            else:
                node_jobs = [Batches(queries.merge_nodes(g.label), _node_rows(g), g.label) for g in nodes]
                run_batches(driver, settings.database, node_jobs, batch_size, workers, update)
                rel_jobs = [Batches(queries.merge_relationships(rg.type, rg.start_label, rg.end_label),
                                     rg.rows, _describe(rg)) for rg in rels]
                run_batches(driver, settings.database, rel_jobs, batch_size, workers, update)
                if sync:
                    synced = remove_stale(driver, settings.database, nodes, rels, batch_size=batch_size)
                for i in range(0, len(concept_ids), batch_size):
                    session.execute_write(single, queries.RECOMPUTE_PAPER_COUNT, ids=concept_ids[i:i + batch_size])
            labels = [Batches(queries.set_type_label(t), rows, f"{t or 'untyped'} labels")
                      for t, rows in type_label_rows(nodes).items()]
            run_batches(driver, settings.database, labels, batch_size, workers, lambda n: None)
        apply_schema(driver, settings.database)  # the full-text indexes, built over the loaded nodes
        seconds = time.perf_counter() - t0
        db_nodes, db_rels = db_counts(driver, settings.database)
    return LoadStats(n_nodes, n_rels, seconds, db_nodes, db_rels, synced)


def _params_text(params: dict) -> str:
    return ", ".join(f"{k}={v!r}"[:80] for k, v in params.items())


def _holds_none(driver, database: str) -> bool:
    """Whether the database holds no Paper, Concept or Result node (a first load can CREATE)."""
    return not any(driver.execute_query(queries.count_label(label), database_=database).records[0][0]
                   for label in NODE_LABELS)


def _create_nodes(driver, database: str, nodes: list[NodeRows], rels: list[RelRows], batch_size: int,
                  workers: int, update) -> list[Batches] | None:
    """First-load fast path: CREATE the nodes; return the jobs that CREATE the relationships.

    Relationships find their end nodes by element id (no index seek) and are CREATEd, not
    MERGEd: the database held none of these nodes, so none of their relationships either, and
    (start, type, end) is unique within one graph. For the same reason a concept's
    ``paper_count`` is counted here, from the rows, and the nodes are created with it. The
    database then holds what MERGE and the recount would have made.

    Returns:
        The relationship jobs, or None if another load created one of these ids meanwhile (the
        uniqueness constraint rejects the batch): the caller then MERGEs everything, which
        completes whatever this round created.
    """
    from neo4j.exceptions import ConstraintError

    counted = _paper_counts(rels)
    jobs = []
    for g in nodes:
        rows = _node_rows(g)
        if g.label == "Concept":
            rows = [{"id": r["id"], "props": {**r["props"], "paper_count": counted.get(r["id"], 0)}}
                    for r in rows]
        if rows:
            jobs.append(Batches(queries.create_nodes(g.label, _keys(rows)), rows, g.label,
                                 queries.merge_nodes_returning(g.label)))
    try:
        created = run_batches(driver, database, jobs, batch_size, workers, update)
    except ConstraintError:
        return None
    eids: dict[str, dict[str, str]] = {g.label: {} for g in nodes}  # ids are unique per label only
    for job, pairs in created:
        eids[job.what].update(pairs)
    rel_jobs = []
    for rg in rels:
        starts, ends = eids[rg.start_label], eids[rg.end_label]
        rows = [{"start": starts[r["start"]], "end": ends[r["end"]], "props": r["props"]} for r in rg.rows]
        rel_jobs.append(Batches(queries.create_relationships(rg.type, _keys(rows)), rows, _describe(rg),
                                 queries.merge_relationships_by_element_id(rg.type)))
    return rel_jobs


def _paper_counts(rels: list[RelRows]) -> dict[str, int]:
    """Concept id -> how many papers link to it (what RECOMPUTE_PAPER_COUNT counts in the database)."""
    papers: dict[str, set] = {}
    for rg in rels:
        if rg.type in PAPER_LINK_TYPES and rg.start_label == "Paper" and rg.end_label == "Concept":
            for r in rg.rows:
                papers.setdefault(r["end"], set()).add(r["start"])
    return {cid: len(ps) for cid, ps in papers.items()}


def _keys(rows: list[dict]) -> list[str]:
    """Every property name in ``rows``, in first-seen order."""
    return list(dict.fromkeys(k for r in rows for k in r["props"]))


def _node_rows(g: NodeRows) -> list[dict]:
    """Rows to MERGE; a concept's ``paper_count`` is left out (it is recounted from the database)."""
    if g.label != "Concept":
        return g.rows
    return [{"id": r["id"], "props": {k: v for k, v in r["props"].items() if k != "paper_count"}} for r in g.rows]


def _describe(rg: RelRows) -> str:
    return f"({rg.start_label})-[:{rg.type}]->({rg.end_label})"


def run_query(settings: Neo4jSettings, query: Query, params: dict) -> tuple[list[str], list[dict]]:
    """Run a library query (read-only routing); return its column names and plain-value rows."""
    from neo4j.exceptions import ClientError

    with connect(settings) as driver:
        try:
            records, _, keys = driver.execute_query(query.text, parameters_=params, database_=settings.database,
                                                    routing_="r")
        except ClientError as e:
            if not _is_data_error(e):
                raise
            raise ConfigError(f"query {query.name!r} rejected its parameters {_params_text(params)}: "
                              f"{_first_line(e.message or e)}") from None
    return list(keys), [{k: to_plain(rec[k]) for k in keys} for rec in records]
