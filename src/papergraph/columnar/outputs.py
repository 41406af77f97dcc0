"""Client-side outputs of the graph stage: concept nodes, VARIANT_OF, SIMILAR_TO, CO_OCCURS parts,
and the CSV headers and ``import.sh`` that tie the parts together."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..model import CONCEPT_TYPES
from . import analytics, csvout

__all__ = ["relations_meta", "variants_out", "cooccurrence_task", "similar_out", "concepts_out", "headers",
           "join_parts"]

_PART = re.compile(r"^(nodes|rels)-(.+)\.part-\d+(?:\.multiline)?\.csv$")


def relations_meta() -> pd.DataFrame:
    """The columns of a relations partition after :func:`.tasks.relations_part`."""
    obj = pd.Series([], dtype=object)
    return pd.DataFrame({"paper_id": obj, "pos": pd.Series([], dtype="int64"), "type": obj, "evidence": obj,
                         "confidence": pd.Series([], dtype="float64"), "rule": obj, "src": obj,
                         "src_own": pd.Series([], dtype=bool), "dst": obj, "dst_own": pd.Series([], dtype=bool),
                         "src_id": obj, "dst_id": obj, "src_code": pd.Series([], dtype="int64"),
                         "dst_code": pd.Series([], dtype="int64")})


def _write(table: pa.Table, out: Path, group: str, name: str, part: int, ids: list[str], columns) -> None:
    d = out / "parquet" / group
    d.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, d / f"part-{part:05d}.parquet")
    csvout.write_part(table, ids, columns, out / "neo4j-import" / f"{name}.part-{part:05d}.csv")


def variants_out(out: Path, variants: list[tuple[str, str]]) -> None:
    """``VARIANT_OF`` (evidence "", confidence 0.8, as the networkx graph has them)."""
    if not variants:
        return
    t = pa.table({"src_id": [v for v, _ in variants], "dst_id": [f for _, f in variants],
                  "type": ["VARIANT_OF"] * len(variants), "evidence": [""] * len(variants),
                  "confidence": [0.8] * len(variants)})
    _write(t, out, "edges/variant_of", "rels-VARIANT_OF-Concept-Concept", 99999, ["src_id", "dst_id", "type"],
           csvout.REL_COLUMNS["RELATION"])


def cooccurrence_task(inc, lo: int, hi: int, ids, out: Path, part: int, min_papers: int, npmi_min: float):
    """One range of concepts' ``CO_OCCURS`` (written as a part); returns (a, b, weight) codes.
    ``ids``: the concept ids by code (held in a :class:`.tasks.Held`)."""
    ids = ids.value
    a, b, w, s = analytics.cooccurrence_chunk(inc, lo, hi, min_papers=min_papers, npmi_min=npmi_min)
    none = pa.array([], pa.string())
    t = pa.table({"a": ids[a] if len(a) else none, "b": ids[b] if len(b) else none,
                  "type": pa.array(["CO_OCCURS"] * len(a), pa.string()), "weight": w, "npmi": s})
    _write(t, out, "edges/co_occurs", "rels-CO_OCCURS-Concept-Concept", part, ["a", "b", "type"],
           csvout.REL_COLUMNS["CO_OCCURS"])
    return a, b, w.astype(np.int32)


def similar_out(chunks: list, paper_index: pd.Index, out: Path, rows: int = 1_000_000):
    """One ``SIMILAR_TO`` per unordered pair (the later paper's find wins, as in the networkx
    graph), lower id to higher id; written in parts; returns the (a, b) codes."""
    if not chunks:
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    i = np.concatenate([c[0] for c in chunks]).astype(np.int64)
    j = np.concatenate([c[1] for c in chunks]).astype(np.int64)
    s = np.concatenate([c[2] for c in chunks])
    k = np.concatenate([c[3] for c in chunks])
    a, b = np.minimum(i, j), np.maximum(i, j)
    order = np.lexsort((np.arange(len(a)), b, a))
    a, b, s, k = a[order], b[order], s[order], k[order]
    last = np.ones(len(a), dtype=bool)
    last[:-1] = (a[1:] != a[:-1]) | (b[1:] != b[:-1])
    a, b, s, k = a[last], b[last], np.round(s[last], 4), k[last]
    ids = paper_index.to_numpy(dtype=object)
    for part, lo in enumerate(range(0, len(a), rows)):
        sl = slice(lo, lo + rows)
        t = pa.table({"a": ids[a[sl]], "b": ids[b[sl]], "type": ["SIMILAR_TO"] * len(a[sl]),
                      "score": s[sl], "shared": k[sl]})
        _write(t, out, "edges/similar_to", "rels-SIMILAR_TO-Paper-Paper", part, ["a", "b", "type"],
               csvout.REL_COLUMNS["SIMILAR_TO"])
    return a.astype(np.int32), b.astype(np.int32)


def concepts_out(concepts: pd.DataFrame, out: Path) -> None:
    """The Concept nodes (one part: a row per concept, not per mention)."""
    cols = ["id"] + [c for c, _ in csvout.NODE_COLUMNS["Concept"]]
    t = pa.Table.from_pandas(concepts[cols], preserve_index=False)
    d = out / "parquet" / "nodes" / "concepts"
    d.mkdir(parents=True, exist_ok=True)
    pq.write_table(t, d / "part-00000.parquet")
    # a concept's type label too ("Concept" U+001F "Model"), as the Bolt loader and export neo4j-import set it
    labels = [f"Concept{csvout.ARRAY_DELIMITER}{x}" if x in CONCEPT_TYPES else "Concept" for x in concepts["type"]]
    t = t.append_column(":LABEL", pa.array(labels))
    csvout.write_part(t, ["id", ":LABEL"], csvout.NODE_COLUMNS["Concept"],
                      out / "neo4j-import" / "nodes-Concept.part-00000.csv")


def headers(out: Path, database: str = "neo4j") -> Path:
    """Each group's parts joined (:func:`join_parts`), its header file, and ``import.sh``."""
    d = out / "neo4j-import"
    for p in d.glob("*.part-*.csv"):
        if not p.stat().st_size:
            p.unlink()
    join_parts(d)
    for (kind, name), _ in _groups(d).items():
        head = d / f"{kind}-{name}.header.csv"
        if kind == "nodes":
            csvout.write_header(head, csvout.node_header(name))
        else:
            rtype, start, end = name.rsplit("-", 2)
            csvout.write_header(head, csvout.rel_header(rtype, start, end))
    return csvout.write_import_script(d, admin_args(d, database, relative=True))


def join_parts(d: Path) -> None:
    """Each group's parts (headerless CSV) as one file, ``part-00000.csv``, and the parts with a line
    break in a cell as another, ``part-00001.multiline.csv``: the time neo4j-admin takes before it
    starts importing grows with the number of files (at 1M papers 27-32 s from 841 files, 6-14 s
    from 38; the join took 10 s)."""
    for (kind, name), parts in _groups(d).items():
        plain = [p for p in parts if not p.name.endswith(csvout.MULTILINE)]
        for i, same in enumerate((plain, [p for p in parts if p.name.endswith(csvout.MULTILINE)])):
            if len(same) < 2:
                continue
            target = d / f"{kind}-{name}.part-{i:05d}{csvout.MULTILINE if i else '.csv'}"
            tmp = target.with_name(target.name + ".tmp")
            with open(tmp, "wb") as fh:
                for p in same:
                    with open(p, "rb") as part:
                        shutil.copyfileobj(part, fh, 1 << 22)
            for p in same:
                p.unlink()
            tmp.replace(target)


def _groups(d: Path) -> dict[tuple[str, str], list[Path]]:
    groups: dict[tuple[str, str], list[Path]] = {}
    for p in sorted(d.glob("*.part-*.csv")):
        m = _PART.match(p.name)
        if m:
            groups.setdefault((m.group(1), m.group(2)), []).append(p)
    return dict(sorted(groups.items()))


def admin_args(d: str | Path, database: str = "neo4j", *, relative: bool = False) -> list[str]:
    """``neo4j-admin`` arguments importing the import directory ``d`` into ``database``; only the
    parts named ``*.multiline.csv`` are parsed as multi-line."""
    d = Path(d)
    name = (lambda p: p.name) if relative else (lambda p: str(p.resolve()))
    args = ["database", "import", "full", database, "--overwrite-destination", "--array-delimiter=U+001F",
            "--id-type=string", "--skip-bad-relationships=false", "--skip-duplicate-nodes=false"]
    multiline = []
    for (kind, g), parts in _groups(d).items():
        files = [d / f"{kind}-{g}.header.csv"] + parts
        args.append(f"--{'nodes' if kind == 'nodes' else 'relationships'}=" + ",".join(name(p) for p in files))
        multiline += [name(p) for p in parts if p.name.endswith(csvout.MULTILINE)]
    if multiline:
        args += ["--multiline-fields-format=v2", "--multiline-fields=" + ",".join(multiline)]
    return args
