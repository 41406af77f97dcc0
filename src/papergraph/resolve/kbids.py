"""Knowledge-base lookups for resolution: an entry's names, or the dataset id it is published under.

A benchmark is often named by its dataset id on the Hugging Face hub ("EleutherAI/hendrycks_math"
is the MATH benchmark, so "Hendrycks MATH" is too). The id's last part names the entry when it is
two words, a qualifier such as the author and then the entry's own name ("hendrycks" + "math");
a word after the name is a subset or variant ("KMMLU-HARD"), not the entry.
"""

from __future__ import annotations

import functools
import re

from ..knowledge import normalise

__all__ = ["kb_lookup"]

_ID_WORDS = re.compile(r"[_\-.]+")


def kb_lookup(kb, surface: str):
    """``(entry, how)`` for ``surface``: ``how`` is "" for one of the entry's names, or the dataset
    id it matched; ``(None, "")`` when the knowledge base knows no single entry by either."""
    e = kb.lookup(surface)
    if e is not None:
        return e, ""
    if len(surface.split()) < 2:
        return None, ""
    hit = _dataset_ids(kb).get(normalise(surface).casefold())
    return hit if hit is not None else (None, "")


@functools.lru_cache(maxsize=4)
def _dataset_ids(kb) -> dict[str, tuple]:
    """Folded key of a benchmark's dataset-id last part -> (entry, id); ambiguous keys left out."""
    out: dict[str, tuple] = {}
    seen: set[str] = set()
    for e in getattr(kb, "__iter__", lambda: iter(()))():
        if (e.type or "").casefold() != "benchmark":
            continue
        own = normalise(e.name).casefold()
        for alias in e.aliases:
            if "/" not in alias:
                continue
            part = alias.rsplit("/", 1)[1]
            words = [normalise(w).casefold() for w in _ID_WORDS.split(part) if w]
            if len(words) != 2 or words[1] != own or words[0] == own:
                continue
            k = "".join(words)
            if k in seen and out.get(k, (None,))[0] is not e:
                out.pop(k, None)  # two entries: ambiguous
                continue
            seen.add(k)
            out[k] = (e, alias)
    return out
