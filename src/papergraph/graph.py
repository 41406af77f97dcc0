"""Papers + extractions -> the paper-concept graph (a networkx MultiDiGraph). Pure functions, no I/O.

Schema (edge key == relationship type):

* nodes ``"paper:<id>"`` (label Paper: id, title, abstract, date, url, authors, categories, sources),
  ``"concept:<key>"`` (label Concept: id, name, type, aliases, paper_count, confidence, type_votes,
  merge_reasons, and kb_id, kb_source, url when linked to a public identifier),
  ``"result:<paper id>:<n>"`` (label Result: id, value, unit, kind, direction, text, evidence,
  metric, benchmark, subject, better: "higher"/"lower" is better for its metric, when known);
* Paper -> Concept ``PROPOSES | USES | EVALUATES_ON | COMPARES_WITH | MENTIONS`` with the evidence
  sentence, field, start, end, confidence and rules;
* Concept -> Concept ``EVALUATED_ON | APPLIED_TO | BASED_ON | PART_OF | VARIANT_OF``;
* Paper -> Result ``REPORTS``; Result -> Concept ``ON`` (benchmark), ``OF`` (model/method),
  ``MEASURED_BY`` (metric).
"""

from __future__ import annotations

import sys
from types import MappingProxyType
from typing import Iterable, Sequence

import networkx as nx

from .model import ROLES, Mention, Paper, PaperExtraction, edge_type_for
from .nlp.canonical import Canonicalization, canonicalize
from .nlp.measures import better

__all__ = ["build_graph", "for_graph", "paper_node", "concept_node", "papers_of", "concepts_of"]

# When a paper names one concept in several ways, the strongest role wins.
_ROLE_RANK = {r: i for i, r in enumerate(("proposed", "compared", "used", "mentioned"))}


def paper_node(paper_id: str) -> str:
    """Node id of a paper (one shared string object per id: a graph stores it once per edge)."""
    return sys.intern(f"paper:{paper_id}")


def concept_node(key: str) -> str:
    """Node id of a concept (one shared string object per id)."""
    return sys.intern(f"concept:{key}")


def papers_of(G: nx.MultiDiGraph) -> list[str]:
    """Node ids of the Paper nodes of ``G``."""
    return [n for n, d in G.nodes(data=True) if d.get("label") == "Paper"]


def concepts_of(G: nx.MultiDiGraph) -> list[str]:
    """Node ids of the Concept nodes of ``G``."""
    return [n for n, d in G.nodes(data=True) if d.get("label") == "Concept"]


def build_graph(
    papers: Sequence[Paper],
    extractions: Iterable[PaperExtraction],
    *,
    min_confidence: float = 0.0,
    canon: Canonicalization | None = None,
) -> nx.MultiDiGraph:
    """Assemble the paper-concept graph.

    Args:
        papers: the deduplicated papers.
        extractions: one extraction per paper (matched by ``paper_id``); read once, in order, when
            ``canon`` is given and ``min_confidence`` is 0 (so it may be a generator).
        min_confidence: concepts extracted with a lower confidence are left out.
        canon: a precomputed corpus canonicalisation of ``extractions`` (computed here if omitted).

    Returns:
        A ``networkx.MultiDiGraph`` following the schema in this module's docstring.
    """
    if min_confidence > 0:
        extractions = [
            PaperExtraction(e.paper_id, [c for c in e.concepts if c.confidence >= min_confidence],
                            e.relations, e.results)
            for e in extractions
        ]
    if canon is None:
        extractions = list(extractions)
        canon = canonicalize(extractions)
    G = nx.MultiDiGraph(schema="papergraph/1")
    for p in papers:
        G.add_node(paper_node(p.id), label="Paper", id=p.id, title=p.title, abstract=p.abstract,
                   date=p.date, url=p.url, authors=list(p.authors), categories=list(p.categories),
                   sources=list(p.sources),
                   **{k: v for k in ("upvotes", "citations", "venue") if (v := getattr(p, k)) is not None})
    for c in canon.concepts.values():
        G.add_node(concept_node(c.key), label="Concept", id=c.key, name=c.name, type=c.type,
                   aliases=list(c.aliases), paper_count=0, confidence=c.confidence,
                   type_votes=dict(c.type_votes), merge_reasons=list(c.merge_reasons),
                   **{k: v for k in ("kb_id", "kb_source", "url") if (v := getattr(c, k))})
    for ex in extractions:
        _add_paper_edges(G, ex, canon)
        _add_relations(G, ex, canon)
        _add_results(G, ex, canon)
    for key in canon.concepts:
        n = concept_node(key)
        G.nodes[n]["paper_count"] = len({u for u, _ in G.in_edges(n) if G.nodes[u]["label"] == "Paper"})
    for variant, family in canon.variants:
        G.add_edge(concept_node(variant), concept_node(family), key="VARIANT_OF", type="VARIANT_OF",
                   evidence="", confidence=0.8)
    return G


def for_graph(ex: PaperExtraction) -> PaperExtraction:
    """``ex`` reduced, in place, to what :func:`build_graph` and ``canonicalize`` read: each
    concept keeps only its first mention's position (not its text), offsets and confidences are
    shared objects, rule lists become shared tuples, aliases tuples, and a ``type_scores`` that
    only repeats the concept's own type and confidence (what the vote assumes when it is empty)
    is emptied. A large build holds every paper's extraction until the graph is assembled."""
    if len(_INTS) + len(_FLOATS) > 1 << 16:
        _INTS.clear(), _FLOATS.clear()
    for c in ex.concepts:
        if c.mentions:
            m = c.mentions[0]
            c.mentions = [Mention(m.field, _interned(_INTS, m.start), _interned(_INTS, m.end), "")]
        if len(c.type_scores) == 1 and c.type_scores.get(c.type) == c.confidence:
            c.type_scores = _NO_SCORES
        c.confidence = _interned(_FLOATS, c.confidence)
        rules = tuple(c.rules)
        c.rules = _RULE_SETS.setdefault(rules, rules)
        c.aliases = tuple(c.aliases)
    return ex


_NO_SCORES = MappingProxyType({})
_RULE_SETS: dict[tuple, tuple] = {}  # the few distinct rule combinations, shared
# One object per distinct offset and confidence (millions of edges, few values); two dicts, as
# 1 == 1.0 would otherwise turn a confidence into an int.
_INTS: dict[int, int] = {}
_FLOATS: dict[float, float] = {}


def _interned(values: dict, v):
    """The shared object equal to ``v`` if ``v`` is of the dict's type (int or float), else ``v``."""
    return values.setdefault(v, v) if type(v) is (float if values is _FLOATS else int) else v


def _add_paper_edges(G: nx.MultiDiGraph, ex: PaperExtraction, canon: Canonicalization) -> None:
    pn = paper_node(ex.paper_id)
    if pn not in G:
        return
    best: dict[str, tuple] = {}
    for c in ex.concepts:
        key = canon.assignment.get((ex.paper_id, c.name))
        if key is None:  # not a concept (a generic word alone): resolution dropped it
            continue
        role = c.role if c.role in ROLES else "mentioned"
        cur = best.get(key)
        if cur is None or (_ROLE_RANK[role], -c.confidence) < (_ROLE_RANK[cur[0]], -cur[1].confidence):
            best[key] = (role, c)
    for key, (role, c) in best.items():
        ctype = canon.concepts[key].type
        rel = edge_type_for(role, ctype)
        m = c.mentions[0] if c.mentions else None
        G.add_edge(pn, concept_node(key), key=rel, type=rel, role=role,
                   evidence=c.evidence, field=m.field if m else "", start=m.start if m else -1,
                   end=m.end if m else -1, confidence=c.confidence, rules=list(c.rules))


def _key_in_paper(ex: PaperExtraction, canon: Canonicalization, name: str | None) -> str | None:
    """The corpus key of a concept named ``name`` in this paper, if it is one."""
    key = canon.key_for(ex.paper_id, name)
    return key if key in canon.concepts else None


def _add_relations(G: nx.MultiDiGraph, ex: PaperExtraction, canon: Canonicalization) -> None:
    for r in ex.relations:
        s, t = _key_in_paper(ex, canon, r.source), _key_in_paper(ex, canon, r.target)
        if s and t and s != t:
            G.add_edge(concept_node(s), concept_node(t), key=r.type, type=r.type,
                       evidence=r.evidence, confidence=r.confidence, rules=[r.rule] if r.rule else [])


def _add_results(G: nx.MultiDiGraph, ex: PaperExtraction, canon: Canonicalization) -> None:
    pn = paper_node(ex.paper_id)
    if pn not in G:
        return
    for i, r in enumerate(ex.results):
        rn = f"result:{ex.paper_id}:{i}"
        G.add_node(rn, label="Result", id=f"{ex.paper_id}:{i}", value=r.value, unit=r.unit,
                   kind=r.kind, direction=r.direction, text=r.text, evidence=r.evidence,
                   metric=r.metric, benchmark=r.benchmark, subject=r.subject, better=better(r.metric))
        G.add_edge(pn, rn, key="REPORTS", type="REPORTS", field=r.field, start=r.start, end=r.end)
        for rel, name in (("ON", r.benchmark), ("OF", r.subject), ("MEASURED_BY", r.metric)):
            key = _key_in_paper(ex, canon, name)
            # a name that is not one of the paper's concepts may still name one of the corpus's,
            # but only of the type the link needs ("cost" the Metric, never a Method "cost")
            if key and ((ex.paper_id, name) in canon.assignment or canon.concepts[key].type in _RESULT_LINK_TYPES[rel]):
                G.add_edge(rn, concept_node(key), key=rel, type=rel)


#: The concept types each Result relationship may point to.
_RESULT_LINK_TYPES = {"ON": ("Benchmark",), "OF": ("Model", "Method"), "MEASURED_BY": ("Metric",)}
