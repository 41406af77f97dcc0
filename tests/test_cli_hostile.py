"""Every command on hostile inputs (issue 16): files, graph.json shapes and parameter values.

Guarantee: never a traceback; the exit code is one of the README's (0 ok, 1 bad input, 2 usage,
3 Neo4j unreachable/refused, 4 output not writable, 5 Neo4j refused the data); a failure prints
exactly one ``Error: …`` line (after any ``warning: …`` lines). Hypothesis runs derandomized
(a fixed seed) with a bounded number of examples, so the test is fast and never flaky.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papergraph.cli import cli

EXIT_CODES = {0, 1, 2, 3, 4, 5}
UNREACHABLE = "bolt://127.0.0.1:9"
FAST = settings(max_examples=100, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
SLOW = settings(FAST, max_examples=30)
ABSTRACT = "We fine-tune BERT with LoRA and evaluate on GLUE, reporting 91.2 accuracy."


def run(args: list, **kw):
    """Invoke the CLI in-process and check the guarantee; return the result."""
    res = CliRunner().invoke(cli, [str(a) for a in args], **kw)
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        import traceback

        raise AssertionError(f"{args}: traceback\n{''.join(traceback.format_exception(res.exception))}")
    assert res.exit_code in EXIT_CODES, (args, res.exit_code, res.stderr)
    assert "Traceback" not in res.stderr
    if res.exit_code:
        lines = res.stderr.strip().splitlines()
        errors = [ln for ln in lines if not ln.startswith("warning: ")]
        assert len(errors) == 1 and errors[0].startswith("Error: ") and lines[-1] == errors[0], (args, res.stderr)
    return res


@pytest.fixture(scope="module")
def good_graph(tmp_path_factory, examples_dir) -> dict:
    out = tmp_path_factory.mktemp("good")
    res = run(["build", examples_dir, "-o", out, "--cache-dir", out / "cache", "-q"])
    assert res.exit_code == 0
    return json.loads((out / "graph.json").read_text())


# --- graph.json shapes x the commands that read one --------------------------------------------

JSON = st.recursive(st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.text(max_size=20),
                    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=8), kids, max_size=4),
                    max_leaves=12)
NODE_KEYS = ["id", "label", "title", "abstract", "date", "url", "authors", "categories", "sources", "name", "type",
             "aliases", "paper_count", "confidence", "community", "pagerank", "degree", "viz", "type_votes", "value",
             "unit", "metric", "kind", "x"]
EDGE_KEYS = ["source", "target", "key", "type", "role", "evidence", "start", "end", "weight", "npmi", "rules"]
TOP_KEYS = ["nodes", "edges", "graph", "directed", "multigraph"]
# values of the right type but hostile content are the likelier draws; any JSON value the rest
VALUES = st.one_of(
    st.sampled_from(["9999-99-99", "2024-02-30", "--05-20", "--13-45", "0000", "", " ", "x" * 9000, "Paper:Admin",
                     "<script>alert(1)</script>", "\u2028\u2029", "\U0001f600", -1, 0, 2**63, -(2**70), 1e308,
                     -1e-308, 0.5, [], [""], ["a", "b"]]),
    st.text(max_size=20), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
    st.lists(st.text(max_size=8), max_size=3), JSON)
GRAPH_COMMANDS = ["view", "stats", "plots", "trends", "gexf", "neo4j-import", "load"]


@st.composite
def mutations(draw):
    """How to make a valid build's graph.json hostile: any JSON instead, or one or two values changed."""
    if draw(st.integers(0, 9)) == 0:
        return [("whole", 0, "", draw(JSON))]
    out = []
    for _ in range(draw(st.integers(1, 2))):
        where = draw(st.sampled_from(["node", "node", "edge", "top", "communities", "delete"]))
        keys = {"node": NODE_KEYS, "delete": NODE_KEYS, "edge": EDGE_KEYS, "top": TOP_KEYS}.get(where, [""])
        value = draw(VALUES)
        out.append((where, draw(st.integers(0, 10**6)), draw(st.sampled_from(keys)), value))
    return out


def _mutate(good: dict, muts: list) -> object:
    doc = json.loads(json.dumps(good))
    for where, i, key, value in muts:
        if where == "whole":
            return value
        items = doc.get("edges" if where == "edge" else "nodes")
        if where in ("node", "edge") and isinstance(items, list) and items:
            items[i % len(items)][key] = value
        elif where == "delete" and isinstance(items, list) and items:
            items[i % len(items)].pop(key, None)
        elif where == "communities" and isinstance(doc.get("graph"), dict):
            doc["graph"]["communities"] = value
        elif where == "top":
            doc[key] = value
    return doc


def _graph_args(cmd: str, d: Path, draw_text: str, n: int) -> list:
    return {
        "view": ["view", d, "-o", d / "map.html", "--title", draw_text],
        "stats": ["stats", d, "--top", max(1, n % 1000)],
        "plots": ["stats", d, "--plots", d / "plots", "--top", 3],
        "trends": ["trends", d, "--by", ["day", "month", "year"][n % 3], "--since", draw_text or "2024-05",
                   "--min-papers", max(1, n % 5)],
        "gexf": ["export", "gexf", d, "-o", d / "g.gexf", "--year", max(1, n % 9999)],
        "neo4j-import": ["export", "neo4j-import", d, "-o", d / "imp"],
        "load": ["load", d, "--uri", UNREACHABLE, "--password", "pw-never-printed"],
    }[cmd]


def test_graph_commands_on_hostile_graph_json(tmp_path_factory, good_graph):
    @FAST
    @given(muts=mutations(), cmd=st.sampled_from(GRAPH_COMMANDS), text=st.text(max_size=12),
           n=st.integers(0, 10**6))
    def prop(muts, cmd, text, n):
        d = tmp_path_factory.mktemp("g")
        (d / "graph.json").write_text(json.dumps(_mutate(good_graph, muts), allow_nan=True), encoding="utf-8")
        res = run(_graph_args(cmd, d, text.replace("\x00", ""), n))
        assert "pw-never-printed" not in res.output + res.stderr

    prop()


@pytest.mark.parametrize("content", [b"", b"\xff\xfe\x00garbage", b"[]", b"[1, 2]", b"null", b"{" * 100_000,
                                     b'{"nodes": {}, "edges": []}', b"\x89PNG\r\n\x1a\n" + bytes(range(256))])
@pytest.mark.parametrize("cmd", GRAPH_COMMANDS)
def test_graph_commands_on_broken_graph_files(tmp_path, content, cmd):
    (tmp_path / "graph.json").write_bytes(content)
    assert run(_graph_args(cmd, tmp_path, "t", 7)).exit_code == 1


def test_graph_json_that_is_a_directory_or_missing(tmp_path):
    (tmp_path / "graph.json").mkdir()
    for cmd in GRAPH_COMMANDS:
        assert run(_graph_args(cmd, tmp_path, "t", 7)).exit_code == 1
        assert run(_graph_args(cmd, tmp_path / "missing", "t", 7)).exit_code == 1


# --- input files x build / extract --------------------------------------------------------

FIELD = st.one_of(st.text(max_size=30), st.sampled_from(["[Re] Reproducing BERT", "<think> LoRA", "{x} GLUE",
                                                         "x" * 1500, "\u2029", "\x00", "\ud800"]))
RECORD = st.fixed_dictionaries({"title": FIELD, "abstract": st.one_of(FIELD, st.just(ABSTRACT))},
                               optional={"id": st.one_of(st.integers(), st.text(max_size=10), JSON),
                                         "date": FIELD, "authors": JSON})


@st.composite
def input_files(draw):
    """(file name, bytes): records in some format, or arbitrary bytes."""
    ext = draw(st.sampled_from([".jsonl", ".json", ".csv", ".tsv", ".txt", ".xml", "", ".bin"]))
    kind = draw(st.sampled_from(["records", "records", "bytes"]))
    if kind == "bytes":
        return f"in{ext}", draw(st.binary(max_size=300))
    recs = draw(st.lists(RECORD, max_size=4))
    if ext in (".csv", ".tsv"):
        sep = "," if ext == ".csv" else "\t"
        body = "id,title,abstract\n".replace(",", sep) + "".join(
            sep.join(str(r.get(k, "")).replace("\n", " ") for k in ("id", "title", "abstract")) + "\n" for r in recs)
    elif ext == ".json":
        body = json.dumps(recs)
    elif ext == ".txt":
        body = "\n\n".join(f"{r['title']}\n{r['abstract']}" for r in recs)
    else:
        body = "".join(json.dumps(r) + "\n" for r in recs)
    return f"in{ext}", body.encode("utf-8", "surrogatepass")


def test_build_and_extract_on_hostile_files(tmp_path_factory):
    @SLOW
    @given(f=input_files(), cmd=st.sampled_from(["build", "extract", "eval"]), skip=st.booleans())
    def prop(f, cmd, skip):
        d = tmp_path_factory.mktemp("in")
        name, data = f
        (d / name).write_bytes(data)
        args = {"build": ["build", d / name, "-o", d / "out", "--cache-dir", d / "cache", "--no-analytics", "-q"],
                "extract": ["extract", d / name, "-o", d / "pred.jsonl", "-q"],
                "eval": ["eval", "--gold", d / name]}[cmd]
        run([*args, *(["--skip-bad"] if skip else [])])

    prop()


# --- parameter values ---------------------------------------------------------------------

def test_query_parameters_are_checked_before_connecting():
    @FAST
    @given(name=st.sampled_from(["top-concepts", "fulltext-search", "co-occurring", "nosuch", "../schema"]),
           key=st.sampled_from(["limit", "type", "q", "concept", "bogus"]),
           value=st.one_of(st.text(max_size=30), st.integers(-2**80, 2**80).map(str)))
    def prop(name, key, value):
        res = run(["query", name, "--param", f"{key}={value}", "--uri", UNREACHABLE, "--password", "pw"])
        assert res.exit_code in (2, 3)

    prop()


@pytest.mark.parametrize("uri", ["http://u:pw-secret@127.0.0.1:9", "bolt://u:pw-secret@[::1", "neo4j://u:pw-secret@",
                                 "", "bolt://", "x" * 5000])
def test_connection_settings_never_trace_back_or_echo_a_password(uri, tmp_path):
    for args in (["query", "top-concepts", "--uri", uri], ["load", tmp_path, "--uri", uri, "--schema-only"]):
        res = run(args)
        assert res.exit_code in (2, 3) and "pw-secret" not in res.stderr


def test_binary_vocab_and_closed_or_full_streams(tmp_path, examples_dir):
    vocab = tmp_path / "v.toml"
    vocab.write_bytes(b"\x84\xff\x00" * 100)
    for cmd in (["build", examples_dir, "-o", tmp_path / "o"], ["extract", examples_dir], ["eval", "--gold", vocab]):
        res = run([*cmd, "--vocab", vocab])
        assert res.exit_code == 2 and "not UTF-8 text" in res.stderr


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")
def test_stats_into_a_full_device_is_exit_4(tmp_path, good_graph):
    import stat

    (tmp_path / "graph.json").write_text(json.dumps(good_graph))
    full = tmp_path / "full"
    os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))
    with open(full, "w") as fh:
        proc = subprocess.run([sys.executable, "-m", "papergraph", "stats", str(tmp_path)], stdout=fh,
                              stderr=subprocess.PIPE, text=True, timeout=120)
    assert proc.returncode == 4 and proc.stderr.strip() == "Error: <stdout>: cannot write: disk full", proc.stderr


def test_outputs_into_an_unwritable_place_are_exit_4(tmp_path, good_graph):
    (tmp_path / "graph.json").write_text(json.dumps(good_graph))
    (tmp_path / "file").write_text("x")
    blocked = tmp_path / "file" / "sub"  # a directory that cannot exist: a file is in the way
    for args in (["stats", tmp_path, "--plots", blocked], ["export", "neo4j-import", tmp_path, "-o", blocked],
                 ["view", tmp_path, "-o", blocked / "m.html"], ["export", "gexf", tmp_path, "-o", blocked / "g.gexf"],
                 ["build", tmp_path / "graph.json", "-o", blocked]):
        res = run(args)
        assert res.exit_code in (4, 1) if args[0] == "build" else res.exit_code == 4, (args, res.stderr)


# --- the extraction cache: damaged vs. unwritable -------------------------------------------

def _cached_build(tmp_path, examples_dir) -> Path:
    cache = tmp_path / "cache"
    assert run(["build", examples_dir, "-o", tmp_path / "o1", "--cache-dir", cache, "-q"]).exit_code == 0
    return cache


def test_damaged_cache_pages_are_one_line_and_say_remove(tmp_path, examples_dir):
    cache = _cached_build(tmp_path, examples_dir)
    db = cache / "extract.sqlite"
    sqlite3.connect(db).execute("PRAGMA wal_checkpoint(TRUNCATE)").close()
    data = bytearray(db.read_bytes())
    page = int.from_bytes(data[16:18], "big") or 65536
    assert len(data) > page
    data[page:] = b"\xa5" * (len(data) - page)  # every page but the first (header and schema) damaged
    db.write_bytes(bytes(data))
    res = run(["build", examples_dir, "-o", tmp_path / "o2", "--cache-dir", cache])
    assert res.exit_code == 2 and "not a usable papergraph cache" in res.stderr and "cache clear" in res.stderr
    res = run(["cache", "info", "--cache-dir", cache])
    assert res.exit_code == 2


@pytest.mark.parametrize("how", ["read-only", "full"])
def test_unwritable_cache_is_not_called_unusable(tmp_path, examples_dir, how):
    if os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("needs root to mount a small tmpfs")
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(disk)]).returncode:
        pytest.skip("cannot mount tmpfs")
    try:
        cache = _cached_build(disk, examples_dir)
        new = tmp_path / "new.jsonl"
        new.write_text("".join(json.dumps({"id": f"n{i}", "title": f"New paper {i} on LoRA", "abstract": ABSTRACT})
                               + "\n" for i in range(20)))
        if how == "read-only":
            subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        else:
            with open(disk / "filler", "wb") as fh:
                try:
                    while True:
                        fh.write(b"\0" * 65536)
                        fh.flush()
                except OSError:
                    pass
        res = run(["build", new, "-o", tmp_path / "out", "--cache-dir", cache])
        assert res.exit_code == 4, res.stderr
        assert "cache clear" not in res.stderr and "intact" in res.stderr
        if how == "full":
            assert "disk full" in res.stderr or "disk I/O error" in res.stderr
        subprocess.run(["mount", "-o", "remount,rw", str(disk)], check=True)
        (disk / "filler").unlink(missing_ok=True)
        assert sqlite3.connect(cache / "extract.sqlite").execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def test_hostile_cache_file_for_cache_commands(tmp_path):
    (tmp_path / "extract.sqlite").write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)
    assert run(["cache", "info", "--cache-dir", tmp_path]).exit_code == 2
    assert run(["cache", "clear", "--cache-dir", tmp_path]).exit_code == 0
    status = CliRunner().invoke(cli, ["neo4j", "status", "--home", str(tmp_path / "home"), "--bolt-port", "9"])
    assert status.exit_code == 3 and status.exception is None or isinstance(status.exception, SystemExit)
    assert "not running" in status.output and status.stderr == ""  # documented: a status, not an error


def test_view_and_gexf_to_stdout(tmp_path, good_graph):
    (tmp_path / "graph.json").write_text(json.dumps(good_graph))
    for args, start in ((["view", tmp_path, "-o", "-"], "<!DOCTYPE html>"), (["export", "gexf", tmp_path, "-o", "-"], "<?xml")):
        res = run(args)
        assert res.exit_code == 0 and res.stdout.lstrip().startswith(start) and res.stderr.strip() == "wrote -"
    assert not (tmp_path / "-").exists()
