"""Bulk import into papergraph's local server: CSVs, ``neo4j-admin database import full``, schema.

Neo4j 5 imports only into a stopped database and replaces it (``--overwrite-destination``), so
:func:`bulk_import` stops the local instance, runs the import with the jars papergraph fetched
(:func:`papergraph.neo4j.server.admin`, the ``org.neo4j.cli.AdminTool`` of the lib directory, with
the instance's own ``neo4j.conf``), starts it again and applies ``cypher/schema.cypher``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from ..errors import ConfigError
from ..export.neo4j_csv import write_neo4j_import
from .loader import Neo4jSettings, apply_schema, connect, db_counts
from .server import ServerOptions, admin, start, status, stop

__all__ = ["BulkStats", "bulk_import"]


@dataclass(frozen=True)
class BulkStats:
    """What :func:`bulk_import` did."""

    csv_dir: Path
    nodes: int
    relationships: int
    seconds: float
    was_running: bool

    def format(self) -> str:
        return (f"imported {self.nodes} nodes and {self.relationships} relationships in {self.seconds:.1f}s "
                f"(CSVs in {self.csv_dir}); schema applied, server running")


def bulk_import(G: nx.MultiDiGraph, opts: ServerOptions, csv_dir: str | os.PathLike, *, database: str = "neo4j",
                timeout: float = 180, echo=lambda line: None) -> BulkStats:
    """Replace the database of the local instance ``opts`` with ``G``, through neo4j-admin's bulk import.

    Args:
        G: a papergraph graph.
        opts: the local instance (its password is needed to start it and apply the schema).
        csv_dir: where the import CSVs are written (replaced).
        database: the database to replace (Neo4j Community has one, ``neo4j``).
        timeout: seconds to wait for the server to answer after the import.
        echo: called with a line before each step.

    Returns:
        The counts the database holds afterwards.

    Raises:
        ConfigError: no usable password.
        InputError: the graph does not follow papergraph's schema.
        Neo4jError: Java/Maven missing, the import failed, or the server did not start again.
    """
    if opts.auth and (opts.password is None or len(opts.password) < 8):  # before the server is stopped
        raise ConfigError("give the password of user neo4j (--password / NEO4J_PASSWORD), or --no-auth")
    t0 = time.perf_counter()
    files = write_neo4j_import(G, csv_dir, database=database)
    was_running = status(opts).running
    if was_running:
        echo(f"stopping the server on {opts.uri} (Neo4j imports only into a stopped database)")
        stop(opts)
    echo(f"neo4j-admin database import full {database} from {files.directory}")
    try:
        admin(opts, files.admin_args(database))
    finally:
        echo(f"starting the server on {opts.uri}")
        start(opts, timeout=timeout)
    settings = Neo4jSettings(uri=opts.uri, password=opts.password if opts.auth else None, database=database)
    with connect(settings) as driver:
        echo("creating the constraints and indexes of cypher/schema.cypher")
        apply_schema(driver, database)
        nodes, rels = db_counts(driver, database)
    return BulkStats(files.directory, nodes, rels, time.perf_counter() - t0, was_running)
