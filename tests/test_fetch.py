"""`papergraph fetch` against a local server replaying the arXiv API, OAI-PMH and HF daily papers formats."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from live_fixtures import DAYS, PAPERS
from replay_server import ReplayServer
from papergraph.cli import cli
from papergraph.fetch import ClientOptions
from papergraph.fetch.http import Client

FAST = ["--delay", "0", "--backoff", "0", "--retries", "2", "--timeout", "1", "-q"]


@pytest.fixture
def server():
    with ReplayServer(PAPERS) as s:
        yield s


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def read(path) -> list[dict]:
    return [json.loads(line) for line in open(path, encoding="utf-8")]


def expected(papers, *, day=None) -> list[dict]:
    """What the fixture papers must become: ids, titles, full dates, authors, categories."""
    return [{"id": p["id"], "title": p["title"], "date": day or p["date"], "authors": p["authors"],
             "categories": p["categories"]} for p in papers]


def core(records, *, categories=True) -> list[dict]:
    return [{"id": r["id"], "title": r["title"], "date": r["date"], "authors": r["authors"],
             **({"categories": r["categories"]} if categories else {})} for r in records]


def test_arxiv_pages_through_the_date_range(server, tmp_path):
    out = tmp_path / "a.jsonl"
    r = run("fetch", "arxiv", "-c", "cs.CL", "-c", "cs.LG", "--from", DAYS[0], "--until", DAYS[1],
            "--page-size", 2, "--base-url", server.url + "/arxiv", "--contact", "ops@example.org", "-o", out, *FAST)
    assert r.exit_code == 0, r.output
    want = sorted((p for p in PAPERS if p["date"] <= DAYS[1] and {"cs.CL", "cs.LG"} & set(p["categories"])),
                  key=lambda p: p["id"])
    recs = read(out)
    assert core(recs) == expected(want)
    assert all(r["url"] == f"http://arxiv.org/abs/{r['id']}v1" and r["source"] == "arxiv" for r in recs)
    assert all(len(r["abstract"]) > 40 and "\n" not in r["abstract"] for r in recs)
    starts = [int(q["start"]) for path, q in server.requests]
    assert starts == list(range(0, len(want), 2))
    query = server.requests[0][1]["search_query"]
    assert "submittedDate:[202503030000 TO 202503042359]" in query and "cat:cs.CL OR cat:cs.LG" in query
    assert all("ops@example.org" in ua and ua.startswith("papergraph/") for ua in server.agents)
    assert not (tmp_path / "a.jsonl.part").exists() and not (tmp_path / "a.jsonl.fetch.json").exists()


def test_arxiv_survives_503_429_timeout_truncated_and_empty_pages(server, tmp_path):
    out = tmp_path / "a.jsonl"
    server.faults["/arxiv"] += ["503", "ok", "429", "truncate", "ok", "empty", "slow"]
    r = run("fetch", "arxiv", "--from", DAYS[0], "--until", DAYS[2], "--page-size", 5,
            "--base-url", server.url + "/arxiv", "-o", out, *FAST[:-1], "--retries", "3")
    assert r.exit_code == 0, r.output
    assert core(read(out)) == expected(sorted(PAPERS, key=lambda p: p["id"]))
    assert len(server.requests) == 3 + 5  # three pages, five retried answers
    assert "fetched 12 papers from arxiv in 3 pages" in r.output


def test_failed_fetch_keeps_the_previous_file_and_resumes(server, tmp_path):
    out = tmp_path / "a.jsonl"
    out.write_text('{"previous": true}\n')
    server.faults["/arxiv"] += ["ok", "malformed", "malformed", "malformed"]
    args = ("fetch", "arxiv", "--from", DAYS[0], "--until", DAYS[2], "--page-size", 4,
            "--base-url", server.url + "/arxiv", "-o", out, *FAST)
    r = run(*args)
    assert r.exit_code == 6
    assert r.output.count("\n") == 1 and r.output.startswith("Error: ")
    assert "malformed XML" in r.output and "4 papers so far kept in" in r.output
    assert out.read_text() == '{"previous": true}\n'
    assert [x["id"] for x in read(tmp_path / "a.jsonl.part")] == sorted(p["id"] for p in PAPERS)[:4]
    before = len(server.requests)
    r = run(*args)
    assert r.exit_code == 0, r.output
    assert [int(q["start"]) for _, q in server.requests[before:]] == [4, 8]  # page one is not asked again
    assert core(read(out)) == expected(sorted(PAPERS, key=lambda p: p["id"]))


def test_resume_drops_a_page_written_after_the_last_saved_state(server, tmp_path):
    out = tmp_path / "a.jsonl"
    server.faults["/arxiv"] += ["ok"] + ["500"] * 3
    args = ("fetch", "arxiv", "--page-size", 6, "--base-url", server.url + "/arxiv", "-o", out, *FAST)
    assert run(*args).exit_code == 6
    part = tmp_path / "a.jsonl.part"
    with open(part, "a") as fh:  # a kill between appending a page and saving the state
        fh.write(json.dumps({"id": "2503.99999", "title": "x", "abstract": "y"}) + "\n{\"id\": \"2503.")
    assert run(*args).exit_code == 0
    assert [r["id"] for r in read(out)] == sorted(p["id"] for p in PAPERS)


def test_restart_ignores_the_state_of_another_request(server, tmp_path):
    out = tmp_path / "a.jsonl"
    server.faults["/arxiv"] += ["ok"] + ["503"] * 3
    base = ("fetch", "arxiv", "--page-size", 3, "--base-url", server.url + "/arxiv", "-o", out, *FAST)
    assert run(*base).exit_code == 6
    r = run(*base, "--from", DAYS[2])  # another request: starts over
    assert r.exit_code == 0
    assert [x["id"] for x in read(out)] == sorted(p["id"] for p in PAPERS if p["date"] == DAYS[2])


def test_unreachable_source_is_one_line_and_exit_6(tmp_path):
    with ReplayServer(PAPERS) as s:
        url = s.url
    r = run("fetch", "hf-daily", "--date", DAYS[0], "--base-url", url + "/hf", "-o", tmp_path / "h.jsonl", *FAST)
    assert r.exit_code == 6
    assert r.output.startswith("Error: ") and r.output.count("\n") == 1
    assert "cannot fetch" in r.output and "Traceback" not in r.output
    assert not (tmp_path / "h.jsonl").exists()


def test_http_error_after_retries_names_the_status(server, tmp_path):
    server.faults["/hf"] += ["503"] * 3
    r = run("fetch", "hf-daily", "--date", DAYS[0], "--base-url", server.url + "/hf", "-o", tmp_path / "h.jsonl",
            *FAST)
    assert r.exit_code == 6 and "HTTP 503" in r.output and "after 2 retries" in r.output


def test_oai_follows_resumption_tokens_and_drops_duplicates(server, tmp_path):
    out = tmp_path / "o.jsonl"
    r = run("fetch", "arxiv-oai", "--set", "cs", "--from", DAYS[1], "--until", DAYS[2],
            "--base-url", server.url + "/oai", "-o", out, *FAST[:-1])
    assert r.exit_code == 0, r.output
    want = sorted((p for p in PAPERS if p["date"] >= DAYS[1]), key=lambda p: p["id"])
    assert core(read(out)) == expected(want)
    first, *rest = [q for _, q in server.requests]
    assert first == {"verb": "ListRecords", "metadataPrefix": "arXiv", "set": "cs", "from": DAYS[1], "until": DAYS[2]}
    assert rest and all(set(q) == {"verb", "resumptionToken"} for q in rest)
    assert f"{len(rest)} duplicates dropped" in r.output  # each later page repeats one record


def test_oai_category_filter_and_no_records_match(server, tmp_path):
    out = tmp_path / "o.jsonl"
    r = run("fetch", "arxiv-oai", "-c", "cs.IR", "--base-url", server.url + "/oai", "-o", out, *FAST)
    assert r.exit_code == 0
    assert [x["id"] for x in read(out)] == sorted(p["id"] for p in PAPERS if "cs.IR" in p["categories"])
    r = run("fetch", "arxiv-oai", "--from", "2031-01-01", "--base-url", server.url + "/oai", "-o", out, *FAST)
    assert r.exit_code == 0 and out.read_text() == ""


def test_oai_malformed_xml_is_exit_6(server, tmp_path):
    server.faults["/oai"] += ["ok"] + ["malformed"] * 3
    r = run("fetch", "arxiv-oai", "--base-url", server.url + "/oai", "-o", tmp_path / "o.jsonl", *FAST)
    assert r.exit_code == 6 and "malformed XML" in r.output
    assert len(read(tmp_path / "o.jsonl.part")) == 2


def test_hf_daily_range_keeps_upvotes_and_listing_dates(server, tmp_path):
    out = tmp_path / "h.jsonl"
    r = run("fetch", "hf-daily", "--from", DAYS[0], "--until", DAYS[1], "--base-url", server.url + "/hf",
            "-o", out, *FAST[:-1])
    assert r.exit_code == 0, r.output
    recs = read(out)
    want = [p for d in DAYS[:2] for p in PAPERS if d in p["listed"]]
    seen, firsts = set(), []
    for p in want:  # a paper listed on both days counts on its first
        if p["id"] not in seen:
            seen.add(p["id"])
            firsts.append(p)
    assert [(x["id"], x["upvotes"], x["date"]) for x in recs] == [(p["id"], p["upvotes"], p["listed"][0])
                                                                    for p in firsts]
    assert "1 duplicates dropped" in r.output
    assert [q["date"] for _, q in server.requests] == list(DAYS[:2])


def test_hf_daily_malformed_json_is_exit_6(server, tmp_path):
    server.faults["/hf"] += ["malformed"] * 3
    r = run("fetch", "hf-daily", "--date", DAYS[0], "--base-url", server.url + "/hf", "-o", tmp_path / "h.jsonl",
            *FAST)
    assert r.exit_code == 6 and "malformed JSON" in r.output


def test_base_url_from_the_environment(server, tmp_path, monkeypatch):
    monkeypatch.setenv("PAPERGRAPH_HF_URL", server.url + "/hf")
    r = run("fetch", "hf-daily", "--date", DAYS[2], "-o", tmp_path / "h.jsonl", *FAST)
    assert r.exit_code == 0
    assert len(read(tmp_path / "h.jsonl")) == sum(DAYS[2] in p["listed"] for p in PAPERS)


def test_client_waits_the_politeness_delay_between_requests(server):
    waits = []
    with Client(ClientOptions(delay=3.0, retries=0), sleep=waits.append) as client:
        for _ in range(3):
            client.get(server.url + "/hf", {"date": DAYS[0]}, len)
    assert len(waits) == 2 and all(2.0 < w <= 3.0 for w in waits)


def test_a_killed_fetch_resumes_where_it_stopped(server, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "a.jsonl"
    server.slow_seconds = 60.0
    server.faults["/arxiv"] += ["ok", "slow"]  # page two hangs: the process is killed waiting for it
    cmd = [sys.executable, "-m", "papergraph", "fetch", "arxiv", "--page-size", "3", "--base-url",
           server.url + "/arxiv", "-o", str(out), "--delay", "0", "--timeout", "120", "-q"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    state = tmp_path / "a.jsonl.fetch.json"
    deadline = time.monotonic() + 120
    while not (state.exists() and len(server.requests) >= 2) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)  # polling for the saved first page, not synchronising on time
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert json.loads(state.read_text())["cursor"] == {"start": 3} and not out.exists()
    before = len(server.requests)
    assert run(*cmd[3:]).exit_code == 0
    assert [int(q["start"]) for _, q in server.requests[before:]] == [3, 6, 9]
    assert [r["id"] for r in read(out)] == sorted(p["id"] for p in PAPERS)


def test_upvotes_are_checked_like_every_field():
    from papergraph.ingest.records import BadRecord, make_paper

    rec = {"id": "2503.00001", "title": "t", "abstract": "a"}
    assert make_paper({**rec, "upvotes": 12}, "x:1").upvotes == 12
    assert make_paper({**rec, "upvotes": "7"}, "x:1").upvotes == 7  # CSV gives strings
    assert make_paper(rec, "x:1").upvotes is None
    for bad in (-1, "many", 1.5, True, [3]):
        with pytest.raises(BadRecord, match="upvotes"):
            make_paper({**rec, "upvotes": bad}, "x:1")


def test_an_expired_resumption_token_says_to_restart(server, tmp_path):
    out = tmp_path / "o.jsonl"
    args = ("fetch", "arxiv-oai", "--base-url", server.url + "/oai", "-o", out, *FAST)
    server.faults["/oai"] += ["ok"] + ["503"] * 3
    assert run(*args).exit_code == 6
    state = tmp_path / "o.jsonl.fetch.json"
    saved = json.loads(state.read_text())
    state.write_text(json.dumps({**saved, "cursor": {"token": "no-longer-valid", "seen": 2}}))
    r = run(*args)
    assert r.exit_code == 6 and "badResumptionToken" in r.output and "--restart" in r.output
    assert run(*args, "--restart").exit_code == 0
    assert [x["id"] for x in read(out)] == sorted(p["id"] for p in PAPERS)


def test_openalex_adds_citations_and_venues_to_fetched_papers(server, tmp_path):
    src, out = tmp_path / "a.jsonl", tmp_path / "cited.jsonl"
    assert run("fetch", "arxiv", "--base-url", server.url + "/arxiv", "-o", src, *FAST).exit_code == 0
    with open(src, "a") as fh:  # a paper without an arXiv id is copied unchanged
        fh.write(json.dumps({"id": "local-1", "title": "Local", "abstract": "Not on arXiv."}) + "\n")
    server.faults["/openalex"] += ["ok", "503"]
    r = run("fetch", "openalex", "--ids-from", src, "--base-url", server.url + "/openalex", "-o", out,
            "--page-size", 5, "--contact", "ops@example.org", *FAST)
    assert r.exit_code == 0, r.output
    got = {x["id"]: (x.get("citations"), x.get("venue")) for x in read(out)}
    want = {p["id"]: (2 * p["upvotes"] if p["upvotes"] > 1 else None,
                      "Journal of Invented Results" if p["upvotes"] >= 20 else None) for p in PAPERS}
    assert got == {**want, "local-1": (None, None)}
    assert [r["title"] for r in read(out)] == [r["title"] for r in read(src)]
    asked = [q for path, q in server.requests if path == "/openalex"]
    assert len(asked) == 3 + 1 and all(q.get("mailto") == "ops@example.org" for q in asked)  # a 503 retried
    r = run("fetch", "openalex", "-o", out, *FAST)
    assert r.exit_code == 2 and "--ids-from" in r.output


def test_fetched_properties_reach_the_graph(tmp_path):
    from papergraph.export.json import read_graph_json

    recs = [{"id": "2503.00001", "title": "Quill tuning", "abstract": "We propose quill tuning.", "date": "2025-03-03",
             "upvotes": 4, "citations": 9, "venue": "Journal of Invented Results", "authors": ["A B"],
             "categories": ["cs.CL"], "url": "https://arxiv.org/abs/2503.00001"},
            {"id": "2503.00001", "title": "Quill tuning", "abstract": "We propose quill tuning.", "upvotes": 6},
            {"id": "2503.00002", "title": "Tern", "abstract": "Another invented paper."}]
    (tmp_path / "p.jsonl").write_text("".join(json.dumps(r) + "\n" for r in recs))
    r = run("build", tmp_path / "p.jsonl", "-o", tmp_path / "out", "--no-analytics", "--no-cache", "-q")
    assert r.exit_code == 0, r.output
    G = read_graph_json(tmp_path / "out" / "graph.json")
    a, b = G.nodes["paper:2503.00001"], G.nodes["paper:2503.00002"]
    assert (a["upvotes"], a["citations"], a["venue"], a["date"]) == (6, 9, "Journal of Invented Results", "2025-03-03")
    assert not {"upvotes", "citations", "venue"} & set(b)


def test_default_delays_are_the_sources_politeness():
    from papergraph.cli_fetch import options_from

    assert [options_from(s, None, 4, 2.0, 30.0, None).delay for s in ("arxiv", "arxiv-oai", "hf-daily", "openalex")] \
        == [3.0, 3.0, 1.0, 0.2]
    assert options_from("arxiv", 0.0, 4, 2.0, 30.0, None).delay == 0.0
