"""The offline interactive map: ``papergraph view OUTDIR`` -> one self-contained HTML file."""

from __future__ import annotations

import os

import networkx as nx

from ..export.atomic import atomic_open
from .html import map_data, render_map

__all__ = ["write_map", "map_data", "render_map"]


def write_map(G: nx.MultiDiGraph, path: str | os.PathLike, *, title: str = "papergraph map") -> None:
    """Write the interactive concept map of ``G`` as one HTML file, atomically.

    Example:
        >>> write_map(read_graph_json("out/graph.json"), "out/map.html")
    """
    page = render_map(G, title=title)
    with atomic_open(path) as fh:
        fh.write(page)
