"""Per-key entity resolution: the part of :mod:`papergraph.resolve` that needs no corpus-wide state.

A concept's key is its cleaned name's :func:`~papergraph.resolve.normalize.norm_key` (rule 2 of
``papergraph.resolve``: case, spacing, plural, number and year formats, word classes, phrase
synonyms), with the curation file's split aliases kept apart and its reviewed merges applied
(rule 1, a small union over the curation's own keys). A bare acronym that its own paper defines
takes that paper's expansion. Everything here is a function of one paper and the curation, so it
runs on the workers as records are written. Rules 3-7 (alias, suffix, vendor, corpus acronym
vote, knowledge-base unions) join keys across papers and are not applied: see the README,
"The columnar build".
"""

from __future__ import annotations

from ..resolve.curation import Curation
from ..resolve.links import Links
from ..resolve.normalize import norm_key
from ..resolve.stage import paper_definitions

__all__ = ["Keys"]


class Keys:
    """The key of a surface form and the root node key of a key (picklable; shipped to workers).

    Args:
        curation: reviewed merges, splits and renames (None: none).
    """

    def __init__(self, curation: Curation | None = None):
        cur = curation or Curation()
        self._forced = cur.forced_keys(lambda s: norm_key(s)[0])
        links = Links()
        for a, b in cur.merges:
            links.union(self.key(a), self.key(b), f"curation: merge '{a}' + '{b}'", force=True)
        self._root = {k: r for k, r in links.roots().items() if k != r}
        #: True when the curation merged keys (node ids then follow the chosen names' keys).
        self.merged = bool(self._root)
        roots = set(self._root.values())
        self._reasons = {r: links.reasons(r) for r in roots}
        self._renames = {self.root(self.key(a)): new for a, new in cur.renames}

    def key(self, surface: str) -> str:
        """The match key of a surface form (curation splits first)."""
        return self._forced.get(surface.casefold().strip()) or norm_key(surface)[0]

    def root(self, key: str) -> str:
        """The node key that ``key`` belongs to (itself unless the curation merged it)."""
        return self._root.get(key, key)

    def reasons(self, root: str) -> list[str]:
        """The curation merges that made ``root``'s node."""
        return list(self._reasons.get(root, ()))

    def rename(self, root: str) -> str | None:
        """The display name the curation gives ``root``'s node, if any."""
        return self._renames.get(root)

    def definitions(self, concepts) -> dict[str, str]:
        """Acronym key -> expansion key for the acronyms one paper defines (its concepts)."""
        return {a: k for a, (k, _) in paper_definitions(concepts, self.key).items()}
