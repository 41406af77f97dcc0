"""`papergraph view` without a browser: the page is self-contained, its JSON is safe and complete."""

import base64
import hashlib
import html
import json
import re

import networkx as nx
from click.testing import CliRunner

from papergraph import analysis
from papergraph.cli import cli
from papergraph.view import map_data, render_map

HOSTILE = "</script><script>alert(1)</script><!-- \u2028\u2029 & <img src=x onerror=alert(2)>"


def page_parts(page: str) -> tuple[dict, list[str], str]:
    """(embedded data, inline scripts, CSP) of a rendered page."""
    m = re.search(r'<script type="application/json" id="pg-data">(.*?)</script>', page, re.S)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    csp = html.unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)[1])
    return json.loads(m[1]), scripts, csp


def test_page_is_self_contained(sample_graph):
    G = sample_graph(extra=True)
    analysis.add_analytics(G)
    page = render_map(G, title="t")
    data, scripts, csp = page_parts(page)
    assert data == json.loads(json.dumps(map_data(G, title="t")))
    assert len(scripts) == 4  # our renderer (two parts), its overview inset and the page logic
    assert not re.search(r"""\b(src|href)\s*=\s*["']?(https?:)?//""", page, re.I)
    assert "vis-network" not in page and "import(" not in page
    for code in scripts:
        digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "connect-src" not in csp


def test_map_data_matches_graph(sample_graph):
    G = sample_graph(extra=True)
    analysis.add_analytics(G)
    data = map_data(G)
    concepts = [n for n, d in G.nodes(data=True) if d["label"] == "Concept"]
    assert len(data["concepts"]) == len(concepts)
    by_id = {c["id"]: c for c in data["concepts"]}
    bert = by_id["bert"]
    assert bert["aliases"] == ["Bidirectional Encoder Representations"] and bert["type"] == "Model"
    assert (bert["x"], bert["y"]) == (G.nodes["concept:bert"]["viz"]["position"]["x"],
                                      -G.nodes["concept:bert"]["viz"]["position"]["y"])
    titles = {data["papers"][i]["title"]: (role, ev) for i, role, ev in bert["named"]}
    assert titles == {"BERT: Pre-training": ("PROPOSES", "We propose BERT."),
                      "RoBERTa": ("USES", "We use BERT"), "DistilBERT": ("COMPARES_WITH", "smaller BERT")}
    names = [c["name"] for c in data["concepts"]]
    pairs = {frozenset((names[l["a"]], names[l["b"]])) for l in data["links"]}
    assert frozenset(("BERT", "GLUE")) in pairs and frozenset(("masked language modeling",
                                                               "natural language understanding")) in pairs
    assert len(pairs) == len(data["links"])  # one link per concept pair


def test_hostile_strings_cannot_leave_the_json_block(sample_graph):
    G = sample_graph()
    G.nodes["paper:p1"]["title"] = HOSTILE
    G.nodes["paper:p1"]["url"] = "javascript:alert(3)"
    G.nodes["concept:bert"]["name"] = HOSTILE
    G.nodes["concept:bert"]["aliases"] = [HOSTILE]
    page = render_map(G, title=HOSTILE)
    data, scripts, _ = page_parts(page)
    assert page.count("<script") == 5 and page.count("</script>") == 5
    block = re.search(r'id="pg-data">(.*?)</script>', page, re.S)[1]
    assert not set("<>&\u2028\u2029") & set(block)  # all written as \\uXXXX escapes
    assert "<img" not in page and "<!--" not in page.split("<body>")[1]
    assert "<title>&lt;/script&gt;" in page
    bert = next(c for c in data["concepts"] if c["id"] == "bert")
    assert bert["name"] == HOSTILE and bert["aliases"] == [HOSTILE]  # kept intact for textContent
    assert data["papers"][next(i for i, p in enumerate(data["papers"]) if p["title"] == HOSTILE)]["url"] == ""


def test_view_command_writes_one_file(tmp_path, sample_graph):
    from papergraph.export.json import write_graph_json

    G = sample_graph()
    analysis.add_analytics(G)
    write_graph_json(G, tmp_path / "graph.json")
    res = CliRunner().invoke(cli, ["view", str(tmp_path)])
    assert res.exit_code == 0, res.output
    assert res.output.strip() == f"wrote {tmp_path / 'map.html'}"
    data, _, _ = page_parts((tmp_path / "map.html").read_text(encoding="utf-8"))
    assert data["title"] == f"papergraph: {tmp_path.name}"
    assert len(data["concepts"]) == 5
    res = CliRunner().invoke(cli, ["view", str(tmp_path / "missing")])
    assert res.exit_code == 1 and "graph.json" in res.output


def test_empty_graph_renders():
    page = render_map(nx.MultiDiGraph())
    data, _, _ = page_parts(page)
    assert data["concepts"] == [] and data["links"] == []


def test_concepts_come_by_importance_and_every_one_has_a_colour_group(sample_graph):
    G = sample_graph(extra=True)
    analysis.add_analytics(G)
    # a concept named by one paper only has no CO_OCCURS edge, so Louvain leaves it out (-1)
    lone = [n for n, d in G.nodes(data=True) if d["label"] == "Concept" and d["community"] == -1]
    assert lone
    data = map_data(G)
    key = [(-c["papers"], -G.nodes["concept:" + c["id"]]["pagerank"]) for c in data["concepts"]]
    assert key == sorted(key)
    groups = data["groups"]
    assert groups[-1]["community"] == -1 and groups[-1]["label"].startswith("other")
    assert all(0 <= c["group"] < len(groups) for c in data["concepts"])
    assert sum(g["size"] for g in groups) == len(data["concepts"])
    assert len({g["color"] for g in groups}) == len(groups)
    # a lone concept takes the community its papers' other concepts are in
    by_id = {c["id"]: c for c in data["concepts"]}
    for n in lone:
        papers = [p for p in G.predecessors(n) if G.nodes[p]["label"] == "Paper"]
        placed = {G.nodes[m]["community"] for p in papers for m in G.successors(p)
                  if G.nodes[m]["label"] == "Concept" and G.nodes[m]["community"] >= 0}
        if len(placed) == 1:
            assert by_id[G.nodes[n]["id"]]["community"] == placed.pop()


def test_small_communities_are_grouped_as_other(sample_graph):
    from papergraph.view.groups import COMMUNITY_COLORS, MIN_SIZE, OTHER_COLOR, colour_groups

    G = sample_graph()
    n_big = len(COMMUNITY_COLORS) + 2  # two more big communities than colours
    G.graph["communities"] = [{"id": i, "label": f"c{i}"} for i in range(n_big + 5)]
    community = {f"b{i}:{k}": i for i in range(n_big) for k in range(MIN_SIZE + n_big - i)}
    community.update({f"s{i}": n_big + i for i in range(5)})  # five communities of one
    community["lone"] = -1
    groups, group_of = colour_groups(G, community)
    assert [g["community"] for g in groups[:-1]] == list(range(len(COMMUNITY_COLORS)))  # largest first
    assert [g["label"] for g in groups[:2]] == ["c0", "c1"]
    assert [g["color"] for g in groups[:-1]] == list(COMMUNITY_COLORS)
    other = groups[-1]
    assert other["community"] == -1 and other["color"] == OTHER_COLOR and other["label"].startswith("other")
    assert other["size"] == 5 + 1 + (MIN_SIZE + 1) + (MIN_SIZE + 2)  # singles, lone, two smallest big ones
    assert {c for c, g in group_of.items() if g == len(groups) - 1} == (
        {f"s{i}" for i in range(5)} | {"lone"} | {c for c, com in community.items() if com in (n_big - 1, n_big - 2)})


def test_papers_carry_their_id(sample_graph):
    G = sample_graph()
    analysis.add_analytics(G)
    data = map_data(G)
    ids = {str(d["id"]) for n, d in G.nodes(data=True) if d["label"] == "Paper"}
    assert {p["id"] for p in data["papers"]} == ids
