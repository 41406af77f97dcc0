"""Property-based reader tests: whatever the input, every record is read or reported, never a traceback.

Files are generated from a known list of records (good, blank-titled, punctuation-only, huge,
NUL-carrying, wrongly typed ...) in every format and encoding, so the test knows how many
records are present and where each starts: read + skipped must equal that count, each skipped
record must name its own file:line, and each record read must carry its own title.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papergraph.errors import InputError
from papergraph.ingest import iter_records, read_inputs
from papergraph.ingest.records import collapse

#: Examples per property (RELIABILITY.md quotes these figures).
EXAMPLES = 150
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                               HealthCheck.too_slow])
LIMIT = 200_000  # max_record_bytes in these tests: a 100 KB abstract fits, a 300 KB one does not

# Text that stresses readers: quotes, delimiters, markup, RTL, combining marks, emoji, CR/LF, tabs.
_SPICE = st.sampled_from(['"', "'", ",", "\t", "\n", "\r\n", "\r", "<", ">", "&", "]]>", "\\", "{", "}", "[",
                          "\u202e", "\u05e9\u05dc\u05d5\u05dd", "e\u0301", "\U0001f600", "\u2211", "\ufeff",
                          "&amp;", "&lt;script&gt;", "\u2028", "  "])
TEXT = st.lists(st.one_of(st.text(max_size=12), _SPICE), max_size=8).map("".join)
PUNCT = st.text(alphabet="!?.,;:-—()[]{}'\"…*#/", min_size=1, max_size=12)


@st.composite
def records(draw):
    """A list of (fields, good?) pairs; ``fields`` may be deliberately bad."""
    out = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["good", "good", "good", "punct", "empty_title", "blank_abstract",
                                     "big_abstract", "nul", "typed", "too_long"]))
        title = draw(TEXT)
        abstract = draw(TEXT)
        if kind == "punct":
            title = draw(PUNCT)
        elif kind == "empty_title":
            title = draw(st.sampled_from(["", " ", "\t", "\n"]))
        elif kind == "blank_abstract":
            abstract = draw(st.sampled_from(["", "  ", "\r\n"]))
        elif kind == "big_abstract":
            abstract = "A 100 KB abstract. " * 5_300
        elif kind == "nul":
            title += "\x00"
        elif kind == "too_long":
            abstract = "x" * (LIMIT + 1)
        good = (bool(collapse(title)) and bool(abstract.strip()) and "\x00" not in title + abstract
                and kind not in ("typed", "too_long"))
        fields = {"id": f"r{len(out)}", "title": title, "abstract": abstract}
        if kind == "typed":
            fields["title"] = {"nested": [title]}
        out.append((fields, good))
    return out


def _jsonl(recs, ascii_):
    lines = [json.dumps(f, ensure_ascii=ascii_) for f, _ in recs]
    return "\n".join(lines) + "\n", list(range(1, len(recs) + 1))


def _json_array(recs, ascii_):
    body = ",\n".join(json.dumps(f, ensure_ascii=ascii_) for f, _ in recs)
    return "[\n" + body + "\n]\n", list(range(2, len(recs) + 2))


def _table(recs, delimiter):
    buf = io.StringIO()
    minimal = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    quote_all = csv.writer(buf, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)
    minimal.writerow(["id", "title", "abstract"])
    starts = []
    for f, _ in recs:
        starts.append(buf.getvalue().count("\n") + 1)
        title = f["title"] if isinstance(f["title"], str) else json.dumps(f["title"])
        # csv.writer leaves a lone CR unquoted when the line terminator is LF; a real writer quotes it
        writer = quote_all if "\r" in title + f["abstract"] else minimal
        writer.writerow([f["id"], title, f["abstract"]])
    return buf.getvalue(), starts


SERIALIZERS = {
    ".jsonl": lambda recs: _jsonl(recs, False),
    ".json": lambda recs: _json_array(recs, True),
    ".csv": lambda recs: _table(recs, ","),
    ".tsv": lambda recs: _table(recs, "\t"),
}


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-8-sig":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    if encoding == "utf-16":
        return text.encode("utf-16")  # with BOM
    return text.encode("utf-8")


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _csv_safe(recs):
    """CSV cannot carry a typed title; it arrives as text (a good record if it has a title)."""
    return [(f, good or (not isinstance(f["title"], str) and bool(f["abstract"].strip())
                          and "\x00" not in f["abstract"] and len(f["abstract"]) <= LIMIT))
            for f, good in recs]


@SETTINGS
@given(recs=records(), suffix=st.sampled_from(sorted(SERIALIZERS)),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]), crlf=st.booleans())
def test_every_record_read_or_reported(tmp_path, recs, suffix, encoding, crlf):
    if suffix in (".csv", ".tsv"):
        recs = _csv_safe(recs)
    text, starts = SERIALIZERS[suffix](recs)
    if crlf:
        text = _crlf(text)
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(_encode(text, encoding))
    if not recs:
        report = read_inputs([path], skip_bad=True, max_record_bytes=LIMIT)
        assert report.records_read == 0 and len(report.skipped) == 1  # "no records found"
        return
    report = read_inputs([path], skip_bad=True, max_record_bytes=LIMIT)
    assert report.records_read + len(report.skipped) == len(recs)
    expected_bad = [f"{path}:{line}" for (_, good), line in zip(recs, starts) if not good]
    assert [s.source for s in report.skipped] == expected_bad
    assert all(s.reason and "\n" not in s.reason for s in report.skipped)
    read = list(iter_records([path], skip_bad=True, max_record_bytes=LIMIT, skipped=[]))  # before merging
    good = [(f, line) for (f, ok), line in zip(recs, starts) if ok]
    assert len(read) == len(good) == report.records_read
    for paper, (fields, line) in zip(read, good):
        assert paper.id == fields["id"]
        assert paper.sources == [f"{path}:{line}"]
        if isinstance(fields["title"], str):
            assert paper.title == collapse(fields["title"])
        assert collapse(paper.abstract) == collapse(fields["abstract"])


@SETTINGS
@given(recs=records().filter(lambda r: r and all(isinstance(f["title"], str) for f, _ in r)))
def test_atom_entries_read_or_reported(tmp_path, recs):
    xml_ok = []  # characters XML 1.0 cannot carry become spaces, as a feed writer would do
    for f, good in recs:
        f = {**f, "title": _xml_chars(f["title"]), "abstract": _xml_chars(f["abstract"])}
        good = bool(collapse(f["title"])) and bool(f["abstract"].strip()) and len(f["abstract"]) <= LIMIT
        xml_ok.append((f, good))
    lines = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">']
    starts = []
    for f, _ in xml_ok:
        starts.append("\n".join(lines).count("\n") + 2)
        lines.append(f"<entry><id>{escape(f['id'])}</id><title>{_xml(f['title'])}</title>"
                     f"<summary>{_xml(f['abstract'])}</summary></entry>")
    lines.append("</feed>")
    path = tmp_path / "feed.xml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = read_inputs([path], skip_bad=True, max_record_bytes=LIMIT)
    if not xml_ok:
        return
    assert report.records_read + len(report.skipped) == len(xml_ok)
    assert [s.source for s in report.skipped] == [f"{path}:{n}" for (_, g), n in zip(xml_ok, starts) if not g]
    read = iter_records([path], skip_bad=True, max_record_bytes=LIMIT, skipped=[])
    assert [p.title for p in read] == [collapse(f["title"]) for f, g in xml_ok if g]


def _xml_chars(text: str) -> str:
    return "".join(c if c in "\t\n\r" or ord(c) >= 0x20 and c not in "\ufffe\uffff" else " " for c in text)


def _xml(text: str) -> str:
    """Text as XML character data (CR as a reference, so it survives end-of-line normalisation)."""
    return escape(text).replace("\r", "&#13;")


@SETTINGS
@given(recs=records().filter(bool), suffix=st.sampled_from(sorted(SERIALIZERS)), cut=st.floats(0, 1))
def test_truncated_file(tmp_path, recs, suffix, cut):
    """A file cut anywhere: the records before the cut are read, the rest reported or absent."""
    if suffix in (".csv", ".tsv"):
        recs = _csv_safe(recs)
    text, _ = SERIALIZERS[suffix](recs)
    data = text.encode("utf-8")
    data = data[: int(len(data) * cut)]
    path = tmp_path / f"cut{suffix}"
    path.write_bytes(data)
    report = read_inputs([path], skip_bad=True, max_record_bytes=LIMIT)
    assert all(s.source.startswith(str(path)) and s.reason for s in report.skipped)
    ids = [f["id"] for f, _ in recs]
    read = [p.id for p in report.papers]
    assert read == [i for i in ids if i in read]  # in order, each at most once, no invented record
    try:
        read_inputs([path], max_record_bytes=LIMIT)
    except InputError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)


@SETTINGS
@given(recs=records().filter(bool), suffix=st.sampled_from([".jsonl", ".csv", ".tsv", ".json"]))
def test_latin1_bytes_are_reported_per_record(tmp_path, recs, suffix):
    """A Latin-1 file read as UTF-8: records with accented bytes are reported, the rest read."""
    recs = [({**f, "title": (f["title"] if isinstance(f["title"], str) else {"nested": "t"})}, good)
            for f, good in recs]
    recs = [({**f, "title": f["title"] + " Caf\u00e9" if i % 2 and isinstance(f["title"], str) else f["title"]},
             good) for i, (f, good) in enumerate(recs)]
    recs = [({k: v.encode("latin-1", "replace").decode("latin-1") if isinstance(v, str) else v
              for k, v in f.items()}, good) for f, good in recs]
    if suffix in (".csv", ".tsv"):
        recs = _csv_safe(recs)
    text, starts = SERIALIZERS[suffix](recs) if suffix != ".json" else _json_array(recs, False)
    path = tmp_path / f"latin{suffix}"
    path.write_bytes(text.encode("latin-1"))
    report = read_inputs([path], skip_bad=True, max_record_bytes=LIMIT)
    assert report.records_read + len(report.skipped) == len(recs)
    for s in report.skipped:
        assert s.source.startswith(f"{path}:")
    for p in report.papers:
        assert "\ufffd" not in p.title and "\udce9" not in p.title


FUZZ_PIECES = st.sampled_from([
    b"\n", b"\r\n", b"\r", b"\x00", b"\xff", b"\xe9", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b'"', b",", b"\t",
    b"{", b"}", b"[", b"]", b'"title": "T", "abstract": "A"', b"title,abstract\n", b"<feed>", b"<entry>",
    b"</entry>", b"<title>", b"</title>", b"<summary>", b"<!DOCTYPE feed [<!ENTITY a 'aaaa'>]>", b"&a;",
    b'<!ENTITY x SYSTEM "file:///etc/passwd">', b"&x;", b"\\u0000", b"\\ud800", b"1e999", b"9" * 5000,
    b"[" * 3000, b"May 20\n", b"A Title\n", b"An abstract sentence with quite a few words in it to look long. Yes.\n",
])
FUZZ_BYTES = st.one_of(st.binary(max_size=400), st.lists(st.one_of(FUZZ_PIECES, st.binary(max_size=8)),
                                                         max_size=40).map(b"".join))


@settings(max_examples=2 * EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=FUZZ_BYTES, suffix=st.sampled_from([".jsonl", ".csv", ".txt", ".json", ".xml", ".tsv", ""]))
def test_arbitrary_bytes(tmp_path, data, suffix):
    """Any bytes under any name: strict mode raises only a one-line InputError naming the file;
    skip-bad mode never raises and every skipped item names the file (and a line if it has one)."""
    path = tmp_path / f"any{suffix}"
    path.write_bytes(data)
    report = read_inputs([path], skip_bad=True, max_record_bytes=500)
    assert all(s.source == str(path) or s.source.startswith(f"{path}:") for s in report.skipped)
    assert all(s.reason and "\n" not in s.reason for s in report.skipped)
    assert report.records_read == len(report.papers) + report.duplicates
    assert all(collapse(p.title) and p.abstract.strip() and "\x00" not in p.title + p.abstract for p in report.papers)
    try:
        strict = read_inputs([path], max_record_bytes=500)
    except InputError as exc:
        assert str(exc).startswith(str(path)) and "\n" not in str(exc)
    else:
        assert not report.skipped and strict.records_read == report.records_read


# ---- single examples: huge values that a property would make slow ----

def test_50_mb_line_is_reported_and_the_rest_read(tmp_path):
    path = tmp_path / "big.jsonl"
    good = b'{"title": "Small", "abstract": "A normal record."}\n'
    with open(path, "wb") as fh:
        fh.write(good)
        fh.write(b'{"title": "Huge", "abstract": "' + b"x" * 50_000_000 + b'"}\n')
        fh.write(good.replace(b"Small", b"After"))
    report = read_inputs([path], skip_bad=True)
    assert [p.title for p in report.papers] == ["Small", "After"]
    assert [(s.source, s.reason) for s in report.skipped] == [(f"{path}:2", "line too long (50.0 MB > 1.0 MB limit)")]
    with pytest.raises(InputError, match=r":2: line too long \(50\.0 MB"):
        read_inputs([path])


@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_deeply_nested_and_huge_json_values(tmp_path, suffix):
    deep = '{"title": "Deep", "abstract": "a", "extra": ' + "[" * 200_000 + "]" * 200_000 + "}"
    digits = '{"title": "Digits", "abstract": "a", "n": ' + "9" * 100_000 + "}"
    wide = json.dumps({"title": "Wide", "abstract": "a", "extra": list(range(100_000))})
    ok = '{"title": "Fine", "abstract": "a"}'
    path = tmp_path / f"values{suffix}"
    if suffix == ".jsonl":
        path.write_text("\n".join([deep, digits, wide, ok]) + "\n")
        report = read_inputs([path], skip_bad=True)
        assert [p.title for p in report.papers] == ["Wide", "Fine"]
        assert [s.source for s in report.skipped] == [f"{path}:1", f"{path}:2"]
    else:
        path.write_text("[\n" + ",\n".join([wide, ok, digits, deep]) + "\n]\n")
        report = read_inputs([path], skip_bad=True)
        assert [p.title for p in report.papers] == ["Wide", "Fine"]
        assert report.skipped[0].source == f"{path}:4"
    assert all("\n" not in s.reason for s in report.skipped)


def test_atom_entities_are_refused_not_expanded(tmp_path):
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    for name, doctype in [("laughs", f'<!DOCTYPE feed [<!ENTITY l0 "lol">{laughs}]>'),
                          ("xxe", f'<!DOCTYPE feed [<!ENTITY x SYSTEM "file://{tmp_path}/secret">]>'),
                          ("dtd", '<!DOCTYPE feed SYSTEM "http://127.0.0.1:9/evil.dtd">')]:
        (tmp_path / "secret").write_text("TOPSECRET")
        path = tmp_path / f"{name}.xml"
        body = "<entry><title>&l9;&x;</title><summary>s</summary></entry>" if name != "dtd" else \
            "<entry><title>T</title><summary>s</summary></entry>"
        path.write_text(f'<?xml version="1.0"?>\n{doctype}\n<feed xmlns="http://www.w3.org/2005/Atom">{body}</feed>\n')
        report = read_inputs([path], skip_bad=True)
        assert all("TOPSECRET" not in p.title and "lol" not in p.title for p in report.papers)
        if name != "dtd":
            assert report.papers == []
            assert report.skipped[0].source == f"{path}:2"
            assert "not allowed" in report.skipped[0].reason


def test_csv_ragged_rows_and_embedded_newlines(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_bytes(b'title,abstract\r\n"Multi\r\nLine Title","An abstract\nover lines."\r\n'
                     b"only one field\r\n"
                     b"a,b,c,d\r\n"
                     b'"Unclosed,"quote\r\n'
                     b'Last,"Fine, really."\r\n')
    report = read_inputs([path], skip_bad=True)
    assert report.records_read + len(report.skipped) == 5
    assert [p.title for p in report.papers] == ["Multi Line Title", "Last"]
    assert report.papers[0].abstract == "An abstract\nover lines."  # the record spans lines 2-4
    assert [s.source for s in report.skipped] == [f"{path}:{n}" for n in (5, 6, 7)]
    assert report.skipped[0].reason == "row has 1 field, the header has 2"


def test_punctuation_only_titles_are_distinct_papers(tmp_path):
    """Titles that fold to nothing must not all share one derived id (and merge into one paper)."""
    path = tmp_path / "punct.jsonl"
    path.write_text("\n".join(json.dumps({"title": t, "abstract": a}) for t, a in
                              [("???", "First abstract."), ("!!!", "Second abstract."), ("\U0001f600", "Third."),
                               ("???", "First abstract.")]) + "\n")
    report = read_inputs([path])
    assert [p.title for p in report.papers] == ["???", "!!!", "\U0001f600"]
    assert len({p.id for p in report.papers}) == 3
    assert report.duplicates == 1


WORD = st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Nd")), min_size=2, max_size=9)


@SETTINGS
@given(pairs=st.lists(st.tuples(st.lists(WORD, min_size=2, max_size=8).map(" ".join),
                                st.sampled_from(["good", "nul", "bad_byte", "crlf"])), min_size=1, max_size=8))
def test_daily_listing_pairs_read_or_reported(tmp_path, pairs):
    """A daily listing of title/abstract pairs, some lines spoiled: each pair read or reported once."""
    abstract = "We study this problem in depth. Our method is simple and strong, and it works well. " * 4
    chunks, starts = [], []
    line = 1
    for i, (title, kind) in enumerate(pairs):
        title = f"Paper {i} {title}"
        starts.append(line)
        body = (title.encode() + b"\n" + abstract.encode() + b"\n\n")
        if kind == "nul":
            body = body.replace(b"depth", b"de\x00pth", 1)
        elif kind == "bad_byte":
            body = body.replace(b"Paper", b"Pap\xe9r", 1)
        elif kind == "crlf":
            body = body.replace(b"\n", b"\r\n")
        chunks.append(body)
        line += 3
    path = tmp_path / "listing.txt"
    path.write_bytes(b"".join(chunks))
    report = read_inputs([path], skip_bad=True)
    assert report.records_read + len(report.skipped) == len(pairs)
    bad_lines = {"nul": 1, "bad_byte": 0}
    assert [s.source for s in report.skipped] == [f"{path}:{start + bad_lines[k]}" for (_, k), start in
                                                  zip(pairs, starts) if k in bad_lines]


def test_cli_skip_bad_reports_every_record(tmp_path):
    """The CLI in --skip-bad mode: exit 0, one warning line per skipped record with file:line;
    without it: exit 1 and a one-line error, never a traceback."""
    import subprocess
    import sys
    from pathlib import Path

    (tmp_path / "a.jsonl").write_bytes(b'{"title": "Good One", "abstract": "We use BERT on GLUE."}\n'
                                       b'{"title": "\\u0000", "abstract": "x"}\n{oops\n'
                                       b'{"title": "Latin \xe9", "abstract": "y"}\n[1]\n')
    (tmp_path / "b.csv").write_bytes(b'title,abstract\r\n"Good\r\nTwo","Fine."\r\nragged\r\n"!!!","Only punctuation."\r\n')
    (tmp_path / "c.json").write_bytes(b'[{"title": "Good Three", "abstract": "a"}, {"title": ""}, ' + b"[" * 50_000 + b"]")
    (tmp_path / "d.xml").write_bytes(b'<?xml version="1.0"?>\n<!DOCTYPE feed [<!ENTITY a "x">]>\n<feed/>\n')
    present = 5 + 3 + 3 + 1
    exe = Path(sys.executable).with_name("papergraph")
    cmd = [str(exe), "extract", str(tmp_path), "-o", str(tmp_path / "out.jsonl")]
    strict = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert strict.returncode == 1
    assert strict.stderr.count("\n") == 1 and strict.stderr.startswith(f"Error: {tmp_path / 'a.jsonl'}:2: ")
    assert not (tmp_path / "out.jsonl").exists()
    lenient = subprocess.run(cmd + ["--skip-bad"], capture_output=True, text=True, timeout=300)
    assert lenient.returncode == 0, lenient.stderr
    assert "Traceback" not in lenient.stderr + lenient.stdout
    warnings = [ln for ln in lenient.stderr.splitlines() if ln.startswith("warning: skipped ")]
    summary = dict(ln.split(":", 1) for ln in lenient.stdout.splitlines() if ln.startswith("records "))
    read, skipped = int(summary["records read"]), int(summary["records skipped"])
    assert read + skipped == present and skipped == len(warnings) and read == 4
    assert all(w.split()[2].startswith(str(tmp_path)) for w in warnings)
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 4
