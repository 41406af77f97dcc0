"""The Dask engine builds exactly the local engine's graph (2-worker LocalCluster, shared corpus)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("distributed")

PG = [sys.executable, "-m", "papergraph"]
# Bounds each build, so a hung cluster fails the test instead of the whole suite.
TIMEOUT = 600


def normalised(path: Path) -> dict:
    """graph.json with nodes and edges in a canonical order (list attributes keep theirs)."""
    g = json.loads(path.read_text(encoding="utf-8"))
    key = lambda d: json.dumps(d, sort_keys=True)  # noqa: E731
    return {**g, "nodes": sorted(g["nodes"], key=key), "edges": sorted(g["edges"], key=key)}


def build(corpus: Path, out: Path, *args: str) -> str:
    proc = subprocess.run([*PG, "build", str(corpus), "-o", str(out), *args], capture_output=True, text=True,
                          timeout=TIMEOUT, env={**os.environ, "PYTHONHASHSEED": "random"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


@pytest.mark.slow
def test_dask_local_cluster_builds_the_local_graph(shared_corpus, tmp_path):
    local = build(shared_corpus, tmp_path / "local", "--no-cache")
    dask = build(shared_corpus, tmp_path / "dask", "--engine", "dask", "--jobs", "2", "--cache-dir",
                 str(tmp_path / "cache"))
    a, b = normalised(tmp_path / "local" / "graph.json"), normalised(tmp_path / "dask" / "graph.json")
    assert len(a["nodes"]) > 500 and len(a["edges"]) > 1000
    assert a["graph"] == b["graph"]
    assert {n["id"] for n in a["nodes"]} == {n["id"] for n in b["nodes"]}
    assert a["nodes"] == b["nodes"]
    assert a["edges"] == b["edges"]
    assert [ln for ln in local.splitlines() if ln.startswith(("papers", "concepts", "edges"))] == \
           [ln for ln in dask.splitlines() if ln.startswith(("papers", "concepts", "edges"))]
    # The workers filled the cache under the local pipeline's fingerprint: a local rebuild reuses all of it.
    again = build(shared_corpus, tmp_path / "again", "--cache-dir", str(tmp_path / "cache"), "--no-analytics")
    papers = next(ln for ln in local.splitlines() if ln.startswith("papers")).split()[-1]
    assert f"from cache:      {papers}" in again


def test_scheduler_needs_the_dask_engine(examples_dir, tmp_path):
    proc = subprocess.run([*PG, "build", str(examples_dir), "-o", str(tmp_path / "o"), "--scheduler",
                           "tcp://127.0.0.1:1"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "--scheduler needs --engine dask" in proc.stderr and "Traceback" not in proc.stderr


def test_unreachable_scheduler_is_a_one_line_error(examples_dir, tmp_path):
    proc = subprocess.run([*PG, "build", str(examples_dir), "-o", str(tmp_path / "o"), "--engine", "dask",
                           "--scheduler", "tcp://127.0.0.1:9"], capture_output=True, text=True, timeout=180,
                          env={**os.environ, "PAPERGRAPH_DASK_CONNECT_TIMEOUT": "2"})
    assert proc.returncode == 2
    assert "cannot use Dask scheduler tcp://127.0.0.1:9" in proc.stderr and "Traceback" not in proc.stderr
