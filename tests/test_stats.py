"""`papergraph stats`: printed tables checked against counts made here from the raw graph.json."""

import json
import re
import statistics
from collections import Counter, defaultdict

import pytest
from click.testing import CliRunner

from papergraph.cli import cli

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def raw(shared_build):
    return json.loads((shared_build / "graph.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def printed(shared_build, tmp_path_factory):
    plots = tmp_path_factory.mktemp("plots")
    res = CliRunner().invoke(cli, ["stats", str(shared_build), "--top", "5", "--plots", str(plots)])
    assert res.exit_code == 0, res.output
    return res.output, plots


def section(output: str, title: str) -> list[list[str]]:
    """The rows of the table printed under ``title`` (header and rule skipped), split on 2+ spaces."""
    lines = output.splitlines()
    i = lines.index(title)
    rows = []
    for line in lines[i + 3:]:
        if not line.strip() or line.startswith("wrote "):
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def test_counts_by_label_type_and_edge_type(raw, printed):
    out, _ = printed
    labels = Counter(n["label"] for n in raw["nodes"])
    types = Counter(n["type"] for n in raw["nodes"] if n["label"] == "Concept")
    edges = Counter(e["key"] for e in raw["edges"])
    assert {r[0]: int(r[1]) for r in section(out, "Nodes by label")} == labels
    assert {r[0]: int(r[1]) for r in section(out, "Concepts by type")} == types
    assert {r[0]: int(r[1]) for r in section(out, "Edges by type")} == edges
    assert [int(r[1]) for r in section(out, "Edges by type")] == sorted(edges.values(), reverse=True)


def test_top_concepts_per_type(raw, printed):
    out, _ = printed
    by_type = defaultdict(list)
    for n in raw["nodes"]:
        if n["label"] == "Concept":
            by_type[n["type"]].append((n["name"], n["paper_count"]))
    assert by_type
    for t, named in by_type.items():
        rows = section(out, f"Top {t} concepts")
        expected = sorted((c for _, c in named), reverse=True)[:5]
        assert [int(r[1]) for r in rows] == expected
        assert all((r[0], int(r[1])) in named for r in rows)


def test_degree_summary(raw, printed):
    out, _ = printed
    degree = Counter()
    for e in raw["edges"]:
        degree[e["source"]] += 1
        degree[e["target"]] += 1
    rows = {r[0]: r[1:] for r in section(out, "Degree by node label")}
    for label in {n["label"] for n in raw["nodes"]}:
        degs = [degree[n["id"]] for n in raw["nodes"] if n["label"] == label]
        lo, med, mean, hi = rows[label]
        assert (int(lo), int(hi)) == (min(degs), max(degs))
        assert float(med) == statistics.median(degs)
        assert float(mean) == pytest.approx(statistics.fmean(degs), abs=0.005)


def test_communities(raw, printed):
    out, _ = printed
    sizes = Counter(n["community"] for n in raw["nodes"] if n["label"] == "Concept" and n["community"] >= 0)
    m = re.search(r"^Communities: (\d+)$", out, re.M)
    assert m and int(m[1]) == len(sizes) > 1
    rows = section(out, f"Communities: {m[1]}")
    assert [int(r[1]) for r in rows] == sorted(sizes.values(), reverse=True)[:5]
    names = {n["name"]: n["community"] for n in raw["nodes"] if n["label"] == "Concept"}
    for r in rows:
        top = r[2].split(", ")
        # listed concepts belong to the community (names are unique enough in this corpus to check most)
        assert sum(names.get(t) == int(r[0]) for t in top) >= len(top) - 1


def test_plots_are_valid_pngs(printed):
    from PIL import Image

    out, plots = printed
    for name in ("top_concepts.png", "concept_types.png", "trends.png", "communities.png"):
        path = plots / name
        assert f"wrote {path}" in out
        assert path.read_bytes()[:8] == PNG_MAGIC
        with Image.open(path) as im:
            im.verify()
        with Image.open(path) as im:
            assert im.width >= 400 and im.height >= 300
            colours = im.convert("RGB").getcolors(maxcolors=1 << 20)
            assert len(colours) > 20  # drawn on, not blank


def test_stats_of_a_missing_build_is_one_line(tmp_path):
    res = CliRunner().invoke(cli, ["stats", str(tmp_path / "nope")])
    assert res.exit_code == 1
    assert "graph.json" in res.output and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1
