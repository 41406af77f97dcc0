"""graph.gexf: Gephi-ready attributes, colours, sizes, positions and timeline starts."""

import math
import defusedxml.ElementTree as ET
import networkx as nx
import pytest
from networkx.readwrite.gexf import GEXFReader

from papergraph import analysis
from papergraph.export.gexf import TYPE_COLORS, write_gexf
from papergraph.export.json import read_graph_json
from papergraph.model import CONCEPT_TYPES

NS = {"g": "http://www.gexf.net/1.2draft"}


class MixedReader(GEXFReader):
    """networkx's GEXF reader, which refuses a mixed graph: each edge's ``type`` becomes its ``direction``."""

    def add_edge(self, G, edge_element, edge_attr):
        direction = edge_element.attrib.pop("type", "directed")
        super().add_edge(G, edge_element, edge_attr)
        G.edges[edge_element.get("source"), edge_element.get("target"), edge_element.get("id")]["direction"] = direction


def read_gexf(path) -> nx.MultiDiGraph:
    """A GEXF file read with networkx (:class:`MixedReader`), as a MultiDiGraph."""
    return nx.MultiDiGraph(MixedReader(version="1.2draft")(path))


def pairs(G) -> dict:
    """Unordered node pair -> the relationship types between them."""
    out = {}
    for u, v, k in G.edges(keys=True):
        out.setdefault(frozenset((u, v)), set()).add(k)
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
    H = read_gexf(path)
    assert H.number_of_nodes() == G.number_of_nodes()
    assert H.number_of_edges() == len(pairs(G)) < G.number_of_edges()  # bert-glue: EVALUATED_ON and CO_OCCURS
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
    assert {pair: {H.edges[e]["rel"], *H.edges[e].get("also", "").split("; ")} - {""}
            for e in H.edges(keys=True) for pair in [frozenset(e[:2])]} == pairs(G)


def test_edges_undirected_co_occurrence_one_weight_meaning_no_parallel_edges(sample_graph, tmp_path):
    G = sample_graph(extra=True)
    G.add_edge("concept:mlm", "concept:accuracy", key="CO_OCCURS", type="CO_OCCURS", weight=3, npmi=0.25)
    write_gexf(G, tmp_path / "g.gexf")
    H = read_gexf(tmp_path / "g.gexf")
    edges = {(u, v, d["rel"]): d for u, v, d in H.edges(data=True)}
    assert len(pairs(H)) == H.number_of_edges()  # one edge per node pair
    co = edges["concept:mlm", "concept:accuracy", "CO_OCCURS"]
    assert co["direction"] == "undirected" and co["weight"] == 0.25 and co["cooccurrence"] == 3 and co["npmi"] == 0.25
    # bert-glue has a stated EVALUATED_ON and a CO_OCCURS: one directed edge carrying both.
    ev = edges["concept:bert", "concept:glue", "EVALUATED_ON"]
    assert ev["direction"] == "directed" and ev["also"] == "CO_OCCURS"
    assert ev["weight"] == 0.7 and (ev["cooccurrence"], ev["npmi"]) == (2, 0.5)  # weight: its confidence
    assert edges["paper:p1", "paper:p2", "SIMILAR_TO"]["weight"] == 0.42  # the similarity score
    assert edges["paper:p1", "concept:bert", "PROPOSES"]["weight"] == 0.8  # the confidence
    assert edges["result:p1:0", "concept:glue", "ON"]["weight"] == 1.0  # no score: 1
    assert {d["direction"] for *_, d in H.edges(data=True) if d["rel"] != "CO_OCCURS"} == {"directed"}
    assert all(0 < d["weight"] <= 1 for *_, d in H.edges(data=True))


def test_build_and_export_gexf_write_the_same_file(examples_dir, tmp_path):
    from click.testing import CliRunner

    from papergraph.api import build_outputs
    from papergraph.cli import cli

    build_outputs([str(examples_dir)], tmp_path / "out", use_cache=False)
    res = CliRunner().invoke(cli, ["export", "gexf", str(tmp_path / "out"), "-o", str(tmp_path / "again.gexf")])
    assert res.exit_code == 0, res.output
    built = (tmp_path / "out" / "graph.gexf").read_bytes()
    assert built == (tmp_path / "again.gexf").read_bytes()
    H = read_gexf(tmp_path / "again.gexf")
    assert all(d["pg_id"] == n.split(":", 1)[1] for n, d in H.nodes(data=True))


def test_starts_for_timeline(sample_graph, tmp_path):
    G = sample_graph(extra=True)
    path = tmp_path / "g.gexf"
    write_gexf(G, path)
    H = read_gexf(path)
    assert H.nodes["paper:p1"]["start"] == "2024-05-20"
    assert H.nodes["paper:p4"]["start"] == "2024-05-22"
    assert "start" not in H.nodes["paper:p3"]  # no date
    assert H.nodes["concept:bert"]["start"] == "2024-05-20"  # earliest of p1, p2, p4
    assert H.nodes["concept:mlm"]["start"] == "2024-05-21"  # only p2
    assert H.nodes["result:p1:0"]["start"] == "2024-05-20"
    graph = ET.parse(path).getroot().find("g:graph", NS)
    assert graph.get("mode") == "dynamic" and graph.get("timeformat") == "date"


def test_yearless_dates_have_no_start_unless_a_year_is_given(sample_graph, tmp_path):
    G = sample_graph()
    G.nodes["paper:p1"]["date"] = "--05-20"
    G.nodes["paper:p2"]["date"] = "not a date"
    G.add_node("paper:leap", label="Paper", id="leap", title="Leap", date="--02-29")
    write_gexf(G, tmp_path / "a.gexf")
    write_gexf(G, tmp_path / "b.gexf", undated_year=2024)
    write_gexf(G, tmp_path / "c.gexf", undated_year=2023)
    a = read_gexf(tmp_path / "a.gexf")
    assert not [n for n, d in a.nodes(data=True) if "start" in d]  # no year anywhere: no invented dates
    assert a.nodes["paper:p1"]["date"] == "--05-20"  # the original text is kept
    b = read_gexf(tmp_path / "b.gexf")
    assert b.nodes["paper:p1"]["start"] == "2024-05-20"
    assert b.nodes["concept:bert"]["start"] == "2024-05-20"  # named by p1 (and undated p2)
    assert b.nodes["paper:leap"]["start"] == "2024-02-29"
    assert "start" not in b.nodes["paper:p2"]
    assert b.nodes["paper:p2"]["date"] == "not a date"
    assert "start" not in read_gexf(tmp_path / "c.gexf").nodes["paper:leap"]  # 2023 has no 29 Feb


def test_xml_illegal_characters_are_stripped(sample_graph, tmp_path):
    G = sample_graph()
    G.nodes["paper:p1"]["title"] = "BERT\x00 pre\x07training\x1b[0m \ufffe<&>\"'"
    G.nodes["paper:p1"]["abstract"] = "tab\tnewline\ncr\r ok \x0bvt \ud800lone"
    G.nodes["concept:bert"]["aliases"] = ["B\x0cERT", "bert\x1f"]
    G.nodes["concept:bert"]["name"] = "BE\x01RT"
    G.add_node("paper:odd\x02id", label="Paper", id="odd\x02id", title="Odd")
    G.add_edge("paper:odd\x02id", "concept:bert", key="USES", type="USES", evidence="uses \x03BERT")
    path = tmp_path / "g.gexf"
    write_gexf(G, path)
    raw = path.read_bytes().decode("utf-8")
    assert not any(ch in raw for ch in "\x00\x01\x02\x03\x07\x0b\x0c\x1b\x1f\ufffe")
    H = read_gexf(path)  # a strict XML parser: fails on any illegal character
    assert H.nodes["paper:p1"]["label"] == "BERT pretraining[0m <&>\"'"
    assert H.nodes["paper:p1"]["abstract"] == "tab\tnewline\ncr\r ok vt lone"
    assert H.nodes["concept:bert"]["label"] == "BERT"
    assert H.nodes["concept:bert"]["aliases"] == "BERT; bert"
    odd = "paper:odd\\x02id"  # the id is kept distinct, escaped
    assert odd in H and H.nodes[odd]["label"] == "Odd"
    assert [d["evidence"] for _, _, d in H.out_edges(odd, data=True)] == ["uses BERT"]
    assert H.number_of_nodes() == G.number_of_nodes() and H.number_of_edges() == len(pairs(G))


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
    H = read_gexf(path)
    assert H.nodes["concept:bert"]["score_x"] == 1.0 and H.nodes["concept:mlm"]["mixed"] == "3"
    assert "None" not in {v for _, d in H.nodes(data=True) for v in d.values() if isinstance(v, str)}
    assert "url" not in H.nodes["paper:p2"]  # None dropped, not written as "None"


def test_corpus_gexf_matches_graph_json(shared_build):
    out = shared_build
    G = read_graph_json(out / "graph.json")
    H = read_gexf(out / "graph.gexf")
    assert (H.number_of_nodes(), H.number_of_edges()) == (G.number_of_nodes(), len(pairs(G)))
    assert len(pairs(H)) == H.number_of_edges()  # no parallel edges
    rels = sorted(r for *_, d in H.edges(data=True) for r in [d["rel"], *d.get("also", "").split("; ")] if r)
    assert rels == sorted(k for _, _, k in G.edges(keys=True))
    concepts = [n for n, d in G.nodes(data=True) if d["label"] == "Concept"]
    assert concepts
    for n in concepts:
        h, d = H.nodes[n], G.nodes[n]
        assert h["type"] == d["type"] in CONCEPT_TYPES
        assert h["community"] == d["community"]
        assert h["paper_count"] == d["paper_count"]
        assert math.isclose(h["viz"]["position"]["x"], d["viz"]["position"]["x"], abs_tol=1e-6)
        assert math.isclose(h["viz"]["position"]["y"], d["viz"]["position"]["y"], abs_tol=1e-6)
    by_count = sorted((G.nodes[n]["paper_count"], H.nodes[n]["viz"]["size"]) for n in concepts)
    assert [s for _, s in by_count] == sorted(s for _, s in by_count)  # size grows with paper count
    for n, d in G.nodes(data=True):
        assert "position" in H.nodes[n]["viz"]
        if d["label"] == "Paper" and d.get("date"):
            if d["date"].startswith("--"):  # a listing date without a year
                assert "start" not in H.nodes[n]
            else:
                assert len(H.nodes[n]["start"]) == 10  # a full YYYY-MM-DD date
    co = {(u, v): d for u, v, k, d in G.edges(keys=True, data=True) if k == "CO_OCCURS"}
    seen = 0
    for u, v, d in H.edges(data=True):
        if d["rel"] == "CO_OCCURS":
            seen += 1
            assert d["direction"] == "undirected" and d["cooccurrence"] == co[u, v]["weight"]
            assert d["weight"] == d["npmi"] == co[u, v]["npmi"]
        else:
            assert d["direction"] == "directed"
    assert seen > 0.9 * len(co)  # all but those folded into a stated relationship of the same pair
    assert all(0 < d["weight"] <= 1 for *_, d in H.edges(data=True))  # one scale, not counts beside scores
    declared_attributes(out / "graph.gexf")


def test_palette_covers_every_type_and_is_in_readme(repo_dir):
    readme = (repo_dir / "README.md").read_text()
    for t in list(CONCEPT_TYPES) + ["Paper", "Result"]:
        r, g, b = TYPE_COLORS[t]
        assert f"| {t} | `#{r:02x}{g:02x}{b:02x}` |" in readme, f"{t}'s colour not documented in README"
    assert len(set(TYPE_COLORS.values())) == len(TYPE_COLORS)


def test_export_gexf_command_with_year(sample_graph, tmp_path):
    from click.testing import CliRunner

    from papergraph.cli import cli
    from papergraph.export.json import write_graph_json

    G = sample_graph()
    G.nodes["paper:p1"]["date"] = "--05-20"
    write_graph_json(G, tmp_path / "graph.json")
    res = CliRunner().invoke(cli, ["export", "gexf", str(tmp_path), "--year", "2025"])
    assert res.exit_code == 0, res.output
    H = read_gexf(tmp_path / "graph.gexf")
    assert H.nodes["paper:p1"]["start"] == "2025-05-20" and H.nodes["paper:p2"]["start"] == "2024-05-21"
    res = CliRunner().invoke(cli, ["export", "gexf", str(tmp_path), "-o", str(tmp_path / "plain.gexf")])
    assert res.exit_code == 0 and "start" not in read_gexf(tmp_path / "plain.gexf").nodes["paper:p1"]


def hostile_graph(sample_graph) -> nx.MultiDiGraph:
    """The sample graph plus every kind of value the GEXF writer has to clean."""
    G = sample_graph(extra=True)
    analysis.add_analytics(G)
    nan, inf = float("nan"), float("inf")
    G.add_node("paper:a&\"<b>", label="Paper", id="a", title="T\x00i\"t&l<e>\n\r\t\ud800\ufffe\x7f", date="2024-01-02",
               authors=["x\x01", 3, None], score_x=1, mixed=3, flag=True, boolint=True, nanonly=nan, late=nan,
               d={"b": [1, 2], "a": "q\"&\n"}, tup=("a", "b"), none=None, start=5, char_start=7,
               **{"we\x03ird": "k", "x\x7fy": "del\x7fchar"})
    G.add_node("paper:odd\x02id", label="Paper", title="Odd", date="--05-20", score_x=2.5, mixed="three",
               flag=False, boolint=4, late=1.5, pagerank=inf)
    G.add_node("concept:nan-type", label="Concept", name=None, text="txt", type=nan, paper_count=0)
    G.add_node(42, label="Result", value=1, text="r")
    G.nodes["concept:glue"]["flag"] = True
    G.add_edge("paper:a&\"<b>", "concept:bert", key="USES", type="USES", evidence="e\"v&\x03", confidence=0.9,
               rules=["name", "gaz"], start=1, end=4, field="title")
    G.add_edge("paper:a&\"<b>", "concept:bert", key="US\x01ES&", weight=nan, type="X", npmi=nan)
    G.add_edge("paper:odd\x02id", "concept:nan-type", key="SIM", score=0.5, shared=2, type=7)
    G.add_edge("concept:bert", "concept:glue", key=5, confidence=1, id="own", label="lab", weight="heavy")
    G.add_edge("concept:bert", 42, key="K", evidence="a", weight=True, score=inf, rel="dup", flag=True)
    G.add_edge("concept:bert", 42, key="K2", flag=1, ival=1, start=3, char_start=9, sep="has\x7fsep")
    return G


def test_writer_matches_networkx_on_hostile_values(sample_graph, tmp_path):
    from papergraph.export.gexf import gexf_graph

    G = hostile_graph(sample_graph)
    write_gexf(G, tmp_path / "ours.gexf", undated_year=2024)
    nx.write_gexf(gexf_graph(G, undated_year=2024), tmp_path / "nx.gexf")  # the straightforward writer
    ours, ref = read_gexf(tmp_path / "ours.gexf"), read_gexf(tmp_path / "nx.gexf")
    assert list(ours.nodes(data=True)) == list(ref.nodes(data=True))
    assert list(ours.edges(keys=True, data=True)) == list(ref.edges(keys=True, data=True))
    declared = declared_attributes(tmp_path / "nx.gexf")
    del declared["edge", "networkx_key"]  # networkx's own record of multigraph keys
    for cls in ("node", "edge"):  # same types, declared in the same order (of first appearance)
        assert [(k, t) for k, t in declared_attributes(tmp_path / "ours.gexf").items() if k[0] == cls] == [
            (k, t) for k, t in declared.items() if k[0] == cls]
    root = ET.parse(tmp_path / "ours.gexf").getroot()
    node_attrs = root.find("g:graph/g:attributes[@class='node']", NS)
    booleans = {a.get("id") for a in node_attrs.findall("g:attribute", NS) if a.get("type") == "boolean"}
    assert {v.get("value") for n in root.iter("{%s}node" % NS["g"]) for v in n.iter("{%s}attvalue" % NS["g"])
            if v.get("for") in booleans} == {"true", "false"}  # GEXF booleans are lower case
    a = ours.nodes['paper:a&"<b>']
    assert a["label"] == "Ti\"t&l<e>\n\r\t\x7f" and a["authors"] == "x; 3; None" and a["flag"] is True
    assert a["score_x"] == 1.0 and a["mixed"] == "3" and a["boolint"] == "True" and "nanonly" not in a
    assert ours.nodes["concept:nan-type"]["type"] == "nan" and ours.nodes["concept:nan-type"]["label"] == "txt"
    assert ours.nodes["paper:odd\\x02id"]["start"] == "2024-05-20"
