"""graph.json: networkx node-link JSON (``edges`` key), the hand-off format between build and load."""

from __future__ import annotations

import json
import os

import networkx as nx

from ..errors import InputError
from .atomic import atomic_open

__all__ = ["write_graph_json", "read_graph_json"]


def write_graph_json(G: nx.MultiDiGraph, path: str | os.PathLike) -> None:
    """Write ``G`` as node-link JSON, atomically."""
    data = nx.node_link_data(G, edges="edges")
    with atomic_open(path) as fh:
        json.dump(data, fh, ensure_ascii=False)


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
