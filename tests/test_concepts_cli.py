"""`papergraph concepts ...` and the curation file through real builds: applied on every rebuild,
a split that survives rebuilds, concept_id = graph node, suspects."""

import json

import pytest
from click.testing import CliRunner

from papergraph.cli import cli
from papergraph.export.json import read_graph_json
from papergraph.resolve import Curation

PAPERS = [
    {"id": "a1", "title": "Scaling reasoning with GRPO",
     "abstract": "We train Qwen2.5-Math-7B with Group Relative Policy Optimization (GRPO) and evaluate on "
                 "AIME 2024 and GSM8K, reporting accuracy."},
    {"id": "a2", "title": "Better math with less compute",
     "abstract": "We fine-tune Llama-3-8B with GRPO and report accuracy on AIME24 and MATH500. "
                 "Bayesian inference is used for calibration."},
    {"id": "a3", "title": "Bayesian inference for test-time scaling",
     "abstract": "We study inference-time scaling of large language models (LLMs) with Bayesian inference on GSM8K."},
]


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PAPERGRAPH_CURATION", raising=False)
    (tmp_path / "papers.jsonl").write_text("".join(json.dumps(p) + "\n" for p in PAPERS))
    return tmp_path


def run(*args):
    res = CliRunner().invoke(cli, [str(a) for a in args])
    assert res.exit_code == 0, res.output
    return res


def concepts(outdir):
    """name -> node attributes of the Concept nodes of a build."""
    G = read_graph_json(outdir / "graph.json")
    return {d["name"]: {**d, "id": n.split(":", 1)[1]} for n, d in G.nodes(data=True) if d.get("label") == "Concept"}


def node_of(outdir, alias):
    return next(d["id"] for d in concepts(outdir).values() if alias == d["name"] or alias in d.get("aliases", []))


def test_extract_concept_ids_are_the_build_nodes(work):
    run("build", "papers.jsonl", "-o", "out", "-q", "--no-cache")
    run("extract", "papers.jsonl", "-o", "pred.jsonl", "-q")
    ids = {d["id"] for d in concepts(work / "out").values()}
    for path in (work / "pred.jsonl", work / "out" / "concepts.jsonl"):
        rows = [json.loads(line) for line in path.read_text().splitlines()]
        got = {(r["id"], c["name"]): c["concept_id"] for r in rows for c in r["concepts"]}
        assert got and set(got.values()) <= ids, path
        assert got[("a1", "AIME 2024")] == got[("a2", "AIME24")]  # year format: one node
        assert got[("a1", "Group Relative Policy Optimization")] == got[("a2", "GRPO")]  # defined acronym
    assert not list((work / "out").glob(".concepts*"))  # the staged partial file never lands


def test_curation_commands_write_a_file_every_build_applies(work):
    run("build", "papers.jsonl", "-o", "out", "-q")
    assert node_of(work / "out", "AIME24") == node_of(work / "out", "AIME 2024")
    run("concepts", "split", "AIME 2024", "--alias", "AIME24")
    run("concepts", "merge", "GSM8K", "MATH500")
    run("concepts", "rename", "Bayesian inference", "Bayesian inference (BI)")
    res = run("concepts", "never", "test-time scaling", "inference-time scaling")
    assert "curation.toml: added [[never]]" in res.output
    cur = Curation.parse((work / "curation.toml").read_text())
    assert (cur.splits, cur.merges, len(cur)) == ([("AIME 2024", "AIME24")], [("GSM8K", "MATH500")], 4)

    for _ in range(2):  # the build after the edits, and a rebuild from the cache: same decisions
        run("build", "papers.jsonl", "-o", "out", "-q")
        out = work / "out"
        assert node_of(out, "AIME24") != node_of(out, "AIME 2024")  # the split survives rebuilds
        assert node_of(out, "GSM8K") == node_of(out, "MATH500")
        assert "Bayesian inference (BI)" in concepts(out)
        assert node_of(out, "test-time scaling") != node_of(out, "inference-time scaling")
        gsm = concepts(out)[next(n for n, d in concepts(out).items() if d["id"] == node_of(out, "GSM8K"))]
        assert any(r.startswith("curation: merge") for r in gsm["merge_reasons"])
    run("build", "papers.jsonl", "-o", "plain", "-q", "--no-curation")
    assert node_of(work / "plain", "AIME24") == node_of(work / "plain", "AIME 2024")


def test_curation_file_option_and_bad_file(work):
    (work / "mine.toml").write_text('[[merge]]\nnames = ["GSM8K", "MATH500"]\n')
    run("extract", "papers.jsonl", "-o", "pred.jsonl", "-q", "--curation", "mine.toml")
    rows = {r["id"]: r for r in map(json.loads, (work / "pred.jsonl").read_text().splitlines())}
    ids = {c["name"]: c["concept_id"] for r in rows.values() for c in r["concepts"]}
    assert ids["GSM8K"] == ids["MATH500"]
    (work / "bad.toml").write_text("[[merge]]\nnames = 3\n")
    res = CliRunner().invoke(cli, ["build", "papers.jsonl", "-o", "out", "-q", "--curation", "bad.toml"])
    assert res.exit_code == 1 and res.output.count("\n") == 1 and "bad.toml" in res.output
    res = CliRunner().invoke(cli, ["concepts", "merge", "only-one"])
    assert res.exit_code == 2


def test_kb_properties_in_graph_json_and_gexf(work):
    run("build", "papers.jsonl", "-o", "out", "-q")
    gsm = concepts(work / "out")["GSM8K"]
    assert gsm["kb_id"] and gsm["kb_source"] and gsm["url"].startswith("http")
    gexf = (work / "out" / "graph.gexf").read_text()
    assert 'title="kb_id"' in gexf and gsm["kb_id"] in gexf
    run("build", "papers.jsonl", "-o", "nokb", "-q", "--no-kb")
    assert "kb_id" not in concepts(work / "nokb")["GSM8K"]


def test_suspects_lists_aliases_on_several_nodes(work):
    run("build", "papers.jsonl", "-o", "out", "-q")
    G = read_graph_json(work / "out" / "graph.json")
    a, b = [n for n, d in G.nodes(data=True) if d.get("name") in ("GSM8K", "MATH500")]
    G.nodes[b]["aliases"] = list(G.nodes[b].get("aliases", [])) + ["GSM8K"]
    G.nodes[a]["aliases"] = ["model"]
    from papergraph.export.json import write_graph_json

    write_graph_json(G, work / "out" / "graph.json")
    res = run("concepts", "suspects", "out")
    assert "alias on several nodes: GSM8K | MATH500: 'GSM8K' (acronym)" in res.output
    assert "generic alias: GSM8K: 'model'" in res.output
    lines = run("concepts", "suspects", "out", "--json").output.splitlines()
    assert {json.loads(x)["kind"] for x in lines} >= {"alias on several nodes", "generic alias"}
