"""`papergraph update` end to end: three simulated days against the replay server and the real Neo4j."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from live_fixtures import DAYS, PAPERS
from replay_server import ReplayServer
from sync_helpers import differences
from neo4j_helpers import fetch
from papergraph.cli import cli
from papergraph.digest import make_digest
from papergraph.export.json import read_graph_json
from papergraph.trends import trends

pytestmark = pytest.mark.neo4j

CATEGORIES = sorted({c for p in PAPERS for c in p["categories"]})


def test_three_days_leave_neo4j_equal_to_the_last_build(neo4j_db, tmp_path, monkeypatch):
    field = tmp_path / "field"
    with ReplayServer(PAPERS) as server:
        monkeypatch.setenv("PAPERGRAPH_ARXIV_URL", server.url + "/arxiv")
        monkeypatch.setenv("PAPERGRAPH_HF_URL", server.url + "/hf")
        env = {"NEO4J_URI": neo4j_db.uri, "NEO4J_PASSWORD": neo4j_db.password or "",
               "NEO4J_DATABASE": neo4j_db.database}
        common = ["--delay", "0", "--backoff", "0", "--retries", "1", "--cache-dir", str(tmp_path / "cache"),
                  "--neo4j"]
        first = ["-s", "arxiv", "-s", "hf-daily", *(x for c in CATEGORIES for x in ("-c", c))]
        removed, papers, G = 0, [], None

        def day(d, *extra):
            res = CliRunner().invoke(cli, ["update", str(field), "--until", d, *common, *extra], env=env)
            return res

        for i, d in enumerate(DAYS):
            if i == 1:  # the second day's first try: Hugging Face keeps failing
                server.faults["/hf"] += ["503"] * 2
                res = day(d)
                assert res.exit_code == 6, res.output
                assert res.output.startswith("Error: ") and "HTTP 503" in res.output
                assert json.loads((field / "update.json").read_text())["last_until"] == DAYS[0]
                assert differences(neo4j_db, G) == []  # the database still holds the first day's build
            res = day(d, *(first if i == 0 else ()))
            assert res.exit_code == 0, res.output
            G = read_graph_json(field / "graph" / "graph.json")
            assert differences(neo4j_db, G) == [], f"day {d}"
            removed += sum(int(n) for n in re.findall(r"removed (\d+) stale", res.output))
            papers.append(sum(1 for _, a in G.nodes(data=True) if a.get("label") == "Paper"))
            assert json.loads((field / "update.json").read_text())["last_until"] == d

        assert papers == [sum(p["date"] <= d for p in PAPERS) for d in DAYS]
        assert removed > 0  # later builds dropped relationships of earlier ones, and the load removed them
        votes = fetch(neo4j_db, "MATCH (p:Paper) RETURN p.id AS id, p.upvotes AS v")
        assert {r["id"]: r["v"] for r in votes} == {p["id"]: p["upvotes"] for p in PAPERS}
        res = day(DAYS[2])
        assert res.exit_code == 0 and "up to date" in res.output

    dg = make_digest(G, since=DAYS[2])
    assert {p["id"] for p in dg.new_papers} == {p["id"] for p in PAPERS if p["date"] == DAYS[2]}
    assert "Pelican-13B" in {i.name for i in dg.introduced}
    assert dg.rising and all(t.type == "Method" and t.share_after > t.share_before for t in dg.rising)
    report = trends(G)  # dated papers: trends compares the last day with the two before
    assert report.periods == list(DAYS) and report.since == DAYS[2] and report.rising and report.new
    md = (field / "digest" / "digest.md").read_text()
    assert md.startswith(f"# papergraph digest: {DAYS[2]}") and "Pelican-13B" in md


def test_first_run_needs_sources_and_a_window(tmp_path):
    res = CliRunner().invoke(cli, ["update", str(tmp_path / "f"), "--until", DAYS[0]])
    assert res.exit_code == 2 and "no sources to follow" in res.output
    res = CliRunner().invoke(cli, ["update", str(tmp_path / "f"), "-s", "arxiv", "--since", DAYS[1],
                                   "--until", DAYS[0]])
    assert res.exit_code == 2 and "is after --until" in res.output
    assert not (tmp_path / "f" / "update.json").exists()


def test_two_runs_at_once_do_not_share_a_directory(tmp_path):
    import fcntl

    (tmp_path / "f").mkdir()
    with open(tmp_path / "f" / ".update.lock", "a+") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a run in progress
        res = CliRunner().invoke(cli, ["update", str(tmp_path / "f"), "-s", "arxiv", "--until", DAYS[0]])
    assert res.exit_code == 4 and "another papergraph update is running" in res.output
    assert not (tmp_path / "f" / "papers").exists()
