#!/usr/bin/env python3
"""Build ``src/papergraph/data/kb.tsv``, papergraph's knowledge of named things.

Usage::

    python3 scripts/build_kb.py                  # ../shared/kb + the package's kb_extra.tsv
    python3 scripts/build_kb.py -o /tmp/kb.tsv   # elsewhere (the tests compare it byte for byte)

Inputs, read in this order (the first source of a merged row gives its ``kb_id``):

1. ``../shared/kb/benchmarks.tsv``, ``models.tsv``, ``metrics.tsv`` (public name lists; see
   their README for the sources and commits) -> types Benchmark, Model, Metric.
2. ``src/papergraph/data/kb_extra.tsv``: hand-written, same columns, source ``papergraph``,
   ``kind`` one of model, model_family, benchmark, metric, method, task.
3. ``src/papergraph/data/kb_curation.tsv``: per-entry decisions ``kb_id action value``:
   ``drop`` (not safe as a name), ``type`` (a different concept type, e.g. RAG is a Method),
   ``match`` (force ``exact-case`` or ``fold``), ``drop-alias`` (an alias that means other things).

Rules:

* ``kb_id`` is ``<first source>:<its id>`` (``lm_eval:gsm8k``, ``hf_transformers:llama``,
  ``papergraph:model/gpt-4``); ``source``, ``source_id`` and ``url`` keep every merged source
  as ``|`` lists in the same order.
* Aliases made only of lower-case letters (and ``_``) are source identifiers (``alpaca`` for
  AlpacaEval, ``alignment`` for AlignBench, ``natural_question``); they would match ordinary
  words, so they are dropped; those of ``kb_extra.tsv`` are written on purpose ("summarization" for
  text summarization) and kept. Aliases equal to the name after normalisation are dropped too.
* Normalisation (as in :mod:`papergraph.knowledge`): NFKC, ``+`` -> ``plus``, drop everything
  but letters and digits; folded keys are also case-folded.
* A row of ``kb_extra.tsv`` whose folded name or alias equals an earlier row's folded name,
  with the same type, is merged into it (that is how the hand-written file adds aliases).
* ``match``: ``exact-case`` when a surface could be an ordinary word: for Model and Benchmark
  any surface made of letters only whose words are lower case, Capitalised or ALL CAPS
  ("Falcon", "MATH", "Depth Anything"); for Metric, Method and Task a one-word surface of
  letters with two capitals or more ("mAP", "COMET", "PPO"). Otherwise ``fold``. In an
  exact-case entry, multi-word surfaces of Metrics, Methods and Tasks still fold
  ("mean absolute error"); :mod:`papergraph.knowledge` applies that.
* Output rows are sorted by type, then folded name, then ``kb_id``; the file is UTF-8 with
  ``\\n`` line ends, so two runs give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "papergraph" / "data"
SHARED = ROOT.parent / "shared" / "kb"
TYPES = ("Model", "Benchmark", "Method", "Task", "Metric")
KINDS = {"model": "Model", "model_family": "Model", "benchmark": "Benchmark", "metric": "Metric",
         "method": "Method", "task": "Task"}
SHARED_FILES = (("benchmarks.tsv", "Benchmark"), ("models.tsv", "Model"), ("metrics.tsv", "Metric"))
COLUMNS = ("kb_id", "name", "type", "aliases", "source", "source_id", "url", "match")
_NON_ALNUM = re.compile(r"[\W_]+")
_WORD_CASED = re.compile(r"^(?:[a-z]+|[A-Z][a-z]*|[A-Z]+)(?:[\s-]+(?:[a-z]+|[A-Z][a-z]*|[A-Z]+))*$")


def norm(text: str) -> str:
    """Letters and digits only (``+`` spelled ``plus``), case kept."""
    return _NON_ALNUM.sub("", unicodedata.normalize("NFKC", text).replace("+", "plus"))


def folded(text: str) -> str:
    """:func:`norm`, case-folded."""
    return norm(text).casefold()


def read_tsv(path: Path) -> list[dict]:
    """Rows of a TSV file with a header line (lines starting with ``#`` are comments)."""
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [ln for ln in fh if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def read_curation(path: Path) -> dict[str, list[tuple[str, str]]]:
    """``kb_id`` -> its ``(action, value)`` decisions."""
    out: dict[str, list[tuple[str, str]]] = {}
    for n, row in enumerate(read_tsv(path), 2):
        if row["action"] not in ("drop", "type", "match", "drop-alias"):
            sys.exit(f"{path}:{n}: unknown action {row['action']!r}")
        out.setdefault(row["kb_id"], []).append((row["action"], row.get("value") or ""))
    return out


def make_entry(row: dict, typ: str) -> dict:
    """An entry from one source row, before curation."""
    sources, ids = row["source"].split("|"), row["source_id"].split("|")
    urls = row["url"].split("|") if row["url"] else [""] * len(sources)
    aliases = [a.strip() for a in row["aliases"].split("|") if a.strip()]
    return {"kb_id": f"{sources[0]}:{ids[0]}", "name": row["name"].strip(), "type": typ, "aliases": aliases,
            "source": sources, "source_id": ids, "url": urls,
            "written": set(aliases) if sources[0] == "papergraph" else set()}


def curate(entry: dict, decisions: list[tuple[str, str]]) -> dict | None:
    """Apply the curation decisions of one entry (None when dropped)."""
    for action, value in decisions:
        if action == "drop":
            return None
        if action == "type":
            if value not in TYPES:
                sys.exit(f"curation {entry['kb_id']}: type {value!r} is not one of {TYPES}")
            entry["type"] = value
        elif action == "match":
            entry["match"] = value
        elif action == "drop-alias":
            entry["aliases"] = [a for a in entry["aliases"] if a != value]
    return entry


def clean_aliases(entry: dict) -> None:
    """Drop identifier aliases (lower-case letters and ``_`` only, unless hand-written: "summarization")
    and aliases equal to the name or an earlier alias after normalisation (case kept: "Llama" stays an
    alias of "LLaMA")."""
    seen, out = {norm(entry["name"])}, []
    for a in entry["aliases"]:
        identifier = re.fullmatch(r"[a-z]+(?:_[a-z]+)*", a) and a not in entry["written"]
        if identifier or not norm(a) or norm(a) in seen:
            continue
        seen.add(norm(a))
        out.append(a)
    entry["aliases"] = out


def match_mode(entry: dict) -> str:
    """``exact-case`` when one of the entry's surfaces could be an ordinary word, else ``fold``."""
    if entry.get("match"):
        return entry["match"]
    for s in (entry["name"], *entry["aliases"]):
        if entry["type"] in ("Model", "Benchmark"):
            if _WORD_CASED.match(s):
                return "exact-case"
        elif s.isalpha() and sum(c.isupper() for c in s) >= 2:
            return "exact-case"
    return "fold"


def merge(into: dict, entry: dict) -> None:
    """Add another source's entry to a row: its sources and its (new) aliases."""
    for k in ("source", "source_id", "url"):
        into[k] = into[k] + entry[k]
    into["written"] |= entry["written"]
    for a in (entry["name"], *entry["aliases"]):
        if a != into["name"] and a not in into["aliases"]:
            into["aliases"].append(a)
    if entry.get("match"):
        into["match"] = entry["match"]


def build(shared: Path, extra: Path, curation: Path) -> list[dict]:
    """All entries, curated, merged and sorted."""
    decisions = read_curation(curation)
    entries: list[dict] = []
    for fname, typ in SHARED_FILES:
        entries.extend(make_entry(r, typ) for r in read_tsv(shared / fname))
    for n, row in enumerate(read_tsv(extra), 2):
        if row.get("kind") not in KINDS:
            sys.exit(f"{extra}:{n}: kind {row.get('kind')!r} is not one of {', '.join(KINDS)}")
        entries.append(make_entry(row, KINDS[row["kind"]]))
    ids = [e["kb_id"] for e in entries]
    if len(set(ids)) != len(ids):
        sys.exit(f"duplicate kb_id: {sorted({i for i in ids if ids.count(i) > 1})}")
    unknown = set(decisions) - set(ids)
    if unknown:
        sys.exit(f"{curation}: no such kb_id: {', '.join(sorted(unknown))}")
    rows: list[dict] = []
    by_key: dict[tuple[str, str], dict] = {}
    for e in entries:
        e = curate(e, decisions.get(e["kb_id"], []))
        if e is None:
            continue
        clean_aliases(e)
        hit = by_key.get((e["type"], folded(e["name"])))
        if hit is None and e["source"][0] == "papergraph":
            hit = next((by_key[(e["type"], folded(a))] for a in e["aliases"] if (e["type"], folded(a)) in by_key), None)
        if hit is not None:
            merge(hit, e)
            clean_aliases(hit)
        else:
            rows.append(e)
        target = hit or e
        for s in (target["name"], *target["aliases"]):
            by_key.setdefault((target["type"], folded(s)), target)
    for e in rows:
        e["match"] = match_mode(e)
    rows.sort(key=lambda e: (TYPES.index(e["type"]), folded(e["name"]), e["name"], e["kb_id"]))
    return rows


def write(rows: list[dict], out: Path) -> None:
    """Write ``kb.tsv`` (tab-separated, ``|`` inside a cell, a header line)."""
    lines = ["\t".join(COLUMNS)]
    for e in rows:
        cells = [e["kb_id"], e["name"], e["type"], "|".join(e["aliases"]), "|".join(e["source"]),
                 "|".join(e["source_id"]), "|".join(e["url"]) if any(e["url"]) else "", e["match"]]
        if any("\t" in c or "\n" in c for c in cells):
            sys.exit(f"{e['kb_id']}: a value holds a tab or a newline")
        lines.append("\t".join(cells))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED, help="folder of the shared kb lists")
    ap.add_argument("--extra", type=Path, default=DATA / "kb_extra.tsv")
    ap.add_argument("--curation", type=Path, default=DATA / "kb_curation.tsv")
    ap.add_argument("-o", "--output", type=Path, default=DATA / "kb.tsv")
    a = ap.parse_args(argv)
    rows = build(a.shared, a.extra, a.curation)
    write(rows, a.output)
    print(f"{a.output}: {len(rows)} entries", file=sys.stderr)


if __name__ == "__main__":
    main()
