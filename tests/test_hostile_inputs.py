"""Inputs a hostile user tried (issue 16): nothing read is lost, nothing hangs, every skip is reported.

Unreadable files and directories are made unreadable for real: the reading runs as the user
``nobody`` (``setpriv``), since root reads mode-000 files; those tests are skipped where that
is impossible (not root, or no ``setpriv``).
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from papergraph.errors import InputError
from papergraph.ingest import read_inputs

ABSTRACT = "We fine-tune BERT with LoRA and evaluate on GLUE."


def _jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# --- item 2: the same non-arXiv id in two inputs ----------------------------------------------

def test_row_numbers_as_ids_in_two_csv_files_keep_all_papers(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text(f"id,title,abstract\n1,Alpha paper,{ABSTRACT}\n2,Beta paper,{ABSTRACT}\n")
    b.write_text(f"id,title,abstract\n1,Gamma paper,{ABSTRACT}\n2,Delta paper,{ABSTRACT}\n")
    r = read_inputs([a, b])
    assert sorted(p.title for p in r.papers) == ["Alpha paper", "Beta paper", "Delta paper", "Gamma paper"]
    assert len({p.id for p in r.papers}) == 4 and r.duplicates == 0
    ids = {p.title: p.id for p in r.papers}
    assert ids["Alpha paper"] == "1" and ids["Gamma paper"].startswith("1~")  # the first keeps its id
    assert [s.source for s in r.renamed] == [f"{b}:2", f"{b}:3"]
    assert all("already the id of another paper" in s.reason for s in r.renamed)


def test_int_and_string_id_merge_only_with_the_same_title(tmp_path):
    f = _jsonl(tmp_path / "p.jsonl", [{"id": 5, "title": "Five", "abstract": ABSTRACT},
                                      {"id": "5", "title": "Another five", "abstract": ABSTRACT},
                                      {"id": "5", "title": "five", "abstract": ABSTRACT}])
    r = read_inputs([f])
    assert sorted(p.title for p in r.papers) == ["Another five", "Five"]
    assert r.duplicates == 1 and len(r.renamed) == 1  # "five" is "Five" (folded title): merged


def test_arxiv_ids_still_merge_across_inputs(tmp_path):
    a = _jsonl(tmp_path / "a.jsonl", [{"id": "2401.01234v1", "title": "One title", "abstract": ABSTRACT}])
    b = _jsonl(tmp_path / "b.jsonl", [{"id": "arXiv:2401.01234v2", "title": "One title, revised", "abstract": ABSTRACT}])
    r = read_inputs([a, b])
    assert len(r.papers) == 1 and r.duplicates == 1 and not r.renamed


# --- item 3: a CSV quote left open mid-file -----------------------------------------------------

def test_csv_quote_left_open_is_reported_and_the_swallowed_rows_read(tmp_path):
    f = tmp_path / "q.csv"
    f.write_text(f'id,title,abstract\n1,"Open quote title,{ABSTRACT}\n2,Second paper,{ABSTRACT}\n'
                 f'3,"Third paper",{ABSTRACT}\n4,Fourth paper,"{ABSTRACT}"\n')
    r = read_inputs([f], skip_bad=True)
    assert [p.title for p in r.papers] == ["Second paper", "Third paper", "Fourth paper"]
    assert [s.source for s in r.skipped] == [f"{f}:2"] and "quote opened at line 2" in r.skipped[0].reason
    with pytest.raises(InputError, match=r"q\.csv:2: malformed CSV"):
        read_inputs([f])


def test_csv_quote_open_to_the_end_names_the_lines_it_took(tmp_path):
    f = tmp_path / "q.csv"
    f.write_text(f'id,title,abstract\n0,Good,{ABSTRACT}\n1,"Open,{ABSTRACT}\n2,Second,{ABSTRACT}\n')
    r = read_inputs([f], skip_bad=True)
    assert [p.title for p in r.papers] == ["Good"]
    assert len(r.skipped) == 1 and "lines 3-4" in r.skipped[0].reason and "never closed" in r.skipped[0].reason


# --- item 4: nothing read must not replace a previous build ------------------------------------

def test_build_that_reads_nothing_keeps_the_previous_build(tmp_path):
    from click.testing import CliRunner

    from papergraph.cli import cli

    good = _jsonl(tmp_path / "good.jsonl", [{"id": "g1", "title": "LoRA for BERT", "abstract": ABSTRACT}])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": 3}\nnot json\n')
    out = tmp_path / "out"
    cache = ["--cache-dir", str(tmp_path / "cache")]
    assert CliRunner().invoke(cli, ["build", str(good), "-o", str(out), *cache]).exit_code == 0
    before = {n: (out / n).read_bytes() for n in ("graph.json", "graph.gexf", "concepts.jsonl")}
    res = CliRunner().invoke(cli, ["build", str(bad), "-o", str(out), "--skip-bad", *cache])
    assert res.exit_code == 1
    assert res.stderr.strip().splitlines()[-1].startswith("Error: no papers read (2 skipped")
    assert {n: (out / n).read_bytes() for n in before} == before
    pred = tmp_path / "pred.jsonl"
    pred.write_text("previous\n")
    res = CliRunner().invoke(cli, ["extract", str(bad), "-o", str(pred), "--skip-bad"])
    assert res.exit_code == 1 and pred.read_text() == "previous\n"


# --- item 7: listings whose first title starts with [, { or < --------------------------------

@pytest.mark.parametrize("first", ["[Re] Reproducing LoRA", "{Sparse} attention for BERT", "<think> Reasoning traces",
                                   "[ICML 2025] Scaling laws"])
@pytest.mark.parametrize("name", ["listing.txt", None])
def test_listing_starting_with_bracket_is_a_listing(tmp_path, first, name, monkeypatch):
    text = f"{first}\n{ABSTRACT}\n\nSecond paper title\n{ABSTRACT}\n"
    if name:
        (tmp_path / name).write_text(text)
        r = read_inputs([tmp_path / name])
    else:
        import io

        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
        r = read_inputs(["-"])
    assert [p.title for p in r.papers] == [first, "Second paper title"]


def test_real_json_and_atom_still_detected_in_a_txt(tmp_path):
    (tmp_path / "a.txt").write_text(json.dumps([{"title": "T1", "abstract": ABSTRACT}]))
    (tmp_path / "b.txt").write_text('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                                    f"<entry><id>x1</id><title>T2</title><summary>{ABSTRACT}</summary></entry></feed>")
    assert sorted(p.title for p in read_inputs([tmp_path]).papers) == ["T1", "T2"]


# --- item 8: one record limit for every format ---------------------------------------------

def test_csv_accepts_an_abstract_jsonl_accepts(tmp_path):
    big = "word " * 40_000  # 200,000 characters: over csv's default 131,072, under the 1 MB limit
    (tmp_path / "a.csv").write_text(f"id,title,abstract\n1,Big CSV,{big}\n")
    _jsonl(tmp_path / "a.jsonl", [{"id": "2", "title": "Big JSONL", "abstract": big}])
    assert sorted(p.title for p in read_inputs([tmp_path]).papers) == ["Big CSV", "Big JSONL"]


def test_atom_attribute_counts_towards_the_record_limit(tmp_path):
    f = tmp_path / "a.xml"
    f.write_text('<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x1</id><title>T</title>'
                 f'<summary>{ABSTRACT}</summary><link rel="alternate" href="http://x/{"a" * 3000}"/></entry>'
                 f'<entry><id>x2</id><title>T2</title><summary>{ABSTRACT}</summary></entry></feed>')
    r = read_inputs([f], skip_bad=True, max_record_bytes=2000)
    assert [p.title for p in r.papers] == ["T2"] and "record too long" in r.skipped[0].reason


# --- items 10, 6, 15: special files, unreadable files and directories, encodings ----------------

def _in_thread(fn, timeout=20):
    box = []

    def run():
        try:
            box.append((True, fn()))
        except Exception as e:  # re-raised in the test's thread
            box.append((False, e))

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(timeout)
    assert box, f"{fn} did not return within {timeout}s (blocked on a FIFO or device?)"
    ok, value = box[0]
    if not ok:
        raise value
    return value


def test_fifo_and_device_symlink_in_a_directory_are_skipped_not_opened(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    _jsonl(d / "good.jsonl", [{"id": "g1", "title": "Good paper", "abstract": ABSTRACT}])
    os.mkfifo(d / "pipe.jsonl")
    if os.geteuid() == 0:
        os.mknod(tmp_path / "zero", stat.S_IFCHR | 0o666, os.makedev(1, 5))  # a /dev/zero of our own
        (d / "zero.txt").symlink_to(tmp_path / "zero")
    r = _in_thread(lambda: read_inputs([d], skip_bad=True))
    assert [p.title for p in r.papers] == ["Good paper"]
    reasons = {Path(s.source).name: s.reason for s in r.skipped}
    assert "a FIFO" in reasons["pipe.jsonl"]
    if os.geteuid() == 0:
        assert "a character device (through a symlink)" in reasons["zero.txt"]
    with pytest.raises(InputError, match="pipe.jsonl: not a regular file: a FIFO"):
        _in_thread(lambda: read_inputs([d]))


def _as_nobody(code: str, *args: str) -> subprocess.CompletedProcess:
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("needs root and setpriv to run as an unprivileged user (root reads mode-000 files)")
    return subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c",
                           code, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def shared_tmp():
    """A directory user nobody can enter (tmp_path's parents are private to root)."""
    d = Path(tempfile.mkdtemp(prefix="pg-rel-"))
    d.chmod(0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


READ = """
import sys
from papergraph.errors import InputError
from papergraph.ingest import read_inputs
try:
    r = read_inputs(sys.argv[2:], skip_bad=sys.argv[1] == "skip")
    print([p.title for p in r.papers]); print([(s.source, s.reason) for s in r.skipped])
except InputError as e:
    print("InputError", e)
"""


def test_unreadable_subdirectory_is_reported(shared_tmp):
    _jsonl(shared_tmp / "a.jsonl", [{"id": "a", "title": "Readable", "abstract": ABSTRACT}])
    locked = shared_tmp / "locked"
    locked.mkdir()
    _jsonl(locked / "b.jsonl", [{"id": "b", "title": "Hidden", "abstract": ABSTRACT}])
    locked.chmod(0o000)
    skip = _as_nobody(READ, "skip", str(shared_tmp))
    assert skip.stdout.splitlines()[0] == "['Readable']", skip.stderr
    assert f"('{locked}', 'cannot read the directory: Permission denied')" in skip.stdout.splitlines()[1]
    strict = _as_nobody(READ, "strict", str(shared_tmp))
    assert strict.stdout.strip() == f"InputError {locked}: cannot read the directory: Permission denied"


def test_unreadable_file_on_the_command_line_is_bad_input_not_usage(shared_tmp):
    f = _jsonl(shared_tmp / "a.jsonl", [{"id": "a", "title": "T", "abstract": ABSTRACT}])
    ok = _jsonl(shared_tmp / "ok.jsonl", [{"id": "o", "title": "Readable", "abstract": ABSTRACT}])
    f.chmod(0o000)
    out = shared_tmp / "out"
    out.mkdir()
    out.chmod(0o777)
    for args in (f"'build', *sys.argv[1:], '-o', '{out}/o', '--cache-dir', '{out}/c'",
                 f"'extract', *sys.argv[1:], '-o', '{out}/e.jsonl'"):
        cli = f"import sys; from papergraph.cli import cli; cli([{args}])"
        strict = _as_nobody(cli, str(f))
        assert strict.returncode == 1, strict.stderr
        assert strict.stderr.strip() == f"Error: {f}: cannot read the file: Permission denied"
        skip = _as_nobody(cli, str(ok), str(f), "--skip-bad", "-q")
        assert skip.returncode == 0, skip.stderr


def test_utf16_without_bom_and_binary_txt_are_refused_as_files(tmp_path):
    (tmp_path / "u16.jsonl").write_bytes(json.dumps({"title": "T", "abstract": ABSTRACT}).encode("utf-16-le"))
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 8)
    r = read_inputs([tmp_path], skip_bad=True)
    assert r.papers == []
    reasons = {Path(s.source).name: s.reason for s in r.skipped}
    assert set(reasons) == {"u16.jsonl", "bin.txt"}
    assert "UTF-16LE text without a byte-order mark?" in reasons["u16.jsonl"]
    assert reasons["bin.txt"].startswith("binary data, not text")


def test_closed_stdin_is_one_line(tmp_path):
    proc = subprocess.run([str(Path(sys.executable).with_name("papergraph")), "build", "-", "-o", str(tmp_path / "o"),
                           "--cache-dir", str(tmp_path / "c")], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, timeout=120, preexec_fn=lambda: os.close(0))
    assert proc.returncode == 1 and proc.stderr.strip() == "Error: <stdin>: stdin is closed", proc.stderr


def test_paragraph_separators_never_end_up_inside_concept_names(tmp_path):
    import papergraph

    f = _jsonl(tmp_path / "u.jsonl", [{"id": "u1", "title": "Sparse adaptation",
                                       "abstract": "We propose Sparse\u2029LoRA, a low-rank adaptation\u2029method. "
                                                   "We evaluate GPT-4\u2028on GSM8K\u2029and MMLU.\x85Done."}])
    _, (ex,) = papergraph.extract([f])
    names = [c.name for c in ex.concepts]
    assert not any(ch in n for n in names for ch in "\u2028\u2029\x85\x0b\x0c"), names
    assert {"GPT-4", "GSM8K", "MMLU"} <= set(names)
    abstract = read_inputs([f]).papers[0].abstract
    assert len(abstract) == len("We propose Sparse\u2029LoRA, a low-rank adaptation\u2029method. "
                                "We evaluate GPT-4\u2028on GSM8K\u2029and MMLU.\x85Done.")  # offsets unchanged


def test_graph_does_not_depend_on_argument_order_or_how_paths_are_typed(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from papergraph.cli import cli

    models = ["BERT", "GPT-4", "LLaMA", "T5", "RoBERTa", "CLIP"]
    benches = ["GLUE", "MMLU", "GSM8K", "SQuAD", "ImageNet"]
    for name, offset in (("a", 0), ("b", 1)):
        _jsonl(tmp_path / f"{name}.jsonl", [
            {"id": f"{name}{i}", "title": f"{models[(i + offset) % 6]} with LoRA on {benches[i % 5]} ({name}{i})",
             "abstract": f"We fine-tune {models[(i + offset) % 6]} with LoRA and evaluate on {benches[i % 5]} and "
                         f"{benches[(i + 2) % 5]}, comparing with {models[(i + 3) % 6]}."} for i in range(12)])
    monkeypatch.chdir(tmp_path)
    cache = ["--cache-dir", str(tmp_path / "cache"), "-q"]
    for out, args in (("ab", ["a.jsonl", "b.jsonl"]), ("ba", ["./b.jsonl", str(tmp_path / "a.jsonl")])):
        assert CliRunner().invoke(cli, ["build", *args, "-o", out, *cache]).exit_code == 0
    for name in ("graph.json", "graph.gexf"):
        assert (tmp_path / "ab" / name).read_bytes() == (tmp_path / "ba" / name).read_bytes(), name
    data = json.loads((tmp_path / "ab" / "graph.json").read_text())
    sources = [s for n in data["nodes"] if n.get("label") == "Paper" for s in n["sources"]]
    assert all(s.startswith(str(tmp_path.resolve()) + "/") for s in sources)
