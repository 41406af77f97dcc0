"""Reading a test database back: the rows of one query, and node/relationship counts."""

from __future__ import annotations

import socket

from papergraph.neo4j.loader import Neo4jSettings, connect


def fetch(settings: Neo4jSettings, query: str, **params) -> list[dict]:
    """The rows of ``query`` (values as parameters) as plain dicts."""
    with connect(settings) as driver:
        return [r.data() for r in driver.execute_query(query, params, database_=settings.database).records]


def counts(settings: Neo4jSettings) -> tuple[int, int]:
    """(nodes, relationships) in the whole database."""
    n = fetch(settings, "MATCH (n) RETURN count(n) AS n")[0]["n"]
    r = fetch(settings, "MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
    return n, r


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
