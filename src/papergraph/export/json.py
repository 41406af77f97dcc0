"""graph.json: networkx node-link JSON (``edges`` key), the hand-off format between build and load."""

from __future__ import annotations

import json
import os

import networkx as nx

from ..errors import InputError
from .atomic import atomic_open

__all__ = ["write_graph_json", "read_graph_json"]


def write_graph_json(G: nx.MultiDiGraph, path: str | os.PathLike) -> None:
    """Write ``G`` as node-link JSON (``networkx.node_link_data(G, edges="edges")``), atomically.

    Streamed a node or edge at a time: the whole document is never held as one object or string.
    """
    enc = json.JSONEncoder(ensure_ascii=False).encode
    with atomic_open(path) as fh:
        fh.write(f'{{"directed": {enc(G.is_directed())}, "multigraph": {enc(G.is_multigraph())}, '
                 f'"graph": {enc(G.graph)}, "nodes": [')
        for i, n in enumerate(G):
            fh.write((", " if i else "") + enc({**G.nodes[n], "id": n}))
        fh.write('], "edges": [')
        for i, (u, v, k, d) in enumerate(G.edges(keys=True, data=True)):
            fh.write((", " if i else "") + enc({**d, "source": u, "target": v, "key": k}))
        fh.write("]}")


def read_graph_json(path: str | os.PathLike) -> nx.MultiDiGraph:
    """Read a graph written by :func:`write_graph_json`.

    Raises:
        InputError: the file is missing or is not a papergraph graph.json.
    """
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        return nx.node_link_graph(data, edges="edges", directed=True, multigraph=True)
    except FileNotFoundError:
        raise InputError("no such file (run `papergraph build` first)", str(path)) from None
    except (ValueError, KeyError, TypeError) as e:
        raise InputError(f"not a papergraph graph.json: {e}", str(path)) from None
