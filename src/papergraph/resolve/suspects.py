"""Likely identity errors of a built graph, for review (``papergraph concepts suspects``)."""

from __future__ import annotations

import difflib
import json
from collections import defaultdict
from dataclasses import asdict, dataclass

import networkx as nx

from ..nlp.canonical import is_acronym
from .normalize import lexicon, words_of

__all__ = ["Suspect", "suspects", "shared_aliases", "generic_nodes"]

#: Names at least this similar (difflib ratio of their folded forms) are near duplicates.
NEAR_DUPLICATE = 0.92
#: A node whose second type has at least this share of the first's votes has disagreeing members.
TYPE_SPLIT = 0.5


@dataclass(frozen=True)
class Suspect:
    """One thing to review: ``kind``, the concept names involved, and what was seen."""

    kind: str
    concepts: tuple[str, ...]
    detail: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


def _concepts(G: nx.MultiDiGraph) -> list[dict]:
    return [d for _, d in G.nodes(data=True) if d.get("label") == "Concept"]


def shared_aliases(G: nx.MultiDiGraph, *, acronyms: bool = True) -> dict[str, list[str]]:
    """Alias (or name) -> names of the nodes that carry it, for strings on more than one node.

    Args:
        acronyms: include acronyms (an acronym defined differently by different papers is on
            several nodes by design).
    """
    on: dict[str, set[str]] = defaultdict(set)
    for d in _concepts(G):
        for s in {d.get("name", ""), *(d.get("aliases") or [])}:
            if s and (acronyms or not is_acronym(s)):
                on[s].add(d.get("name", ""))
    return {s: sorted(ns) for s, ns in sorted(on.items()) if len(ns) > 1}


def generic_nodes(G: nx.MultiDiGraph) -> list[str]:
    """Names of Concept nodes named by a word that is never a concept alone ("model", "method")."""
    lex = lexicon()
    return sorted(d["name"] for d in _concepts(G) if d.get("name", "").casefold() in lex.not_concepts)


def suspects(G: nx.MultiDiGraph) -> list[Suspect]:
    """Likely errors: strings on several nodes, near-duplicate names, generic aliases, generic
    node names, and nodes whose members disagree on the type."""
    lex = lexicon()
    out = [Suspect("alias on several nodes", tuple(ns), f"'{s}'" + (" (acronym)" if is_acronym(s) else ""))
           for s, ns in shared_aliases(G).items()]
    out += [Suspect("generic name", (n,), "a generic word alone") for n in generic_nodes(G)]
    for d in _concepts(G):
        name = d.get("name", "")
        bad = [a for a in d.get("aliases") or [] if a.casefold() in lex.generic and a.casefold() != name.casefold()]
        if bad:
            out.append(Suspect("generic alias", (name,), ", ".join(f"'{a}'" for a in bad)))
        votes = sorted((d.get("type_votes") or {}).items(), key=lambda kv: -kv[1])
        if len(votes) > 1 and votes[1][1] >= TYPE_SPLIT * votes[0][1] and d.get("paper_count", 0) > 1:
            out.append(Suspect("members disagree on type", (name,),
                               ", ".join(f"{t} {v:g}" for t, v in votes)))
    out += _near_duplicates(_concepts(G))
    return out


def _near_duplicates(nodes: list[dict]) -> list[Suspect]:
    """Pairs of names whose folded forms are nearly equal but whose digits agree (so versions
    such as "GPT-4" and "GPT-5" are not flagged)."""
    by_start: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for d in nodes:
        folded = "".join(words_of(d.get("name", "")))
        if len(folded) >= 6:
            by_start[folded[:2]].append((folded, d["name"]))
    out = []
    for group in by_start.values():
        group.sort(key=lambda x: (len(x[0]), x))
        for i, (fa, na) in enumerate(group):
            for fb, nb in group[i + 1:]:
                if 2 * len(fa) < NEAR_DUPLICATE * (len(fa) + len(fb)):
                    break  # longer names cannot be similar enough (ratio <= 2*short/(sum))
                if [c for c in fa if c.isdigit()] != [c for c in fb if c.isdigit()]:
                    continue
                r = difflib.SequenceMatcher(None, fa, fb).ratio()
                if r >= NEAR_DUPLICATE:
                    out.append(Suspect("near-duplicate names", (na, nb), f"similarity {r:.2f}"))
    return out
