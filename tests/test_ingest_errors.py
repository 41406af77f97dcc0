"""Readers on bad input: one-line errors naming file and line, ``skip_bad``, fuzzing."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papergraph.errors import InputError
from papergraph.ingest import Skipped, read_inputs

GOOD = b'{"title": "A Good Record", "abstract": "Still read when others are skipped."}\n'
UNKNOWN = (
    "unknown format: extension '.pdf'; expected a daily-papers listing (.txt), JSON Lines (.jsonl), "
    "a JSON array (.json), CSV (.csv), TSV (.tsv) or arXiv Atom XML (.xml)"
)
NO_ABSTRACT = "record has no abstract (expected an 'abstract' or 'summary' field)"

# (file name, content, expected message after "path", number of records present in the file)
CASES = [
    ("empty.jsonl", b"", ": empty file (no records)", 0),
    ("blank.txt", b"\xef\xbb\xbf \n\n", ": empty file (no records)", 0),
    ("doc.pdf", b"%PDF-1.7\n\x00\x01\x02", f": {UNKNOWN}", 0),
    ("bad.jsonl", GOOD + b'{"title": "x" "abstract": "y"}\n', ":2: malformed JSON: Expecting ',' delimiter (column 15)", 2),
    ("notitle.jsonl", GOOD + b'{"abstract": "y"}\n', ":2: record has no title", 2),
    ("blanktitle.jsonl", GOOD + b'{"title": " \\t ", "abstract": "y"}\n', ":2: record has no title", 2),
    ("noabs.jsonl", GOOD + b'{"title": "T"}\n', f":2: {NO_ABSTRACT}", 2),
    ("wsabs.jsonl", GOOD + b'{"title": "T", "summary": "\\n  "}\n', f":2: {NO_ABSTRACT}", 2),
    ("latin1.jsonl", GOOD + '{"title": "Caf\u00e9", "abstract": "y"}\n'.encode("latin-1"),
     ":2: invalid UTF-8 byte 0xE9 at column 15 (save the file as UTF-8)", 2),
    ("nul.jsonl", GOOD + b'{"title": "T",\x00 "abstract": "y"}\n', ":2: NUL byte at column 15 (binary data in a text file?)", 2),
    ("nulescape.jsonl", GOOD + b'{"title": "T\\u0000", "abstract": "y"}\n',
     ":2: field 'title' contains the invalid character U+0000", 2),
    ("dict.jsonl", GOOD + b'{"title": {"text": "T"}, "abstract": "y"}\n', ":2: field 'title' must be a string, not an object", 2),
    ("deep.jsonl", GOOD + b'{"title": ' + b"[" * 100_000 + b"]" * 100_000 + b', "abstract": "y"}\n',
     ":2: malformed JSON: nested too deeply", 2),
    ("array.jsonl", GOOD + b"[1, 2]\n", ":2: expected a JSON object, got an array", 2),
    ("id.jsonl", GOOD + b'{"id": [1], "title": "T", "abstract": "y"}\n', ":2: field 'id' must be a string or an integer, not a list", 2),
    ("long.jsonl", GOOD + b'{"title": "T", "abstract": "' + b"x" * 5_000_000 + b'"}\n',
     ":2: line too long (5.0 MB > 1.0 MB limit)", 2),
    ("ragged.csv", b"title,abstract\nA Title,An abstract.\nB Title,extra,field\n", ":3: row has 3 fields, the header has 2", 2),
    ("header.csv", b"name,text\nA,B\n", ":1: the header row has no 'title' column (found: 'name', 'text')", 0),
    ("chrome.txt", b"new\nSubscribe\n\nDaily Papers\n", ": no records found (read as a daily-papers listing)", 0),
    ("arr.json", b'[\n {"title": "A", "abstract": "a"},\n {"title": "B" "abstract": "b"}\n]\n',
     ":3: malformed JSON: Expecting ',' delimiter (column 16)", 2),
    ("trail.json", b'[{"title": "A", "abstract": "a"}]\n[\n', ":2: unexpected data after the JSON array", 2),
    ("open.json", b'[{"title": "A", "abstract": "a"},\n', ":2: malformed JSON array: missing ']' at the end of the file", 2),
    ("orphan.txt", b"A Lonely Title\nThis abstract has a title. It has two sentences, so it is one.\n"
     b"This second paragraph stands alone and is long enough to be an abstract as it has more than twelve words.\n\n"
     b"Another Title Without Its Abstract\nAnd Another Title\nWith a short abstract that ends here.\n",
     ":5: title without an abstract: 'Another Title Without Its Abstract'", 3),
    ("first.txt", b"This abstract comes first, without any title above it, so it cannot be kept.\n",
     ":1: abstract without a title: 'This abstract comes first, without any title above it, so i…'", 1),
    ("feed.xml", b'<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
     b"<feed><entry><title>&b;</title><summary>s</summary></entry></feed>\n",
     ":2: XML entity declarations and external references are not allowed", 1),
    ("broken.xml", b'<feed xmlns="http://www.w3.org/2005/Atom">\n<entry><title>T</title><summary>S</summary></entry>\n'
     b"<entry><title>U</entry>\n</feed>\n", ":3: malformed XML: mismatched tag", 2),
    ("nosummary.xml", b'<feed xmlns="http://www.w3.org/2005/Atom">\n<entry>\n<title>T</title>\n</entry>\n</feed>\n',
     f":2: {NO_ABSTRACT}", 1),
    ("rss.xml", b"<rss><channel/></rss>", ":1: not an arXiv Atom feed: the root element is <rss>, expected <feed>", 0),
]


@pytest.mark.parametrize("name, content, message, present", CASES, ids=[c[0] for c in CASES])
def test_bad_input_message(tmp_path, name, content, message, present):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_inputs([path])
    assert str(info.value) == f"{path}{message}"
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("name, content, message, present", CASES, ids=[c[0] for c in CASES])
def test_skip_bad_counts_every_record(tmp_path, name, content, message, present):
    path = tmp_path / name
    path.write_bytes(content)
    report = read_inputs([path, tmp_path / "missing.jsonl"], skip_bad=True)
    where, reason = message.split(": ", 1)
    assert report.skipped[0] == Skipped(f"{path}{where}", reason)
    assert report.skipped[-1] == Skipped(str(tmp_path / "missing.jsonl"), "no such file or directory")
    records_skipped = len(report.skipped) - 1
    if present:
        assert report.records_read + records_skipped == present
    assert report.files == [str(path)]


def test_missing_path(tmp_path):
    with pytest.raises(InputError) as info:
        read_inputs([tmp_path / "nope.csv"])
    assert str(info.value) == f"{tmp_path / 'nope.csv'}: no such file or directory"


def test_directory_without_supported_files(tmp_path):
    (tmp_path / "readme.md").write_text("# notes")
    with pytest.raises(InputError) as info:
        read_inputs([tmp_path])
    assert str(info.value) == (
        f"{tmp_path}: no supported files in directory "
        "(looked for .atom, .csv, .json, .jsonl, .jsonlines, .ndjson, .tab, .text, .tsv, .txt, .xml)"
    )


def test_custom_record_limit(tmp_path):
    path = tmp_path / "small.jsonl"
    path.write_bytes(GOOD + b'{"title": "T", "abstract": "' + b"y " * 1500 + b'"}\n')
    with pytest.raises(InputError) as info:
        read_inputs([path], max_record_bytes=2_500)
    assert str(info.value) == f"{path}:2: line too long (0.0 MB > 0.0 MB limit)"
    assert read_inputs([path], max_record_bytes=3_100).records_read == 2


def test_skip_bad_continues_after_bad_files_and_records(tmp_path):
    (tmp_path / "a.jsonl").write_bytes(b"{oops\n" + GOOD + b'{"title": "No Abstract"}\n')
    (tmp_path / "b.txt").write_bytes(b"")
    (tmp_path / "c.csv").write_bytes(b"title,abstract\nCSV Title,CSV abstract.\nonly-one-field\n")
    report = read_inputs([tmp_path], skip_bad=True)
    assert [p.title for p in report.papers] == ["A Good Record", "CSV Title"]
    assert [s.source for s in report.skipped] == [
        f"{tmp_path / 'a.jsonl'}:1",
        f"{tmp_path / 'a.jsonl'}:3",
        str(tmp_path / "b.txt"),
        f"{tmp_path / 'c.csv'}:3",
    ]
    assert report.records_read == 2


def test_daily_bad_line_takes_its_record_with_it(tmp_path):
    path = tmp_path / "listing.txt"
    path.write_bytes(
        b"First Title\nFirst abstract with enough words to be an abstract on its own line.\n"
        b"Second \xff Title\nSecond abstract with enough words to be an abstract on its own line.\n"
        b"Third Title\nThird abstract with enough words to be \x00 an abstract on its own line.\n"
        b"Fourth Title\nFourth abstract with enough words to be an abstract on its own line.\n"
    )
    report = read_inputs([path], skip_bad=True)
    assert [p.title for p in report.papers] == ["First Title", "Fourth Title"]
    assert [s.source for s in report.skipped] == [f"{path}:3", f"{path}:6"]
    assert report.records_read + len(report.skipped) == 4


# Fuzzing: whatever the bytes, reading fails only with InputError, never a traceback.
FUZZ_SUFFIXES = (".jsonl", ".csv", ".txt", ".json", ".xml", ".tsv")
FUZZ_PIECES = st.sampled_from([
    b"\n", b"\r\n", b"\x00", b"\xff", b"\xef\xbb\xbf", b"\xff\xfe", b'"', b",", b"\t", b"{", b"}", b"[", b"]",
    b'"title"', b'"abstract"', b":", b"title,abstract\n", b"<feed>", b"<entry>", b"</entry>", b"<title>",
    b"</title>", b"<summary>", b"\\u0000", b"\\ud800", b"Subscribe", b"May 20\n", b"A Title\n",
    b"An abstract sentence with quite a few words in it to look long. Yes.\n", b"1e999", b"-" * 40,
])
FUZZ_BYTES = st.one_of(st.binary(max_size=400), st.lists(st.one_of(FUZZ_PIECES, st.binary(max_size=8)), max_size=40).map(b"".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=FUZZ_BYTES, suffix=st.sampled_from(FUZZ_SUFFIXES))
def test_arbitrary_bytes_never_crash(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    report = read_inputs([path], skip_bad=True, max_record_bytes=200)
    assert report.records_read == len(report.papers) + report.duplicates
    assert all(p.title.strip() and p.abstract.strip() for p in report.papers)
    try:
        strict = read_inputs([path], max_record_bytes=200)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert strict.records_read == report.records_read and not report.skipped
