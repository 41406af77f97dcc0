"""The leaderboard query on a graph built from hand-written abstracts, in the real local Neo4j:
rows carry model, metric, value, unit, paper and evidence, best first by the metric's direction."""

import pytest

from papergraph.graph import build_graph
from papergraph.model import Paper
from papergraph.neo4j.library import get_query
from papergraph.neo4j.loader import load_graph, run_query
from papergraph.nlp import extract_papers, load_pipeline

pytestmark = [pytest.mark.neo4j]

PAPERS = [
    Paper("a", "ZorbNet", "We propose ZorbNet. ZorbNet achieves 81.5% accuracy on QuillBench, with a word error "
                          "rate of 9.1%."),
    Paper("b", "PlimModel", "We introduce PlimModel. On QuillBench, PlimModel reaches an accuracy of 62.0% and a "
                            "word error rate of 14.3%."),
    Paper("c", "GlimNet", "We present GlimNet. GlimNet attains 90.2% accuracy on QuillBench, while its word error "
                          "rate is 11.7%."),
]


@pytest.fixture(scope="module")
def graph():
    return build_graph(PAPERS, list(extract_papers(PAPERS, load_pipeline())))


def test_leaderboard_rows_are_best_first_per_metric(neo4j_db, graph):
    load_graph(graph, neo4j_db)
    keys, rows = run_query(neo4j_db, get_query("leaderboard"), {"benchmark": "quillbench", "limit": 100})
    assert {"model", "metric", "value", "unit", "paper", "evidence"} <= set(keys)
    board = {}
    for r in rows:
        assert r["unit"] == "%" and f"{r['value']}%" in r["evidence"]
        assert r["evidence"] in next(p.abstract for p in PAPERS if p.id == r["paper"])
        board.setdefault(r["metric"], []).append((r["model"], r["value"]))
    # what the abstracts say, best first: accuracy higher is better, an error rate lower
    assert board == {"accuracy": [("GlimNet", 90.2), ("ZorbNet", 81.5), ("PlimModel", 62.0)],
                     "word error rate": [("ZorbNet", 9.1), ("GlimNet", 11.7), ("PlimModel", 14.3)]}
    assert [r["metric"] for r in rows] == sorted(r["metric"] for r in rows)  # one block per metric


def test_leaderboard_of_an_unknown_benchmark_is_empty(neo4j_db, graph):
    load_graph(graph, neo4j_db)
    assert run_query(neo4j_db, get_query("leaderboard"), {"benchmark": "no such bench", "limit": 10})[1] == []
