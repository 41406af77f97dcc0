"""A content-addressed cache of per-paper extractions, for incremental builds.

One SQLite file, ``extract.sqlite``, in the cache directory: by default
``$PAPERGRAPH_CACHE_DIR``, else ``$XDG_CACHE_HOME/papergraph``, else ``~/.cache/papergraph``
(per user, so rebuilding into a new output directory still reuses earlier work).

A row is keyed by the pipeline fingerprint (:func:`papergraph.nlp.pipeline_fingerprint`:
model name and version, component versions and config, the vocabulary file's content) and
a hash of the paper's title and abstract, and holds ``PaperExtraction.to_dict()`` as JSON.
A new model, component version, option or vocabulary therefore misses every old row.
Writes happen in transactions, so a killed build leaves a consistent cache that holds every
batch committed before the kill.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import orjson

from .errors import ConfigError, OutputError
from .model import Paper, PaperExtraction

__all__ = ["CACHE_FILE", "CacheInfo", "ExtractionCache", "cache_info", "clear_cache", "content_key",
           "default_cache_dir"]

CACHE_FILE = "extract.sqlite"
#: Bumped when the table layout or the stored JSON changes shape.
SCHEMA_VERSION = 1
# SQLite's default limit on host parameters is 32766; stay well below it.
_CHUNK = 500
_SCHEMA = """
CREATE TABLE IF NOT EXISTS extraction (
    fingerprint TEXT NOT NULL,
    content     TEXT NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (fingerprint, content)
) WITHOUT ROWID
"""


def default_cache_dir() -> Path:
    """The cache directory used when none is given (see the module docstring)."""
    env = os.environ.get("PAPERGRAPH_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "papergraph"


def content_key(paper: Paper) -> str:
    """The hash of what extraction reads from a paper: its title and abstract."""
    h = hashlib.sha256()
    h.update((paper.title or "").encode("utf-8"))
    h.update(b"\x00")
    h.update((paper.abstract or "").encode("utf-8"))
    return h.hexdigest()


@dataclass
class CacheInfo:
    """What a cache holds: its file, size on disk and rows per pipeline fingerprint."""

    path: Path
    exists: bool = False
    bytes: int = 0
    entries: int = 0
    fingerprints: dict[str, int] = field(default_factory=dict)

    def format(self) -> str:
        """A human-readable multi-line description."""
        if not self.exists:
            return f"cache:   {self.path} (empty)"
        lines = [f"cache:   {self.path}", f"size:    {self.bytes / 1e6:.1f} MB",
                 f"entries: {self.entries}"]
        lines += [f"  {n} x pipeline {fp}" for fp, n in
                  sorted(self.fingerprints.items(), key=lambda kv: (-kv[1], kv[0]))]
        return "\n".join(lines)


class ExtractionCache:
    """An open cache file; use as a context manager.

    Args:
        cache_dir: the directory holding ``extract.sqlite`` (created if missing).

    Raises:
        OutputError: the directory or file cannot be created.
        ConfigError: the file exists but is not a papergraph cache.
    """

    def __init__(self, cache_dir: str | os.PathLike | None = None):
        self.dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self.path = self.dir / CACHE_FILE
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
        except (OSError, sqlite3.Error) as e:
            raise OutputError(f"{self.path}: cannot open the extraction cache: {e}") from None
        try:
            self._setup()
        except sqlite3.Error as e:
            self._db.close()
            raise self._error(e, "open") from None

    def _error(self, e: sqlite3.Error, doing: str) -> Exception:
        """The error to report for a SQLite failure: a damaged cache (remove it) or one that cannot
        be written now (disk full, read-only, locked: the cache is fine, do not remove it)."""
        code = (getattr(e, "sqlite_errorcode", None) or 0) & 0xFF  # the primary code of an extended one
        if code in _DAMAGED or isinstance(e, _SchemaMismatch):
            return ConfigError(f"{self.path}: not a usable papergraph cache ({e}); "
                               f"remove it with `papergraph cache clear`")
        reason = "disk full" if code == _SQLITE_FULL else str(e)
        return OutputError(f"{self.path}: cannot {doing} the extraction cache: {reason} (the cache itself is "
                           "intact; free space or make it writable, or use --no-cache or --cache-dir)")

    def _setup(self) -> None:
        db = self._db
        db.execute("PRAGMA journal_mode=WAL")  # readers never block the writer; commits survive SIGKILL
        db.execute("PRAGMA synchronous=NORMAL")
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version not in (0, SCHEMA_VERSION):
            raise _SchemaMismatch(f"cache schema {version}, this papergraph writes {SCHEMA_VERSION}")
        with self._transaction():
            db.execute(_SCHEMA)
            db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _transaction(self):
        return _Transaction(self._db)

    def __enter__(self) -> "ExtractionCache":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Close the file (pending transactions are already committed)."""
        self._db.close()

    def hits(self, fingerprint: str, keys: Iterable[str]) -> set[str]:
        """The subset of content ``keys`` cached for ``fingerprint``."""
        return {k for k, _ in self._select("content, NULL", fingerprint, keys)}

    def get_many(self, fingerprint: str, keys: Sequence[str]) -> dict[str, str]:
        """The cached JSON of each of ``keys`` that is cached for ``fingerprint``."""
        return dict(self._select("content, data", fingerprint, keys))

    def _select(self, columns: str, fingerprint: str, keys: Iterable[str]) -> list[tuple]:
        """Rows of ``columns`` for the cached ``keys``; a damaged file is a one-line error."""
        out: list[tuple] = []
        try:
            for chunk in _chunks(sorted(set(keys))):
                out += self._db.execute(
                    f"SELECT {columns} FROM extraction WHERE fingerprint = ? AND content IN ({_marks(chunk)})",
                    [fingerprint, *chunk]).fetchall()
        except sqlite3.Error as e:
            raise self._error(e, "read") from None
        return out

    def put_many(self, fingerprint: str, items: Iterable[tuple[str, str]]) -> None:
        """Store ``(content key, JSON)`` pairs for ``fingerprint`` in one transaction."""
        rows = [(fingerprint, k, data) for k, data in items]
        if not rows:
            return
        try:
            with self._transaction():
                self._db.executemany("INSERT OR REPLACE INTO extraction VALUES (?, ?, ?)", rows)
        except sqlite3.Error as e:
            raise self._error(e, "write") from None

    def info(self) -> CacheInfo:
        """Counts per fingerprint and the size on disk."""
        try:
            fps = dict(self._db.execute("SELECT fingerprint, COUNT(*) FROM extraction GROUP BY fingerprint"))
        except sqlite3.Error as e:
            raise self._error(e, "read") from None
        return CacheInfo(self.path, exists=True, bytes=_size_on_disk(self.path), entries=sum(fps.values()),
                         fingerprints=fps)


class _Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on error (autocommit connections only)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type, *_):
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")


class _SchemaMismatch(sqlite3.DatabaseError):
    """The file is a cache of another papergraph schema version."""


_SQLITE_FULL = 13
#: SQLite result codes meaning the file itself is damaged or not a database (SQLITE_CORRUPT, SQLITE_NOTADB).
_DAMAGED = (11, 26)


def encode(ex: PaperExtraction) -> str:
    """The JSON stored for one extraction."""
    return json.dumps(ex.to_dict(), ensure_ascii=False, separators=(",", ":"))


def decode(data: str, paper_id: str) -> PaperExtraction | None:
    """The extraction stored as ``data``, re-labelled for ``paper_id``; None if unreadable."""
    try:
        d = orjson.loads(data)
    except orjson.JSONDecodeError:  # orjson is stricter (e.g. lone surrogates): the standard parser decides
        try:
            d = json.loads(data)
        except ValueError:
            return None
    try:
        d["paper_id"] = paper_id  # the same text may come back under another id
        return PaperExtraction.from_dict(d)
    except (ValueError, TypeError, KeyError):
        return None


def cache_info(cache_dir: str | os.PathLike | None = None) -> CacheInfo:
    """Describe the cache in ``cache_dir`` (default: :func:`default_cache_dir`) without creating it."""
    path = (Path(cache_dir) if cache_dir is not None else default_cache_dir()) / CACHE_FILE
    if not path.exists():
        return CacheInfo(path)
    with ExtractionCache(path.parent) as cache:
        return cache.info()


def clear_cache(cache_dir: str | os.PathLike | None = None) -> int:
    """Delete the cache file (and its WAL files); returns the bytes freed.

    Works on a damaged file too, since it never opens it.
    """
    path = (Path(cache_dir) if cache_dir is not None else default_cache_dir()) / CACHE_FILE
    freed = 0
    for p in _db_files(path):
        try:
            freed += p.stat().st_size
            p.unlink()
        except FileNotFoundError:
            continue
        except OSError as e:
            raise OutputError(f"{p}: cannot remove: {e.strerror or e}") from None
    return freed


def _db_files(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def _size_on_disk(path: Path) -> int:
    return sum(p.stat().st_size for p in _db_files(path) if p.exists())


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _marks(chunk: Sequence[str]) -> str:
    return ",".join("?" * len(chunk))
