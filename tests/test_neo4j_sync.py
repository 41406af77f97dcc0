"""A load without --wipe leaves Neo4j equal to the build, over growing and changing builds."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from papergraph.cli import cli
from papergraph.export.json import write_graph_json
from papergraph.neo4j.loader import load_graph

from neo4j_helpers import counts
from sync_helpers import differences

pytestmark = pytest.mark.neo4j


def changed(G):
    """``G`` as a later build may make it: neighbours, co-occurrence and a result gone, a property dropped,
    a paper gone, a concept renamed away, new links."""
    H = G.copy()
    H.remove_edge("paper:p1", "paper:p2", key="SIMILAR_TO")
    H.add_edge("paper:p2", "paper:p3", key="SIMILAR_TO", type="SIMILAR_TO", score=0.3)
    H.remove_edge("concept:bert", "concept:glue", key="CO_OCCURS")
    H.remove_node("result:p1:0")
    del H.nodes["paper:p1"]["url"]
    H.nodes["concept:bert"]["aliases"] = []
    H.edges["paper:p2", "concept:bert", "USES"].pop("evidence")
    H.remove_node("concept:nlu")
    H.add_node("concept:mlm2", label="Concept", id="mlm2", name="masked modeling", type="Method", confidence=0.5)
    H.add_edge("concept:mlm", "concept:mlm2", key="VARIANT_OF", type="VARIANT_OF")
    if "paper:p4" in H:
        H.remove_node("paper:p4")
    return H


def test_growing_and_changing_builds_leave_the_database_equal_to_each(neo4j_db, sample_graph):
    small, big = sample_graph(), sample_graph(extra=True)
    sequence = [small, big, changed(big), big, changed(small), small]
    for i, G in enumerate(sequence):
        stats = load_graph(G, neo4j_db, sync=True, batch_size=3)
        assert differences(neo4j_db, G) == [], f"after build {i}"
        assert (stats.db_nodes, stats.db_relationships) == (G.number_of_nodes(), G.number_of_edges())
    assert "removed" in stats.format()


def test_sync_leaves_other_labels_alone(neo4j_db, sample_graph):
    from neo4j_helpers import fetch

    fetch(neo4j_db, "CREATE (:Note {id: 'p1', text: 'mine'})")
    fetch(neo4j_db, "CREATE (:Note {id: 'n2'})")
    load_graph(sample_graph(extra=True), neo4j_db, sync=True)
    fetch(neo4j_db, "MATCH (n:Note {id: 'n2'}), (p:Paper {id: 'p1'}) CREATE (n)-[:ABOUT]->(p)")
    load_graph(changed(sample_graph()), neo4j_db, sync=True)
    notes = fetch(neo4j_db, "MATCH (n:Note) OPTIONAL MATCH (n)-[r:ABOUT]->() RETURN n.id AS id, count(r) AS r")
    assert sorted((r["id"], r["r"]) for r in notes) == [("n2", 1), ("p1", 0)]


def test_cli_load_removes_stale_relationships_and_add_only_keeps_them(neo4j_db, sample_graph, tmp_path):
    env = {"NEO4J_URI": neo4j_db.uri, "NEO4J_PASSWORD": neo4j_db.password or "", "NEO4J_DATABASE": neo4j_db.database}
    big, later = sample_graph(extra=True), changed(sample_graph(extra=True))
    for name, G in (("big", big), ("later", later)):
        (tmp_path / name).mkdir()
        write_graph_json(G, tmp_path / name / "graph.json")
    assert CliRunner().invoke(cli, ["load", str(tmp_path / "big"), "-q"], env=env).exit_code == 0
    res = CliRunner().invoke(cli, ["load", str(tmp_path / "later"), "--add-only", "-q"], env=env)
    assert res.exit_code == 0, res.output
    assert counts(neo4j_db)[1] > later.number_of_edges()  # add-only kept what `later` dropped
    res = CliRunner().invoke(cli, ["load", str(tmp_path / "later")], env=env)
    assert res.exit_code == 0, res.output
    assert "removed" in res.output and "SIMILAR_TO" in res.output
    assert differences(neo4j_db, later) == []


def test_build_with_neo4j_over_a_bigger_earlier_build_leaves_the_database_equal(neo4j_db, tmp_path):
    import json

    from live_fixtures import PAPERS
    from papergraph.export.json import read_graph_json

    env = {"NEO4J_URI": neo4j_db.uri, "NEO4J_PASSWORD": neo4j_db.password or "", "NEO4J_DATABASE": neo4j_db.database}
    for name, papers in (("all", PAPERS), ("half", PAPERS[::2])):
        (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps(p) + "\n" for p in papers))
    for name in ("all", "half"):
        res = CliRunner().invoke(cli, ["build", str(tmp_path / f"{name}.jsonl"), "-o", str(tmp_path / name), "--neo4j",
                                       "--cache-dir", str(tmp_path / "cache")], env=env)
        assert res.exit_code == 0, res.output
        assert differences(neo4j_db, read_graph_json(tmp_path / name / "graph.json")) == [], name
    assert "removed" in res.output and "Paper" in res.output
