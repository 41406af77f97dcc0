"""Two directories of Neo4j import files compared as sets: the same nodes, relationships and values?

Groups are matched by name (``nodes-Paper``, ``rels-USES-Paper-Concept`` ...) whether a group is
one file (``papergraph export neo4j-import``) or a header and parts (the columnar build). A row is
its identity cells and its non-empty properties, each read in its column's type, so formatting
(``0.5`` vs ``5e-01``, a column absent vs empty) does not count; ``ignore`` drops properties
that are known to differ; PageRank is compared to ``pagerank_tol``.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from ..export.neo4j_csv import ARRAY_DELIMITER

__all__ = ["read_groups", "compare_import_dirs"]


def _group_files(d: Path) -> dict[str, list[Path]]:
    out: dict[str, list[Path]] = {}
    for p in sorted(d.glob("*.csv")):
        name = p.name
        if ".part-" in name:
            g = name.split(".part-")[0]
        elif name.endswith(".header.csv"):
            g = name[: -len(".header.csv")]
        else:
            g = name[:-4]
        out.setdefault(g, []).append(p)
    return out


def _value(cell: str, ctype: str):
    base = ctype.removesuffix("[]")
    parts = cell.split(ARRAY_DELIMITER) if ctype.endswith("[]") else [cell]
    conv = {"int": int, "long": int, "double": float, "float": float, "boolean": lambda s: s == "true"}.get(base, str)
    vals = tuple(conv(x) for x in parts)
    return vals if ctype.endswith("[]") else vals[0]


def read_groups(d: str | Path, ignore: set[str] = frozenset()) -> dict[str, list[tuple]]:
    """Group name -> rows: (identity cells..., sorted ((property, value), ...))."""
    csv.field_size_limit(1 << 30)
    out = {}
    for g, files in _group_files(Path(d)).items():
        heads = [p for p in files if ".part-" not in p.name]
        header, rows = None, []
        for p in heads + [p for p in files if ".part-" in p.name]:
            with open(p, newline="", encoding="utf-8") as fh:
                reader = csv.reader(fh)
                if p in heads:
                    header = next(reader)
                rows.extend(reader)
        ident = [i for i, h in enumerate(header) if h.startswith((":", "id:"))]
        props = [(i, *h.split(":", 1)) for i, h in enumerate(header) if i not in ident]
        out[g] = [tuple(row[i] for i in ident) + (tuple(sorted(
            (name, _value(row[i], t)) for i, name, t in props if row[i] != "" and name not in ignore)),)
            for row in rows]
    return out


def compare_import_dirs(a: str | Path, b: str | Path, *, ignore: set[str] = frozenset({"viz", "community"}),
                        pagerank_tol: float = 1e-7, limit: int = 5) -> list[str]:
    """Differences between the import files in ``a`` and ``b`` (empty: the same database)."""
    ga, gb = read_groups(a, ignore | {"pagerank"}), read_groups(b, ignore | {"pagerank"})
    diffs = [f"group {g} only in {a if g in ga else b}" for g in sorted(set(ga) ^ set(gb))]
    for g in sorted(set(ga) & set(gb)):
        ca, cb = Counter(ga[g]), Counter(gb[g])
        only_a, only_b = list((ca - cb).elements()), list((cb - ca).elements())
        if only_a or only_b:
            diffs.append(f"{g}: {len(only_a)} rows only in {a}, {len(only_b)} only in {b}; e.g. "
                         f"{only_a[:limit]} / {only_b[:limit]}")
    if "pagerank" not in ignore:
        pa_, pb = _pageranks(a), _pageranks(b)
        bad = [k for k in pa_.keys() | pb.keys() if abs(pa_.get(k, -1) - pb.get(k, -1)) > pagerank_tol]
        if bad:
            diffs.append(f"pagerank differs on {len(bad)} nodes, e.g. {sorted(bad)[:limit]}")
    return diffs


def _pageranks(d: str | Path) -> dict:
    out = {}
    for g, rows in read_groups(d).items():
        if g.startswith("nodes-"):
            for row in rows:
                pr = dict(row[-1]).get("pagerank")
                if pr is not None:
                    out[(g, row[0])] = pr
    return out
