"""`papergraph digest`: what is new in a period of a hand-built graph, as Markdown and HTML."""

from __future__ import annotations

import re

import networkx as nx
from click.testing import CliRunner

from papergraph.cli import cli
from papergraph.digest import make_digest
from papergraph.export.digest import digest_html, digest_markdown
from papergraph.export.json import write_graph_json

OLD, NEW = "2025-01-01", "2025-01-02"


def graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()

    def paper(pid, date, title, **kw):
        G.add_node(f"paper:{pid}", label="Paper", id=pid, title=title, abstract="a", date=date, **kw)

    def concept(key, ctype):
        G.add_node(f"concept:{key}", label="Concept", id=key, name=key, type=ctype)

    def link(pid, key, rtype):
        G.add_edge(f"paper:{pid}", f"concept:{key}", key=rtype, type=rtype)

    def result(pid, n, value, subject, bench, metric="acc", kind="absolute"):
        rn = f"result:{pid}:{n}"
        G.add_node(rn, label="Result", id=f"{pid}:{n}", value=value, unit="%", kind=kind)
        G.add_edge(f"paper:{pid}", rn, key="REPORTS", type="REPORTS")
        for rel, key in (("ON", bench), ("OF", subject), ("MEASURED_BY", metric)):
            G.add_edge(rn, f"concept:{key}", key=rel, type=rel)

    for key, ctype in (("ModelA", "Model"), ("ModelB", "Model"), ("BenchX", "Benchmark"), ("BenchY", "Benchmark"),
                       ("BenchZ", "Benchmark"), ("MethodM", "Method"), ("MethodQ", "Method"), ("acc", "Metric")):
        concept(key, ctype)
    paper("e1", OLD, "Early one")
    paper("e2", OLD, "Early two")
    paper("n1", NEW, "New <script>alert(1)</script> | one", url="https://example.org/n1", upvotes=7)
    paper("n2", NEW, "New two")
    paper("u", None, "Undated")
    link("e1", "ModelA", "PROPOSES")
    link("e1", "BenchX", "EVALUATES_ON")
    link("e1", "MethodM", "USES")
    link("e2", "MethodQ", "USES")
    result("e1", 0, 50.0, "ModelA", "BenchX")
    link("n1", "ModelB", "PROPOSES")
    link("n1", "BenchY", "PROPOSES")
    link("n1", "MethodM", "USES")
    link("n2", "ModelA", "PROPOSES")  # proposed before: not new
    link("n2", "MethodM", "USES")
    link("n2", "MethodQ", "MENTIONS")
    result("n1", 0, 60.0, "ModelB", "BenchX")
    result("n1", 1, 3.0, "ModelB", "BenchX", kind="relative")  # not a leaderboard entry
    result("n2", 0, 10.0, "ModelA", "BenchZ")  # BenchZ is named by no earlier paper: not known
    G.add_edge("paper:e1", "paper:n1", key="SIMILAR_TO", type="SIMILAR_TO", score=0.5)
    G.add_edge("paper:n1", "paper:n2", key="SIMILAR_TO", type="SIMILAR_TO", score=0.9)
    G.add_edge("paper:e2", "paper:n1", key="SIMILAR_TO", type="SIMILAR_TO", score=0.2)
    return G


def test_digest_of_the_new_day():
    dg = make_digest(graph(), since=NEW)
    assert [p["id"] for p in dg.new_papers] == ["n1", "n2"]  # by upvotes
    assert dg.earlier_papers == 2
    assert [(i.name, i.type, [pid for pid, _ in i.papers]) for i in dg.introduced] == [
        ("ModelB", "Model", ["n1"]), ("BenchY", "Benchmark", ["n1"])]
    assert [(t.name, t.share_before, t.share_after) for t in dg.rising] == [("MethodM", 0.5, 1.0)]
    assert list(dg.leaderboards) == ["BenchX"]
    assert [(r.subject, r.value, r.new) for r in dg.leaderboards["BenchX"]] == [("ModelB", 60.0, True),
                                                                               ("ModelA", 50.0, False)]
    assert [(s.paper_id, s.score) for s in dg.similar["n1"]] == [("e1", 0.5), ("e2", 0.2)]
    assert dg.similar["n2"] == []


def test_default_period_is_the_latest_day_and_since_moves_it():
    assert make_digest(graph()).since == NEW
    dg = make_digest(graph(), since=OLD)
    assert len(dg.new_papers) == 4 and dg.earlier_papers == 0 and dg.rising == []


def test_rendering_escapes_titles():
    dg = make_digest(graph(), since=NEW)
    page = digest_html(dg)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "Content-Security-Policy" in page and "<script" not in page and "src=" not in page
    assert set(re.findall(r"https?://[^\"' ]+", page)) == {"https://example.org/n1"}  # the new paper's links only
    md = digest_markdown(dg)
    assert "\\<script\\>" in md and "\\| one" in md
    assert "| new | ModelB | acc | 60% |" in md


def test_cli_writes_markdown_and_html(tmp_path):
    write_graph_json(graph(), tmp_path / "graph.json")
    res = CliRunner().invoke(cli, ["digest", str(tmp_path), "--since", NEW, "-o", str(tmp_path / "d")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "d" / "digest.md").read_text().startswith(f"# papergraph digest: {NEW}")
    assert (tmp_path / "d" / "digest.html").read_text().startswith("<!doctype html>")
    res = CliRunner().invoke(cli, ["digest", str(tmp_path), "--since", "May"])
    assert res.exit_code == 2 and res.output.startswith("Error: ")
