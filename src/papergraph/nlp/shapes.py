"""Pure string helpers: name shapes, word groups, LaTeX clean-up, singular forms.

The shape tests run once per distinct string (memoised: they are pure functions of it).
"""

from __future__ import annotations

import functools
import re
from typing import Sequence

__all__ = [
    "is_name_token", "is_acronym", "is_version", "is_size", "clean_latex", "singular",
    "SEPARATORS", "word_groups",
]

#: Tokens that end a glued word group even without whitespace.
SEPARATORS = frozenset("()[]{},;:.\"'“”‘’!?`") | {"'s", "’s", "..."}

_CAMEL = re.compile(r"[a-z][A-Z]|[A-Z]{2,}[a-z]|^[A-Z][a-z]+[A-Z]")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&-]*[A-Z0-9][A-Za-z0-9&-]*$")
_VERSION = re.compile(r"^[vV]?\d+(?:\.\d+)+$|^[vV]\d+$")
_SIZE = re.compile(r"^\d+(?:\.\d+)?[BMKT]$", re.I)
_QUANTITY = re.compile(r"^[~<>≈]?\d+(?:[.,]\d+)*(?:[BMKTbmkt]|[xX×]|GB|MB|TB|ms|s|h|D|d|k|K|th|st|nd|rd)?\+?$")
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th|s|D|d)?$")
_LATEX = re.compile(r"\\(?:textbf|textit|emph|texttt|mathrm|mathbf|mathcal|text|textsc|mathit)\s*\{([^{}]*)\}")


@functools.lru_cache(maxsize=1 << 16)
def is_acronym(text: str) -> bool:
    """True for all-caps names of 2+ letters, optionally plural: "LLM", "LLMs", "GSM8K", "RLHF"."""
    t = text[:-1] if len(text) > 2 and text.endswith("s") and text[-2].isupper() else text
    letters = [c for c in t if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= max(2, len(letters) - 1) and t[0].isupper()


def is_version(text: str) -> bool:
    """True for version numbers: "2.5", "v2", "3.1.4"."""
    return bool(_VERSION.match(text))


def is_size(text: str) -> bool:
    """True for model sizes: "7B", "1.5B", "350M"."""
    return bool(_SIZE.match(text))


@functools.lru_cache(maxsize=1 << 16)
def is_name_token(text: str) -> bool:
    """True when a token looks like a proper name by its shape alone.

    CamelCase ("LoRA", "AlpacaEval"), letters with digits ("GPT-4", "Qwen2.5", "s1K"),
    acronyms ("LLM", "MCTS"), and names with ``++``, ``^``, ``!`` or ``@`` ("C++", "R^3", "pass@k").
    """
    if len(text) < 2 or not any(c.isalpha() for c in text):
        return False
    if any(c.isdigit() for c in text):
        if _QUANTITY.match(text) or "://" in text:
            return False
        return not text.replace("-", "").isdigit() and not _ORDINAL.match(text)
    if any(c in text for c in "+^@!"):
        return True
    return is_acronym(text) or bool(_CAMEL.search(text))


def clean_latex(text: str) -> str:
    """Replace LaTeX wrappers (``\\textbf{X}``) by their content, padding to keep offsets.

    The result has the same length as the input so character offsets stay valid.
    """

    def repl(m: re.Match) -> str:
        inner = m.group(1)
        return inner + " " * (len(m.group(0)) - len(inner))

    if "\\" not in text:
        return text
    return _LATEX.sub(repl, text).replace("\\times", " times").replace("\\%", " %")


@functools.lru_cache(maxsize=1 << 16)
def singular(word: str) -> str:
    """A conservative singular of an English noun as written ("models" -> "model", "LLMs" -> "LLM")."""
    if len(word) < 4 or not word.endswith("s") or word.endswith(("ss", "us", "is", "ics", "'s")):
        return word
    if word[-2].isupper():
        return word[:-1]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    return word[:-1]


def word_groups(texts: Sequence[str], tags: Sequence[str], spaces: Sequence[str]) -> list[tuple[int, int]]:
    """Split a token sequence into word groups: tokens glued without whitespace ("Chain-of-Thought").

    The tokens are given as parallel sequences of their texts, tags and trailing whitespace;
    the groups are returned as ``(start, end)`` index ranges. Separating punctuation
    (parentheses, commas, quotes, the possessive "'s") always starts a new group and forms
    a group of its own.
    """
    groups: list[list[int]] = []
    prev_sep = True
    for k, (text, tag) in enumerate(zip(texts, tags)):
        sep = text in SEPARATORS or tag == "POS"
        if not sep and not prev_sep and spaces[k - 1] == "":
            groups[-1][1] = k + 1
        else:
            groups.append([k, k + 1])
        prev_sep = sep
    return [(a, b) for a, b in groups]
