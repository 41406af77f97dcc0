"""The daily job: fetch what is new since the last run, rebuild incrementally, sync Neo4j, write a digest.

A directory holds everything of one followed field::

    DIR/update.json     the sources followed and the last day fetched (written after a complete run)
    DIR/papers/         one JSON Lines file per source and window (SOURCE-FROM_UNTIL.jsonl)
    DIR/graph/          the build of all papers (graph.json, graph.gexf, concepts.jsonl)
    DIR/digest/         digest.md and digest.html of the new window

Each run fetches the days after the last one fetched up to ``until`` (default: yesterday, UTC,
the last complete day), builds all papers with the extraction cache (only new papers are
extracted), and with Neo4j settings loads the build so that the database equals it. A failed
run leaves the state as it was: the next run fetches the same days again (resuming a fetch that
was cut short).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .errors import ConfigError, InputError, OutputError
from .export.atomic import atomic_open, make_dir
from .fetch import SOURCES, ClientOptions, FetchSummary, Request, fetch_to_file

__all__ = ["STATE_FILE", "Followed", "UpdateSummary", "read_state", "run_update"]

STATE_FILE = "update.json"


@dataclass(frozen=True)
class Followed:
    """One source a directory follows, with what to ask it."""

    source: str
    categories: tuple[str, ...] = ()
    query: str | None = None
    oai_set: str | None = None

    def request(self, date_from: str, date_until: str, page_size: int = 100) -> Request:
        return Request(categories=self.categories, query=self.query, oai_set=self.oai_set, date_from=date_from,
                       date_until=date_until, page_size=page_size)

    def to_dict(self) -> dict:
        return {"source": self.source, "categories": list(self.categories), "query": self.query, "set": self.oai_set}

    @classmethod
    def from_dict(cls, d: dict, where: str) -> "Followed":
        if not isinstance(d, dict) or d.get("source") not in SOURCES:
            raise InputError(f"a source must be one of {', '.join(SOURCES)}, got {d!r:.80}", where)
        return cls(d["source"], tuple(d.get("categories") or ()), d.get("query"), d.get("set"))


@dataclass
class UpdateSummary:
    """What one run did."""

    date_from: str | None = None
    date_until: str | None = None
    fetched: list[FetchSummary] = field(default_factory=list)
    build: object = None  # api.BuildSummary
    load: object = None  # neo4j.loader.LoadStats
    digest: list[Path] = field(default_factory=list)

    def format(self) -> str:
        if self.date_from is None:
            return f"up to date: nothing to fetch after {self.date_until}"
        lines = [f"window: {self.date_from} .. {self.date_until}"]
        lines += [f.format() for f in self.fetched]
        lines += [self.build.format()] if self.build is not None else []
        lines += [self.load.format()] if self.load is not None else []
        lines += [f"wrote {p}" for p in self.digest]
        return "\n".join(lines)


def read_state(directory: str | os.PathLike) -> dict:
    """The state of ``directory`` (``{}`` before its first run).

    Raises:
        InputError: the state file is not valid JSON or not an object.
    """
    path = Path(directory) / STATE_FILE
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as e:
        raise InputError(f"cannot read the update state: {e}", str(path)) from None
    if not isinstance(state, dict):
        raise InputError("the update state is not a JSON object", str(path))
    return state


def _day(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{what}: not a date: {value!r} (expected YYYY-MM-DD)") from None


def run_update(directory: str | os.PathLike, *, sources: list[Followed] | None = None, until: str | None = None,
               since: str | None = None, options: Callable[[str], ClientOptions] | None = None,
               build_options: dict | None = None, neo4j=None, progress=None, fetch_bar=None,
               warn: Callable[[str], None] | None = None) -> UpdateSummary:
    """One run of the daily job in ``directory``.

    Args:
        directory: the followed field's directory (created on the first run).
        sources: what to follow; required on the first run, replaces the stored list when given.
        until: last day to fetch (default: yesterday, UTC).
        since: first day to fetch on the first run (default: ``until``); later runs start the day
            after the last one fetched.
        options: source name -> client options (politeness, retries, contact).
        build_options: keyword arguments for :func:`papergraph.api.build_outputs` (jobs, cache_dir, ...).
        neo4j: :class:`~papergraph.neo4j.loader.Neo4jSettings` to load the build into, or None.
        progress: a ``click.progressbar``-like factory for the build and the load.
        fetch_bar: source name -> a context manager giving the ``progress`` callback of a fetch.
        warn: called with each warning (skipped records).

    Returns:
        What the run did.

    Raises:
        ConfigError: no sources on a first run, or a bad date. FetchError: a source failed (the
        state is unchanged). OutputError: another run holds the directory, or as for ``build``.
        Neo4jError: as for ``load``.
    """
    root = make_dir(directory)
    with _locked(root):
        return _run(root, sources, until, since, options, build_options, neo4j, progress, fetch_bar, warn)


@contextlib.contextmanager
def _locked(root: Path):
    """Hold ``DIR/.update.lock`` for the run: two runs at once (an overlapping cron job) would fetch into
    the same files.

    Raises:
        OutputError: another run holds it.
    """
    import fcntl

    try:
        fh = open(root / ".update.lock", "a+")
    except OSError as e:
        raise OutputError(f"{root / '.update.lock'}: cannot write: {e.strerror or e}") from None
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise OutputError(f"{root}: another papergraph update is running in this directory") from None
        yield


def _run(root, sources, until, since, options, build_options, neo4j, progress, fetch_bar, warn) -> UpdateSummary:
    """The run itself (see :func:`run_update`), with the directory locked."""
    from .api import build_outputs
    from .digest import make_digest
    from .export.digest import write_digest
    from .export.json import read_graph_json

    state = read_state(root)
    where = str(root / STATE_FILE)
    followed = sources or [Followed.from_dict(d, where) for d in state.get("sources", [])]
    if not followed:
        raise ConfigError(f"{root}: no sources to follow: name them on the first run (--source arxiv -c cs.CL ...)")
    last = (_day(until, "--until") if until else
            dt.datetime.now(dt.timezone.utc).date() - dt.timedelta(days=1))
    if state.get("last_until"):
        first = _day(state["last_until"], where) + dt.timedelta(days=1)
    else:
        first = _day(since, "--since") if since else last
    summary = UpdateSummary(date_until=last.isoformat())
    if first > last and not state.get("last_until"):
        raise ConfigError(f"--since {first.isoformat()} is after --until {last.isoformat()}")
    if first > last:
        summary.date_until = state.get("last_until")
        return summary
    summary.date_from = first.isoformat()
    papers = make_dir(root / "papers")
    for f in followed:
        out = papers / f"{f.source}-{first.isoformat()}_{last.isoformat()}.jsonl"
        with fetch_bar(f.source) if fetch_bar else contextlib.nullcontext() as bar:
            summary.fetched.append(fetch_to_file(f.source, f.request(first.isoformat(), last.isoformat()), out,
                                                 options=options(f.source) if options else None, progress=bar,
                                                 warn=warn))
    window = {f"{f.source}-{first.isoformat()}_{last.isoformat()}.jsonl" for f in followed}
    for left in (*papers.glob("*.jsonl.part"), *papers.glob("*.jsonl.fetch.json")):
        if left.name.rsplit(".jsonl", 1)[0] + ".jsonl" not in window:  # a cut-short fetch of days now fetched
            left.unlink(missing_ok=True)
    inputs = sorted(str(p) for p in papers.glob("*.jsonl"))
    summary.build = build_outputs(inputs, root / "graph", warn=warn, progress=progress, **(build_options or {}))
    G = read_graph_json(root / "graph" / "graph.json")
    if neo4j is not None:
        from .neo4j.loader import load_graph

        summary.load = load_graph(G, neo4j, progress=progress, sync=True)
    summary.digest = write_digest(make_digest(G, since=first.isoformat()), root / "digest")
    state.update(sources=[f.to_dict() for f in followed], last_until=last.isoformat())
    state.setdefault("runs", []).append({"from": first.isoformat(), "until": last.isoformat(),
                                         "papers": summary.build.papers,
                                         "fetched": sum(f.records for f in summary.fetched)})
    with atomic_open(root / STATE_FILE) as fh:
        json.dump(state, fh, indent=2)
    return summary
