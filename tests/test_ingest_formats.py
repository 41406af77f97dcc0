"""Readers: every supported format and layout, ids, duplicates, stdin, directories, the corpus."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from pathlib import Path

import pytest

from papergraph.ingest import iter_records, normalize_arxiv_id, read_inputs
from papergraph.model import title_id

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold" / "dev.jsonl"


def read(name: str):
    return read_inputs([FIXTURES / name]).papers


def test_daily_adjacent_layout_drops_chrome_and_recovers_glued_title():
    papers = read("daily_adjacent.txt")
    assert [p.title for p in papers] == [
        "Orchard: Growing Sparse Decision Forests for Tabular Drift",
        "Why Do Small Tokenizers Help Low-Resource Translation?",
        "Lanternfish: Bioluminescent Signal Detection in Deep-Sea Video",
    ]
    assert papers[0].abstract.startswith("We introduce Orchard, a method")
    assert papers[0].abstract.endswith("We release code and the drift suites.")
    assert [p.sources for p in papers] == [[f"{FIXTURES / 'daily_adjacent.txt'}:{n}"] for n in (3, 5, 7)]
    assert all(p.date is None and p.id == title_id(p.title) for p in papers)


def test_daily_block_layout_dates_and_multi_paragraph_abstract():
    papers = read("daily_blocks.txt")
    assert [(p.title, p.date) for p in papers] == [
        ("QuiltNet: Patchwise Attention for Satellite Mosaics", "--03-03"),
        ("Compiling Regular Expressions to Tiny Automata, Formally", "--03-03"),
        ("Pebble: A Benchmark for Counting Objects in Cluttered Scenes", "2024-03-04"),
    ]
    assert papers[1].abstract == (
        "We verify a compiler from regular expressions to minimal automata in a proof assistant.\n"
        "The extracted compiler is within a factor of two of an unverified engine on the RegexBench suite."
    )


def test_daily_crlf_and_short_abstract_after_title(tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"Subscribe\r\nA Short One\r\nIt works.\r\nSecond Title Here\r\nAnother tiny abstract.\r\n")
    papers = read_inputs([path]).papers
    assert [(p.title, p.abstract) for p in papers] == [
        ("A Short One", "It works."),
        ("Second Title Here", "Another tiny abstract."),
    ]


def test_jsonl_fields_ids_and_normalisation():
    papers = read("papers.jsonl")
    assert [p.id for p in papers] == ["2403.05521", "lab-17", "4242", title_id("A Paper Without an Id")]
    glacier, ranking = papers[0], papers[1]
    assert glacier.authors == ["Ines Moreau", "Tomas Ruiz"]
    assert glacier.categories == ["cs.LG", "stat.ML"]
    assert glacier.date == "2024-03-08"
    assert ranking.title == "Ranking Hypotheses with Language Models"
    assert ranking.abstract == "We rank scientific hypotheses by asking a language model to argue both sides."
    assert ranking.authors == ["Ada Okafor", "Wen Li", "Priya Natarajan"]
    assert ranking.url == "https://example.org/lab-17"
    assert [p.sources[0].rsplit(":", 1)[1] for p in papers] == ["1", "2", "4", "5"]  # line 3 is blank


def test_json_array_lines_and_lists():
    papers = read("papers.json")
    assert [(p.id, p.sources[0].rsplit(":", 1)[1]) for p in papers] == [
        ("2311.00042", "2"),
        (title_id("Second Element on Its Own Line"), "9"),
    ]
    assert papers[0].categories == ["cs.MA", "q-bio.PE"]
    assert papers[1].abstract == "The reader reports the line where each element starts."


def test_csv_quoted_newlines_crlf_and_start_lines():
    papers = read("papers.csv")
    assert [(p.id, p.sources[0].rsplit(":", 1)[1]) for p in papers] == [("c-1", "2"), ("c-2", "4")]
    assert papers[0].abstract == 'Sundial keeps sensor clocks within 2 ms.\nIt needs no GPS, only "beacon" packets.'
    assert papers[0].authors == ["Noor Haddad", "Eli Stone"]
    assert papers[0].date == "2023-11-02"
    assert papers[1].authors == [] and papers[1].date is None


def test_tsv_with_summary_column():
    (paper,) = read("papers.tsv")
    assert paper.title == "Paper Written as TSV"
    assert paper.abstract == "Tab separated values work like CSV with a tab delimiter."
    assert paper.categories == ["cs.DL", "cs.IR"]


def test_arxiv_atom_export():
    murmur, old = read("arxiv_atom.xml")
    assert murmur.id == "2401.01234"
    assert murmur.title == "Murmur: Low-Power Keyword Spotting with Spiking Networks"
    assert murmur.abstract == "Murmur spots keywords on a microcontroller using a spiking network. It draws 40 microwatts."
    assert murmur.authors == ["Jun Park", "Lea Braun"]
    assert murmur.date == "2024-01-02"
    assert murmur.categories == ["cs.SD", "eess.AS"]
    assert murmur.url == "http://arxiv.org/abs/2401.01234v2"
    assert murmur.sources == [f"{FIXTURES / 'arxiv_atom.xml'}:6"]
    assert (old.id, old.date) == ("hep-th/9901001", "1999-01-01")


def test_arxiv_metadata_snapshot():
    (paper,) = read("arxiv_snapshot.jsonl")
    assert paper.id == "2402.00077"
    assert paper.title == "Sparse Probes for Dense Retrievers"
    assert paper.abstract == "We probe dense retrievers with sparse linear models.\nThe probes recover lexical matching signals."
    assert paper.authors == ["R. Ito", "S. Kaur", "T. Vance"]
    assert paper.categories == ["cs.IR", "cs.CL"]
    assert paper.date == "2024-02-03"


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2401.01234", "2401.01234"),
        ("2401.01234v12", "2401.01234"),
        ("arXiv:1706.03762v7", "1706.03762"),
        ("https://arxiv.org/pdf/2401.01234v2.pdf", "2401.01234"),
        ("http://export.arxiv.org/abs/math.GT/0309136v1", "math.GT/0309136"),
        ("dev-000", None),
        ("10.1000/xyz", None),
    ],
)
def test_normalize_arxiv_id(raw, expected):
    assert normalize_arxiv_id(raw) == expected


def test_content_detection_ignores_misleading_extension(tmp_path):
    path = tmp_path / "listing.txt"
    path.write_text('{"title": "JSON In A Text File", "abstract": "Detected by content."}\n')
    assert [p.title for p in read_inputs([path]).papers] == ["JSON In A Text File"]
    noext = tmp_path / "export"
    noext.write_text("title,abstract\nHeader Sniffed CSV,Found without an extension.\n")
    assert [p.abstract for p in read_inputs([noext]).papers] == ["Found without an extension."]


def test_utf8_bom_and_utf16_bom(tmp_path):
    record = {"title": "Caf\u00e9 Au Lait Networks", "abstract": "Na\u00efve r\u00e9sum\u00e9 parsing."}
    text = json.dumps(record, ensure_ascii=False) + "\r\n"
    (tmp_path / "bom8.jsonl").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "bom16.jsonl").write_bytes(text.encode("utf-16"))
    listing = "Title In UTF-16\nAn abstract written in UTF-16 with a byte order mark.\n"
    (tmp_path / "bom16.txt").write_bytes(b"\xfe\xff" + listing.encode("utf-16-be"))
    report = read_inputs([tmp_path])
    assert [p.title for p in report.papers] == ["Caf\u00e9 Au Lait Networks", "Title In UTF-16"]
    assert report.papers[0].abstract == "Na\u00efve r\u00e9sum\u00e9 parsing."
    assert report.duplicates == 1


def test_duplicates_merge_sources_and_prefer_input_id(tmp_path):
    listing = tmp_path / "a.txt"
    listing.write_text(
        "Glacier: Slow Weights for Fast Continual Learning\n"
        "A different copy of the abstract, long enough to be one. It has two sentences.\n"
    )
    report = read_inputs([listing, FIXTURES / "papers.jsonl", FIXTURES / "papers.jsonl"])
    assert report.records_read == 1 + 4 + 4
    assert report.duplicates == 5
    assert len(report.papers) == 4
    glacier = report.papers[0]
    assert glacier.id == "2403.05521"  # the input id wins over the title-derived one
    assert glacier.sources == [f"{listing}:1", f"{FIXTURES / 'papers.jsonl'}:1"]
    assert glacier.abstract.startswith("A different copy")  # first seen is kept
    assert glacier.authors == ["Ines Moreau", "Tomas Ruiz"]  # blanks filled from the duplicate


def test_same_arxiv_id_different_versions_merge(tmp_path):
    path = tmp_path / "v.jsonl"
    path.write_text(
        '{"id": "2401.00001v1", "title": "First Title", "abstract": "a"}\n'
        '{"id": "2401.00001v3", "title": "Renamed In Version Three", "abstract": "b"}\n'
    )
    report = read_inputs([path])
    assert (report.records_read, report.duplicates) == (2, 1)
    assert report.papers[0].sources == [f"{path}:1", f"{path}:2"]


def test_ids_stable_across_reads_and_files(tmp_path):
    (tmp_path / "one.txt").write_text("Same Title, Two Files\nThe first file has this abstract, and it is a full sentence.\n")
    (tmp_path / "two.csv").write_text('title,abstract\n"same title -- two files","The second file says it differently."\n')
    first = [p.id for p in iter_records([tmp_path])]
    second = [p.id for p in iter_records([tmp_path])]
    assert first == second == [title_id("Same Title, Two Files")] * 2
    assert first[0] == "t-" + hashlib.sha1(b"sametitletwofiles").hexdigest()[:12]


def test_stdin_detects_by_content(monkeypatch):
    data = '[{"title": "From A Pipe", "abstract": "Read from standard input."}]'.encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    report = read_inputs(["-"])
    assert [(p.title, p.sources) for p in report.papers] == [("From A Pipe", ["<stdin>:1"])]
    assert report.files == ["<stdin>"]


def pipe_with(data: bytes):
    """A real, unseekable pipe holding ``data`` (small enough for the pipe buffer)."""
    read_end, write_end = os.pipe()
    os.write(write_end, data)
    os.close(write_end)
    return io.TextIOWrapper(os.fdopen(read_end, "rb"))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_stdin_pipe_daily_listing(monkeypatch, encoding):
    data = (FIXTURES / "daily_adjacent.txt").read_text(encoding="utf-8").encode(encoding)
    stdin = pipe_with(data)
    monkeypatch.setattr(sys, "stdin", stdin)
    report = read_inputs(["-"])
    stdin.close()
    assert [p.sources for p in report.papers] == [["<stdin>:3"], ["<stdin>:5"], ["<stdin>:7"]]
    assert report.papers[2].title == "Lanternfish: Bioluminescent Signal Detection in Deep-Sea Video"


def test_directory_is_recursive_sorted_and_skips_hidden_and_unsupported(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "z.jsonl").write_text('{"title": "Z Paper", "abstract": "z"}\n')
    (tmp_path / "a.jsonl").write_text('{"title": "A Paper", "abstract": "a"}\n')
    (tmp_path / ".hidden.jsonl").write_text('{"title": "Hidden", "abstract": "h"}\n')
    (tmp_path / ".git" / "x.jsonl").write_text('{"title": "Git", "abstract": "g"}\n')
    (tmp_path / "notes.md").write_text("not a listing")
    report = read_inputs([tmp_path])
    assert report.files == [str(tmp_path / "a.jsonl"), str(tmp_path / "b" / "z.jsonl")]
    assert [p.title for p in report.papers] == ["A Paper", "Z Paper"]


def test_gold_file_keeps_its_ids():
    if not GOLD.exists():
        pytest.skip("shared gold file not present")
    expected = [json.loads(line)["id"] for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    report = read_inputs([GOLD])
    assert [p.id for p in report.papers] == expected
    assert report.duplicates == 0


def test_shared_corpus_figures():
    if not CORPUS.is_dir():
        pytest.skip("shared corpus not present beside the repository")
    report = read_inputs([CORPUS])
    assert (report.records_read, report.duplicates, len(report.papers)) == (287, 14, 273)
    assert report.skipped == []
    # Independently: the abstract lines are the long ones or full sentences; every one of
    # them must be the abstract of exactly one record.
    abstract_lines = []
    for path in sorted(CORPUS.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if len(line) > 300 or line.strip().endswith(".") and len(line) > 100:
                abstract_lines.append(line.strip())
    assert len(abstract_lines) == 287
    assert sorted(p.abstract for p in iter_records([CORPUS])) == sorted(abstract_lines)
    titles = {p.title for p in report.papers}
    glued = [line for path in CORPUS.glob("*.txt") for line in path.read_text(encoding="utf-8").splitlines()
             if line.startswith("Subscribe") and len(line) > len("Subscribe")]
    assert glued and all(line.removeprefix("Subscribe").strip() in titles for line in glued)
    assert not any("Subscribe" in t or "Get trending" in t or t == "new" for t in titles)
    may20 = [p for p in report.papers if any("may20" in s for s in p.sources)]
    assert len(may20) == 67 and all(p.date == "--05-20" for p in may20)
