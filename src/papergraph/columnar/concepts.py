"""Member rows grouped by node key -> Concept rows (name, type vote, aliases, reasons, KB link).

:func:`concept_rows` runs on one partition of the ``members`` table shuffled by ``root`` (so each
node's members are in one partition) and does what :func:`papergraph.resolve.nodes.build_nodes`
does for one node: the fullest common name, the type vote summed over the members in corpus
order (papers by id, concepts in paper order), aliases, "key (...)" and curation reasons, the
knowledge-base link. :func:`variant_rows` adds ``VARIANT_OF`` from the finished table.
"""

from __future__ import annotations

import json
from collections import Counter
from types import SimpleNamespace

import pandas as pd

from ..model import CONCEPT_TYPES
from ..nlp.canonical import is_acronym
from ..resolve.nodes import _MAX_REASONS, _format_reasons, _link_kb
from ..nlp.canonical import CanonicalConcept
from ..resolve.normalize import norm_key
from ..resolve.variants import variant_links
from .keys import Keys

__all__ = ["CONCEPT_META", "concept_rows", "variant_rows"]

CONCEPT_META = pd.DataFrame({
    "root": pd.Series([], dtype=object), "id": pd.Series([], dtype=object), "name": pd.Series([], dtype=object),
    "type": pd.Series([], dtype=object), "aliases": pd.Series([], dtype=object),
    "paper_count": pd.Series([], dtype="int64"), "confidence": pd.Series([], dtype="float64"),
    "type_votes": pd.Series([], dtype=object), "merge_reasons": pd.Series([], dtype=object),
    "kb_id": pd.Series([], dtype=object), "kb_source": pd.Series([], dtype=object),
    "url": pd.Series([], dtype=object)})

_KB: dict = {}


def _kb():
    """The shipped knowledge base, loaded once per process."""
    if "kb" not in _KB:
        from ..knowledge import load_kb

        _KB["kb"] = load_kb()
    return _KB["kb"]


def concept_rows(part: pd.DataFrame, keys: Keys, use_kb: bool = True) -> pd.DataFrame:
    """One Concept row per ``root`` of ``part`` (members of whole nodes only)."""
    if not len(part):
        return CONCEPT_META.copy()
    part = part.sort_values(["root", "paper_id", "pos"], kind="stable")
    kb = _kb() if use_kb else None
    out = []
    cols = [part[c].tolist() for c in ("root", "clean", "type", "confidence", "scores", "belongs", "best")]
    i, n = 0, len(part)
    while i < n:
        root = cols[0][i]
        j = i
        while j < n and cols[0][j] == root:
            j += 1
        out.append(_node(root, *(c[i:j] for c in cols[1:]), keys, kb))
        i = j
    return pd.DataFrame(out, columns=list(CONCEPT_META.columns))


def _node(root, cleans, types, confs, scores, belongs, best, keys: Keys, kb) -> dict:
    names = Counter(cleans)
    name = sorted(names, key=lambda s: (is_acronym(s), -names[s], -len(s), s))[0]
    node_id = root
    if keys.merged:  # a curation merge: the node is named by its chosen name's key, as resolve does
        k = keys.key(name)
        node_id = k if keys.root(k) == root else root
    votes: Counter = Counter()
    for t, conf, sc in zip(types, confs, scores):
        for vt, v in (json.loads(sc) if isinstance(sc, str) and sc else {t: conf}).items():
            if vt in CONCEPT_TYPES:
                votes[vt] += v
    ctype = max(CONCEPT_TYPES, key=lambda t: (votes[t], -CONCEPT_TYPES.index(t)))
    surfaces = {s for b in belongs for s in b}
    aliases = sorted(surfaces - {name}, key=lambda a: (a.casefold(), a))
    distinct = list(names)
    reasons = keys.reasons(root) + (_format_reasons([(None, None, None, [c]) for c in distinct])
                                    if len(distinct) > 1 else [])
    c = CanonicalConcept(node_id, name, ctype, aliases, [], round(max(confs), 4),
                         {t: round(v, 4) for t, v in votes.items() if v},
                         merge_reasons=list(dict.fromkeys(reasons))[:_MAX_REASONS])
    new = keys.rename(root)
    if new is not None:
        c.merge_reasons.insert(0, f"curation: renamed '{c.name}' to '{new}'")
        c.aliases = sorted(set(c.aliases + [c.name]) - {new}, key=lambda a: (a.casefold(), a))
        c.name = new
    if kb is not None:
        _link_kb(c, kb)
    return {"root": root, "id": c.key, "name": c.name, "type": c.type, "aliases": c.aliases,
            "paper_count": int(sum(best)), "confidence": c.confidence,
            "type_votes": json.dumps(c.type_votes, ensure_ascii=False, sort_keys=True),
            "merge_reasons": c.merge_reasons, "kb_id": c.kb_id, "kb_source": c.kb_source, "url": c.url}


def variant_rows(concepts: pd.DataFrame, use_kb: bool = True) -> list[tuple[str, str]]:
    """(variant id, family id) pairs of the finished concept table, as ``VARIANT_OF`` links them.

    A name is found as ``Canonicalization.key_for_name`` finds it: its key is a node's key."""
    by_key = dict(zip(concepts["root"].tolist(), concepts["id"].tolist()))
    models = concepts[concepts["type"] == "Model"]
    nodes = {i: SimpleNamespace(name=n, type=t) for i, n, t in
             zip(concepts["id"].tolist(), concepts["name"].tolist(), concepts["type"].tolist())}
    sub = {i: nodes[i] for i in models["id"].tolist()}

    class _Lookup(dict):  # variant_links reads concepts[fam_id].type for any node
        def __missing__(self, k):
            return nodes[k]

    return variant_links(_Lookup(sub), lambda s: by_key.get(norm_key(s)[0]), _kb() if use_kb else None)
