"""How common an English word is: its Zipf value (log10 of its uses per billion words).

Read from the ``wordfreq`` package's small English list, used from the installed package
(its data is CC BY-SA 4.0; nothing of it is copied here). The list holds the ~29,000 words
used at least about once per million words; any other word (a rare term, a model name, a
made-up word) is 0. The scorer uses it to tell everyday words ("method", "results") from
the rarer words that name things, for names it never saw in training.
"""

from __future__ import annotations

import functools

__all__ = ["zipf", "load", "everyday"]


@functools.lru_cache(maxsize=1)
def load() -> dict[str, float]:
    """The word -> Zipf value table (read once, ~0.1 s; the scorer reads it when the pipeline loads)."""
    from wordfreq import get_frequency_list

    # bucket i holds the words used 10 ** (-i / 100) of the time: Zipf value 9 - i / 100
    return {w: round(9.0 - i / 100.0, 2) for i, bucket in enumerate(get_frequency_list("en", "small"))
            for w in bucket}


def zipf(word: str) -> float:
    """The Zipf value of one lower-cased word; 0.0 when the list does not hold it."""
    return load().get(word, 0.0)


#: Zipf bars of an everyday name of one word ("results") and of two ("first step").
_EVERYDAY = (4.5, 5.0)


def everyday(name: str) -> bool:
    """Whether ``name`` is everyday English and nothing else: one word of Zipf value >= 4.5
    ("results") or two of >= 5 ("first step"); not "win-rate", "speed-up", "small language model".
    The scorer does not score noun chunks named so (:func:`papergraph.nlp.scorer.scorable`)."""
    words = name.split()
    if len(words) > 2 or not all(map(str.isalpha, words)):
        return False
    bar = _EVERYDAY[len(words) - 1]
    return all(zipf(w.lower()) >= bar for w in words)
