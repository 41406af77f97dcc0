"""Knowledge of named things: models, benchmarks, metrics, methods and tasks, with provenance.

The data file ``papergraph/data/kb.tsv`` is built by ``scripts/build_kb.py`` from public name
lists (lm-evaluation-harness, OpenCompass, transformers, torchmetrics, evaluate) and a
hand-written ``kb_extra.tsv``; each row keeps its sources, source ids and URLs.

Example:
    >>> kb = load_kb()
    >>> kb.lookup("gsm-8k").name
    'GSM8K'
    >>> kb.family("Qwen2.5-Math-7B").type
    'Model'
"""

from __future__ import annotations

import csv
import functools
import os
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

__all__ = ["KBEntry", "KnowledgeBase", "load_kb", "normalise"]

_NON_ALNUM = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class KBEntry:
    """One named thing: its id, display name, concept type, aliases and provenance.

    ``source`` and ``url`` are ``|`` lists when several public sources name it.
    """

    kb_id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    source: str
    url: str


@functools.lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Letters and digits only, case kept (NFKC; ``+`` is spelled ``plus``): "GSM-8K" -> "GSM8K"."""
    return _NON_ALNUM.sub("", unicodedata.normalize("NFKC", text).replace("+", "plus"))


def _case_sensitive(surface: str, typ: str, match: str) -> bool:
    """Whether a surface of an entry matches only as written (see ``scripts/build_kb.py``)."""
    if match != "exact-case" or not normalise(surface).isalpha():
        return False
    if typ in ("Model", "Benchmark"):
        return True  # "MATH", "Falcon", "Depth Anything"
    return surface.isalpha() and sum(c.isupper() for c in surface) >= 2  # "mAP", "COMET"; not "mean absolute error"


class KnowledgeBase:
    """Lookups by surface form over a list of entries.

    Args:
        rows: ``(entry, match)`` pairs; ``match`` is ``exact-case`` or ``fold``.
    """

    def __init__(self, rows: list[tuple[KBEntry, str]]):
        self._entries = [e for e, _ in rows]
        self._folded: dict[str, list[KBEntry]] = {}
        self._exact: dict[str, list[KBEntry]] = {}
        for entry, match in rows:
            for s in (entry.name, *entry.aliases):
                key = normalise(s)
                if not key:
                    continue
                index, key = (self._exact, key) if _case_sensitive(s, entry.type, match) else (self._folded, key.casefold())
                hits = index.setdefault(key, [])
                if entry not in hits:
                    hits.append(entry)

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self):
        return iter(self._entries)

    def _hits(self, key: str) -> list[KBEntry]:
        hits = list(self._exact.get(key, ()))
        hits.extend(e for e in self._folded.get(key.casefold(), ()) if e not in hits)
        return hits

    def lookup(self, surface: str) -> KBEntry | None:
        """The entry named ``surface`` (after normalisation), or None when unknown or ambiguous.

        Case is folded except for an exact-case entry's word-like surfaces ("MATH" is the
        benchmark, "math" is not).
        """
        hits = self._hits(normalise(surface))
        return hits[0] if len(hits) == 1 else None

    def family(self, surface: str) -> KBEntry | None:
        """The longest Model entry whose name is a proper prefix family of ``surface``.

        The prefix must end at a boundary of ``surface``: a space, hyphen or other
        punctuation, or a change between letters and digits ("Llama-3-8B" -> Llama,
        "Qwen2.5-Math-7B" -> Qwen2.5 when known, else Qwen2). "Phishing" has no family Phi.

        Returns:
            The entry, or None when no Model entry is such a prefix (or the longest is ambiguous).
        """
        text = unicodedata.normalize("NFKC", surface).replace("+", "plus")
        key, cuts = [], []
        for k, ch in enumerate(text):
            if not ch.isalnum():
                if key:
                    cuts.append(len(key))
                continue
            if key and k > 0 and text[k - 1].isalnum() and ch.isdigit() != text[k - 1].isdigit():
                cuts.append(len(key))
            key.append(ch)
        full = "".join(key)
        for cut in sorted(set(c for c in cuts if 0 < c < len(full)), reverse=True):
            hits = [e for e in self._hits(full[:cut]) if e.type == "Model"]
            if len(hits) == 1:
                return hits[0]
            if hits:
                return None
        return None


def _read(text: str, where: str) -> list[tuple[KBEntry, str]]:
    rows = []
    reader = csv.DictReader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    for n, r in enumerate(reader, 2):
        if not r.get("kb_id") or not r.get("source"):
            raise ValueError(f"{where}:{n}: a row without kb_id or source")
        aliases = tuple(a for a in (r["aliases"] or "").split("|") if a)
        rows.append((KBEntry(r["kb_id"], r["name"], r["type"], aliases, r["source"], r["url"] or ""),
                     r.get("match") or "fold"))
    return rows


@functools.lru_cache(maxsize=4)
def _load(path: str | None) -> KnowledgeBase:
    if path is None:
        text = (resources.files("papergraph") / "data" / "kb.tsv").read_text(encoding="utf-8")
        return KnowledgeBase(_read(text, "kb.tsv"))
    with open(path, encoding="utf-8") as fh:
        return KnowledgeBase(_read(fh.read(), path))


def load_kb(path: str | os.PathLike | None = None) -> KnowledgeBase:
    """The knowledge base in ``path`` (default: the package's ``data/kb.tsv``), cached.

    Raises:
        OSError: the file cannot be read.
        ValueError: a row has no ``kb_id`` or ``source``.
    """
    return _load(os.fspath(path) if path is not None else None)
