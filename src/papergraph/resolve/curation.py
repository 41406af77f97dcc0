"""The curation file: reviewed merges, splits, renames and never-merge pairs that every build applies.

A TOML file (default ``curation.toml``), written by ``papergraph concepts merge|split|rename|never``
or by hand::

    [[merge]]                      # these names are one node
    names = ["AIME 2024", "AIME24"]
    [[split]]                      # this alias is not this concept: its own node
    concept = "Bayesian inference"
    alias = "inference"
    [[rename]]                     # the node holding `concept` is displayed as `name`
    concept = "LLM"
    name = "large language model"
    [[never]]                      # never merge these (one name: never merge it with anything)
    names = ["accuracy", "reasoning accuracy"]

Parsing and rendering are pure (text in, text out); the CLI reads and writes the file.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from typing import Callable

from ..errors import InputError
from ..nlp.canonical import concept_key

__all__ = ["Curation", "HEADER", "DEFAULT_FILE"]

DEFAULT_FILE = "curation.toml"
HEADER = ("# papergraph curation: reviewed fixes to concept identity, applied by every build\n"
          "# (papergraph build/extract --curation FILE; default ./curation.toml when present).\n"
          "# Written by `papergraph concepts merge|split|rename|never`; edit by hand as you like.\n")
_FIELDS = {"merge": ("names",), "split": ("concept", "alias"), "rename": ("concept", "name"), "never": ("names",)}


@dataclass
class Curation:
    """Reviewed identity decisions (surface names as a user typed them)."""

    merges: list[tuple[str, str]] = field(default_factory=list)
    splits: list[tuple[str, str]] = field(default_factory=list)  # (concept, alias)
    renames: list[tuple[str, str]] = field(default_factory=list)  # (concept, new name)
    nevers: list[tuple[str, str | None]] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str, *, source: str = "curation") -> "Curation":
        """A ``Curation`` from the file's text.

        Raises:
            InputError: not TOML, an unknown table, or an entry without its fields.
        """
        try:
            d = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise InputError(f"{source}: not valid TOML: {e}") from None
        cur = cls()
        for kind, entries in d.items():
            if kind not in _FIELDS or not isinstance(entries, list):
                raise InputError(f"{source}: unknown entry [[{kind}]]; expected one of "
                                 + ", ".join(f"[[{k}]]" for k in _FIELDS))
            for i, e in enumerate(entries, 1):
                _check(e, kind, f"{source}: [[{kind}]] #{i}")
                if kind == "merge":
                    cur.merges += [(e["names"][0], n) for n in e["names"][1:]]
                elif kind == "never":
                    names = e["names"]
                    cur.nevers += [(names[0], None)] if len(names) == 1 else [
                        (a, b) for j, a in enumerate(names) for b in names[j + 1:]]
                elif kind == "split":
                    cur.splits.append((e["concept"], e["alias"]))
                else:
                    cur.renames.append((e["concept"], e["name"]))
        return cur

    def __len__(self) -> int:
        return len(self.merges) + len(self.splits) + len(self.renames) + len(self.nevers)

    def cannot_links(self, key: Callable[[str], str]) -> dict[str, set[str]]:
        """Key -> keys it must not share a node with (splits and two-name nevers)."""
        out: dict[str, set[str]] = {}
        for a, b in [*self.splits, *((a, b) for a, b in self.nevers if b is not None)]:
            ka, kb = key(a), key(b)
            out.setdefault(ka, set()).add(kb)
            out.setdefault(kb, set()).add(ka)
        return out

    def isolated(self, key: Callable[[str], str]) -> set[str]:
        """Keys never merged with anything (one-name nevers)."""
        return {key(a) for a, b in self.nevers if b is None}

    def forced_keys(self, norm: Callable[[str], str]) -> dict[str, str]:
        """Folded name -> a key of its own, for a split alias (or the second name of a never pair)
        whose normal key is the other name's ("inference scaling" is a synonym of "test-time scaling")."""
        pairs = [*self.splits, *((a, b) for a, b in self.nevers if b is not None)]
        return {x.casefold().strip(): concept_key(x) + "_split" for a, x in pairs if norm(a) == norm(x)}


def _check(e, kind: str, where: str) -> None:
    if not isinstance(e, dict):
        raise InputError(f"{where}: expected a table")
    for f in _FIELDS[kind]:
        v = e.get(f)
        ok = (isinstance(v, list) and v and all(isinstance(x, str) and x.strip() for x in v)
              and (len(v) >= 2 or kind == "never")) if f == "names" else (isinstance(v, str) and v.strip())
        if not ok:
            raise InputError(f"{where}: '{f}' must be " + ("a list of names" if f == "names" else "a name"))


def entry(kind: str, **fields) -> str:
    """The TOML text of one entry, to append to a curation file.

    Example:
        entry("merge", names=["AIME 2024", "AIME24"])
    """
    if kind not in _FIELDS:
        raise InputError(f"unknown curation entry {kind!r}")
    lines = [f"\n[[{kind}]]"]
    for f in _FIELDS[kind]:
        lines.append(f"{f} = {json.dumps(fields[f], ensure_ascii=False)}")
    return "\n".join(lines) + "\n"


__all__ += ["entry"]
