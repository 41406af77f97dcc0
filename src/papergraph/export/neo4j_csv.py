"""Bulk-import CSVs for ``neo4j-admin database import full`` (the fast path for big graphs).

One node file per label (``id:ID(<Label>)``, ``:LABEL`` with a concept's type label too, typed
properties such as ``paper_count:int`` and ``aliases:string[]``) and one relationship file per
(type, start label, end label) (``:START_ID(<Label>)``, ``:END_ID(<Label>)``, ``:TYPE``). Ids live in one ID space per
label because they are unique per label only. ``import.sh`` holds the exact command.
Properties are the ones the Bolt loader writes (:func:`papergraph.neo4j.rows.graph_rows`).
"""

from __future__ import annotations

import math
import os
import shlex
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from ..errors import OutputError
from ..neo4j.rows import PAPER_LINK_TYPES, graph_rows, type_label
from .atomic import atomic_open, make_dir

__all__ = ["ImportFiles", "write_neo4j_import", "ARRAY_DELIMITER"]

#: Array elements are joined with U+001F (unit separator): author names may hold ';' or ','.
ARRAY_DELIMITER = "\x1f"
_INT32 = (-(2**31), 2**31 - 1)


@dataclass
class ImportFiles:
    """What :func:`write_neo4j_import` wrote."""

    directory: Path
    nodes: list[Path] = field(default_factory=list)
    relationships: list[Path] = field(default_factory=list)
    command: Path | None = None
    multiline: list[Path] = field(default_factory=list)  # the files with a line break in a cell

    def admin_args(self, database: str = "neo4j", *, relative: bool = False) -> list[str]:
        """``neo4j-admin`` arguments (after ``neo4j-admin``) importing these files into ``database``;
        only the files in ``multiline`` are parsed as multi-line (documented as much slower)."""
        name = (lambda p: p.name) if relative else (lambda p: str(p.resolve()))
        multiline = (["--multiline-fields-format=v2", "--multiline-fields=" + ",".join(name(p) for p in self.multiline)]
                     if self.multiline else [])
        return (["database", "import", "full", database, "--overwrite-destination", "--array-delimiter=U+001F",
                 "--id-type=string", "--skip-bad-relationships=false", "--skip-duplicate-nodes=false"]
                + [f"--nodes={name(p)}" for p in self.nodes]
                + [f"--relationships={name(p)}" for p in self.relationships] + multiline)


def write_neo4j_import(G: nx.MultiDiGraph, outdir: str | os.PathLike, *, database: str = "neo4j",
                       source: str | os.PathLike | None = None) -> ImportFiles:
    """Write ``G`` as neo4j-admin import CSVs plus ``import.sh`` into ``outdir``.

    Args:
        G: a papergraph graph.
        outdir: directory to write (created; earlier ``nodes-*.csv``/``rels-*.csv`` are replaced).
        database: the database name used in ``import.sh``.
        source: the build directory, named in import.sh's advice when no neo4j-admin is found.

    Returns:
        The files written.

    Raises:
        InputError: the graph does not follow papergraph's schema.
        OutputError: a file could not be written, or a value holds the array delimiter U+001F.

    Example:
        >>> files = write_neo4j_import(G, "out/neo4j-import")
        >>> files.command.read_text()  # doctest: +SKIP
    """
    node_groups, rel_groups = graph_rows(G)
    for g in node_groups:
        if g.label == "Concept":  # what the Bolt loader recounts from the database
            for node, row in zip(g.nodes, g.rows):
                row["props"]["paper_count"] = _paper_count(G, node)
    out = make_dir(Path(outdir))
    for stale in [*out.glob("nodes-*.csv"), *out.glob("rels-*.csv")]:
        try:
            stale.unlink()
        except OSError as e:
            raise OutputError(f"{stale}: cannot remove: {e.strerror or e}") from None
    files = ImportFiles(out)
    for g in node_groups:
        if g.rows:
            path = out / f"nodes-{g.label}.csv"
            if _write_csv(path, [f"id:ID({g.label})", ":LABEL"],
                          [[r["id"], _labels(g.label, r["props"])] for r in g.rows], [r["props"] for r in g.rows],
                          skip={"id"}):
                files.multiline.append(path)
            files.nodes.append(path)
    for g in rel_groups:
        path = out / f"rels-{g.type}-{g.start_label}-{g.end_label}.csv"
        if _write_csv(path, [f":START_ID({g.start_label})", f":END_ID({g.end_label})", ":TYPE"],
                      [[r["start"], r["end"], g.type] for r in g.rows], [r["props"] for r in g.rows], skip=set()):
            files.multiline.append(path)
        files.relationships.append(path)
    for path in files.nodes + files.relationships:
        if not path.is_symlink() and path.is_file():  # never chmod a device an output path links to
            path.chmod(0o644)  # atomic_open's temp files follow the umask; the Neo4j user may differ
    files.command = out / "import.sh"
    args = [shlex.quote(a) for a in files.admin_args(database, relative=True)]
    command = " ".join(args[:4]) + "".join(f" \\\n  {a}" for a in args[4:])
    with atomic_open(files.command) as fh:
        fh.write("#!/bin/sh\n# Bulk-import this directory into an empty Neo4j 5 database (stop the server first;\n"
                 f"# --overwrite-destination replaces database {database!r}). Then start the server and run\n"
                 "# cypher/schema.cypher (constraints and indexes), e.g. with `papergraph load --schema-only`.\n"
                 "# NEO4J_ADMIN names the neo4j-admin to run [default: neo4j-admin on PATH]. papergraph's own\n"
                 "# local server (papergraph neo4j start) has none: `papergraph neo4j import` does all of this.\n"
                 'set -e\ncd "$(dirname "$0")"\n'
                 'if [ -z "${NEO4J_ADMIN:-}" ] && ! command -v neo4j-admin >/dev/null 2>&1; then\n'
                 "  echo 'import.sh: neo4j-admin not found: set NEO4J_ADMIN to the bin/neo4j-admin of your Neo4j;"
                 f" with papergraph'\\''s local server run: papergraph neo4j import {_sh_word(source)}' >&2\n"
                 "  exit 127\nfi\n"
                 f"${{NEO4J_ADMIN:-neo4j-admin}} {command}\n")
    if not files.command.is_symlink() and files.command.is_file():
        files.command.chmod(0o755)
    return files


def _sh_word(source) -> str:
    """The build directory for a message in single quotes (no quote in it), else a placeholder."""
    text = str(source) if source is not None else ""
    return text if text and all(c.isalnum() or c in "/._-~+" for c in text) else "BUILD_DIR"


def _labels(label: str, props: dict) -> str:
    """The ``:LABEL`` cell: a concept's type label too (``Concept`` U+001F ``Model``), as the loader sets it."""
    extra = type_label(props) if label == "Concept" else None
    return label + ARRAY_DELIMITER + extra if extra else label


def _paper_count(G: nx.MultiDiGraph, node) -> int:
    """Distinct papers linking to the concept ``node`` (as ``papergraph load`` recounts it)."""
    return len({u for u, _, k in G.in_edges(node, keys=True)
                if k in PAPER_LINK_TYPES and G.nodes[u].get("label") == "Paper"})


def _write_csv(path: Path, id_header: list[str], id_cells: list[list], props: list[dict], *, skip: set) -> bool:
    """One CSV: identity columns, then one typed column per property name (sorted). True if a
    cell holds a line break."""
    columns = sorted({k for p in props for k in p} - skip)
    types = {k: _column_type([p[k] for p in props if k in p]) for k in columns}
    header = id_header + [f"{k}:{types[k]}" for k in columns]
    breaks = False
    with atomic_open(path) as fh:
        fh.write(",".join(_quote(h) for h in header) + "\n")
        for ids, p in zip(id_cells, props):
            line = ",".join([_quote(str(v)) for v in ids] + [_format(p.get(k), types[k], path) for k in columns])
            breaks = breaks or "\n" in line or "\r" in line
            fh.write(line + "\n")
    return breaks


def _column_type(values: list) -> str:
    """The neo4j-admin type of a column holding ``values`` (cleaned property values)."""
    scalar = [v for x in values for v in (x if isinstance(x, list) else [x])]
    if all(isinstance(v, bool) for v in scalar):
        base = "boolean"
    elif all(isinstance(v, int) and not isinstance(v, bool) for v in scalar):
        base = "int" if all(_INT32[0] <= v <= _INT32[1] for v in scalar) else "long"
    elif all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in scalar):
        base = "double"
    else:
        base = "string"
    return base + "[]" if any(isinstance(x, list) for x in values) else base


def _format(value, ctype: str, path: Path) -> str:
    """One cell: empty (no property) for None, else a quoted value in the column's type."""
    if value is None:
        return ""
    items = value if isinstance(value, list) else [value]
    parts = [_scalar(v, ctype.removesuffix("[]")) for v in items]
    for s in parts:
        if ARRAY_DELIMITER in s:
            raise OutputError(f"{path}: a value holds U+001F, the array delimiter of the import files: {s[:60]!r}")
    return _quote(ARRAY_DELIMITER.join(parts))


def _scalar(v, base: str) -> str:
    if base == "boolean":
        return "true" if v else "false"
    if base == "double":
        v = float(v)
        if math.isnan(v):
            return "NaN"
        return repr(v) if math.isfinite(v) else ("Infinity" if v > 0 else "-Infinity")
    return str(v).lower() if isinstance(v, bool) else str(v)


def _quote(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'
