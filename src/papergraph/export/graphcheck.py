"""Validation of a graph.json document before any command uses it.

``view``, ``stats``, ``trends``, ``export`` and ``load`` read graph.json files that may have been
edited or produced elsewhere; a value of the wrong type deep inside one must be one clear
``InputError`` naming the node or edge, not a traceback in whichever command touched it first.
Unknown properties are allowed if they hold plain JSON values.
"""

from __future__ import annotations

from numbers import Real
from typing import Any

from ..errors import InputError
from ..model import NODE_LABELS

__all__ = ["check_graph_data"]


def _str(v): return isinstance(v, str)
def _opt_str(v): return v is None or isinstance(v, str)
def _int(v): return isinstance(v, int) and not isinstance(v, bool)
def _opt_int(v): return v is None or _int(v)
def _num(v): return isinstance(v, Real) and not isinstance(v, bool) and v == v and abs(v) != float("inf")
def _opt_num(v): return v is None or _num(v)
def _strs(v): return isinstance(v, list) and all(isinstance(x, str) for x in v)


def _viz(v) -> bool:
    if not isinstance(v, dict):
        return False
    pos, color = v.get("position", {}), v.get("color", {})
    return (isinstance(pos, dict) and all(_num(x) for x in pos.values()) and _opt_num(v.get("size"))
            and isinstance(color, dict) and all(_num(x) for x in color.values()))


def _votes(v) -> bool:
    return isinstance(v, dict) and all(_num(x) for x in v.values())


_WHAT = {_str: "a string", _opt_str: "a string or null", _int: "an integer", _opt_int: "an integer or null",
         _num: "a finite number", _opt_num: "a number or null", _strs: "a list of strings",
         _viz: "a GEXF viz object", _votes: "an object of numbers"}
_COMMON = {"degree": _int, "pagerank": _num, "viz": _viz, "community": _opt_int}
#: Property -> check, per node label; the first names of each are required.
NODE_PROPS = {
    "Paper": {"title": _str, "abstract": _str, "date": _opt_str, "url": _opt_str, "authors": _strs,
              "categories": _strs, "sources": _strs},
    "Concept": {"name": _str, "type": _str, "aliases": _strs, "paper_count": _int, "confidence": _num,
                "type_votes": _votes},
    "Result": {"value": _num, "unit": _opt_str, "kind": _opt_str, "direction": _opt_str, "metric": _opt_str,
               "benchmark": _opt_str, "subject": _opt_str, "evidence": _opt_str, "text": _opt_str},
}
REQUIRED = {"Paper": ("title",), "Concept": ("name", "type"), "Result": ()}
EDGE_PROPS = {"role": _str, "evidence": _opt_str, "field": _opt_str, "start": _int, "end": _int,
              "confidence": _opt_num, "rules": _strs, "score": _opt_num, "shared": _int, "weight": _opt_num,
              "npmi": _opt_num}
_COMMUNITY = {"id": _int, "label": _str, "size": _int, "top": _strs}


def check_graph_data(data: Any, path: str) -> None:
    """Check the shape and value types of a node-link document (``read_graph_json``'s input).

    Raises:
        InputError: the first problem, naming ``path`` and the node, edge or key.
    """
    if not isinstance(data, dict):
        raise InputError(f"not a papergraph graph.json: the top level is {_kind(data)}, expected an object", path)
    for key in ("nodes", "edges"):
        if not isinstance(data.get(key), list):
            raise InputError(f"not a papergraph graph.json: '{key}' must be a list", path)
    for key in ("directed", "multigraph"):
        if data.get(key, True) is not True:
            raise InputError(f"not a papergraph graph.json: '{key}' must be true (a directed multigraph)", path)
    graph = data.get("graph", {})
    if not isinstance(graph, dict):
        raise InputError("not a papergraph graph.json: 'graph' must be an object", path)
    _check_communities(graph.get("communities", []), path)
    ids = set()
    for i, node in enumerate(data["nodes"]):
        ids.add(_check_node(node, i, path))
    for i, edge in enumerate(data["edges"]):
        _check_edge(edge, i, ids, path)


def _check_node(node: Any, i: int, path: str) -> str:
    if not isinstance(node, dict) or not isinstance(node.get("id"), str):
        raise InputError(f"node {i}: expected an object with a string 'id'", path)
    label = node.get("label")
    if label not in NODE_LABELS:
        raise InputError(f"node {node['id'][:80]!r}: 'label' must be one of {', '.join(NODE_LABELS)}, "
                         f"not {_show(label)}", path)
    for name in REQUIRED[label]:
        if name not in node:
            raise InputError(f"node {node['id'][:80]!r}: the {label} has no '{name}'", path)
    checks = {**_COMMON, **NODE_PROPS[label]}
    for name, value in node.items():
        _check_value(checks.get(name), value, f"node {node['id'][:80]!r}", name, path)
    return node["id"]


def _check_edge(edge: Any, i: int, ids: set, path: str) -> None:
    if not isinstance(edge, dict):
        raise InputError(f"edge {i}: expected an object", path)
    for end in ("source", "target"):
        if not isinstance(edge.get(end), str) or edge[end] not in ids:
            raise InputError(f"edge {i}: '{end}' {_show(edge.get(end))} is not the id of a node", path)
    if not isinstance(edge.get("key", ""), str):
        raise InputError(f"edge {i}: 'key' must be a string (the relationship type)", path)
    for name, value in edge.items():
        if name not in ("source", "target", "key"):
            _check_value(EDGE_PROPS.get(name, _str if name == "type" else None), value, f"edge {i}", name, path)


def _check_communities(comms: Any, path: str) -> None:
    if not isinstance(comms, list) or not all(isinstance(c, dict) for c in comms):
        raise InputError("graph 'communities' must be a list of objects", path)
    for c in comms:
        for name, check in _COMMUNITY.items():
            if name not in c or not check(c[name]):
                raise InputError(f"graph 'communities': '{name}' must be {_WHAT[check]}", path)


def _check_value(check, value: Any, where: str, name: str, path: str) -> None:
    ok = check(value) if check else _plain(value)
    if not ok:
        expected = _WHAT[check] if check else "a plain JSON value"
        raise InputError(f"{where}: '{name}' must be {expected}, not {_show(value)}", path)


def _plain(value: Any, depth: int = 0) -> bool:
    """Strings, numbers, booleans, null, and lists/objects of them (a few levels deep)."""
    if value is None or isinstance(value, (str, bool, int)) or _num(value):
        return True
    if depth < 4 and isinstance(value, list):
        return all(_plain(v, depth + 1) for v in value)
    if depth < 4 and isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v, depth + 1) for k, v in value.items())
    return False


def _kind(value: Any) -> str:
    kinds = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", int: "a number",
             float: "a number", type(None): "null"}
    return kinds.get(type(value), type(value).__name__)


def _show(value: Any) -> str:
    text = repr(value)
    return f"{_kind(value)} {text[:40]}{'…' if len(text) > 40 else ''}"
