"""Fault injection for Neo4j loads, against a real server this module starts and stops itself.

Its own instance (bolt 17692, http 17482) can be stopped mid-load without disturbing the shared
test server. Checked: a load cut off by the server stopping fails with a one-line error (exit 3)
and, after a restart, loading again gives exactly the graph of an uninterrupted load; two loads
of different, overlapping builds at the same time leave no duplicate and the same graph as
loading them one after the other; bad connection settings fail with one line, exit 3, and
never print the password.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time

import networkx as nx
import pytest

from papergraph.errors import PapergraphError
from papergraph.export.json import write_graph_json
from papergraph.neo4j.loader import Neo4jSettings, connect, load_graph

from neo4j_helpers import fetch as _run

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

BOLT, HTTP = 17692, 17482
PASSWORD = "reliability-7f3a-secret"


@pytest.fixture(scope="module")
def own_server():
    """A fresh Neo4j instance of this module's own; stopped at the end whatever happens."""
    from papergraph.neo4j import server

    opts = server.ServerOptions(home=server.default_home(), bolt_port=BOLT, http_port=HTTP, password=PASSWORD,
                                heap="512m", pagecache="128m")
    lock = _instance_lock(opts)
    server.stop(opts)  # a leftover of an earlier, killed run on this module's own port
    try:
        server.start(opts, fresh=True, timeout=240)
    except PapergraphError as e:
        server.stop(opts)
        lock.close()
        if os.environ.get("CI"):
            pytest.fail(f"cannot start a Neo4j instance on port {BOLT}: {e}")
        pytest.skip(f"cannot start a Neo4j instance on port {BOLT}: {e}")
    try:
        yield opts, Neo4jSettings(uri=opts.uri, user="neo4j", password=PASSWORD, database="neo4j")
    finally:
        server.stop(opts)
        lock.close()


def _instance_lock(opts, wait: float = 600):
    """Hold an exclusive lock on this instance, so two test runs on one machine take turns."""
    import fcntl

    path = opts.instance.with_name(f"{BOLT}.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = open(path, "w")
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fh
        except BlockingIOError:
            if time.monotonic() > deadline:
                fh.close()
                pytest.skip(f"another test run holds the Neo4j instance on port {BOLT}")
            time.sleep(1)




def _wipe(settings):
    with connect(settings) as driver, driver.session(database=settings.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


def snapshot(settings) -> tuple[int, int, str]:
    """(nodes, relationships, sha256 over every node's labels+properties and every relationship's
    type, end ids and properties)."""
    nodes = _run(settings, "MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
    rels = _run(settings, "MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id AS a, b.id AS b, properties(r) AS p")
    canon = sorted(json.dumps(x, sort_keys=True, default=str) for x in nodes + rels)
    return len(nodes), len(rels), hashlib.sha256("\n".join(canon).encode()).hexdigest()


def duplicates(settings) -> tuple[int, int]:
    """Node ids held by more than one node, and (start, type, end) held by more than one relationship."""
    n = _run(settings, "MATCH (n) WITH labels(n) AS l, n.id AS id, count(*) AS c WHERE c > 1 RETURN count(*) AS d")
    r = _run(settings, "MATCH (a)-[r]->(b) WITH a, type(r) AS t, b, count(r) AS c WHERE c > 1 RETURN count(*) AS d")
    return n[0]["d"], r[0]["d"]


def build_graph(tag: str, papers: range, concepts: int = 30) -> nx.MultiDiGraph:
    """A graph in papergraph's schema: papers ``papers`` each linked to 3 of ``concepts`` shared
    concepts, concept-concept edges and results. Two tags with overlapping ranges share papers."""
    G = nx.MultiDiGraph()
    for k in range(concepts):
        G.add_node(f"concept:c{k}", label="Concept", id=f"c{k}", name=f"Concept {k}", type="Method",
                   aliases=[f"C{k}"], paper_count=0, confidence=0.9)
    for i in papers:
        pid = f"p{i}"
        G.add_node(f"paper:{pid}", label="Paper", id=pid, title=f"Paper {i}", abstract=f"Abstract of paper {i}.",
                   date="2024-05-20", url=None, authors=[f"Author {i % 7}"], categories=["cs.CL"], sources=[f"f:{i}"])
        for j, rtype in zip((i, i * 7 + 3, i * 13 + 5), ("PROPOSES", "USES", "MENTIONS")):
            G.add_edge(f"paper:{pid}", f"concept:c{j % concepts}", key=rtype, type=rtype, evidence=f"e{i}",
                       field="abstract", start=0, end=1, confidence=0.8, rules=["r"])
        if i % 4 == 0:
            G.add_node(f"result:{pid}:0", label="Result", id=f"{pid}:0", value=float(i), unit="%", kind="absolute",
                       direction="up", text=f"{i}%", evidence="e", metric=None, benchmark=None, subject=None)
            G.add_edge(f"paper:{pid}", f"result:{pid}:0", key="REPORTS", type="REPORTS", field="abstract",
                       start=0, end=2)
            G.add_edge(f"result:{pid}:0", f"concept:c{i % concepts}", key="OF", type="OF")
    for k in range(concepts - 1):
        G.add_edge(f"concept:c{k}", f"concept:c{k + 1}", key="CO_OCCURS", type="CO_OCCURS", weight=2, npmi=0.5)
    return G


def _load_cmd(path, batch_size: int) -> list[str]:
    return [sys.executable, "-m", "papergraph", "load", str(path), "--batch-size", str(batch_size), "-q"]


def _env(settings) -> dict:
    return {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_PASSWORD": settings.password or "",
            "NEO4J_DATABASE": settings.database}


def test_concurrent_loads_of_different_builds(neo4j_db, tmp_path):
    """Builds A and B share 40 papers, every concept and the concept-concept edges (on the shared,
    warm test server: nothing here stops it)."""
    settings = neo4j_db
    A, B = build_graph("a", range(0, 120)), build_graph("b", range(80, 200))
    for name, G in (("a", A), ("b", B)):
        (tmp_path / name).mkdir()
        write_graph_json(G, tmp_path / name / "graph.json")
    _wipe(settings)
    load_graph(A, settings)
    load_graph(B, settings)
    sequential = snapshot(settings)
    _wipe(settings)

    procs = [subprocess.Popen(_load_cmd(tmp_path / name, 5) + ["--add-only"], env=_env(settings),  # both builds kept
                              stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    overlapped, deadline = False, time.monotonic() + 300
    while all(p.poll() is None for p in procs) and time.monotonic() < deadline:
        overlapped = overlapped or _run(settings, "MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"] > 0
        time.sleep(0.05)
    results = [p.communicate(timeout=300) + (p.returncode,) for p in procs]
    assert overlapped, "one load finished before the other wrote anything: they did not run together"
    for out, err, code in results:
        assert code == 0, err
    assert duplicates(settings) == (0, 0)
    assert snapshot(settings) == sequential


def test_server_stopped_mid_load_then_rerun_gives_the_exact_graph(own_server, neo4j_db, tmp_path):
    from papergraph.neo4j import server

    opts, settings = own_server
    G = build_graph("a", range(40))
    write_graph_json(G, tmp_path / "graph.json")
    load_graph(G, neo4j_db)  # the uninterrupted load, on the shared (warm) server
    reference = snapshot(neo4j_db)
    assert reference[:2] == (G.number_of_nodes(), G.number_of_edges())
    _wipe(settings)

    proc = subprocess.Popen(_load_cmd(tmp_path, 5), env=_env(settings), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        with connect(settings) as driver:  # stop once some relationships, but not all, are in
            rels = driver.execute_query("MATCH ()-[r]->() RETURN count(r) AS n").records[0]["n"]
        if rels >= 10:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the load finished before the server could be stopped"
    server.stop(opts)
    server.start(opts, timeout=240)  # the driver retries the failed batch meanwhile (up to 30 s)
    out, err = proc.communicate(timeout=180)
    # either the retried load completed, or it gave up with one line (exit 3); never a traceback
    assert proc.returncode in (0, 3), (out, err)
    assert "Traceback" not in err and PASSWORD not in out + err
    if proc.returncode == 3:
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), err
    else:
        assert err.strip() == "", err  # -q: nothing but errors, and the driver's retry chatter is not one
    assert duplicates(settings) == (0, 0)
    res = subprocess.run(_load_cmd(tmp_path, 500), env=_env(settings), capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert snapshot(settings) == reference


def _cli_error(args: list[str], env: dict | None = None) -> str:
    res = subprocess.run([sys.executable, "-m", "papergraph", *args], capture_output=True, text=True, timeout=120,
                         env={**os.environ, **(env or {})})
    assert res.returncode == 3, (args, res.stdout, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and "Traceback" not in res.stderr, res.stderr
    return res.stdout + res.stderr


@pytest.mark.parametrize("case", ["wrong-password", "wrong-user", "wrong-database", "unreachable", "tls-to-plain",
                                  "query-wrong-password"])
def test_bad_connection_settings_are_one_line_exit_3(neo4j_settings, sample_graph, tmp_path, case):
    write_graph_json(sample_graph(), tmp_path / "graph.json")
    secret = "hunter2-do-not-print-9b1e"
    uri = neo4j_settings.uri
    port = uri.rsplit(":", 1)[1]
    password = neo4j_settings.password or ""
    args = {
        "wrong-password": ["load", str(tmp_path), "--uri", uri, "--password", secret],
        "wrong-user": ["load", str(tmp_path), "--uri", uri, "--user", "mallory", "--password", secret],
        "wrong-database": ["load", str(tmp_path), "--uri", uri, "--database", "nosuchdb"],
        "unreachable": ["load", str(tmp_path), "--uri", "bolt://127.0.0.1:9", "--password", secret],
        "tls-to-plain": ["load", str(tmp_path), "--uri", f"bolt+s://127.0.0.1:{port}", "--password", secret],
        "query-wrong-password": ["query", "top-concepts", "--uri", uri, "--password", secret],
    }[case]
    env = {"NEO4J_PASSWORD": password} if case == "wrong-database" else {"NEO4J_PASSWORD": ""}
    output = _cli_error(args, env)
    assert secret not in output and (not password or password not in output)
    if case == "wrong-database":
        assert "nosuchdb" in output
