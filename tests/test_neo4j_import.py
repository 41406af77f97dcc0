"""The bulk path: `export neo4j-import` CSVs run through their own import.sh into a fresh database.

Neo4j Community has one user database, so the import goes into a second local server instance
(own ports and data directory under tmp_path) that this test starts and stops; its contents are
compared with what the Bolt loader puts into the test server.
"""

import csv
import hashlib
import json
import os
import shlex
import subprocess

import pytest

from papergraph.export.json import read_graph_json
from papergraph.export.neo4j_csv import write_neo4j_import
from papergraph.model import CONCEPT_TYPES
from papergraph.neo4j.loader import Neo4jSettings, apply_schema, connect, load_graph
from neo4j_helpers import free_port
from papergraph.neo4j.server import ServerOptions, admin_command, default_home, start, status, stop

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]


def snapshot(settings) -> dict:
    """Counts per label and type, and a digest of every node and relationship with its properties."""
    with connect(settings) as driver:
        q = lambda text: [r.data() for r in driver.execute_query(text, database_=settings.database).records]  # noqa: E731
        labels = {r["l"]: r["n"] for r in q("MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS n")}
        types = {r["t"]: r["n"] for r in q("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n")}
        nodes = q("MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
        rels = q("MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id AS a, b.id AS b, properties(r) AS p")
        schema = sorted(r["name"] for r in q("SHOW INDEXES YIELD name, state WHERE state = 'ONLINE' RETURN name"))
    canon = sorted(json.dumps(x, sort_keys=True, default=str) for x in nodes + rels)
    return {"labels": labels, "types": types, "digest": hashlib.sha256("\n".join(canon).encode()).hexdigest(),
            "schema": schema}


def test_bulk_import_equals_bolt_load(shared_build, neo4j_db, import_instance, tmp_path):
    G = read_graph_json(shared_build / "graph.json")
    files = write_neo4j_import(G, tmp_path / "csv")
    broken = {p for p in files.nodes + files.relationships  # only the files with a line break in a cell are multi-line
              if any("\n" in c or "\r" in c for row in csv.reader(p.open(newline="", encoding="utf-8")) for c in row)}
    assert set(files.multiline) == broken

    # import.sh runs `${NEO4J_ADMIN:-neo4j-admin} ...`: point it at the local server's admin tool.
    cmd, env = admin_command(import_instance)
    shim = tmp_path / "neo4j-admin"
    shim.write_text("#!/bin/sh\n" + "".join(f"export {k}={shlex.quote(env[k])}\n" for k in ("NEO4J_HOME", "NEO4J_CONF"))
                    + f'exec {shlex.join(cmd)} "$@"\n')
    shim.chmod(0o755)
    res = subprocess.run(["sh", str(files.command)], env={**os.environ, "NEO4J_ADMIN": str(shim)},
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    assert "IMPORT DONE" in res.stdout + res.stderr

    start(import_instance, timeout=180)
    imported = Neo4jSettings(uri=import_instance.uri)
    with connect(imported) as driver:  # what `papergraph load --schema-only` does after an import
        apply_schema(driver, imported.database)

    load_graph(G, neo4j_db)
    bolt = snapshot(neo4j_db)
    bulk = snapshot(imported)
    assert sum(bolt["labels"][label] for label in ("Paper", "Concept", "Result")) == G.number_of_nodes()
    assert sum(bolt["labels"][t] for t in CONCEPT_TYPES) == bolt["labels"]["Concept"]  # each concept's type label
    assert sum(bolt["types"].values()) == G.number_of_edges()
    assert bulk["labels"] == bolt["labels"] and bulk["types"] == bolt["types"]
    assert bulk["schema"] == bolt["schema"] and {"paper_text", "concept_text"} <= set(bulk["schema"])
    assert bulk["digest"] == bolt["digest"]  # same properties with the same types, not only counts


@pytest.fixture
def local_server(tmp_path):
    """A local instance in its own papergraph home (the jars linked from the real one), stopped afterwards."""
    lib = default_home() / "lib"
    if not lib.is_dir():
        pytest.skip("Neo4j jars not fetched (run the tests with scripts/run-tests)")
    home = tmp_path / "home"
    home.mkdir()
    (home / "lib").symlink_to(lib, target_is_directory=True)
    opts = ServerOptions(home=home, bolt_port=free_port(), http_port=free_port(), auth=False, heap="512m",
                         pagecache="64m")
    yield opts
    stop(opts)
    assert not status(opts).running


def test_neo4j_import_replaces_the_local_servers_database(shared_build, neo4j_db, local_server, sample_graph):
    from click.testing import CliRunner

    from papergraph.cli import cli

    start(local_server, fresh=True, timeout=180)  # running, and holding something else
    server = Neo4jSettings(uri=local_server.uri)
    load_graph(sample_graph(), server)
    res = CliRunner().invoke(cli, ["neo4j", "import", str(shared_build), "--home", str(local_server.home),
                                   "--bolt-port", str(local_server.bolt_port), "--http-port",
                                   str(local_server.http_port), "--no-auth", "--heap", "512m", "--pagecache", "64m",
                                   "--admin-heap", "768m"])
    assert res.exit_code == 0, res.output
    assert "stopping the server" in res.output and "schema applied, server running" in res.output
    assert status(local_server).running

    G = read_graph_json(shared_build / "graph.json")
    load_graph(G, neo4j_db)
    bolt, bulk = snapshot(neo4j_db), snapshot(server)
    assert sum(bulk["labels"][t] for t in ("Paper", "Concept", "Result")) == G.number_of_nodes()
    assert bulk == bolt  # the sample graph is gone; same nodes, labels, properties and schema as a Bolt load


def test_import_sh_without_neo4j_admin_names_the_papergraph_command(sample_graph, tmp_path):
    files = write_neo4j_import(sample_graph(), tmp_path / "csv", source="out")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    assert subprocess.run(["sh", "-c", "command -v neo4j-admin"], env=env).returncode != 0
    res = subprocess.run(["sh", str(files.command)], env=env, capture_output=True, text=True, timeout=60)
    assert res.returncode == 127
    assert res.stderr.strip().endswith("run: papergraph neo4j import out") and "\n" not in res.stderr.strip()


@pytest.mark.parametrize("available_kib, heap", [(2 * 2**20, "1g"), (9 * 2**20, "2g"), (64 * 2**20, "4g")])
def test_admin_heap_default_is_a_quarter_of_available_memory(tmp_path, available_kib, heap):
    from papergraph.neo4j.server import admin_heap_default

    meminfo = tmp_path / "meminfo"
    meminfo.write_text(f"MemTotal:       {2 * available_kib} kB\nMemFree:        1000 kB\n"
                       f"MemAvailable:   {available_kib} kB\n")
    assert admin_heap_default(meminfo) == heap
    assert admin_heap_default(tmp_path / "missing") == "1g"


def test_neo4j_import_refuses_a_bad_admin_heap(tmp_path):
    from click.testing import CliRunner

    from papergraph.cli import cli

    res = CliRunner().invoke(cli, ["neo4j", "import", str(tmp_path), "--admin-heap", "lots"])
    assert res.exit_code == 2
    assert "--admin-heap" in res.output and "'lots'" in res.output and "Traceback" not in res.output
