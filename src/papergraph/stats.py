"""Summary tables and PNG plots of a built graph (``papergraph stats OUTDIR [--plots DIR]``)."""

from __future__ import annotations

import os
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from .errors import ConfigError
from .graph import concepts_of
from .model import CONCEPT_TYPES
from .trends import trends

__all__ = ["GraphStats", "graph_stats", "format_stats", "write_plots", "PLOT_FILES"]

#: The files :func:`write_plots` writes.
PLOT_FILES = ("top_concepts.png", "concept_types.png", "trends.png", "communities.png")


@dataclass
class GraphStats:
    """Counts and rankings of one graph."""

    nodes_by_label: Counter = field(default_factory=Counter)
    concepts_by_type: Counter = field(default_factory=Counter)
    edges_by_type: Counter = field(default_factory=Counter)
    #: type -> [(name, paper_count)], most papers first.
    top_concepts: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    #: label -> {"min", "median", "mean", "max"} of node degree (edges of any type).
    degree: dict[str, dict[str, float]] = field(default_factory=dict)
    #: The largest communities: [{"id", "label", "size", "top"}].
    communities: list[dict] = field(default_factory=list)
    n_communities: int = 0


def _types_in_order(types) -> list[str]:
    return [t for t in CONCEPT_TYPES if t in types] + sorted(t for t in types if t not in CONCEPT_TYPES)


def graph_stats(G: nx.MultiDiGraph, *, top: int = 10) -> GraphStats:
    """Count nodes, concepts and edges by type; rank concepts; summarise degrees and communities."""
    s = GraphStats()
    s.nodes_by_label.update(d.get("label", "?") for _, d in G.nodes(data=True))
    concepts = concepts_of(G)
    s.concepts_by_type.update(G.nodes[n].get("type", "?") for n in concepts)
    s.edges_by_type.update(k for _, _, k in G.edges(keys=True))
    for t in _types_in_order(s.concepts_by_type):
        ranked = sorted(((str(G.nodes[n].get("name", n)), int(G.nodes[n].get("paper_count") or 0))
                         for n in concepts if G.nodes[n].get("type") == t), key=lambda x: (-x[1], x[0]))
        s.top_concepts[t] = ranked[:top]
    for label in sorted(s.nodes_by_label):
        degs = [G.degree(n) for n, d in G.nodes(data=True) if d.get("label") == label]
        s.degree[label] = {"min": min(degs), "median": statistics.median(degs),
                           "mean": statistics.fmean(degs), "max": max(degs)}
    comms = list(G.graph.get("communities") or [])
    s.n_communities = len(comms)
    s.communities = sorted(comms, key=lambda c: (-c["size"], c["id"]))[:top]
    return s


def _table(header: list[str], rows: list[list]) -> list[str]:
    cells = [header] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    fmt = lambda r: "  ".join(c.rjust(w) if c.replace(".", "").isdigit() else c.ljust(w)  # noqa: E731
                              for c, w in zip(r, widths)).rstrip()
    return [fmt(cells[0]), fmt(["-" * w for w in widths])] + [fmt(r) for r in cells[1:]]


def format_stats(s: GraphStats) -> str:
    """The stats as plain-text tables."""
    out = ["Nodes by label"] + _table(["label", "nodes"], sorted(s.nodes_by_label.items()))
    out += ["", "Concepts by type"] + _table(["type", "concepts"], s.concepts_by_type.most_common())
    out += ["", "Edges by type"] + _table(["type", "edges"], s.edges_by_type.most_common())
    out += ["", "Degree by node label"]
    out += _table(["label", "min", "median", "mean", "max"],
                  [[k, v["min"], f"{v['median']:g}", f"{v['mean']:.2f}", v["max"]] for k, v in s.degree.items()])
    for t, ranked in s.top_concepts.items():
        out += ["", f"Top {t} concepts"] + _table(["concept", "papers"], ranked)
    out += ["", f"Communities: {s.n_communities}"]
    if s.communities:
        out += _table(["id", "size", "top concepts"],
                      [[c["id"], c["size"], ", ".join(c["top"])] for c in s.communities])
    return "\n".join(out)


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise ConfigError("plots need matplotlib: pip install 'papergraph[plots]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def write_plots(G: nx.MultiDiGraph, outdir: str | os.PathLike, *, top: int = 10, by: str = "day") -> list[Path]:
    """Write the PNGs of :data:`PLOT_FILES` into ``outdir``.

    Args:
        G: a papergraph graph.
        outdir: directory (created if missing).
        top: concepts per bar chart / trend lines / communities shown.
        by: trend period (see :func:`papergraph.trends.trends`).

    Returns:
        The paths written.

    Raises:
        ConfigError: matplotlib is not installed.
    """
    from .export.gexf import TYPE_COLORS
    from .view.groups import OTHER_COLOR, colour_groups, map_communities

    plt = _pyplot()
    out = Path(outdir)
    from .export.atomic import make_dir

    make_dir(out)
    s = graph_stats(G, top=top)
    colour = {t: tuple(c / 255 for c in rgb) for t, rgb in TYPE_COLORS.items()}
    paths = []

    types = [t for t, r in s.top_concepts.items() if r] or ["(none)"]
    fig, axes = plt.subplots(len(types), 1, figsize=(8, 2.2 + 0.3 * top * len(types)), squeeze=False)
    for ax, t in zip(axes[:, 0], types):
        ranked = s.top_concepts.get(t, [])[::-1]
        ax.barh([n for n, _ in ranked], [c for _, c in ranked], color=colour.get(t, "grey"))
        ax.set_title(f"Top {t} concepts")
        ax.set_xlabel("papers")
    paths.append(_save(fig, out / "top_concepts.png", plt))

    fig, ax = plt.subplots(figsize=(7, 4))
    ts = _types_in_order(s.concepts_by_type)
    ax.bar(ts, [s.concepts_by_type[t] for t in ts], color=[colour.get(t, "grey") for t in ts])
    ax.set_title("Concepts by type")
    ax.set_ylabel("concepts")
    paths.append(_save(fig, out / "concept_types.png", plt))

    report = trends(G, by=by, top=top, min_papers=1)
    fig, ax = plt.subplots(figsize=(8, 4.5))
    lines = report.rising + report.new
    for t in lines:
        ax.plot(report.periods, [report.series.get(t.node, {}).get(p, 0) for p in report.periods],
                marker="o", label=t.name)
    if lines:
        ax.legend(fontsize=7, loc="upper left")
    else:
        ax.text(0.5, 0.5, "fewer than two dated periods", ha="center", va="center", transform=ax.transAxes)
    ax.set_title("Rising and new concepts")
    ax.set_ylabel("papers")
    ax.tick_params(axis="x", labelrotation=45)
    paths.append(_save(fig, out / "trends.png", plt))

    fig, ax = plt.subplots(figsize=(8, 4.5))
    comms = s.communities
    groups, _ = colour_groups(G, map_communities(G))  # the map's colours: by community id, else "other"
    com_colour = {g["community"]: g["color"] for g in groups if g["community"] >= 0}
    ax.barh([f"{c['id']}: {c['label']}"[:60] for c in comms][::-1], [c["size"] for c in comms][::-1],
            color=[com_colour.get(c["id"], OTHER_COLOR) for c in comms][::-1])
    ax.set_title(f"Largest communities (of {s.n_communities})")
    ax.set_xlabel("concepts")
    paths.append(_save(fig, out / "communities.png", plt))
    return paths


def _save(fig, path: Path, plt) -> Path:
    from .export.atomic import atomic_open

    fig.tight_layout()
    with atomic_open(path, "wb", encoding=None) as fh:
        fig.savefig(fh, format="png", dpi=100)
    plt.close(fig)
    return path
