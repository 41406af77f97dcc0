"""Fault injection for `papergraph build`: SIGKILL at random points, and a full disk.

Guarantee checked: the output directory holds the previous complete build or the new complete
build (never a truncated file, never a mix), the extraction cache stays a consistent SQLite
database, and the next run completes with exactly the output of an uninterrupted build.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from papergraph.export.atomic import CURRENT, STAGE_PREFIX, STATE_DIR

#: SIGKILLs injected into builds (RELIABILITY.md quotes this figure).
KILLS = 4
OUTPUTS = ("concepts.jsonl", "graph.gexf", "graph.json")
PG = str(Path(sys.executable).with_name("papergraph"))
MODELS = ["BERT", "RoBERTa", "GPT-4", "T5", "LLaMA", "ResNet-50", "ViT", "CLIP", "Whisper", "Mistral 7B"]
BENCHES = ["GLUE", "SQuAD", "ImageNet", "COCO", "MMLU", "GSM8K", "HumanEval", "WMT14"]
METHODS = ["LoRA", "knowledge distillation", "contrastive learning", "beam search", "quantization"]


def _corpus(path: Path, n: int, seed: int) -> Path:
    """``n`` made-up papers (JSON Lines) naming models, benchmarks and methods."""
    rnd = random.Random(seed)
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            m, b, t = rnd.choice(MODELS), rnd.choice(BENCHES), rnd.choice(METHODS)
            abstract = (f"We propose a new method based on {t} for {m}. We evaluate {m} on {b} and report "
                        f"{rnd.randint(50, 99)}.{rnd.randint(0, 9)}% accuracy, outperforming {rnd.choice(MODELS)}. "
                        f"Experiment {seed}-{i} also uses {rnd.choice(BENCHES)}.")
            fh.write(json.dumps({"id": f"s{seed}-{i}", "title": f"{t.title()} for {m} number {seed}-{i}",
                                 "abstract": abstract}) + "\n")
    return path


def _build_cmd(inp: Path, out: Path, cache: Path) -> list[str]:
    return [PG, "build", str(inp), "-o", str(out), "--cache-dir", str(cache), "-q"]


def _digest(out: Path) -> dict[str, str]:
    return {n: hashlib.sha256((out / n).read_bytes()).hexdigest() for n in OUTPUTS if (out / n).exists()}


def _graph_diff(a: Path, b: Path, most: int = 5) -> str:
    """The first node and edge records of two builds' graph.json that differ (a failure's evidence)."""
    ga, gb = (json.loads((d / "graph.json").read_text(encoding="utf-8")) for d in (a, b))
    out = [f"graph: {ga['graph']} != {gb['graph']}"] if ga["graph"] != gb["graph"] else []
    for part in ("nodes", "edges"):
        ka = {json.dumps(x, sort_keys=True) for x in ga[part]}
        kb = {json.dumps(x, sort_keys=True) for x in gb[part]}
        out += [f"{part} only in the rebuild: {sorted(ka - kb)[:most]}", f"{part} only in the reference: {sorted(kb - ka)[:most]}"]
    return "; ".join(out)


def _visible(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name != STATE_DIR)


def _clean(out: Path) -> bool:
    """The outputs and, beside them, only the current version (no stray staging or old version)."""
    state = out / STATE_DIR
    return _visible(out) == list(OUTPUTS) and sorted(p.name for p in state.iterdir()) == sorted(
        [CURRENT, os.readlink(state / CURRENT)])


def _cache_ok(cache: Path) -> int:
    """The cache is a consistent SQLite file whose rows all decode; returns the row count."""
    db = sqlite3.connect(cache / "extract.sqlite")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = db.execute("SELECT data FROM extraction").fetchall()
        for (data,) in rows:
            assert isinstance(json.loads(data)["concepts"], list)
        return len(rows)
    finally:
        db.close()


@pytest.mark.slow
def test_sigkill_build_at_random_points(tmp_path):
    a = _corpus(tmp_path / "a.jsonl", 40, seed=1)
    b = _corpus(tmp_path / "b.jsonl", 200, seed=2)
    cache, out, ref = tmp_path / "cache", tmp_path / "out", tmp_path / "ref"
    subprocess.run(_build_cmd(b, ref, tmp_path / "ref-cache"), check=True, timeout=300)
    t0 = time.monotonic()
    subprocess.run(_build_cmd(a, out, cache), check=True, timeout=300)
    full = time.monotonic() - t0
    old, new = _digest(out), _digest(ref)
    assert len(old) == len(new) == 3 and old != new
    rnd = random.Random()
    # random moments over a whole build, plus the moment its staging directory appears (the write phase)
    delays = [rnd.uniform(0.2, 1.5 * full) for _ in range(KILLS - 1)] + ["stage"]
    states = []
    for delay in delays:
        proc = subprocess.Popen(_build_cmd(b, out, cache), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if delay == "stage":
            deadline = time.monotonic() + 120
            while proc.poll() is None and not any(out.glob(f"{STATE_DIR}/{STAGE_PREFIX}*")) and time.monotonic() < deadline:
                time.sleep(0.002)
        else:
            time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        proc.stderr.close()
        assert _visible(out) == list(OUTPUTS)  # never a half-written file or a stray temporary
        got = _digest(out)
        assert got in (old, new), f"outputs mix two builds or are partial after a kill at {delay}"
        states.append("new" if got == new else "old")
        _cache_ok(cache)
        if got == new:  # start the next kill from the previous build again
            subprocess.run(_build_cmd(a, out, cache), check=True, timeout=300)
    done = subprocess.run(_build_cmd(b, out, cache), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    # the run after the kills gives exactly the uninterrupted build (else: say what differs)
    assert _digest(out) == new, f"kills at {delays}, outputs {states}: {_graph_diff(out, ref)}"
    assert _clean(out)  # stale staging directories removed
    assert _cache_ok(cache) >= 200
    print(f"kills at {delays}: outputs {states}")


def _mount_tmpfs(path: Path, size: str) -> bool:
    if os.geteuid() != 0:
        return False
    path.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                          capture_output=True, text=True)
    return proc.returncode == 0


@pytest.mark.slow
def test_disk_full(tmp_path):
    disk = tmp_path / "tiny"
    if not _mount_tmpfs(disk, "2m"):
        pytest.skip("needs root and tmpfs to mount a 2 MB filesystem")
    try:
        inp = _corpus(tmp_path / "big.jsonl", 600, seed=3)  # its outputs need well over 2 MB
        out = disk / "out"
        proc = subprocess.run(_build_cmd(inp, out, tmp_path / "cache"), capture_output=True, text=True, timeout=600)
        assert proc.returncode == 4, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in proc.stderr
        assert lines[0].startswith(f"Error: {out}") and lines[0].endswith("cannot write: disk full")
        assert list(out.iterdir()) == []  # nothing partial, no temporary left
        # a previous complete build survives a later build that runs out of space
        small = _corpus(tmp_path / "small.jsonl", 5, seed=4)
        subprocess.run(_build_cmd(small, out, tmp_path / "cache"), check=True, timeout=300)
        before = _digest(out)
        proc = subprocess.run(_build_cmd(inp, out, tmp_path / "cache"), capture_output=True, text=True, timeout=600)
        assert proc.returncode == 4 and _digest(out) == before and _visible(out) == list(OUTPUTS)
        assert _clean(out)
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
