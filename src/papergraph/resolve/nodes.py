"""Resolved keys -> Concept nodes: name, type vote, aliases, merge reasons, knowledge-base link."""

from __future__ import annotations

from collections import Counter, defaultdict

from ..model import CONCEPT_TYPES
from ..nlp.canonical import CanonicalConcept, Canonicalization, is_acronym
from .curation import Curation
from .kbids import kb_lookup
from .links import Links
from .normalize import norm_key
from .variants import variant_links

__all__ = ["build_nodes", "kb_type_ok"]

_MAX_REASONS = 12


def build_nodes(links: Links, key, members, defs, cur: Curation, kb) -> Canonicalization:
    """One ``CanonicalConcept`` per root of ``links``; the assignment of every member to its node."""
    groups: dict[str, list] = defaultdict(list)
    for m in members:
        groups[links.find(m[2])].append(m)
    renames = {links.find(key(a)): new for a, new in cur.renames if links.known(key(a))}
    concepts: dict[str, CanonicalConcept] = {}
    node_of: dict[str, str] = {}
    assignment: dict[tuple[str, str], str] = {}
    for root, ms in groups.items():
        c = _node(root, ms, links, key, defs)
        if root in renames:
            c.merge_reasons.insert(0, f"curation: renamed '{c.name}' to '{renames[root]}'")
            c.aliases = sorted(set(c.aliases + [c.name]) - {renames[root]}, key=lambda a: (a.casefold(), a))
            c.name = renames[root]
        if kb is not None:
            _link_kb(c, kb)
        concepts[c.key] = c
        node_of[root] = c.key
        for pid, pc, _, _ in ms:
            assignment[(pid, pc.name)] = c.key
    keys = {k: node_of[r] for k, r in links.roots().items() if r in node_of}
    canon = Canonicalization(concepts, assignment, [], keys=keys)
    canon.variants = variant_links(concepts, canon.key_for_name, kb)
    return canon


def _node(root: str, ms: list, links: Links, key, defs) -> CanonicalConcept:
    names = Counter(m[3][0] for m in ms)
    # the fullest common form (GUIDELINES): an expansion before its acronym, then the most used
    name = sorted(names, key=lambda n: (is_acronym(n), -names[n], -len(n), n))[0]
    k = key(name)
    node_id = k if links.known(k) and links.find(k) == root else root
    votes: Counter = Counter()
    for _, c, _, _ in ms:
        for t, s in (c.type_scores or {c.type: c.confidence}).items():
            if t in CONCEPT_TYPES:
                votes[t] += s
    ctype = max(CONCEPT_TYPES, key=lambda t: (votes[t], -CONCEPT_TYPES.index(t)))
    surfaces = {s for m in ms for s in m[3]}
    aliases = sorted((s for s in surfaces - {name} if _belongs(s, root, links, key, defs, ms)),
                     key=lambda a: (a.casefold(), a))
    reasons = links.reasons(root) + _format_reasons(ms)
    return CanonicalConcept(node_id, name, ctype, aliases, sorted({m[0] for m in ms}),
                            round(max(c.confidence for _, c, _, _ in ms), 4),
                            {t: round(v, 4) for t, v in votes.items() if v},
                            merge_reasons=list(dict.fromkeys(reasons))[:_MAX_REASONS])


def _belongs(surface: str, root: str, links: Links, key, defs, ms) -> bool:
    """A surface is an alias of the node if its key is in the node, or it is an acronym that a
    member's paper defines as this node."""
    k = key(surface)
    if links.known(k) and links.find(k) == root:
        return True
    if is_acronym(surface):
        return any(links.known(e) and links.find(e) == root
                   for e in (defs.get(k, {}).get(m[0]) for m in ms) if e)
    return False


def _format_reasons(ms: list) -> list[str]:
    """"format: 'AIME 2024' = 'AIME24'" for names joined by their key alone (no union needed)."""
    out = []
    by_rules: dict[tuple, set[str]] = defaultdict(set)
    for m in ms:
        rules = norm_key(m[3][0])[1]
        if rules:
            by_rules[rules].add(m[3][0])
    if by_rules and len({m[3][0] for m in ms}) > 1:
        for rules, names in sorted(by_rules.items()):
            out.append(f"key ({', '.join(rules)}): " + ", ".join(f"'{n}'" for n in sorted(names)[:4]))
    return out


def _link_kb(c: CanonicalConcept, kb) -> None:
    """Set ``kb_id``, ``kb_source``, ``url`` from the first of the node's names the KB knows."""
    for s in [c.name, *c.aliases]:
        e, how = kb_lookup(kb, s)
        if e is not None and kb_type_ok(getattr(e, "type", ""), c.type):
            c.kb_id, c.kb_source = e.kb_id, e.source
            c.url = next((u for u in (e.url or "").split("|") if u), None)
            via = f", dataset id '{how}'" if how else ""
            c.merge_reasons.append(f"kb: '{s}' is {e.kb_id} ({e.source}{via})")
            return


def kb_type_ok(kb_type: str, ctype: str) -> bool:
    """True when a KB entry of ``kb_type`` may name a concept of ``ctype``."""
    t = (kb_type or "").casefold()
    want = {"benchmark": "Benchmark", "model": "Model", "model_family": "Model", "metric": "Metric",
            "method": "Method", "task": "Task"}.get(t)
    return want is None or want == ctype
