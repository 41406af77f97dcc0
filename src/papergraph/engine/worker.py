"""What runs on a Dask worker: one spaCy pipeline per worker process, loaded on first use.

Tasks receive a :class:`PipelineSpec` (model name, vocabulary file content, batch size) and
a partition of papers, and return one JSON string per paper (``PaperExtraction.to_dict()``),
which is also what the client stores in the extraction cache.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from ..model import Paper

__all__ = ["PipelineSpec", "make_spec", "worker_fingerprint", "extract_partition"]

# (model, vocabulary hash) -> (pipeline, lock); one per worker process.
_PIPELINES: dict[tuple, tuple] = {}
_LOAD_LOCK = threading.Lock()


@dataclass(frozen=True)
class PipelineSpec:
    """Everything a worker needs to build the client's pipeline.

    The vocabulary travels as bytes, so workers need not share the client's file system;
    ``vocab_path`` is used as-is when it exists on the worker with the same content.
    """

    model: str | None
    vocab_path: str | None
    vocab_bytes: bytes | None
    batch_size: int

    @property
    def key(self) -> tuple:
        digest = hashlib.sha256(self.vocab_bytes).hexdigest() if self.vocab_bytes is not None else None
        return self.model, digest


def make_spec(*, model: str | None, vocab: str | os.PathLike | None, batch_size: int) -> PipelineSpec:
    """The spec of the pipeline ``load_pipeline(model, vocab=vocab)`` builds on this machine.

    The model name is resolved here (``PAPERGRAPH_SPACY_MODEL``) so workers, whose environment
    may differ, load the same one.
    """
    from ..errors import ConfigError
    from ..nlp.lexicon import load_vocabulary

    model = model or os.environ.get("PAPERGRAPH_SPACY_MODEL") or None
    if vocab is None:
        return PipelineSpec(model, None, None, batch_size)
    load_vocabulary(vocab)  # a bad file is reported here, naming the user's path
    try:
        data = Path(vocab).read_bytes()
    except OSError as e:
        raise ConfigError(f"{vocab}: cannot read vocabulary file: {e.strerror or e}") from None
    return PipelineSpec(model, os.path.abspath(vocab), data, batch_size)


def _vocab_file(spec: PipelineSpec) -> str | None:
    """A path on this worker holding the spec's vocabulary."""
    if spec.vocab_bytes is None:
        return None
    try:
        if Path(spec.vocab_path).read_bytes() == spec.vocab_bytes:
            return spec.vocab_path
    except OSError:
        pass
    # Keep the file name: its suffix selects TOML or JSON.
    folder = Path(tempfile.gettempdir()) / f"papergraph-vocab-{spec.key[1][:16]}"
    folder.mkdir(exist_ok=True)
    path = folder / Path(spec.vocab_path).name
    if not path.exists():
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_bytes(spec.vocab_bytes)
        os.replace(tmp, path)
    return str(path)


def _pipeline(spec: PipelineSpec) -> tuple:
    """This process's pipeline for ``spec`` and the lock that serialises its use."""
    with _LOAD_LOCK:
        entry = _PIPELINES.get(spec.key)
        if entry is None:
            from ..nlp import load_pipeline
            from .heap import freeze_loaded

            nlp = load_pipeline(spec.model, vocab=_vocab_file(spec))
            freeze_loaded()
            entry = _PIPELINES[spec.key] = (nlp, threading.Lock())
    return entry


def worker_fingerprint(spec: PipelineSpec) -> str:
    """The fingerprint of the pipeline this worker runs for ``spec``."""
    from ..nlp import pipeline_fingerprint

    nlp, _ = _pipeline(spec)
    return pipeline_fingerprint(nlp)


def extract_partition(spec: PipelineSpec, papers: list[Paper]) -> list[str]:
    """Extract one partition; one ``PaperExtraction.to_dict()`` JSON string per paper, in order."""
    from ..cache import encode
    from ..nlp import extract_papers
    from .heap import fewer_collections

    nlp, lock = _pipeline(spec)
    with lock, fewer_collections():  # spaCy pipelines are not thread-safe: more worker processes, not threads
        return [encode(ex) for ex in extract_papers(papers, nlp, jobs=1, batch_size=spec.batch_size)]
