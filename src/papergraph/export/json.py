"""graph.json: networkx node-link JSON (``edges`` key), the hand-off format between build and load."""

from __future__ import annotations

import json
import os
from itertools import islice

import networkx as nx

from ..errors import InputError
from .atomic import atomic_open

__all__ = ["write_graph_json", "read_graph_json"]


def write_graph_json(G: nx.MultiDiGraph, path: str | os.PathLike) -> None:
    """Write ``G`` as node-link JSON (``networkx.node_link_data(G, edges="edges")``), atomically.

    Streamed in chunks of nodes or edges: the whole document is never held as one object or string.
    """
    enc = json.JSONEncoder(ensure_ascii=False).encode
    with atomic_open(path) as fh:
        fh.write(f'{{"directed": {enc(G.is_directed())}, "multigraph": {enc(G.is_multigraph())}, '
                 f'"graph": {enc(G.graph)}, "nodes": [')
        _write_items(fh, enc, ({**d, "id": n} for n, d in G.nodes(data=True)))
        fh.write('], "edges": [')
        _write_items(fh, enc, ({**d, "source": u, "target": v, "key": k}
                               for u, v, k, d in G.edges(keys=True, data=True)))
        fh.write("]}")


def _write_items(fh, enc, items, chunk: int = 50) -> None:
    """The items of a JSON list, ``", "``-separated, encoded a chunk at a time (one encoder call per chunk)."""
    sep = ""
    for part in iter(lambda: list(islice(items, chunk)), []):
        fh.write(sep + enc(part)[1:-1])  # a list encodes as "[" + ", ".join(items) + "]"
        sep = ", "


def read_graph_json(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a graph written by :func:`write_graph_json`.

    Raises:
        InputError: the file is missing, unreadable, or not a papergraph graph.json (wrong shape
            or value types, see :mod:`.graphcheck`).
    """
    from .graphcheck import check_graph_data

    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise InputError("no such file (run `papergraph build` first)", str(path)) from None
    except UnicodeDecodeError as e:
        raise InputError(f"not a papergraph graph.json: not UTF-8 text (byte offset {e.start})", str(path)) from None
    except RecursionError:
        raise InputError("not a papergraph graph.json: values nested too deeply", str(path)) from None
    except ValueError as e:
        raise InputError(f"not a papergraph graph.json: {e}", str(path)) from None
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", str(path)) from None
    check_graph_data(data, str(path))
    try:
        return nx.node_link_graph(data, edges="edges", directed=True, multigraph=True)
    except (ValueError, KeyError, TypeError, nx.NetworkXError) as e:
        raise InputError(f"not a papergraph graph.json: {e}", str(path)) from None
