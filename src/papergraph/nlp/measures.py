"""What a reported number measures and which way is better, from ``data/measures.tsv``.

The table lists words ("accuracy", "latency", "error", "WER" ...) with the direction in which
a value is better; a metric's direction comes from the last listed word of its name read right
to left ("bit error rate" -> error -> lower, "win rate" -> win -> higher).
"""

from __future__ import annotations

import functools
import re
from importlib import resources

__all__ = ["better", "is_measure", "measure_words"]

_WORD = re.compile(r"[a-z0-9@]+")


@functools.lru_cache(maxsize=1)
def measure_words() -> dict[str, str]:
    """The table: word (lower case) -> "higher" | "lower"."""
    out = {}
    text = (resources.files("papergraph.nlp") / "data" / "measures.tsv").read_text(encoding="utf-8")
    for line in text.splitlines()[1:]:
        if not line or line.startswith("#") or line.startswith("word\t"):
            continue
        word, direction, _source = line.split("\t")
        out[word] = direction
    return out


def _words(name: str) -> list[str]:
    return _WORD.findall(name.lower().replace("-", " "))


def better(name: str | None) -> str | None:
    """ "higher" or "lower" for a metric name, or None when the table does not say.

    Example:
        better("word error rate") == "lower"; better("pass@1 accuracy") == "higher"
    """
    table = measure_words()
    for w in reversed(_words(name or "")):
        if w in table:
            return table[w]
        if re.fullmatch(r"pass@\d+", w):
            return "higher"
    return None


def is_measure(head: str) -> bool:
    """True when a noun phrase whose head word is ``head`` names something a number can measure."""
    w = head.lower()
    return w in measure_words() or bool(re.fullmatch(r"pass@\d+", w))
