"""Issue 16 against the real test server: data Neo4j cannot index, bad query parameters, and
credentials inside a URI. Each gets its documented exit code and one line, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from papergraph.errors import Neo4jDataError
from papergraph.export.json import write_graph_json
from papergraph.neo4j.loader import connect, db_counts

SECRET = "Pw-in-the-uri-7c1d"


def _cli(args: list[str], settings=None, env: dict | None = None) -> subprocess.CompletedProcess:
    base = {**os.environ, "NEO4J_PASSWORD": (settings.password or "") if settings else ""}
    return subprocess.run([sys.executable, "-m", "papergraph", *args], capture_output=True, text=True, timeout=180,
                          env={**base, **(env or {})})


def _one_line(res: subprocess.CompletedProcess, code: int) -> str:
    assert res.returncode == code, (res.returncode, res.stdout, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in res.stderr, res.stderr
    return lines[0]


def test_server_refusal_of_a_value_too_large_to_index_is_a_data_error(neo4j_db):
    with pytest.raises(Neo4jDataError, match="Neo4j refused the data"):
        with connect(neo4j_db) as driver:
            driver.execute_query("CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE",
                                 database_=neo4j_db.database)
            driver.execute_query("CREATE (:Paper {id: $id})", id="x" * 9000, database_=neo4j_db.database)


def test_load_of_an_unindexable_concept_name_is_exit_5_before_any_write(neo4j_db, sample_graph, tmp_path):
    G = sample_graph()
    concept = next(n for n, d in G.nodes(data=True) if d.get("label") == "Concept")
    G.nodes[concept]["name"] = "Z" * 9000
    write_graph_json(G, tmp_path / "graph.json")
    with connect(neo4j_db) as driver:
        before = db_counts(driver, neo4j_db.database)
    line = _one_line(_cli(["load", str(tmp_path), "--uri", neo4j_db.uri], neo4j_db), 5)
    assert "property 'name' is 9,000 bytes" in line
    with connect(neo4j_db) as driver:
        assert db_counts(driver, neo4j_db.database) == before


@pytest.mark.parametrize("param,code", [("limit=-1", 2), ("q=AND OR ((", 2), ("limit=99999999999999999999999", 2)])
def test_bad_query_parameters_are_usage_errors_not_connection_errors(neo4j_db, param, code):
    args = ["query", "fulltext-search", "--param", param, "--uri", neo4j_db.uri]
    line = _one_line(_cli(args, neo4j_db), code)
    assert "rejected its parameters" in line or "out of range" in line


@pytest.mark.parametrize("uri", [f"bolt://neo4j:{SECRET}@127.0.0.1:{{port}}", f"neo4j://neo4j:{SECRET}@127.0.0.1:9",
                                 f"http://neo4j:{SECRET}@127.0.0.1:{{port}}"])
def test_password_in_the_uri_is_never_echoed(neo4j_settings, tmp_path, uri):
    uri = uri.format(port=neo4j_settings.uri.rsplit(":", 1)[1])
    for args in (["query", "top-concepts", "--uri", uri], ["load", str(tmp_path), "--uri", uri, "--schema-only"]):
        res = _cli(args)
        assert res.returncode in (2, 3), res.stderr
        assert SECRET not in res.stdout + res.stderr and "***@" in res.stderr
        _one_line(res, res.returncode)
