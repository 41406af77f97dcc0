"""The top-N concepts and their co-occurrence graph as a GEXF, with communities and a layout.

A million-paper graph is not something to open in Gephi; its N most-named concepts (by paper
count, then id) and the ``CO_OCCURS`` edges among them are. Louvain communities and the force
layout of :mod:`papergraph.analysis` / :mod:`papergraph.layout` run on that projection only, so
they differ from the networkx build's (which sees every concept): see the README.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd

from ..analysis import CO_OCCURS, add_communities, cooccurrence_graph
from ..export.gexf import write_gexf
from ..layout import add_layout

__all__ = ["write_projection"]


def write_projection(concepts: pd.DataFrame, a: np.ndarray, b: np.ndarray, w: np.ndarray, path: Path, *,
                     top_n: int = 2000, seed: int = 0) -> np.ndarray:
    """Write the top-``top_n`` projection to ``path``; return each concept's community (by code;
    -1 outside the projection or without a ``CO_OCCURS`` edge in it)."""
    order = np.lexsort((concepts["id"].to_numpy(dtype=object), -concepts["paper_count"].to_numpy()))
    top = np.sort(order[:top_n])
    inside = np.zeros(len(concepts), dtype=bool)
    inside[top] = True
    G = nx.MultiDiGraph(schema="papergraph/1")
    ids = concepts["id"].to_numpy(dtype=object)
    for i in top.tolist():
        r = concepts.iloc[i]
        G.add_node(f"concept:{ids[i]}", label="Concept", id=ids[i], name=r["name"], type=r["type"],
                   aliases=list(r["aliases"]), paper_count=int(r["paper_count"]), confidence=float(r["confidence"]),
                   type_votes=json.loads(r["type_votes"]), merge_reasons=list(r["merge_reasons"]),
                   **{k: r[k] for k in ("kb_id", "kb_source", "url") if isinstance(r[k], str)})
    keep = inside[a] & inside[b] if len(a) else np.zeros(0, dtype=bool)
    for x, y, wt in zip(a[keep].tolist(), b[keep].tolist(), w[keep].tolist()):
        G.add_edge(f"concept:{ids[x]}", f"concept:{ids[y]}", key=CO_OCCURS, type=CO_OCCURS, weight=wt)
    H = cooccurrence_graph(G)
    add_communities(G, seed=seed, H=H)
    add_layout(G, seed=seed, H=H)
    write_gexf(G, path)
    out = np.full(len(concepts), -1, dtype=np.int64)
    for i in top.tolist():
        out[i] = G.nodes[f"concept:{ids[i]}"]["community"]
    return out
