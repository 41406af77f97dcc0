"""Entity resolution: per-paper concepts -> one Concept node per real thing, each merge with its reason.

Rules, in order (each union keeps "rule: evidence" on the node it makes):

1. ``curation``: the reviewed merges of a curation file (always applied).
2. a name's key (:func:`~papergraph.resolve.normalize.norm_key`): case, spacing, plural, number
   and year formats, word classes and phrase synonyms of ``data/linking.toml``.
3. ``alias``: a paper names one concept two ways, unless the alias is generic, one common word,
   or a part of the name or the name a part of it (head-word containment: "reinforcement
   learning" is not "offline reinforcement learning").
4. ``suffix``: "X method/framework/sampling/..." = "X" when X is a concept elsewhere and the
   paper does not name both; ``head form``: "X modeling" = "X model", "X testing" = "X test"
   (same type, or an adjective before: "generative modelling"); ``model of``: "X model" = "X"
   when the knowledge base knows X as a model or method ("Gaussian process model").
5. ``vendor``: "OpenAI o1" = "o1" when both are models.
6. ``acronym``: a paper that defines an acronym links it to its expansion there; a bare acronym
   takes the expansion the defining papers agree on (all, or two thirds of at least two); an
   acronym inside a name is read the same way ("LLM reasoning" = "large language model reasoning").
7. ``kb``: names that the knowledge base (``papergraph.knowledge``) knows as one entry of the
   concept's type, or as a benchmark's dataset id ("Hendrycks MATH", see ``kbids``); the node
   then carries the entry's ``kb_id``, ``kb_source`` and ``url``.

Curation ``split``/``never`` entries are cannot-links: no automatic rule joins those names.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Sequence

from ..model import PaperExtraction
from ..nlp.canonical import Canonicalization, concept_key, is_acronym
from .curation import Curation
from .kbids import kb_lookup
from .links import Links
from .normalize import (acronym_fits, clean_name, is_name_like, lexicon, norm_key, singular, strip_vendor,
                        words_of)
from .nodes import build_nodes, kb_type_ok

__all__ = ["resolve", "ACRONYM_MAJORITY"]

#: A bare acronym takes the expansion that at least this share of its defining papers give.
ACRONYM_MAJORITY = 2 / 3


def resolve(extractions: Sequence[PaperExtraction], *, curation: Curation | None = None,
            kb=None) -> Canonicalization:
    """Resolve the concepts of all papers into corpus concepts.

    Args:
        extractions: one ``PaperExtraction`` per paper (only names, aliases, types, type
            scores and confidences are read).
        curation: reviewed merges, splits, renames and never-merge pairs to apply.
        kb: an object with ``lookup(surface) -> entry | None`` (``papergraph.knowledge``) whose
            entries give nodes ``kb_id``, ``kb_source`` and ``url``.

    Returns:
        A ``Canonicalization``: nodes by id, (paper id, concept name) -> node id, variant links.
    """
    cur = curation or Curation()
    key = _keyer(cur)
    links = Links(cur.cannot_links(key), cur.isolated(key))
    for a, b in cur.merges:
        links.union(key(a), key(b), f"curation: merge '{a}' + '{b}'", force=True)

    members: list[tuple[str, object, str, list[str]]] = []  # (paper, concept, primary key, surfaces)
    defs: dict[str, dict[str, str]] = defaultdict(dict)  # acronym key -> paper -> expansion key
    spelled: dict[str, str] = {}  # expansion key -> one way a paper wrote it
    lex = lexicon()
    for ex in extractions:
        own = paper_definitions(ex.concepts, key)
        for a, (k, surface) in own.items():
            defs[a][ex.paper_id] = k
            spelled.setdefault(k, surface)
        own = {a: k for a, (k, _) in own.items()}
        for c in ex.concepts:
            name, acr = clean_name(c.name)
            if name.casefold() in lex.not_concepts:
                continue
            primary = own.get(key(name), key(name)) if is_acronym(name) else key(name)
            links.add(primary)
            surfaces = [name] + ([acr] if acr else []) + [a for a in c.aliases]
            members.append((ex.paper_id, c, primary, surfaces))
            for alias in c.aliases:
                _alias_link(links, key, ex.paper_id, c.name, name, alias, primary)

    primaries = {m[2] for m in members}
    types: dict[str, Counter] = defaultdict(Counter)
    for m in members:
        types[m[2]][m[1].type] += 1
    by_paper: dict[str, set[str]] = defaultdict(set)  # the plain keys of each paper's names
    for pid, _, _, surfaces in members:
        by_paper[pid].add(concept_key(surfaces[0]))
    models = {m[2] for m in members if m[1].type == "Model"}
    for pid, c, primary, surfaces in members:
        _suffix_link(links, key, pid, c, surfaces[0], primary, types, by_paper[pid], kb)
        bare = strip_vendor(surfaces[0]) if c.type == "Model" else None
        if bare and key(bare) in models:
            links.union(key(bare), primary, f"vendor: '{surfaces[0]}' = '{bare}' ({pid})")
    agreed = _acronym_links(links, key, members, defs)
    _acronyms_in_names(links, key, members, defs, agreed, spelled, primaries)
    if kb is not None:
        _kb_links(links, members, kb)
    return build_nodes(links, key, members, defs, cur, kb)


def _keyer(cur: Curation):
    """The key function with the curation's split aliases kept apart from everything else."""
    forced = cur.forced_keys(lambda s: norm_key(s)[0])

    def key(surface: str) -> str:
        return forced.get(surface.casefold().strip()) or norm_key(surface)[0]
    return key


def paper_definitions(concepts, key) -> dict[str, tuple[str, str]]:
    """Acronym key -> (expansion key, expansion), for the acronyms one paper defines: an acronym
    and a long form of one of its ``concepts`` that it fits."""
    out: dict[str, tuple[str, str]] = {}
    for c in concepts:
        name, acr = clean_name(c.name)
        forms = [name] + ([acr] if acr else []) + list(c.aliases)
        longs = [f for f in forms if not is_acronym(f)]
        for a in (f for f in forms if is_acronym(f)):
            exp = next((e for e in longs if acronym_fits(a, e)), None)
            if exp:
                out.setdefault(key(a), (key(exp), exp))
    return out


def _contained(a: list[str], b: list[str]) -> bool:
    """True if word list ``a`` occurs inside ``b`` (as a run of words) or ``b`` inside ``a``."""
    a, b = [singular(w) for w in a], [singular(w) for w in b]
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    n = len(short)
    return n < len(long_) and any(long_[i:i + n] == short for i in range(len(long_) - n + 1))


def _alias_link(links: Links, key, pid: str, raw: str, name: str, alias: str, primary: str) -> None:
    if is_acronym(alias):
        return  # acronyms link through their definitions (rule 6)
    k = key(alias)
    if k == primary:
        return
    lex = lexicon()
    aw, nw = words_of(alias), words_of(name)
    if len(nw) == len(aw) + 1 and [singular(w) for w in nw[:-1]] == [singular(w) for w in aw] \
            and _suffix_word(nw[-1]) in lex.suffix_words:
        return  # "X framework" with alias "X": the suffix rule decides (it knows the other papers)
    if _contained(aw, nw) or k in lex.generic or alias.casefold() in lex.generic:
        return
    if len(aw) == 1 and not is_name_like(alias):
        return
    links.union(primary, k, f"alias: '{raw}' is also called '{alias}' ({pid})")


def _suffix_link(links: Links, key, pid, c, name, primary, types, same_paper, kb=None) -> None:
    """Rule 4: "X method" = "X" when X is a concept elsewhere (of the same type for the kind words
    ``same_type_suffix_words``; never after a hyphenated modifier, "inference-time technique"),
    "reward modeling" = "reward model" (head forms) when that is a concept of the same type or the
    word before is an adjective ("generative modelling"), "X model" = "X" when the knowledge base
    knows X as a model or method; never when this paper names both."""
    lex = lexicon()
    parts = name.rsplit(None, 1)
    if len(parts) != 2:
        return
    head = parts[1].casefold()
    if _suffix_word(head) in lex.suffix_words:
        other, rule = parts[0], "suffix"
    elif head in lex.head_forms:
        other, rule = f"{parts[0]} {lex.head_forms[head]}", "head form"
    elif head in ("model", "models") and kb is not None and _known_model(kb, parts[0]):
        other, rule = parts[0], "model of"  # "Gaussian process model" = "Gaussian process"
    else:
        return
    k = key(other)
    if k == primary or k not in types or concept_key(other) in same_paper or k in lex.generic:
        return
    if rule == "suffix" and _COMPOUND_MODIFIER.search(other):
        return  # "inference-time technique" is not "inference time"
    same_type = rule == "model of" or (rule == "suffix" and _suffix_word(head) in lex.same_type_suffix_words)
    if same_type and types[k].most_common(1)[0][0] != c.type:
        return  # "SAT solver" (a method) is not "SAT" (the task it solves)
    if rule == "head form" and types[k].most_common(1)[0][0] != c.type and not _adjective(parts[0]):
        return  # "language modeling" (a task) is not "language model"; "generative modeling" is
    links.union(k, primary, f"{rule}: '{name}' = '{other}' ({pid})")


#: A last word that is a hyphenated modifier ("inference-time", "rule-based"): no name without its noun.
_COMPOUND_MODIFIER = re.compile(r"-(?:time|based|level|scale|aware|free|specific|wise|driven|oriented|style)$", re.I)
#: Adjective endings ("generative", "probabilistic", "statistical", "Bayesian").
_ADJECTIVE = re.compile(r"(?:ive|ic|ical|al|ous|ian|ary)$")


def _known_model(kb, name: str) -> bool:
    """True when the knowledge base knows ``name`` (several words) as a model or method, so that
    "``name`` model" is that model ("Gaussian process model"), unlike what a model predicts
    ("process reward model" is not "process reward") or does ("approximate inference model")."""
    e, _ = kb_lookup(kb, name)
    return e is not None and len(words_of(name)) > 1 and (e.type or "").casefold() in _MODEL_KINDS


_MODEL_KINDS = ("method", "model", "model_family")


def _adjective(words: str) -> bool:
    """True when the last of ``words`` reads as an adjective by its ending ("generative",
    "probabilistic"): "generative modeling" is the practice of generative models, while
    "language modeling" (a noun before it) models language."""
    w = words_of(words)
    return bool(w) and bool(_ADJECTIVE.search(w[-1]))


def _suffix_word(word: str) -> str:
    """The singular of a kind word ("approaches" -> "approach", "strategies" -> "strategy")."""
    return singular(word.casefold())


def _agreed(links: Links, papers: dict[str, str]) -> tuple[str, int, int] | None:
    """(expansion key, papers agreeing, papers defining) if the defining papers agree enough."""
    roots = Counter(links.find(k) for k in papers.values())
    total = sum(roots.values())
    (best, n), *rest = roots.most_common(2) + [(None, 0)]
    if n > rest[0][1] and (n == total or (n >= 2 and n >= ACRONYM_MAJORITY * total)):
        return next(k for k in papers.values() if links.find(k) == best), n, total
    return None


def _acronym_links(links: Links, key, members, defs) -> dict[str, str]:
    """Join each bare acronym to the expansion its defining papers agree on; return acronym key ->
    agreed expansion key."""
    agreed: dict[str, str] = {}
    for a, papers in defs.items():
        got = _agreed(links, papers)
        if got:
            agreed[a] = got[0]
    done: set[str] = set()
    for pid, c, primary, surfaces in members:
        name = surfaces[0]
        if not is_acronym(name) or primary != key(name) or primary in done or primary not in agreed:
            continue
        done.add(primary)
        exp, n, total = _agreed(links, defs[primary])
        where = ", ".join(sorted(p for p, k in defs[primary].items() if links.find(k) == links.find(exp))[:3])
        links.union(primary, exp, f"acronym: '{name}' is defined as this in {n}/{total} papers ({where})")
    return agreed


def _acronyms_in_names(links: Links, key, members, defs, agreed, spelled, primaries) -> None:
    """"LLM reasoning" = "large language model reasoning" when some paper defines the acronym so
    (this paper's own definition first, else the agreed one) and the long name is a concept too."""
    for pid, c, primary, surfaces in members:
        name = surfaces[0]
        parts = re.split(r"([\s\-/]+)", name)
        if len(parts) < 3:
            continue
        changed = False
        for i in range(0, len(parts), 2):
            if is_acronym(parts[i]):
                a = key(parts[i])
                exp = defs.get(a, {}).get(pid) or agreed.get(a)
                if exp and exp in spelled:
                    parts[i], changed = spelled[exp], True
        if changed:
            long_ = "".join(parts)
            k = key(long_)
            if k != primary and k in primaries:
                links.union(primary, k, f"acronym in name: '{name}' = '{long_}' ({pid})")


def _kb_links(links: Links, members, kb) -> None:
    """Rule 7: names the knowledge base knows as one entry (of the concept's type) are one node."""
    first: dict[str, tuple[str, str]] = {}
    for pid, c, primary, surfaces in members:
        e, how = kb_lookup(kb, surfaces[0])
        if e is None or not kb_type_ok(e.type, c.type):
            continue
        if e.kb_id not in first:
            first[e.kb_id] = (primary, surfaces[0])
        elif links.find(first[e.kb_id][0]) != links.find(primary):
            via = f" (dataset id '{how}')" if how else ""
            links.union(first[e.kb_id][0], primary,
                        f"kb: '{first[e.kb_id][1]}' and '{surfaces[0]}' are {e.kb_id}{via} ({pid})")
