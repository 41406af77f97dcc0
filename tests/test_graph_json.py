"""graph.json: the streamed writer gives exactly networkx's node-link JSON, and reads back."""

import json

import networkx as nx
import pytest

from papergraph.export.json import read_graph_json, write_graph_json


def many(sample_graph) -> nx.MultiDiGraph:
    """The sample graph plus enough nodes and edges to span several write chunks."""
    G = sample_graph(extra=True)
    for i in range(130):
        G.add_node(f"concept:x{i}", label="Concept", name=f"X \"{i}\" é\n", type="Method", paper_count=i,
                   aliases=[f"x{i}"], vote={"Method": 1.5})
        G.add_edge("paper:p1", f"concept:x{i}", key="USES", type="USES", confidence=i / 7, rules=["name"])
        G.add_edge(f"concept:x{i}", "concept:bert", key="CO_OCCURS", type="CO_OCCURS", weight=i, npmi=None)
    return G


@pytest.mark.parametrize("size", ["empty", "sample", "many"])
def test_graph_json_is_node_link_json(sample_graph, tmp_path, size):
    G = {"empty": nx.MultiDiGraph, "sample": lambda: sample_graph(), "many": lambda: many(sample_graph)}[size]()
    G.graph["name"] = "g"
    write_graph_json(G, tmp_path / "graph.json")
    expected = json.dumps(nx.node_link_data(G, edges="edges"), ensure_ascii=False)
    assert (tmp_path / "graph.json").read_text(encoding="utf-8") == expected
    H = read_graph_json(tmp_path / "graph.json")
    assert list(H.edges(keys=True, data=True)) == list(G.edges(keys=True, data=True))
    # node-link JSON keeps the node in "id", so a node attribute "id" (a paper's own id) does not come back
    assert list(H.nodes(data=True)) == [(n, {k: v for k, v in d.items() if k != "id"}) for n, d in G.nodes(data=True)]


def test_streamed_build_writes_the_graph_of_the_in_memory_path(shared_corpus, tmp_path):
    """`build` streams extractions (concepts.jsonl as they come, reduced copies for the graph);
    its files equal what the all-in-memory API path gives for the same papers."""
    from papergraph.api import build, build_outputs, extract, resolve_extractions
    from papergraph.export.concepts import write_extractions

    cache = tmp_path / "cache"
    summary = build_outputs([shared_corpus], tmp_path / "out", use_cache=True, cache_dir=cache, min_confidence=0.3)
    G = build([shared_corpus], use_cache=True, cache_dir=cache, min_confidence=0.3)
    write_graph_json(G, tmp_path / "api.json")
    assert (tmp_path / "out" / "graph.json").read_bytes() == (tmp_path / "api.json").read_bytes()
    report, exs = extract([shared_corpus], use_cache=True, cache_dir=cache, min_confidence=0.3, corpus_vote=False)
    by_id = {p.id: p for p in report.papers}
    with open(tmp_path / "api.jsonl", "w", encoding="utf-8") as fh:
        write_extractions(fh, [(by_id[e.paper_id], e) for e in exs], resolve_extractions(exs))  # with concept_id
    assert (tmp_path / "out" / "concepts.jsonl").read_bytes() == (tmp_path / "api.jsonl").read_bytes()
    assert summary.papers == len(report.papers) and sum(summary.edges_by_type.values()) == G.number_of_edges()
