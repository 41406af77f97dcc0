"""Arrow tables -> ``neo4j-admin database import full`` CSV parts (headers as ``export neo4j-import``).

Each node label and relationship group is one header file plus one data file per part, all
imported as one source (``--nodes=h.csv,p0.csv,...``). Cells follow :mod:`papergraph.export.neo4j_csv`:
every value quoted, a missing value (None, an empty list) an empty cell, arrays joined with
U+001F. Column types are fixed by the schema rather than read from the values. A part with a line
break in a cell is named ``*.part-N.multiline.csv``: neo4j-admin parses only those as multi-line
(``--multiline-fields``, which it documents as much slower).
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from ..errors import OutputError
from ..export.neo4j_csv import ARRAY_DELIMITER

__all__ = ["NODE_COLUMNS", "REL_COLUMNS", "MULTILINE", "write_part", "write_header", "write_import_script"]

#: The name ending of a part with a line break in a cell.
MULTILINE = ".multiline.csv"

#: Property columns (name, neo4j-admin type) of each label, sorted as export neo4j-import sorts them.
NODE_COLUMNS = {
    "Paper": [("abstract", "string"), ("authors", "string[]"), ("categories", "string[]"), ("date", "string"),
              ("degree", "int"), ("pagerank", "double"), ("sources", "string[]"), ("title", "string"),
              ("url", "string")],
    "Concept": [("aliases", "string[]"), ("community", "int"), ("confidence", "double"), ("degree", "int"),
                ("kb_id", "string"), ("kb_source", "string"), ("merge_reasons", "string[]"), ("name", "string"),
                ("pagerank", "double"), ("paper_count", "int"), ("type", "string"), ("type_votes", "string"),
                ("url", "string")],
    "Result": [("benchmark", "string"), ("direction", "string"), ("evidence", "string"), ("kind", "string"),
               ("metric", "string"), ("subject", "string"), ("text", "string"), ("unit", "string"),
               ("value", "double")],
}
_PAPER_EDGE = [("confidence", "double"), ("end", "int"), ("evidence", "string"), ("field", "string"),
               ("role", "string"), ("rules", "string[]"), ("start", "int")]
#: Property columns of each relationship type.
REL_COLUMNS = {
    **{t: _PAPER_EDGE for t in ("PROPOSES", "USES", "EVALUATES_ON", "COMPARES_WITH", "MENTIONS")},
    "RELATION": [("confidence", "double"), ("evidence", "string"), ("rules", "string[]")],
    "CO_OCCURS": [("npmi", "double"), ("weight", "int")],
    "SIMILAR_TO": [("score", "double"), ("shared", "int")],
    "REPORTS": [("end", "int"), ("field", "string"), ("start", "int")],
    "ON": [], "OF": [], "MEASURED_BY": [],
}


def node_header(label: str) -> list[str]:
    return [f"id:ID({label})", ":LABEL"] + [f"{k}:{t}" for k, t in NODE_COLUMNS[label]]


def rel_header(rtype: str, start: str, end: str) -> list[str]:
    cols = REL_COLUMNS.get(rtype, REL_COLUMNS["RELATION"])
    return [f":START_ID({start})", f":END_ID({end})", ":TYPE"] + [f"{k}:{t}" for k, t in cols]


def write_header(path: Path, header: list[str]) -> None:
    """The one-line header file of a node or relationship group."""
    path.write_text(",".join('"' + h.replace('"', '""') + '"' for h in header) + "\n", encoding="utf-8")


def _cell(arr: pa.ChunkedArray | pa.Array, ctype: str, path: Path) -> pa.Array:
    if ctype.endswith("[]"):
        arr = arr.cast(pa.list_(pa.string()))
        joined = pc.binary_join(arr, ARRAY_DELIMITER)
        empty = pc.fill_null(pc.equal(pc.list_value_length(arr), 0), True)
        arr = pc.if_else(empty, pa.scalar(None, pa.string()), joined)
    elif ctype == "string":
        arr = arr.cast(pa.string())
        bad = pc.any(pc.match_substring(arr, ARRAY_DELIMITER)).as_py()
        if bad:
            raise OutputError(f"{path}: a value holds U+001F, the array delimiter of the import files")
    return arr


def _breaks(arr: pa.ChunkedArray | pa.Array) -> bool:
    return pa.types.is_string(arr.type) and bool(pc.any(pc.match_substring_regex(arr, "[\r\n]")).as_py())


def write_part(table: pa.Table, ids: list[str], columns: list[tuple[str, str]], path: Path) -> int:
    """Write the rows of ``table`` as one headerless CSV part: the identity columns ``ids`` (names
    in ``table``), then ``columns`` (name, type), a missing column being empty. Returns the rows.
    ``path`` (``*.csv``) ends in :data:`MULTILINE` instead if a cell holds a line break."""
    arrays, names = [], []
    for i, name in enumerate(ids):
        arrays.append(table[name].cast(pa.string()))
        names.append(f"c{i}")
    for name, ctype in columns:
        arr = table[name] if name in table.column_names else pa.nulls(
            table.num_rows, pa.list_(pa.string()) if ctype.endswith("[]") else pa.string())
        arrays.append(_cell(arr, ctype, path))
        names.append(name)
    if any(_breaks(a) for a in arrays):
        path = path.with_name(path.name.removesuffix(".csv") + MULTILINE)
    opts = pcsv.WriteOptions(include_header=False, quoting_style="all_valid")
    pcsv.write_csv(pa.table(arrays, names=names), path, write_options=opts)
    return table.num_rows


def write_import_script(d: Path, args: list[str]) -> Path:
    """``import.sh``: ``neo4j-admin`` with ``args`` (file names relative to ``d``)."""
    q = [shlex.quote(a) for a in args]
    path = d / "import.sh"
    path.write_text("#!/bin/sh\n# Bulk-import this directory into an empty Neo4j 5 database (stop the server first;\n"
                    "# --overwrite-destination replaces it). Then start the server and run cypher/schema.cypher\n"
                    "# (e.g. `papergraph load --schema-only`). NEO4J_ADMIN names the neo4j-admin to run.\n"
                    'set -e\ncd "$(dirname "$0")"\n'
                    "${NEO4J_ADMIN:-neo4j-admin} " + " ".join(q[:4]) + "".join(f" \\\n  {a}" for a in q[4:]) + "\n",
                    encoding="utf-8")
    path.chmod(0o755)
    return path
