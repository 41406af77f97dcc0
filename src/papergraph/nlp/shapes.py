"""Pure string helpers: name shapes, word groups, singular forms.

The shape tests run once per distinct string (memoised: they are pure functions of it).
"""

from __future__ import annotations

import functools
import re
from typing import Sequence

__all__ = [
    "ADJ_SUFFIXES", "MODEL_HEADS", "is_name_token", "is_acronym", "is_version", "is_size", "singular", "bad_name", "is_numeric",
    "SEPARATORS", "word_groups",
]

#: Adjective-forming suffixes after a hyphen: "GPT-4-powered", "LLaMA-based", "Claude-style".
#: Head words of a model class ("reward model", "base LLM", "policy network").
MODEL_HEADS = frozenset({"model", "llm", "lm", "network", "checkpoint", "vlm", "mllm", "lrm", "slm"})
ADJ_SUFFIXES = frozenset(
    "like based driven guided friendly formatted assisted generated style level specific free aware "
    "augmented enhanced powered centric oriented inspired derived scale agnostic dependent intensive "
    "efficient heavy only native ready compatible constrained conditioned grounded informed equipped trained tuned "
    "finetuned supervised generated".split()
)

#: Tokens that end a glued word group even without whitespace.
SEPARATORS = frozenset("()[]{},;:.\"'“”‘’!?`") | {"'s", "’s", "..."}

_CAMEL = re.compile(r"[a-z][A-Z]|[A-Z]{2,}[a-z]|^[A-Z][a-z]+[A-Z]")
_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9&-]*[A-Z0-9][A-Za-z0-9&-]*$")
_VERSION = re.compile(r"^[vV]?\d+(?:\.\d+)+$|^[vV]\d+$")
_SIZE = re.compile(r"^\d+(?:\.\d+)?[BMKT]$", re.I)
_QUANTITY = re.compile(r"^[~<>≈]?\d+(?:[.,]\d+)*(?:[BMKTbmkt]|[xX×]|GB|MB|TB|ms|s|h|D|d|k|K|th|st|nd|rd)?\+?$")
_ORDINAL = re.compile(r"^\d+(st|nd|rd|th|s|D|d)?$")


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


# A number, range or percentage with at most a unit or multiplier: "41-137times", "2.36sim", "30%-50%".
_NUMERIC_NAME = re.compile(r"^[~≈<>±]?\d[\d.,]*%?(?:\s*[-–~/]\s*[~≈]?\d[\d.,]*%?)*\s*"
                           r"(?:%|x|×|times|sim|fold|folds|pp|points?|percent|k|K|M|B|ms|s|h)?$")
_CITATION = re.compile(r"\bet\s+al\b|^(?:[A-Z][a-z]+ )?\(?\d{4}[a-z]?\)?$")
_URL = re.compile(r"://|^www\.|\.(?:com|org|io|ai|net|edu)(?:/|$)|github\b|huggingface\.co", re.I)
_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"))


def is_numeric(text: str) -> bool:
    """True for a number, range or percentage with at most a unit: "41-137times", "30%-50%", "7B"."""
    return bool(_NUMERIC_NAME.match(text))


@functools.lru_cache(maxsize=1 << 16)
def bad_name(text: str) -> bool:
    """True when ``text`` cannot be a concept name, whatever rule proposed it.

    Rejected: fewer than two letters or digits ("N", "P"), numbers and percentages with a
    unit ("41-137times", "2.36sim", "30%-50%"), a leading multiplier ("times speed-up"),
    citation fragments ("Wang et al."), unbalanced brackets ("Hint-RFT): Hint-RFT",
    "Chain-of-Thought(CoT"), LaTeX commands ("\\textbf{..."), URLs.
    """
    t = text.strip()
    if sum(c.isalnum() for c in t) < 2 or not any(c.isalpha() for c in t):
        return True
    if "\\" in t or _NUMERIC_NAME.match(t) or _CITATION.search(t) or _URL.search(t):
        return True
    first = t.split(maxsplit=1)[0]
    if first.lower() in ("times", "×", "fold") or _NUMERIC_NAME.match(first) and not first.isdigit():
        return True  # "times speed-up", "1.5-2.5times speedup": a multiplier, not a name
    return any(t.count(a) != t.count(b) for a, b in _PAIRS) or t[:1] in ")]}" or t[-1:] in "([{"
