"""graph.gexf: Gephi-ready attributes, colours, sizes, positions and timeline starts."""

import math
from pathlib import Path

import defusedxml.ElementTree as ET
import networkx as nx
import pytest

from papergraph import analysis
from papergraph.export.gexf import TYPE_COLORS, write_gexf
from papergraph.export.json import read_graph_json
from papergraph.model import CONCEPT_TYPES

NS = {"g": "http://www.gexf.net/1.2draft"}


def corpus_build(tmp_path_factory, shared_corpus) -> Path:
    """The shared corpus built once per test session (the same directory for every test module)."""
    from papergraph.api import build_outputs

    out = tmp_path_factory.getbasetemp() / "pg-corpus-build"
    if not (out / "graph.json").exists():
        build_outputs([shared_corpus], out)
    return out


def declared_attributes(path) -> dict[tuple[str, str], str]:
    """(class, title) -> GEXF type of every declared attribute; fails on a title declared twice."""
    root = ET.parse(path).getroot()
    out = {}
    for attrs in root.iter("{%s}attributes" % NS["g"]):
        for a in attrs.findall("g:attribute", NS):
            key = (attrs.get("class"), a.get("title"))
            assert key not in out, f"{key} declared twice"
            out[key] = a.get("type")
    return out


def test_sample_graph_round_trip(sample_graph, tmp_path):
    G = sample_graph(extra=True)
    analysis.add_analytics(G)
    path = tmp_path / "g.gexf"
    write_gexf(G, path)
    H = nx.read_gexf(path)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == G.number_of_edges()
    for n, d in G.nodes(data=True):
        h = H.nodes[n]
        assert h["viz"]["position"]["x"] == pytest.approx(d["viz"]["position"]["x"])
        assert h["viz"]["position"]["y"] == pytest.approx(d["viz"]["position"]["y"])
        assert h["pg_label"] == d["label"]
        if d["label"] == "Concept":
            assert h["type"] == d["type"] and h["label"] == d["name"]
            assert h["community"] == d["community"] and isinstance(h["community"], int)
            rgb = TYPE_COLORS[d["type"]]
            assert (h["viz"]["color"]["r"], h["viz"]["color"]["g"], h["viz"]["color"]["b"]) == rgb
            assert h["aliases"] == "; ".join(d["aliases"])
        else:
            assert h["type"] == d["label"]
    assert H.nodes["concept:bert"]["viz"]["size"] > H.nodes["concept:nlu"]["viz"]["size"]  # 3 papers vs 0
    weights = {d["rel"]: d["weight"] for _, _, d in H.edges(data=True)}
    co = [d for _, _, k, d in G.edges(keys=True, data=True) if k == "CO_OCCURS"]
    assert co and weights["CO_OCCURS"] in {float(d["weight"]) for d in co}
    assert weights["USES"] == 1.0


def test_starts_for_timeline(sample_graph, tmp_path):
    G = sample_graph(extra=True)
    path = tmp_path / "g.gexf"
    write_gexf(G, path)
    H = nx.read_gexf(path)
    assert H.nodes["paper:p1"]["start"] == "2024-05-20"
    assert H.nodes["paper:p4"]["start"] == "2024-05-22"
    assert "start" not in H.nodes["paper:p3"]  # no date
    assert H.nodes["concept:bert"]["start"] == "2024-05-20"  # earliest of p1, p2, p4
    assert H.nodes["concept:mlm"]["start"] == "2024-05-21"  # only p2
    assert H.nodes["result:p1:0"]["start"] == "2024-05-20"
    graph = ET.parse(path).getroot().find("g:graph", NS)
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"


def test_yearless_dates_get_placeholder_year(sample_graph, tmp_path):
    G = sample_graph()
    G.nodes["paper:p1"]["date"] = "--05-20"
    G.nodes["paper:p2"]["date"] = "not a date"
    write_gexf(G, tmp_path / "a.gexf")
    write_gexf(G, tmp_path / "b.gexf", undated_year=2024)
    assert nx.read_gexf(tmp_path / "a.gexf").nodes["paper:p1"]["start"] == "2000-05-20"
    b = nx.read_gexf(tmp_path / "b.gexf")
    assert b.nodes["paper:p1"]["start"] == "2024-05-20"
    assert "start" not in b.nodes["paper:p2"]
    assert b.nodes["paper:p2"]["date"] == "not a date"


def test_one_type_per_attribute_and_no_none(sample_graph, tmp_path):
    G = sample_graph()
    G.nodes["concept:bert"]["score_x"] = 1
    G.nodes["concept:glue"]["score_x"] = 2.5  # int + float -> double
    G.nodes["concept:mlm"]["mixed"] = 3
    G.nodes["concept:nlu"]["mixed"] = "three"  # int + str -> string
    G.nodes["concept:accuracy"]["bad"] = float("nan")
    path = tmp_path / "g.gexf"
    write_gexf(G, path)
    types = declared_attributes(path)
    assert types["node", "score_x"] == "double"
    assert types["node", "mixed"] == "string"
    assert ("node", "bad") not in types
    H = nx.read_gexf(path)
    assert H.nodes["concept:bert"]["score_x"] == 1.0 and H.nodes["concept:mlm"]["mixed"] == "3"
    assert "None" not in {v for _, d in H.nodes(data=True) for v in d.values() if isinstance(v, str)}
    assert "url" not in H.nodes["paper:p2"]  # None dropped, not written as "None"


def test_corpus_gexf_matches_graph_json(tmp_path_factory, shared_corpus):
    out = corpus_build(tmp_path_factory, shared_corpus)
    G = read_graph_json(out / "graph.json")
    H = nx.read_gexf(out / "graph.gexf")
    assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), G.number_of_edges())
    edge_rels = sorted(d["rel"] for _, _, d in H.edges(data=True))
    assert edge_rels == sorted(k for _, _, k in G.edges(keys=True))
    concepts = [n for n, d in G.nodes(data=True) if d["label"] == "Concept"]
    assert concepts
    for n in concepts:
        h, d = H.nodes[n], G.nodes[n]
        assert h["type"] == d["type"] in CONCEPT_TYPES
        assert h["community"] == d["community"]
        assert h["paper_count"] == d["paper_count"]
        assert math.isclose(h["viz"]["position"]["x"], d["viz"]["position"]["x"], abs_tol=1e-6)
        assert math.isclose(h["viz"]["position"]["y"], d["viz"]["position"]["y"], abs_tol=1e-6)
    for n, d in G.nodes(data=True):
        assert "position" in H.nodes[n]["viz"]
        if d["label"] == "Paper" and d.get("date"):
            assert len(H.nodes[n]["start"]) == 10  # a full YYYY-MM-DD date
    declared_attributes(out / "graph.gexf")
