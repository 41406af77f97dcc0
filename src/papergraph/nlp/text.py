"""Text preparation before spaCy: same-length rewrites so character offsets stay valid.

Every rewrite keeps the text's length and leaves each kept character where it was, so a
span found in the prepared text is the same span of the original (``mention.text ==
original[start:end]``). LaTeX markup is blanked in place: ``\\textbf{X}`` keeps ``X`` at its
offsets, ``5\\times`` becomes ``5×`` plus spaces, ``$``, braces, ``\\%`` escapes and ``~`` ties
become spaces.
"""

from __future__ import annotations

import functools
import re

from ..knowledge import load_kb

__all__ = ["clean_latex", "prepare_text", "prepare_title", "sentence_case"]

_TITLE_WORD = re.compile(r"(?<![\w'’])([A-Z][a-z]+)(?![\w'’])")

# Commands that stand for one symbol: written as the symbol, padded with spaces.
_SYMBOLS = {
    "times": "×", "sim": "~", "approx": "≈", "pm": "±", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥",
    "cdot": "·", "to": "→", "rightarrow": "→", "infty": "∞", "alpha": "α", "beta": "β", "gamma": "γ",
    "delta": "δ", "epsilon": "ε", "theta": "θ", "lambda": "λ", "mu": "μ", "pi": "π", "sigma": "σ",
    "tau": "τ", "phi": "φ", "omega": "ω", "ell": "ℓ", "dots": "…", "ldots": "…", "cdots": "…",
}
# Commands whose argument is text (kept in place) and commands whose argument is not (blanked).
_WRAPPERS = frozenset(
    "textbf textit emph texttt textsc textrm textsf text mathrm mathbf mathcal mathit mathbb mathsf "
    "operatorname underline boldsymbol bm mbox hbox footnote".split())
_DROPPED = frozenset("cite citep citet ref eqref label url".split())
_COMMAND = re.compile(r"\\([A-Za-z]+)\*?|\\([%&_#$])|\\(\\)")


def _close(text: str, k: int) -> int:
    """Index of the brace closing the one at ``text[k]``, or -1."""
    depth = 0
    for j in range(k, len(text)):
        if text[j] == "{":
            depth += 1
        elif text[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return -1


def clean_latex(text: str) -> str:
    """Blank LaTeX markup out of ``text`` in place; the result has the same length.

    Examples: ``41-137$\\times$`` -> ``41-137 ×     ``, ``2.36\\sim`` -> ``2.36~   ``,
    ``\\textbf{HSPI}`` -> ``        HSPI ``, ``90.5\\%`` -> ``90.5% ``,
    ``learning~(RL)`` -> ``learning (RL)``.
    """
    if not any(c in text for c in "\\${}~"):
        return text
    out = list(text)

    def blank(a: int, b: int) -> None:
        out[a:b] = " " * (b - a)

    for m in _COMMAND.finditer(text):
        a, b = m.span()
        name, escaped = m.group(1), m.group(2)
        if escaped:  # "\%" -> "% "
            out[a:b] = escaped + " "
        elif m.group(3):  # "\\" line break
            blank(a, b)
        elif name in _SYMBOLS:
            while a > 0 and text[a - 1] == "$":
                a -= 1  # glue the symbol to what precedes the math: "41-137$\times$" -> "41-137×"
            out[a:b] = _SYMBOLS[name] + " " * (b - a - 1)
        elif name in _WRAPPERS or name in _DROPPED:
            k = b
            while k < len(text) and text[k] == " ":
                k += 1
            end = _close(text, k) if k < len(text) and text[k] == "{" else -1
            if end < 0:
                blank(a, b)
            elif name in _DROPPED:
                blank(a, end + 1)
            else:
                blank(a, k + 1)
                out[end] = " "
        else:  # an unknown command: keep its word ("\eg" -> " eg")
            out[a] = " "
    for k, c in enumerate(text):
        if c in "${}" and out[k] == c and (k == 0 or text[k - 1] != "\\"):
            out[k] = " "
        elif c == "~" and (k + 1 >= len(text) or not text[k + 1].isdigit()):
            out[k] = " "  # a tie ("learning~(RL)"), not "about" ("~2x")
    return "".join(out)


def prepare_text(text: str) -> str:
    """An abstract as spaCy should see it: LaTeX markup blanked out, same length."""
    return clean_latex(text)


def sentence_case(title: str) -> str:
    """Lower-case the capitalised plain words of a Title Cased title, keeping its length.

    Tagging "Distributed Inference and Fine-tuning of Large Language Models" as a sentence
    works much better than as a string of proper nouns. Names with inner capitals, digits or
    all capitals ("LoRA", "GPT-4", "LLMs"), names the knowledge base knows only as written
    ("Whisper", "Falcon") and the part before a colon are kept as written.
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
        word = m.group(1)
        return word if m.start() == skip_at or _cased_name(word) else word.lower()

    out = title[:keep] + _TITLE_WORD.sub(low, title[keep:])
    return out if len(out) == len(title) else title


@functools.lru_cache(maxsize=1 << 14)
def _cased_name(word: str) -> bool:
    """A name the knowledge base knows only as written ("Whisper", "Falcon"): kept in a title."""
    kb = load_kb()
    return kb.lookup(word) is not None and kb.lookup(word.lower()) is None


def prepare_title(title: str) -> str:
    """A title as spaCy should see it (sentence-cased, LaTeX markup blanked out)."""
    return sentence_case(clean_latex(title))
