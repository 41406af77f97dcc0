"""The Bolt loader against the real local Neo4j: idempotent, incremental, safe, resumable."""

import hashlib
import json
import os
import signal
import subprocess
import sys
import time

import networkx as nx
import pytest
from click.testing import CliRunner

from papergraph.cli import cli
from papergraph.errors import InputError, Neo4jError
from papergraph.export.json import write_graph_json
from papergraph.neo4j.loader import Neo4jSettings, load_graph

from neo4j_helpers import counts, fetch

pytestmark = pytest.mark.neo4j




def checksum(settings, ids=None) -> str:
    """A digest of every node (labels, properties) and relationship (type, end ids, properties).

    With ``ids``, only nodes with those ids and relationships between them.
    """
    where = "" if ids is None else "WHERE n.id IN $ids"
    nodes = fetch(settings, f"MATCH (n) {where} RETURN labels(n) AS l, properties(n) AS p", ids=ids)
    where = "" if ids is None else "WHERE a.id IN $ids AND b.id IN $ids"
    rels = fetch(settings, f"MATCH (a)-[r]->(b) {where} RETURN type(r) AS t, a.id AS a, b.id AS b, "
                           "properties(r) AS p", ids=ids)
    canon = sorted(json.dumps(x, sort_keys=True, default=str) for x in nodes + rels)
    return hashlib.sha256("\n".join(canon).encode()).hexdigest()


def expected_paper_count(G, key):
    return len({u for u, _, k in G.in_edges(f"concept:{key}", keys=True)
                if G.nodes[u]["label"] == "Paper" and k in ("PROPOSES", "USES", "EVALUATES_ON", "COMPARES_WITH", "MENTIONS")})


def test_load_matches_graph(neo4j_db, sample_graph):
    G = sample_graph()
    stats = load_graph(G, neo4j_db)
    assert (stats.nodes, stats.relationships) == (G.number_of_nodes(), G.number_of_edges())
    assert counts(neo4j_db) == (G.number_of_nodes(), G.number_of_edges())
    p1 = fetch(neo4j_db, "MATCH (p:Paper {id: 'p1'}) RETURN p")[0]["p"]
    assert p1["authors"] == ["A. One", "B; Two"] and p1["date"] == "2024-05-20"
    assert "label" not in p1 and "url" in p1
    p3 = fetch(neo4j_db, "MATCH (p:Paper {id: 'p3'}) RETURN p")[0]["p"]
    assert "date" not in p3 and "authors" not in p3  # None and [] are not stored
    assert p3["community"] == 2 and p3["pagerank"] == 0.25
    rel = fetch(neo4j_db, "MATCH (:Paper {id: 'p1'})-[r:PROPOSES]->(:Concept {id: 'bert'}) RETURN properties(r) AS r")[0]["r"]
    assert rel["rules"] == ["fixture"] and rel["evidence"] == "We propose BERT." and "type" not in rel
    by_type = {r["t"]: r["n"] for r in fetch(neo4j_db, "MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n")}
    assert by_type == {k: sum(1 for *_, kk in G.edges(keys=True) if kk == k) for _, _, k in G.edges(keys=True)}


def test_loading_twice_changes_nothing(neo4j_db, sample_graph):
    G = sample_graph()
    load_graph(G, neo4j_db)
    first = (counts(neo4j_db), checksum(neo4j_db))
    load_graph(G, neo4j_db, batch_size=2)
    assert (counts(neo4j_db), checksum(neo4j_db)) == first


def test_incremental_load_adds_only_new_and_recounts(neo4j_db, sample_graph):
    small, big = sample_graph(), sample_graph(extra=True)
    load_graph(small, neo4j_db)
    # A build of only the new paper: its concepts carry paper_count 1 from that build alone.
    new_only = big.subgraph(["paper:p4", "concept:bert", "concept:glue"]).copy()
    for key in ("bert", "glue"):
        new_only.nodes[f"concept:{key}"]["paper_count"] = 1
    load_graph(new_only, neo4j_db)
    assert counts(neo4j_db) == (big.number_of_nodes(), big.number_of_edges())
    got = {r["id"]: r["n"] for r in fetch(neo4j_db, "MATCH (c:Concept) RETURN c.id AS id, c.paper_count AS n")}
    assert got == {k: expected_paper_count(big, k) for k in got}
    assert got["bert"] == 3 and got["glue"] == 3
    fresh = checksum(neo4j_db)
    load_graph(big, neo4j_db, wipe_first=True)
    assert checksum(neo4j_db) == fresh  # incremental == loading the full build at once


NASTY = [
    "quote ' and \" double",
    "back`tick`) DETACH DELETE n //",
    "}) DETACH DELETE n //",
    "$param and $rows and {id: 1}",
    "line one\nline two /* comment */ // end",
    "MATCH (n) DETACH DELETE n;",
]


def test_hostile_strings_arrive_verbatim_and_change_nothing_else(neo4j_db, sample_graph):
    G = sample_graph()
    load_graph(G, neo4j_db)
    before, ids = counts(neo4j_db), [d["id"] for _, d in G.nodes(data=True)]
    untouched = checksum(neo4j_db, ids)
    H = nx.MultiDiGraph()
    H.add_node("concept:nasty", label="Concept", id="nasty}) //", name=NASTY[2], type="Method", aliases=NASTY)
    for i, text in enumerate(NASTY):
        pid = f"x{i}'`}}) //{text[:8]}"
        H.add_node(f"paper:{pid}", label="Paper", id=pid, title=text, abstract=text[::-1], authors=[text])
        H.add_edge(f"paper:{pid}", "concept:nasty", key="MENTIONS", type="MENTIONS", evidence=text)
    load_graph(H, neo4j_db)
    assert counts(neo4j_db) == (before[0] + len(NASTY) + 1, before[1] + len(NASTY))
    assert checksum(neo4j_db, ids) == untouched
    rows = fetch(neo4j_db, "MATCH (p:Paper)-[r:MENTIONS]->(c:Concept {id: 'nasty}) //'}) "
                           "RETURN p, r.evidence AS ev, c")
    got = {r["p"]["id"]: (r["p"]["title"], r["p"]["abstract"], r["p"]["authors"], r["ev"]) for r in rows}
    assert got == {f"x{i}'`}}) //{t[:8]}": (t, t[::-1], [t], t) for i, t in enumerate(NASTY)}
    assert rows[0]["c"]["aliases"] == NASTY and rows[0]["c"]["paper_count"] == len(NASTY)


def test_unknown_label_or_type_is_rejected_before_connecting(sample_graph):
    G = sample_graph()
    G.add_node("evil", label="Paper`) DETACH DELETE n //", id="e")
    with pytest.raises(InputError, match="has label"):
        load_graph(G, Neo4jSettings(uri="bolt://127.0.0.1:1"))
    G = sample_graph()
    G.add_edge("paper:p1", "paper:p2", key="KNOWS]->() DELETE n //")
    with pytest.raises(InputError, match="has type"):
        load_graph(G, Neo4jSettings(uri="bolt://127.0.0.1:1"))


def test_errors_are_one_line_exit_3_without_password(neo4j_db, sample_graph, tmp_path):
    write_graph_json(sample_graph(), tmp_path / "graph.json")
    secret = "not-the-password-7c1f"
    for uri in (neo4j_db.uri, "bolt://127.0.0.1:1"):
        res = CliRunner().invoke(cli, ["load", str(tmp_path), "--uri", uri, "--password", secret])
        assert res.exit_code == 3, res.output
        assert len(res.output.strip().splitlines()) == 1 and res.output.startswith("Error: ")
        assert secret not in res.output and "Traceback" not in res.output
    with pytest.raises(Neo4jError, match="rejected user"):
        load_graph(sample_graph(), Neo4jSettings(uri=neo4j_db.uri, password=secret))


def test_cli_load_then_same_counts_twice(neo4j_db, sample_graph, tmp_path):
    G = sample_graph(extra=True)
    write_graph_json(G, tmp_path / "graph.json")
    env = {"NEO4J_URI": neo4j_db.uri, "NEO4J_PASSWORD": neo4j_db.password or "", "NEO4J_DATABASE": neo4j_db.database}
    for _ in range(2):
        res = CliRunner().invoke(cli, ["load", str(tmp_path / "graph.json"), "--batch-size", "3"], env=env)
        assert res.exit_code == 0, res.output
        assert f"database now holds {G.number_of_nodes()} nodes and {G.number_of_edges()} relationships" in res.output
    assert counts(neo4j_db) == (G.number_of_nodes(), G.number_of_edges())


def big_graph(sample_graph, n):
    """The sample graph plus ``n`` papers that each mention two concepts (enough to interrupt a load)."""
    G = sample_graph()
    for i in range(n):
        G.add_node(f"paper:b{i}", label="Paper", id=f"b{i}", title=f"Paper {i}", abstract="x" * 50)
        for key in ("bert", "glue"):
            G.add_edge(f"paper:b{i}", f"concept:{key}", key="MENTIONS", type="MENTIONS", evidence=f"e{i}")
    return G


def test_killed_load_resumes_to_the_same_graph(neo4j_db, sample_graph, tmp_path):
    G = big_graph(sample_graph, 300)
    write_graph_json(G, tmp_path / "graph.json")
    load_graph(G, neo4j_db)
    reference = (counts(neo4j_db), checksum(neo4j_db))
    load_graph(sample_graph(), neo4j_db, wipe_first=True)  # start from a different, smaller state

    env = {**os.environ, "NEO4J_URI": neo4j_db.uri, "NEO4J_PASSWORD": neo4j_db.password or "",
           "NEO4J_DATABASE": neo4j_db.database}
    cmd = [sys.executable, "-m", "papergraph", "load", str(tmp_path), "--batch-size", "2"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    try:  # kill it once it has written some, but not all, relationships
        while counts(neo4j_db)[1] < 20 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    partial = counts(neo4j_db)
    assert partial[1] < reference[0][1], "the load finished before it could be interrupted"

    res = subprocess.run(cmd[:-2], env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert (counts(neo4j_db), checksum(neo4j_db)) == reference


def test_build_with_neo4j_loads_the_build(neo4j_db, examples_dir, tmp_path):
    env = {"NEO4J_URI": neo4j_db.uri, "NEO4J_PASSWORD": neo4j_db.password or "", "NEO4J_DATABASE": neo4j_db.database}
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["build", str(examples_dir), "-o", str(out), "--no-cache", "--neo4j"], env=env)
    assert res.exit_code == 0, res.output
    G = nx.node_link_graph(json.loads((out / "graph.json").read_text()), edges="edges", directed=True, multigraph=True)
    assert G.number_of_nodes() > 0 and counts(neo4j_db) == (G.number_of_nodes(), G.number_of_edges())
    assert f"database now holds {G.number_of_nodes()} nodes and {G.number_of_edges()} relationships" in res.output
    # A wrong password fails at once (exit 3, one line, no password), before anything is built.
    bad = tmp_path / "bad"
    res = CliRunner().invoke(cli, ["build", str(examples_dir), "-o", str(bad), "--neo4j", "--password", "wrong-pw-93f1"],
                             env={**env, "NEO4J_PASSWORD": None})
    assert res.exit_code == 3 and res.output.startswith("Error: ") and len(res.output.strip().splitlines()) == 1
    assert "wrong-pw-93f1" not in res.output and not (bad / "graph.json").exists()


def test_load_builds_the_fulltext_indexes_after_the_data(neo4j_db, sample_graph):
    """The loader leaves the full-text indexes out while writing and creates them at the end."""
    for name in ("paper_text", "concept_text"):
        fetch(neo4j_db, f"DROP INDEX {name} IF EXISTS")
    load_graph(sample_graph(), neo4j_db)
    states = {r["name"]: r["state"] for r in fetch(neo4j_db, "SHOW FULLTEXT INDEXES YIELD name, state")}
    assert states == {"paper_text": "ONLINE", "concept_text": "ONLINE"}
    hits = fetch(neo4j_db, "CALL db.index.fulltext.queryNodes('paper_text', 'propose') YIELD node RETURN node.id AS id")
    assert "p1" in {h["id"] for h in hits}


def test_relationship_batches_keep_each_start_node_whole_and_lock_ends_in_order():
    """A paper's relationships never straddle two batches; rows within a batch are sorted by (end, start),
    the order in which the batch locks its end nodes."""
    from papergraph.neo4j.batches import split

    rows = [{"start": f"p{i:02d}", "end": f"c{(7 * i + j) % 5}", "props": {"k": j}} for i in range(40) for j in range(3)]
    batches = list(split(rows, 10))
    assert sorted(repr(r) for b in batches for r in b) == sorted(repr(r) for r in rows)
    owner = {}
    for n, batch in enumerate(batches):
        assert 10 <= len(batch) <= 12 or (n == len(batches) - 1 and batch)
        assert [(r["end"], r["start"]) for r in batch] == sorted((r["end"], r["start"]) for r in batch)
        for r in batch:
            assert owner.setdefault(r["start"], n) == n, f"{r['start']} is in batches {owner[r['start']]} and {n}"
    nodes = [{"id": f"n{i}", "props": {}} for i in range(25)]
    assert list(split(nodes, 10)) == [nodes[:10], nodes[10:20], nodes[20:]]


def test_first_load_creates_what_merge_would(neo4j_db, sample_graph, monkeypatch):
    """A wiping load into an empty database CREATEs (nodes, then relationships by element id); the
    database is then the same as after MERGEing the same graph."""
    from papergraph.neo4j import loader

    G = sample_graph(extra=True)
    G.add_node("paper:bert", label="Paper", id="bert", title="A paper whose id is a concept's id")
    G.add_edge("paper:bert", "concept:bert", key="MENTIONS", type="MENTIONS", evidence="BERT", note="only here")
    G.add_edge("paper:bert", "paper:p1", key="SIMILAR_TO", type="SIMILAR_TO", score=0.5, extra=None)
    sent, run = [], loader.run_batches

    def spy(driver, database, jobs, *args):
        sent.extend(job.query for job in jobs)
        return run(driver, database, jobs, *args)

    monkeypatch.setattr(loader, "run_batches", spy)
    load_graph(G, neo4j_db, batch_size=2, wipe_first=True)
    sent[:] = [q for q in sent if "REMOVE c:" not in q]  # the type-label pass is the same on both paths
    assert sent and all("CREATE" in q and "MERGE" not in q for q in sent), sent
    created = (counts(neo4j_db), checksum(neo4j_db))

    sent.clear()
    fetch(neo4j_db, "MATCH (n) DETACH DELETE n")
    load_graph(G, neo4j_db, batch_size=2)  # empty too, but without wipe_first: other loads may run, MERGE
    sent[:] = [q for q in sent if "REMOVE c:" not in q]
    assert sent and all("MERGE" in q and "CREATE" not in q for q in sent), sent
    assert (counts(neo4j_db), checksum(neo4j_db)) == created
    rows = fetch(neo4j_db, "MATCH (:Paper {id: 'bert'})-[r]->(c) RETURN type(r) AS t, properties(r) AS p, c.id AS c")
    assert sorted(rows, key=str) == [{"t": "MENTIONS", "p": {"evidence": "BERT", "note": "only here"}, "c": "bert"},
                                     {"t": "SIMILAR_TO", "p": {"score": 0.5}, "c": "p1"}]


def test_a_retried_create_batch_changes_nothing(neo4j_db):
    """The driver retries a batch whose commit may have been lost; the fast path then runs MERGEs."""
    from papergraph.neo4j import queries

    nodes = [{"id": f"c{i}", "props": {"id": f"c{i}", "name": f"C {i}"}} for i in range(3)]
    def rels(eids):
        return [{"start": eids["c0"], "end": eids[f"c{i}"], "props": {"weight": i}} for i in (1, 2)]

    for query in (queries.create_nodes("Concept", ["id", "name"]), queries.merge_nodes_returning("Concept")):
        eids = dict(fetch(neo4j_db, query, rows=nodes)[0]["created"])
    for query in (queries.create_relationships("CO_OCCURS", ["weight"]),
                  queries.merge_relationships_by_element_id("CO_OCCURS")):
        assert fetch(neo4j_db, query, rows=rels(eids))[0]["merged"] == 2
    assert counts(neo4j_db) == (3, 2)
    got = fetch(neo4j_db, "MATCH (a)-[r:CO_OCCURS]->(b) RETURN a.id AS a, b.id AS b, properties(r) AS p ORDER BY b")
    assert got == [{"a": "c0", "b": "c1", "p": {"weight": 1}}, {"a": "c0", "b": "c2", "p": {"weight": 2}}]
