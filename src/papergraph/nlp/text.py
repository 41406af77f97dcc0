"""Text preparation before spaCy: same-length rewrites so character offsets stay valid."""

from __future__ import annotations

import re

from .shapes import clean_latex

__all__ = ["prepare_text", "prepare_title", "sentence_case"]

_TITLE_WORD = re.compile(r"(?<![\w'’])([A-Z][a-z]+)(?![\w'’])")


def prepare_text(text: str) -> str:
    """An abstract as spaCy should see it: LaTeX wrappers blanked out, same length."""
    return clean_latex(text)


def sentence_case(title: str) -> str:
    """Lower-case the capitalised plain words of a Title Cased title, keeping its length.

    Tagging "Distributed Inference and Fine-tuning of Large Language Models" as a sentence
    works much better than as a string of proper nouns. Names with inner capitals, digits or
    all capitals ("LoRA", "GPT-4", "LLMs") and the part before a colon are kept as written.
    """
    words = re.findall(r"[A-Za-z][\w'’-]*", title)
    if len(words) < 3:
        return title
    caps = sum(w[0].isupper() for w in words if len(w) > 3)
    long_words = sum(1 for w in words if len(w) > 3)
    if not long_words or caps / long_words < 0.6:
        return title
    colon = title.find(":")
    keep = colon if 0 < colon < len(title) // 2 + 20 else 0
    first = re.search(r"[A-Za-z]", title[keep:])
    skip_at = keep + first.start() if first else -1

    def low(m: re.Match) -> str:
        return m.group(1) if m.start() == skip_at else m.group(1).lower()

    out = title[:keep] + _TITLE_WORD.sub(low, title[keep:])
    return out if len(out) == len(title) else title


def prepare_title(title: str) -> str:
    """A title as spaCy should see it (sentence-cased, LaTeX wrappers blanked out)."""
    return sentence_case(clean_latex(title))
