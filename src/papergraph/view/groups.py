"""Colour groups for the map's "colour by community": every concept gets one.

Louvain (:func:`papergraph.analysis.add_communities`) only places concepts that have a
``CO_OCCURS`` edge; on a real corpus most concepts are named by a single paper and have none
(community -1). For the map, such a concept joins the community most common among the other
concepts of its papers (each paper's vote split over its placed concepts, ties to the larger
community). The largest communities by this count (of at least :data:`MIN_SIZE` concepts) get
a colour each from :data:`COMMUNITY_COLORS`; the rest, and concepts whose papers name no placed
concept, form one explicit "other" group in :data:`OTHER_COLOR`.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from ..graph import concepts_of

__all__ = ["COMMUNITY_COLORS", "OTHER_COLOR", "MIN_SIZE", "map_communities", "colour_groups"]

#: Colours of the largest communities, in order of size (the map's and the docs' one palette).
COMMUNITY_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b",
                    "#e377c2", "#bcbd22", "#393b79", "#637939", "#843c39")
#: Colour of the "other" group: small communities and concepts linked to none.
OTHER_COLOR = "#a8a8a8"
#: Communities smaller than this go to "other" even when colours are left.
MIN_SIZE = 3


def map_communities(G: nx.MultiDiGraph) -> dict[str, int]:
    """Concept node -> community for the map: Louvain's, else the one its papers vote for, else -1."""
    base = {c: int(G.nodes[c].get("community", -1)) for c in concepts_of(G)}
    sizes = Counter(v for v in base.values() if v >= 0)
    votes: dict[str, Counter] = defaultdict(Counter)
    for p, d in G.nodes(data=True):
        if d.get("label") != "Paper":
            continue
        named = {v for v in G.successors(p) if v in base}
        placed = [base[v] for v in named if base[v] >= 0]
        if not placed:
            continue
        share = Counter(placed)
        for v in named:
            if base[v] < 0:
                for com, n in share.items():
                    votes[v][com] += n / len(placed)
    result = dict(base)
    for v, tally in votes.items():
        result[v] = max(tally, key=lambda com: (round(tally[com], 9), sizes[com], -com))
    return result


def colour_groups(G: nx.MultiDiGraph, community: dict[str, int]) -> tuple[list[dict], dict[str, int]]:
    """The legend groups and each concept's group index (the last group is "other").

    Returns:
        ``(groups, group_of)``: ``groups`` = ``[{"label", "size", "color", "community"}]``, the
        largest communities first (``community`` = Louvain id, -1 for "other"); ``group_of`` maps
        each concept node to an index in ``groups``.
    """
    info = {int(m["id"]): m for m in G.graph.get("communities") or []}
    sizes = Counter(com for com in community.values() if com >= 0)
    ranked = sorted((com for com in sizes if sizes[com] >= MIN_SIZE),
                    key=lambda com: (-sizes[com], com))[:len(COMMUNITY_COLORS)]
    index = {com: i for i, com in enumerate(ranked)}
    groups = [{"label": str(info.get(com, {}).get("label") or f"community {com}"), "size": sizes[com],
               "color": COMMUNITY_COLORS[i], "community": com} for i, com in enumerate(ranked)]
    group_of = {c: index.get(com, len(groups)) for c, com in community.items()}
    rest = sum(1 for g in group_of.values() if g == len(groups))
    small, lone = len(sizes) - len(ranked), sum(1 for com in community.values() if com < 0)
    parts = ([f"{small} smaller communit{'y' if small == 1 else 'ies'}"] if small else []) + (
        [f"{lone} concept{'' if lone == 1 else 's'} in no community"] if lone else [])
    groups.append({"label": "other" + (": " + ", ".join(parts) if parts else ""), "size": rest,
                   "color": OTHER_COLOR, "community": -1})
    return groups, group_of
