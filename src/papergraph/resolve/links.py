"""Union-find over concept keys that remembers why each union was made and refuses cannot-links."""

from __future__ import annotations

__all__ = ["Links"]


class Links:
    """Keys joined into nodes.

    Args:
        cannot: key -> keys it must never share a node with (curation ``split`` / ``never``).
        isolated: keys that never share a node with any other key (curation ``never X``).
    """

    def __init__(self, cannot: dict[str, set[str]] | None = None, isolated: set[str] | None = None):
        self._parent: dict[str, str] = {}
        self._why: dict[str, list[str]] = {}
        self._cannot = cannot or {}
        self._isolated = isolated or set()
        self._constrained: dict[str, set[str]] = {}  # root -> its keys that carry a constraint
        #: Reasons of unions refused by a cannot-link.
        self.refused: list[str] = []

    def add(self, x: str) -> None:
        """Make ``x`` a key (its own node until joined)."""
        if x not in self._parent:
            self._parent[x] = x
            if x in self._cannot or x in self._isolated:
                self._constrained[x] = {x}

    def known(self, x: str) -> bool:
        """True if ``x`` has been added."""
        return x in self._parent

    def find(self, x: str) -> str:
        """The root key of ``x``'s node (adding ``x`` if new)."""
        self.add(x)
        p = self._parent
        while p[x] != x:
            p[x] = p[p[x]]
            x = p[x]
        return x

    def union(self, a: str, b: str, reason: str, *, force: bool = False) -> bool:
        """Join the nodes of ``a`` and ``b`` for ``reason``; False if a cannot-link forbids it."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        if not force and self._blocked(ra, rb):
            self.refused.append(reason)
            return False
        root, other = (ra, rb) if ra < rb else (rb, ra)
        self._parent[other] = root
        why = self._why.setdefault(root, [])
        why.extend(self._why.pop(other, ()))
        why.append(reason)
        if other in self._constrained:
            self._constrained.setdefault(root, set()).update(self._constrained.pop(other))
        return True

    def _blocked(self, ra: str, rb: str) -> bool:
        ca, cb = self._constrained.get(ra, ()), self._constrained.get(rb, ())
        if any(k in self._isolated for k in (*ca, *cb)):
            return True
        return any(self.known(o) and self.find(o) == rb for k in ca for o in self._cannot.get(k, ())) \
            or any(self.known(o) and self.find(o) == ra for k in cb for o in self._cannot.get(k, ()))

    def reasons(self, root: str) -> list[str]:
        """Why the keys of ``root``'s node were joined, oldest first."""
        return list(self._why.get(root, ()))

    def roots(self) -> dict[str, str]:
        """Every key -> its root."""
        return {k: self.find(k) for k in list(self._parent)}
