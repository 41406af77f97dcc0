"""A statistical concept tagger: a small spaCy NER trained on papergraph's own silver annotations.

The rule components find concepts from cues and shapes; this tagger is a second, learned opinion
(labels Model, Benchmark, Method, Task, Metric) that the rules can use as a candidate source or a
type voter. Weights ship in ``nlp/data/concept_ner/`` (a tok2vec + ner pipeline, rebuilt by
``python training/train.py``; see ``training/README.md`` for data and scores).

Example:
    >>> tagger = load_concept_tagger()
    >>> tag_concepts(tagger, "We fine-tune LLaMA-2 with LoRA and evaluate on GSM8K.")
    [(13, 20, 'Model', 0.8), (26, 30, 'Method', 0.7), (47, 52, 'Benchmark', 0.8)]

The model is loaded lazily and cached per process, so code that runs ``nlp.pipe(n_process=...)``
can call :func:`load_concept_tagger` inside each worker instead of pickling a pipeline.
"""

from __future__ import annotations

import functools
import os
from importlib import resources
from typing import Iterable, Iterator

import spacy
from spacy.language import Language
from spacy.util import compile_suffix_regex

from ..errors import ConfigError

__all__ = ["LABELS", "default_path", "load_concept_tagger", "tag_concepts", "tag_texts", "fix_tokenizer"]

LABELS = ("Model", "Benchmark", "Method", "Task", "Metric")
#: Suffix rules added to the English tokenizer at training and tagging time ("GSM8K." -> "GSM8K" ".").
EXTRA_SUFFIXES = (r"(?<=[0-9][A-Z])\.", r"(?<=[0-9][A-Z]\))\.")
#: Score used for a label the model's metadata has no precision for.
DEFAULT_SCORE = 0.5


def default_path() -> str:
    """The directory of the shipped weights."""
    return os.fspath(resources.files("papergraph.nlp") / "data" / "concept_ner")


def fix_tokenizer(nlp: Language) -> Language:
    """Add :data:`EXTRA_SUFFIXES` to a pipeline's tokenizer (idempotent); returns ``nlp``."""
    suffixes = list(nlp.Defaults.suffixes)
    suffixes += [s for s in EXTRA_SUFFIXES if s not in suffixes]
    nlp.tokenizer.suffix_search = compile_suffix_regex(suffixes).search
    return nlp


@functools.lru_cache(maxsize=4)
def _load(path: str) -> Language:
    try:
        nlp = spacy.load(path)
    except (OSError, ValueError) as e:
        raise ConfigError(
            f"{path}: cannot load the concept tagger ({str(e).splitlines()[0]}); "
            f"rebuild it with `python training/train.py`"
        ) from None
    if "ner" not in nlp.pipe_names:
        raise ConfigError(f"{path}: not a concept tagger (pipeline {nlp.pipe_names} has no 'ner')")
    return fix_tokenizer(nlp)


def load_concept_tagger(path: str | os.PathLike | None = None) -> Language:
    """Load the concept tagger (cached per process and path).

    Args:
        path: a directory written by ``training/train.py`` (default: the shipped weights).

    Returns:
        A spaCy pipeline (tok2vec + ner); pass it to :func:`tag_concepts`.

    Raises:
        ConfigError: the directory is missing or is not a concept tagger.
    """
    return _load(os.path.abspath(os.fspath(path)) if path is not None else default_path())


def _label_scores(nlp: Language) -> dict[str, float]:
    return dict(nlp.meta.get("papergraph", {}).get("label_precision", {}))


def _spans(doc, scores: dict[str, float]) -> list[tuple[int, int, str, float]]:
    return [(e.start_char, e.end_char, e.label_, scores.get(e.label_, DEFAULT_SCORE))
            for e in doc.ents if e.label_ in LABELS]


def tag_concepts(nlp_tagger: Language, text: str) -> list[tuple[int, int, str, float]]:
    """Tag concept mentions in one text.

    Args:
        nlp_tagger: a pipeline from :func:`load_concept_tagger`.
        text: a title or an abstract.

    Returns:
        ``(start_char, end_char, label, score)`` per mention, in text order, non-overlapping;
        ``text[start_char:end_char]`` is the mention. ``score`` is the label's precision on the
        training run's held-out papers (a prior, not a per-span probability).
    """
    if not text or not text.strip():
        return []
    return _spans(nlp_tagger(text), _label_scores(nlp_tagger))


def tag_texts(nlp_tagger: Language, texts: Iterable[str], *,
              batch_size: int = 64) -> Iterator[list[tuple[int, int, str, float]]]:
    """Like :func:`tag_concepts` for many texts (batched with ``nlp.pipe``), in order."""
    scores = _label_scores(nlp_tagger)
    for doc in nlp_tagger.pipe((t or "" for t in texts), batch_size=batch_size):
        yield _spans(doc, scores)
