"""The columnar build (issue 19): the same Neo4j database as the networkx build, bad records reported.

The equality test makes a few hundred seeded synthetic extraction records (``bench/synth_extractions.py``:
Zipf concept frequencies, roles, type votes, relations, results, sized model variants), builds the
networkx graph from them and loads it over Bolt into the test server, runs the columnar graph stage
on a local Dask cluster and bulk-imports its files into a second, fresh instance, then compares the
two databases: counts per label and type and a digest of every node and relationship with all its
properties, except ``community`` and ``viz`` (the columnar build computes communities on the top-N
projection and lays out only that; see the README).
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from papergraph.cli import cli

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

#: Properties the two builds compute differently by design (README, "The columnar build").
DIFFERENT_BY_DESIGN = {"community", "viz"}


def snapshot(settings) -> dict:
    """Counts per label and type, and a digest of every node and relationship with its properties."""
    from papergraph.neo4j.loader import connect

    with connect(settings) as driver:
        def q(text):
            return [r.data() for r in driver.execute_query(text, database_=settings.database).records]
        labels = {r["l"]: r["n"] for r in q("MATCH (n) UNWIND labels(n) AS l RETURN l, count(*) AS n")}
        types = {r["t"]: r["n"] for r in q("MATCH ()-[r]->() RETURN type(r) AS t, count(*) AS n")}
        nodes = q("MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
        rels = q("MATCH (a)-[r]->(b) RETURN type(r) AS t, a.id AS a, b.id AS b, properties(r) AS p")
    for x in nodes + rels:
        x["p"] = {k: v for k, v in x["p"].items() if k not in DIFFERENT_BY_DESIGN}
    canon = sorted(json.dumps(x, sort_keys=True, default=str) for x in nodes + rels)
    return {"labels": labels, "types": types, "digest": hashlib.sha256("\n".join(canon).encode()).hexdigest(),
            "rows": canon}


def networkx_graph(pairs):
    """The networkx build of (Paper, PaperExtraction) pairs, analytics included."""
    from papergraph.analysis import add_analytics
    from papergraph.api import resolve_extractions
    from papergraph.graph import build_graph

    papers = sorted((p for p, _ in pairs), key=lambda p: p.id)
    exs = sorted((e for _, e in pairs), key=lambda e: e.paper_id)
    G = build_graph(papers, exs, canon=resolve_extractions(exs, curation=None, kb=True))
    add_analytics(G)
    return G


@pytest.mark.neo4j
@pytest.mark.slow
def test_columnar_import_equals_networkx_load(neo4j_db, import_instance, tmp_path):
    from synth_extractions import Corpus

    from papergraph.columnar import graph_stage, local_client, write_tables
    from papergraph.neo4j.loader import Neo4jSettings, apply_schema, connect, load_graph
    from papergraph.neo4j.server import admin_command, start

    pairs = list(Corpus(400, seed=7).papers(0, 400))
    for paper, _ in pairs[::97]:  # line breaks in some cells: only their parts are parsed as multi-line
        paper.title += "\nsecond line\r\nthird"
    for rel in [r for _, ex in pairs[:40] for r in ex.relations]:
        rel.evidence += "\n(continued)"
    G = networkx_graph(copy.deepcopy(pairs))
    write_tables(pairs, tmp_path / "tables", part_size=150)  # three parts: shuffles cross partitions
    client = local_client(2, "1GB", str(tmp_path / "dask"))
    try:
        rep = graph_stage(tmp_path / "tables", tmp_path / "out", client, top_n=100)
    finally:
        client.close()
        client.cluster.close()

    parts = sorted(p.name for p in (tmp_path / "out" / "neo4j-import").glob("*.part-*.csv"))
    multiline = [p for p in parts if p.endswith(".multiline.csv")]
    assert any(p.startswith("nodes-Paper.") for p in multiline)
    assert any(p.startswith("rels-") and "-Concept-Concept." in p for p in multiline)  # relation evidence
    groups = sorted(p.split(".part-")[0] for p in parts)
    assert len(multiline) < len(set(groups)) / 2
    assert all(groups.count(g) <= 2 for g in groups)  # the parts joined: one plain, one multi-line at most

    cmd, env = admin_command(dataclasses.replace(import_instance, admin_heap="2g"))
    shim = tmp_path / "neo4j-admin"
    shim.write_text("#!/bin/sh\n" + "".join(f"export {k}={shlex.quote(env[k])}\n" for k in ("NEO4J_HOME", "NEO4J_CONF"))
                    + f'exec {shlex.join(cmd)} "$@"\n')
    shim.chmod(0o755)
    res = subprocess.run(["sh", str(tmp_path / "out" / "neo4j-import" / "import.sh")],
                         env={**os.environ, "NEO4J_ADMIN": str(shim)}, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
    assert "Max heap memory : 2.000GiB" in res.stdout + res.stderr  # the admin heap reached neo4j-admin
    start(import_instance, timeout=180)
    imported = Neo4jSettings(uri=import_instance.uri)
    with connect(imported) as driver:
        apply_schema(driver, imported.database)

    load_graph(G, neo4j_db)
    bolt, bulk = snapshot(neo4j_db), snapshot(imported)
    assert sum(bolt["labels"].get(lb, 0) for lb in ("Paper", "Concept", "Result")) == G.number_of_nodes()
    assert sum(bolt["types"].values()) == G.number_of_edges()
    assert bulk["labels"] == rep.nodes  # the database holds what the files hold
    assert bulk["types"] == rep.relationships
    assert bulk["labels"] == bolt["labels"] and bulk["types"] == bolt["types"]
    if bulk["digest"] != bolt["digest"]:
        only_bolt = sorted(set(bolt["rows"]) - set(bulk["rows"]))[:3]
        only_bulk = sorted(set(bulk["rows"]) - set(bolt["rows"]))[:3]
        pytest.fail(f"properties differ; networkx only: {only_bolt}; columnar only: {only_bulk}")


def test_columnar_bad_record_names_file_and_line(tmp_path):
    bad = tmp_path / "records.jsonl"
    bad.write_text('{"paper": {"id": "p1", "title": "T", "abstract": "A"}, "extraction": {"paper_id": "p1"}}\n'
                   "not json\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["columnar", str(bad), "-o", str(tmp_path / "out")])
    assert res.exit_code == 1
    assert f"{bad}:2: not an extraction record" in res.output
    assert "Traceback" not in res.output


def test_columnar_records_round_trip(tmp_path):
    """A record file read back gives the papers and extractions that were written."""
    from synth_extractions import Corpus, write_records

    from papergraph.columnar import read_records

    path = tmp_path / "r.jsonl"
    write_records(30, str(path), seed=2)
    got = list(read_records(path))
    want = list(Corpus(30, seed=2).papers(0, 30))
    assert [(p.to_dict(), e.to_dict()) for p, e in got] == [(p.to_dict(), e.to_dict()) for p, e in want]
