"""The local engine: one spaCy pipeline in this process, ``jobs`` processes through ``nlp.pipe``."""

from __future__ import annotations

import os
from typing import Iterator, Sequence

from ..model import Paper, PaperExtraction

__all__ = ["LocalBackend"]


class LocalBackend:
    """Extract on this machine.

    Args:
        model: spaCy pipeline name.
        vocab: extra vocabulary file.
        jobs: worker processes (``nlp.pipe(n_process=jobs)``).
        batch_size: texts per spaCy batch.
    """

    def __init__(self, *, model: str | None, vocab: str | os.PathLike | None, jobs: int, batch_size: int):
        from ..nlp import load_pipeline

        self.nlp = load_pipeline(model, vocab=vocab)
        self.jobs, self.batch_size = jobs, batch_size

    def fingerprint(self) -> str:
        """The pipeline fingerprint (cache key part)."""
        from ..nlp import pipeline_fingerprint

        return pipeline_fingerprint(self.nlp)

    def extract(self, papers: Sequence[Paper]) -> Iterator[tuple[PaperExtraction, None]]:
        """Yield ``(extraction, None)`` per paper, in order."""
        from ..nlp import extract_papers

        if not papers:
            return
        for ex in extract_papers(papers, self.nlp, jobs=self.jobs, batch_size=self.batch_size):
            yield ex, None

    def close(self) -> None:
        """Nothing to release."""
