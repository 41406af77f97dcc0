"""`papergraph trends` on a small dated corpus written here, and the date/period helpers."""

import json
from collections import Counter, defaultdict

import networkx as nx
import pytest
from click.testing import CliRunner

from papergraph.cli import cli
from papergraph.trends import full_date, parse_date, period_of, trends

# May: BERT-era papers; June: LoRA spreads (1 of 4 -> 3 of 4 papers) and GSM8K appears (3 papers).
PAPERS = [
    ("a1", "2024-05-02", "Sentiment analysis with BERT", "We fine-tune BERT for sentiment analysis and evaluate on SST-2."),
    ("a2", "2024-05-03", "Distilling BERT", "We distill BERT into a smaller student and evaluate on GLUE."),
    ("a3", "2024-05-10", "LoRA adapters for BERT", "We apply LoRA to BERT and evaluate on GLUE."),
    ("a4", "2024-05-20", "Prompting GPT-4 for translation", "We prompt GPT-4 for machine translation and report BLEU."),
    ("b1", "2024-06-01", "LoRA for math reasoning", "We fine-tune Llama 2 with LoRA and evaluate on GSM8K."),
    ("b2", "2024-06-02", "Cheap math tuning with LoRA", "LoRA fine-tuning of Mistral 7B improves accuracy on GSM8K."),
    ("b3", "2024-06-05", "Self-consistency on GSM8K", "We sample GPT-4 answers with self-consistency and evaluate on GSM8K."),
    ("b4", "2024-06-09", "LoRA for code", "We apply LoRA to Code Llama and evaluate on HumanEval."),
    ("u1", None, "An undated note on BERT", "We probe BERT."),
]


@pytest.fixture(scope="module")
def dated_build(tmp_path_factory):
    d = tmp_path_factory.mktemp("dated")
    lines = [json.dumps({"id": i, "title": t, "abstract": a, **({"date": day} if day else {})})
             for i, day, t, a in PAPERS]
    (d / "papers.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["build", str(d / "papers.jsonl"), "-o", str(d / "out"), "-q"])
    assert res.exit_code == 0, res.output
    return d / "out"


def run(*args) -> str:
    res = CliRunner().invoke(cli, ["trends", *map(str, args)])
    assert res.exit_code == 0, res.output
    return res.output


def listed(output: str, heading: str) -> list[str]:
    """Concept names listed under the block whose first line starts with ``heading``."""
    lines = output.splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith(heading))
    names = []
    for line in lines[start + 1:]:
        if not line.startswith("  ") or line.strip() == "(none)":
            break
        names.append(line.rsplit(" (", 1)[0].split("  ")[-1].strip())
    return names


def expected_from_json(out, recent: set[str], min_papers: int = 2) -> tuple[set[str], set[str]]:
    """(new, rising) concept names worked out from graph.json alone; ``recent`` = recent paper ids."""
    raw = json.loads((out / "graph.json").read_text(encoding="utf-8"))
    nodes = {n["id"]: n for n in raw["nodes"]}
    dated = {n["id"] for n in raw["nodes"] if n["label"] == "Paper" and n.get("date")}
    named = defaultdict(set)
    for e in raw["edges"]:
        if e["source"] in dated and nodes[e["target"]]["label"] == "Concept":
            named[e["target"]].add(e["source"])
    is_recent = {p: nodes[p]["id"].split(":", 1)[1] in recent for p in dated}
    n_after = sum(is_recent.values())
    n_before = len(dated) - n_after
    new, rising = set(), set()
    for c, ps in named.items():
        after = sum(is_recent[p] for p in ps)
        before = len(ps) - after
        if after < min_papers:
            continue
        if before == 0:
            new.add(nodes[c]["name"])
        elif after / n_after > before / n_before:
            rising.add(nodes[c]["name"])
    return new, rising


def test_monthly_trends_new_and_rising(dated_build):
    out = run(dated_build, "--by", "month")
    assert "papers per period: 2024-05 4, 2024-06 4" in out
    assert "papers without a usable date: 1" in out
    new, rising = listed(out, "new in 2024-06"), listed(out, "rising in 2024-06")
    assert "GSM8K" in new and "LoRA" in rising
    assert "  25.0% ->  75.0%  LoRA (Method)" in out
    assert "BERT" not in new + rising and "GPT-4" not in new + rising  # falling / flat
    assert (set(new), set(rising)) == expected_from_json(dated_build, {"b1", "b2", "b3", "b4"})


def test_since_moves_the_window(dated_build):
    out = run(dated_build, "--since", "2024-05-10")  # by day: a3, a4 and June are recent
    assert "new in 2024-05-10 .. 2024-06-09" in out
    new, rising = listed(out, "new in"), listed(out, "rising in")
    assert "LoRA" in new  # no paper before 10 May names it
    assert "BERT" not in rising  # 2 of 2 before, 1 of 6 after
    assert (set(new), set(rising)) == expected_from_json(dated_build, {"a3", "a4", "b1", "b2", "b3", "b4"})
    same_as_month = run(dated_build, "--since", "2024-06-01", "--min-papers", "2")
    assert listed(same_as_month, "new in") == listed(run(dated_build, "--by", "month"), "new in")


def test_min_papers_and_top(dated_build):
    out = run(dated_build, "--by", "month", "--min-papers", "1", "--top", "2")
    new = listed(out, "new in 2024-06")
    assert len(new) == 2 and new[0] == "GSM8K"  # 3 papers, then the first of the 1-paper ones


def test_bad_since_is_one_line_usage_error(dated_build):
    res = CliRunner().invoke(cli, ["trends", str(dated_build), "--since", "someday"])
    assert res.exit_code == 2
    assert "someday" in res.output and len(res.output.strip().splitlines()) == 1


def graph_with_dates(dates: dict[str, str | None], names: dict[str, list[str]]) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for c in {c for cs in names.values() for c in cs}:
        G.add_node(f"concept:{c}", label="Concept", name=c, type="Method")
    for p, day in dates.items():
        G.add_node(f"paper:{p}", label="Paper", title=p, date=day)
        for c in names[p]:
            G.add_edge(f"paper:{p}", f"concept:{c}", key="USES")
    return G


def test_yearless_listing_dates_compare_by_day():
    G = graph_with_dates({"1": "--05-20", "2": "--05-20", "3": "--05-21", "4": "--05-21", "5": None},
                         {"1": ["x"], "2": ["y"], "3": ["x", "z"], "4": ["z", "x"], "5": ["z"]})
    r = trends(G, by="day", min_papers=2)
    assert r.periods == ["--05-20", "--05-21"] and r.since == "--05-21" and r.undated == 1
    assert [t.name for t in r.new] == ["z"] and r.new[0].after == 2
    assert [(t.name, t.share_before, t.share_after) for t in r.rising] == [("x", 0.5, 1.0)]
    assert r.series["concept:x"] == {"--05-20": 1, "--05-21": 2}
    assert trends(G, by="year").periods == []  # no year to place them in


@pytest.mark.parametrize("value, parsed", [
    ("2024-05-20", (2024, 5, 20)), ("--05-20", (None, 5, 20)), ("--02-29", (None, 2, 29)),
    ("2024/5/2", (2024, 5, 2)), ("2024-05", (2024, 5, 1)), ("2024-05-20T10:00:00Z", (2024, 5, 20)),
    ("20 May 2024", (2024, 5, 20)), ("May 20, 2024", (2024, 5, 20)),
    ("--02-30", None), ("2024-13-01", None), ("May 20", None), ("", None), (None, None),
])
def test_parse_date(value, parsed):
    assert parse_date(value) == parsed


def test_periods_and_full_dates():
    assert period_of("2024-05-20", by="month") == "2024-05"
    assert period_of("--05-20", by="month") == "--05"
    assert period_of("--05-20", by="year") is None
    assert full_date("--05-20") is None
    assert full_date("--05-20", undated_year=2025) == "2025-05-20"
    assert full_date("--02-29", undated_year=2025) is None
    assert full_date("2024-05-20", undated_year=1999) == "2024-05-20"
    assert Counter(period_of(d, by="year") for d in ["2023-01-01", "2024-02-02", "2024-03-03"]) == {"2023": 1, "2024": 2}
