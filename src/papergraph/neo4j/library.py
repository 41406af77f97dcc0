"""The cypher/ query library: find, list, parse and run the ``.cypher`` files.

Each query file starts with ``//`` comment lines (the first says what it answers), then
``:param name => literal;`` lines (Neo4j Browser's syntax; here they give each parameter's
default value and type), then one Cypher statement. The files run as-is in Neo4j Browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import ConfigError, InputError
from .queries import split_statements

__all__ = ["Query", "cypher_dir", "list_queries", "get_query", "read_schema", "bind_params", "to_plain",
           "format_table"]

_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*\Z")
_PARAM = re.compile(r"^:param\s+([A-Za-z_][A-Za-z0-9_]*)\s*=>\s*(.+?);?\s*$")


@dataclass(frozen=True)
class Query:
    """One query file: its name, first comment line, parameter defaults and Cypher text."""

    name: str
    summary: str
    params: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    path: Path | None = None


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
    summary, params, body = "", {}, []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        s = line.strip()
        if s.startswith("//"):
            if not summary and not body:
                summary = s.lstrip("/ ").strip()
            continue
        m = _PARAM.match(s)
        if m:
            params[m.group(1)] = _literal(m.group(2), path, lineno)
        elif s.startswith(":"):
            raise InputError(f"unsupported Browser command {s.split()[0]!r}; only :param lines", str(path), lineno)
        else:
            body.append(line)
    statements = split_statements("\n".join(body))
    if len(statements) != 1:
        raise InputError(f"expected one Cypher statement, found {len(statements)}", str(path))
    return Query(path.stem, summary, params, statements[0], path)


def _literal(text: str, path: Path, line: int) -> Any:
    """A :param default: a quoted string, integer, float, true or false."""
    t = text.strip()
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "'\"":
        return t[1:-1].replace("\\" + t[0], t[0])
    if t in ("true", "false"):
        return t == "true"
    for conv in (int, float):
        try:
            return conv(t)
        except ValueError:
            pass
    raise InputError(f"unsupported :param value {t!r}; use a quoted string, a number, true or false", str(path), line)


def bind_params(query: Query, pairs: list[str]) -> dict[str, Any]:
    """The query's defaults overridden by ``key=value`` pairs, converted to each default's type.

    Raises:
        ConfigError: malformed pair, unknown key, or a value of the wrong type.
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
        params[key] = _convert(key, value, query.params[key])
    return params


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
