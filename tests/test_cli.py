"""The CLI end to end through click's CliRunner: build, extract, help, exit codes."""

import json
import re

import networkx as nx
import pytest
from click.testing import CliRunner
from test_gexf import read_gexf

from papergraph.cli import cli


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


@pytest.fixture(scope="module")
def example_build(tmp_path_factory, examples_dir):
    out = tmp_path_factory.mktemp("build")
    res = CliRunner().invoke(cli, ["build", str(examples_dir), "-o", str(out)])
    assert res.exit_code == 0, res.output
    return out, res.output


def test_build_summary_and_outputs(example_build, examples_dir):
    out, output = example_build
    lines = [l for f in examples_dir.glob("*.jsonl") for l in f.read_text().splitlines() if l.strip()]
    assert re.search(r"records read:\s+7\b", output), output  # 3 listing entries + 4 JSON lines
    assert re.search(r"duplicates merged:\s+1\b", output)
    assert re.search(r"papers:\s+6\b", output)
    assert len(lines) == 4
    for name in ("graph.gexf", "graph.json", "concepts.jsonl"):
        assert (out / name).stat().st_size > 0
    assert not list(out.glob(".*.tmp"))


def test_gexf_agrees_with_json(example_build):
    out, _ = example_build
    data = json.loads((out / "graph.json").read_text())
    G = read_gexf(out / "graph.gexf")  # a mixed graph (CO_OCCURS is undirected): networkx's own reader refuses it
    assert G.number_of_nodes() == len(data["nodes"])
    assert G.number_of_edges() == len(data["edges"])
    kinds = nx.get_node_attributes(G, "pg_label")
    assert sum(k == "Paper" for k in kinds.values()) == 6


def test_concepts_jsonl_mentions_point_into_text(example_build, examples_dir):
    out, _ = example_build
    papers = {}
    for line in (examples_dir / "papers-example.jsonl").read_text().splitlines():
        p = json.loads(line)
        papers[p["id"]] = p
    rows = [json.loads(l) for l in (out / "concepts.jsonl").read_text().splitlines()]
    assert len(rows) == 6
    checked = 0
    for row in rows:
        if row["id"] not in papers:
            continue
        for c in row["concepts"]:
            for m in c["mentions"]:
                assert papers[row["id"]][m["field"]][m["start"]:m["end"]] == m["text"]
                checked += 1
    assert checked > 10


def test_extract_gold_ids_and_format(tmp_path, dev_gold, runner):
    pred = tmp_path / "pred.jsonl"
    res = runner.invoke(cli, ["extract", str(dev_gold), "-o", str(pred), "-q"])
    assert res.exit_code == 0, res.output
    gold_ids = [json.loads(l)["id"] for l in dev_gold.read_text().splitlines() if l.strip()]
    rows = [json.loads(l) for l in pred.read_text().splitlines()]
    assert [r["id"] for r in rows] == gold_ids
    assert all({"name", "type", "aliases", "role", "mentions"} <= set(c) for r in rows for c in r["concepts"])


def test_missing_path_is_one_line_exit_1(runner, tmp_path):
    res = runner.invoke(cli, ["build", str(tmp_path / "nope.jsonl"), "-o", str(tmp_path / "o")])
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    err = res.output.strip().splitlines()
    assert len(err) == 1 and "nope.jsonl" in err[0]
    assert not (tmp_path / "o" / "graph.json").exists()


def test_malformed_json_line_named(runner, tmp_path):
    f = tmp_path / "bad.jsonl"
    f.write_text('{"title": "A", "abstract": "B c d."}\n{"title": oops\n', encoding="utf-8")
    res = runner.invoke(cli, ["build", str(f), "-o", str(tmp_path / "o")])
    assert res.exit_code == 1
    assert f"{f}:2:" in res.output
    res = runner.invoke(cli, ["build", str(f), "-o", str(tmp_path / "o"), "--skip-bad"])
    assert res.exit_code == 0, res.output
    assert re.search(r"records skipped:\s+1\b", res.output)


def test_usage_error_exit_2(runner):
    res = runner.invoke(cli, ["build"])
    assert res.exit_code == 2


def _commands(group, prefix=()):
    for name, cmd in group.commands.items():
        yield prefix + (name,), cmd
        if hasattr(cmd, "commands"):
            yield from _commands(cmd, prefix + (name,))


def test_every_command_has_help_and_is_in_readme(runner, repo_dir):
    readme = (repo_dir / "README.md").read_text()
    for path, cmd in _commands(cli):
        res = runner.invoke(cli, [*path, "--help"])
        assert res.exit_code == 0, path
        assert cmd.help, f"{' '.join(path)} has no help"
        assert f"papergraph {' '.join(path)}" in readme, f"`papergraph {' '.join(path)}` not in README"
