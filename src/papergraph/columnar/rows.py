"""One paper's extraction -> flat rows of the columnar tables, and a part of rows -> Parquet files.

Tables (one Parquet file per part in ``<dir>/<table>/part-NNNNN.parquet``):

* ``papers``: the Paper node's properties;
* ``members``: one row per concept a paper names (what resolution groups by ``root``), with the
  paper -> concept edge's properties and ``best`` set on the row that becomes the paper's edge to
  that node (the strongest role, then the highest confidence, as :mod:`papergraph.graph` picks);
* ``relations``: concept -> concept relations with the node keys of their two names;
* ``results``: Result nodes, and ``result_links`` their ON / OF / MEASURED_BY names' node keys.

A name of a relation or result is its paper's own concept of that name (``*_own`` true) or else,
as ``Canonicalization.key_for`` reads it, whatever node has the name's key in the corpus (checked
against the concept table later).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..model import ROLES, Paper, PaperExtraction
from ..nlp.canonical import is_acronym
from ..resolve.normalize import clean_name, lexicon, norm_key
from .keys import Keys

__all__ = ["SCHEMAS", "paper_rows", "write_part", "TABLES"]

_RANK = {r: i for i, r in enumerate(("proposed", "compared", "used", "mentioned"))}
_S, _I, _F, _B = pa.string(), pa.int64(), pa.float64(), pa.bool_()
_L = pa.list_(pa.string())

SCHEMAS = {
    "papers": pa.schema([("id", _S), ("title", _S), ("abstract", _S), ("date", _S), ("url", _S),
                         ("authors", _L), ("categories", _L), ("sources", _L)]),
    "members": pa.schema([("paper_id", _S), ("pos", _I), ("name", _S), ("clean", _S), ("root", _S),
                          ("type", _S), ("role", _S), ("confidence", _F), ("scores", _S), ("evidence", _S),
                          ("field", _S), ("start", _I), ("end", _I), ("rules", _L), ("belongs", _L),
                          ("best", _B)]),
    "relations": pa.schema([("paper_id", _S), ("pos", _I), ("type", _S), ("evidence", _S), ("confidence", _F),
                            ("rule", _S), ("src", _S), ("src_own", _B), ("dst", _S), ("dst_own", _B)]),
    "results": pa.schema([("id", _S), ("paper_id", _S), ("value", _F), ("unit", _S), ("kind", _S),
                          ("direction", _S), ("text", _S), ("evidence", _S), ("metric", _S), ("benchmark", _S),
                          ("subject", _S), ("field", _S), ("start", _I), ("end", _I)]),
    "result_links": pa.schema([("result", _S), ("type", _S), ("root", _S), ("own", _B)]),
}
TABLES = tuple(SCHEMAS)


def paper_rows(paper: Paper, ex: PaperExtraction, keys: Keys, out: dict[str, list]) -> None:
    """Append the rows of one paper to ``out`` (table name -> list of row dicts)."""
    pid = paper.id
    out["papers"].append({"id": pid, "title": paper.title, "abstract": paper.abstract, "date": paper.date,
                          "url": paper.url, "authors": list(paper.authors), "categories": list(paper.categories),
                          "sources": sorted(paper.sources)})
    own = keys.definitions(ex.concepts)
    lex = lexicon()
    members, assigned, best = [], {}, {}
    for pos, c in enumerate(ex.concepts):
        name, acr = clean_name(c.name)
        if name.casefold() in lex.not_concepts:
            continue
        k = keys.key(name)
        root = keys.root(own.get(k, k) if is_acronym(name) else k)
        surfaces = [name] + ([acr] if acr else []) + list(c.aliases)
        belongs = [s for s in dict.fromkeys(surfaces) if keys.root(keys.key(s)) == root
                   or (is_acronym(s) and keys.root(own.get(keys.key(s), "\0")) == root)]
        role = c.role if c.role in ROLES else "mentioned"
        m = c.mentions[0] if c.mentions else None
        scores = {t: s for t, s in c.type_scores.items()} if c.type_scores else None
        row = {"paper_id": pid, "pos": pos, "name": c.name, "clean": name, "root": root, "type": c.type,
               "role": role, "confidence": float(c.confidence),
               "scores": json.dumps(scores) if scores else None, "evidence": c.evidence,
               "field": m.field if m else "", "start": m.start if m else -1, "end": m.end if m else -1,
               "rules": list(c.rules), "belongs": belongs, "best": False}
        members.append(row)
        assigned[c.name] = root
        cur = best.get(root)
        if cur is None or (_RANK[role], -row["confidence"]) < (_RANK[cur["role"]], -cur["confidence"]):
            best[root] = row
    for row in best.values():
        row["best"] = True
    out["members"].extend(members)

    def node(name):
        if not name:
            return None, False
        if name in assigned:
            return assigned[name], True
        return keys.root(norm_key(name)[0]), False

    for pos, r in enumerate(ex.relations):
        (s, so), (t, to) = node(r.source), node(r.target)
        if s and t and s != t:
            out["relations"].append({"paper_id": pid, "pos": pos, "type": r.type, "evidence": r.evidence,
                                     "confidence": float(r.confidence), "rule": r.rule or None,
                                     "src": s, "src_own": so, "dst": t, "dst_own": to})
    for i, r in enumerate(ex.results):
        rid = f"{pid}:{i}"
        out["results"].append({"id": rid, "paper_id": pid, "value": float(r.value), "unit": r.unit,
                               "kind": r.kind, "direction": r.direction, "text": r.text, "evidence": r.evidence,
                               "metric": r.metric, "benchmark": r.benchmark, "subject": r.subject,
                               "field": r.field, "start": r.start, "end": r.end})
        for rel, name in (("ON", r.benchmark), ("OF", r.subject), ("MEASURED_BY", r.metric)):
            k, o = node(name)
            if k:
                out["result_links"].append({"result": rid, "type": rel, "root": k, "own": o})


def write_part(pairs, directory: str | os.PathLike, part: int, keys: Keys) -> int:
    """Write the rows of ``pairs`` ((Paper, PaperExtraction) ...) as part ``part`` of every table.

    Returns:
        The number of papers written.
    """
    out: dict[str, list] = {t: [] for t in TABLES}
    n = 0
    for paper, ex in pairs:
        paper_rows(paper, ex, keys, out)
        n += 1
    for table, rows in out.items():
        d = Path(directory) / table
        d.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[table]), d / f"part-{part:05d}.parquet")
    return n
