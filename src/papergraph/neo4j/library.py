"""The cypher/ query library: find, list, parse and run the ``.cypher`` files.

Each query file starts with ``//`` comment lines (the first says what it answers, the second
``// Parameters: ...`` documents them), then ONE Cypher statement that runs as-is in Neo4j
Browser and shows its rows there. Its parameters are written as plain values:

* a first line ``WITH 'GPT-4' AS concept, 2 AS min_papers``: each literal is a parameter's
  default value and type; ``papergraph query`` sends ``WITH $concept AS concept, ...`` instead,
  with the defaults overridden by ``--param``;
* a final ``LIMIT 10``: the parameter ``limit`` (Cypher allows no variable in LIMIT); sent as
  ``LIMIT $limit``.

Browser runs a text holding several ``;``-separated statements (``:param`` lines, then a query)
in its multi-statement mode, which shows each statement's status but no table or graph; so the
files hold no ``:param`` line and no ``;`` but the one ending the statement. A parameter named
``type`` holds a concept type (or ``any``); a default of ``null`` makes a parameter required.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError
from ..model import CONCEPT_TYPES
from .queries import split_statements

__all__ = ["Query", "cypher_dir", "list_queries", "get_query", "read_schema", "bind_params", "concept_type",
           "to_plain", "format_table", "TYPE_VALUES"]

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
_IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
# One `literal AS name` item of a header line: a quoted string, a number, true, false or null.
_ITEM = re.compile(r"""\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)"""
                   rf"\s+AS\s+({_IDENT})\s*(,|$)", re.IGNORECASE)
_HEADER = re.compile(r"WITH\s+(.*)\Z", re.IGNORECASE)
_LIMIT = re.compile(r"\bLIMIT\s+(\d+)\s*;?\s*\Z", re.IGNORECASE)
#: Values of a ``type`` parameter: the concept types of the schema, or any type.
TYPE_VALUES = (*CONCEPT_TYPES, "any")


@dataclass(frozen=True)
class Query:
    """One query file: its name, first comment line, parameter defaults and the Cypher sent (``$`` parameters)."""

    name: str
    summary: str
    params: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    path: Path | None = None
    #: The statement as the file holds it (what Neo4j Browser runs), without the comments.
    browser_text: str = ""


def cypher_dir() -> Path:
    """The cypher/ directory: the source checkout's, else the installed package data."""
    repo = Path(__file__).resolve().parents[3] / "cypher"
    if (repo / "schema.cypher").is_file():
        return repo
    return Path(str(resources.files("papergraph") / "cypher"))


def read_schema() -> list[str]:
    """The statements of ``cypher/schema.cypher``."""
    return split_statements((cypher_dir() / "schema.cypher").read_text(encoding="utf-8"))


def list_queries() -> list[Query]:
    """Every query of the library (all ``*.cypher`` but ``schema.cypher``), by name."""
    paths = sorted(p for p in cypher_dir().glob("*.cypher") if p.stem != "schema")
    return [_parse(p) for p in paths]


def get_query(name: str) -> Query:
    """The query called ``name`` (a file stem of cypher/; never a path).

    Raises:
        ConfigError: ``name`` is not a plain name or no such query exists.
    """
    names = [p.stem for p in cypher_dir().glob("*.cypher") if p.stem != "schema"]
    stem = name[:-7] if name.endswith(".cypher") else name
    if not _NAME.match(stem) or stem not in names:
        raise ConfigError(f"unknown query {name!r}; expected one of: {', '.join(sorted(names))} "
                          "(see `papergraph query --list`)")
    return _parse(cypher_dir() / f"{stem}.cypher")


def _parse(path: Path) -> Query:
    """Read a query file (see the module docstring for its format)."""
    summary, lines = "", []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        s = line.strip()
        if s.startswith("//"):
            if not summary and not lines:
                summary = s.lstrip("/ ").strip()
            continue
        if s.startswith(":"):
            raise InputError(f"Browser command {s.split()[0]!r} in a query file: Browser would run the file in "
                             "multi-statement mode and show no rows; give defaults on a first WITH line", str(path),
                             lineno)
        if s:
            lines.append((lineno, line.rstrip()))
    statements = split_statements("\n".join(text for _, text in lines))
    if len(statements) != 1 or ";" in statements[0]:
        raise InputError("expected one Cypher statement with no ';' but the one ending it (Browser splits there)",
                         str(path))
    params: dict[str, Any] = {}
    body = [text for _, text in lines]
    header = _HEADER.match(body[0].strip()) if body else None
    if header and _items(header.group(1)) is not None:
        for name, literal in _items(header.group(1)):
            params[name] = _literal(literal, path, lines[0][0])
        body[0] = "WITH " + ", ".join(f"${n} AS {n}" for n in params)
    text = "\n".join(body).rstrip().removesuffix(";").rstrip()
    limit = _LIMIT.search(text)
    if limit:
        if "limit" in params:
            raise InputError("parameter 'limit' is both on the WITH line and the final LIMIT", str(path))
        params["limit"] = int(limit.group(1))
        text = text[: limit.start()] + "LIMIT $limit"
    if "type" in params and params["type"] not in TYPE_VALUES:
        raise InputError(f"default type {params['type']!r}; expected one of {', '.join(TYPE_VALUES)}", str(path))
    return Query(path.stem, summary, params, text, path, statements[0])


def _items(text: str) -> list[tuple[str, str]] | None:
    """``[(name, literal), ...]`` of a header line's items, or None if one is not ``literal AS name``."""
    items, pos = [], 0
    while pos < len(text):
        m = _ITEM.match(text, pos)
        if not m:
            return None
        items.append((m.group(2), m.group(1)))
        pos = m.end()
    return items or None


def _literal(text: str, path: Path, line: int) -> Any:
    """A header default: a quoted string, integer, float, true, false or null (required)."""
    t = text.strip()
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "'\"":
        return re.sub(r"\\(.)", r"\1", t[1:-1])
    if t.lower() in ("true", "false", "null"):
        return {"true": True, "false": False, "null": None}[t.lower()]
    for conv in (int, float):
        try:
            return conv(t)
        except ValueError:
            pass
    raise InputError(f"unsupported default {t!r}; use a quoted string, a number, true, false or null", str(path), line)


def bind_params(query: Query, pairs: list[str]) -> dict[str, Any]:
    """The query's defaults overridden by ``key=value`` pairs, converted to each default's type.

    A ``type`` value is matched to a concept type ignoring case (``benchmark`` -> ``Benchmark``).

    Raises:
        ConfigError: malformed pair, unknown key, empty value, a value of the wrong type, an
            unknown concept type, or a required parameter (default null) not given.
    """
    params = dict(query.params)
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep:
            raise ConfigError(f"--param {pair!r}: expected key=value")
        if key not in query.params:
            expected = ", ".join(query.params) or "none"
            raise ConfigError(f"--param {key!r}: query {query.name!r} has no such parameter; expected: {expected}")
        if not value.strip():
            raise ConfigError(f"--param {key}: empty value; give {key}=VALUE")
        params[key] = _convert(key, value, query.params[key])
    missing = [k for k, v in params.items() if v is None]
    if missing:
        raise ConfigError(f"query {query.name!r} needs " + " ".join(f"--param {k}=VALUE" for k in missing))
    if "type" in params:
        params["type"] = concept_type(params["type"])
    return params


def concept_type(value: str) -> str:
    """``value`` as one of :data:`TYPE_VALUES`, ignoring case.

    Raises:
        ConfigError: it is none of them.
    """
    for t in TYPE_VALUES:
        if str(value).casefold() == t.casefold():
            return t
    raise ConfigError(f"--param type={value!r}: unknown concept type; expected one of {', '.join(TYPE_VALUES)}")


def _convert(key: str, value: str, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            if value.lower() not in ("true", "false"):
                raise ValueError
            return value.lower() == "true"
        if isinstance(default, int):
            number = int(value)
            if not -(2**63) <= number < 2**63:  # Neo4j integers are 64-bit
                raise ConfigError(f"--param {key}={value!r}: out of range (a 64-bit integer)")
            return number
        if isinstance(default, float):
            return float(value)
    except ValueError:
        raise ConfigError(f"--param {key}={value!r}: expected a {type(default).__name__}") from None
    return value


def to_plain(value: Any) -> Any:
    """A query result value as JSON-ready Python (nodes, relationships and paths as dicts)."""
    from neo4j import graph

    if isinstance(value, graph.Node):
        return {"labels": sorted(value.labels), "properties": to_plain(dict(value))}
    if isinstance(value, graph.Relationship):
        return {"type": value.type, "start": _node_id(value.start_node), "end": _node_id(value.end_node),
                "properties": to_plain(dict(value))}
    if isinstance(value, graph.Path):
        return {"nodes": [to_plain(n) for n in value.nodes], "relationships": [to_plain(r) for r in value.relationships]}
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_plain(v) for v in value]
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def _node_id(node) -> Any:
    return None if node is None else node.get("id")


def _cell(value: Any, width: int) -> str:
    """A short one-line rendering of a plain value for the table."""
    if isinstance(value, dict) and "labels" in value:
        props = value["properties"]
        text = f"({':'.join(value['labels'])} {props.get('name') or props.get('title') or props.get('id')})"
    elif isinstance(value, dict) and "type" in value and "start" in value:
        text = f"[{value['type']} {value['start']}->{value['end']}]"
    elif isinstance(value, dict) and "nodes" in value:
        text = " - ".join(_cell(n, width) for n in value["nodes"])
    elif isinstance(value, list):
        text = "; ".join(_cell(v, width) for v in value)
    elif isinstance(value, float):
        text = f"{value:.4g}"
    else:
        text = "" if value is None else str(value)
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(keys: list[str], rows: list[dict], *, width: int = 60) -> str:
    """Rows of plain values as an aligned text table with a header and a row count."""
    cells = [[_cell(r.get(k), width) for k in keys] for r in rows]
    widths = [max([len(k)] + [len(c[i]) for c in cells]) for i, k in enumerate(keys)]
    lines = ["  ".join(k.ljust(w) for k, w in zip(keys, widths)).rstrip(),
             "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in cells]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)
