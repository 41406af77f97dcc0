"""Store concept annotations as offsets into the shared corpus, and rebuild gold JSONL from them.

The repo must not copy corpus text, so ``data/annotations/corpus-silver.jsonl`` holds one line per
annotated paper::

    {"paper": "t-...", "source": "daily-papers-may20.txt", "split": "train",
     "names": [[field, start, end], ...],          # one per concept (group), null if not found
     "spans": [[field, start, end, type, role, group], ...]}

``spans`` are every case-insensitive, whole-word occurrence (a plural "s"/"es" included) of a
concept's name or aliases in the title or abstract; ``group`` is the concept's index in the paper,
so the aliases of one concept share it. ``names`` points at the canonical name (without a plural
suffix) so that ``materialise`` can rebuild the gold-format concepts from the corpus text.

Usage::

    python training/annotations.py build [--ann FILE ...] [--test-last 57] [-o data/annotations/corpus-silver.jsonl]
    python training/annotations.py materialise --corpus ../shared/corpus [--split test] [-o OUT.jsonl]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from papergraph.errors import PapergraphError
from papergraph.ingest import read_inputs
from papergraph.model import title_id

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "data" / "annotations" / "corpus-silver.jsonl"
DEFAULT_ANN = ("/tmp/annot/ann-1.jsonl", "/tmp/annot/ann-2.jsonl")
FIELDS = ("title", "abstract")


def surface_pattern(form: str) -> re.Pattern:
    """A case-insensitive whole-word pattern for a surface form, allowing a plural ("s", "es", "y"->"ies")."""
    return re.compile(rf"(?<!\w){_body(form)}(?:e?s)?(?!\w)", re.IGNORECASE)


def _body(form: str) -> str:
    """The regex for a form's words: any whitespace between words, "-" also matching "--" (LaTeX)."""
    body = r"\s+".join(re.escape(w).replace(r"\-", "-+") for w in form.split())
    return body[:-1] + "(?:y|ies)" if re.search(r"[a-z]y$", form) else body


def find_spans(texts: dict[str, str], concepts: list[dict]) -> tuple[list[list], list]:
    """Locate every occurrence of each concept's name and aliases.

    Args:
        texts: ``{"title": ..., "abstract": ...}``.
        concepts: gold-format concepts (``name``, ``type``, ``aliases``, ``role``).

    Returns:
        ``(spans, names)``: spans as ``[field, start, end, type, role, group]`` sorted by position
        (a span claimed by two concepts goes to the first), and per concept the
        ``[field, start, end]`` of its name without plural suffix (``None`` when not found).
    """
    spans: dict[tuple[str, int, int], list] = {}
    names: list = []
    for group, c in enumerate(concepts):
        name_ref, exact = None, False
        forms = [c["name"]] + [a for a in c.get("aliases") or [] if a]
        for k, form in enumerate(forms):
            pat = surface_pattern(form)
            for fld in FIELDS:
                for m in pat.finditer(texts[fld]):
                    spans.setdefault((fld, m.start(), m.end()), [fld, m.start(), m.end(), c["type"], c["role"], group])
                    if k == 0 and (name_ref is None or (not exact and m.group().startswith(form))):
                        stem = re.match(_body(form), m.group(), re.IGNORECASE)
                        name_ref = [fld, m.start(), m.start() + stem.end()]
                        exact = m.group().startswith(form)
        names.append(name_ref)
    order = {f: i for i, f in enumerate(FIELDS)}
    return sorted(spans.values(), key=lambda s: (order[s[0]], s[1], -s[2])), names


def build(ann_paths: list[str], *, test_last: int, corpus: str) -> list[dict]:
    """Convert annotation files into offset records; the last ``test_last`` rows of the last file are "test"."""
    sources = {p.id: p.sources for p in read_inputs([corpus]).papers}
    rows = []
    for i, path in enumerate(ann_paths):
        with open(path, encoding="utf-8") as fh:
            lines = [(n, ln) for n, ln in enumerate(fh, 1) if ln.strip()]
        for j, (n, line) in enumerate(lines):
            try:
                ann = json.loads(line)
                texts = {"title": ann["title"], "abstract": ann["abstract"]}
                concepts = ann["concepts"]
            except (json.JSONDecodeError, KeyError, TypeError) as e:
                raise SystemExit(f"{path}:{n}: not a gold-format paper: {e}")
            pid = title_id(ann["title"])
            if pid not in sources:
                raise SystemExit(f"{path}:{n}: paper {pid} is not in the corpus {corpus}")
            spans, names = find_spans(texts, concepts)
            is_test = i == len(ann_paths) - 1 and j >= len(lines) - test_last
            rows.append({"paper": pid, "source": os.path.basename(sources[pid][0].rsplit(":", 1)[0]),
                         "split": "test" if is_test else "train", "names": names, "spans": spans})
    return rows


def materialise(rows: list[dict], *, corpus: str, split: str | None = None) -> list[dict]:
    """Rebuild gold-format papers (``id`` = the title id) from offset records and the corpus text."""
    papers = {}
    for p in read_inputs([corpus]).papers:
        papers.setdefault(title_id(p.title), p)
    out = []
    for n, row in enumerate(rows, 1):
        if split and row["split"] != split:
            continue
        p = papers.get(row["paper"])
        if p is None:
            raise SystemExit(f"annotations:{n}: paper {row['paper']} is not in the corpus {corpus}")
        texts = {"title": p.title, "abstract": p.abstract}
        concepts = []
        for group, ref in enumerate(row["names"]):
            mine = [s for s in row["spans"] if s[5] == group]
            if not mine:
                continue
            name = texts[ref[0]][ref[1]:ref[2]] if ref else texts[mine[0][0]][mine[0][1]:mine[0][2]]
            aliases, seen = [], {name.casefold()}
            for fld, start, end, *_ in mine:
                text = texts[fld][start:end]
                if text.casefold() not in seen:
                    seen.add(text.casefold())
                    aliases.append(text)
            concepts.append({"name": name, "type": mine[0][3], "aliases": aliases, "role": mine[0][4]})
        out.append({"id": row["paper"], "title": p.title, "abstract": p.abstract, "concepts": concepts})
    return out


def read_rows(path: str | os.PathLike) -> list[dict]:
    """Read an offsets file."""
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def write_jsonl(rows: list[dict], path: str | os.PathLike | None) -> None:
    """Write JSON Lines to ``path`` (``None`` or ``"-"``: stdout)."""
    text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    if path in (None, "-"):
        sys.stdout.write(text)
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    b = sub.add_parser("build", help="annotation JSONL -> offsets file")
    b.add_argument("--ann", nargs="+", default=list(DEFAULT_ANN))
    b.add_argument("--test-last", type=int, default=57, help="rows at the end of the last file held out")
    b.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    b.add_argument("-o", "--out", default=str(DEFAULT_OUT))
    m = sub.add_parser("materialise", help="offsets file + corpus -> gold-format JSONL")
    m.add_argument("--corpus", required=True)
    m.add_argument("--annotations", default=str(DEFAULT_OUT))
    m.add_argument("--split", choices=("train", "test"))
    m.add_argument("-o", "--out", default="-")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "build":
            write_jsonl(build(a.ann, test_last=a.test_last, corpus=a.corpus), a.out)
        else:
            write_jsonl(materialise(read_rows(a.annotations), corpus=a.corpus, split=a.split), a.out)
    except PapergraphError as e:
        raise SystemExit(str(e))


if __name__ == "__main__":
    main()
