"""Versions and families stay two nodes joined by ``VARIANT_OF`` ("Qwen2.5-Math-7B" -> "Qwen2.5-Math")."""

from __future__ import annotations

import re
from typing import Callable

__all__ = ["variant_links", "VARIANT_SUFFIX"]

#: Suffixes stripped (one at a time) to find a model's family: sizes, tuning tags, dates, "+".
VARIANT_SUFFIX = re.compile(
    r"(?:[-_ ](?:\d+(?:\.\d+)?[BbMmKkTt]|x\d+|Instruct|Chat|Base|Preview|Turbo|Mini|mini|it|\d{4}(?:-\d\d){0,2})"
    r"|/\d+(?:\.\d+)?[BbMm]|\+)$"
)


def variant_links(concepts: dict, node_for: Callable[[str], str | None], kb=None) -> list[tuple[str, str]]:
    """(variant node id, family node id) for every Model node whose name, stripped of variant
    suffixes, names another node, or whose family in the knowledge base is another node
    ("Llama-3-8B" -> "Llama 3").

    Args:
        concepts: node id -> ``CanonicalConcept``.
        node_for: surface form -> node id (or None).
        kb: an object with ``family(surface) -> entry | None`` (``papergraph.knowledge``), or None.
    """
    out = []
    for nid, c in concepts.items():
        if c.type != "Model":
            continue
        fam = getattr(kb, "family", lambda s: None)(c.name)
        fam_id = node_for(fam.name) if fam is not None else None
        if fam_id is not None and fam_id != nid and concepts[fam_id].type == "Model":
            out.append((nid, fam_id))
            continue
        name = c.name
        while True:
            stripped = VARIANT_SUFFIX.sub("", name)
            if stripped == name or len(stripped) < 2:
                break
            fam = node_for(stripped)
            if fam is not None and fam != nid:
                out.append((nid, fam))
                break
            name = stripped
    return sorted(out)
