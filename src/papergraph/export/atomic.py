"""Atomic file writes: a failed or killed run never leaves a half-written output.

``atomic_open`` writes one file through a temporary beside it; ``staged_dir`` writes a set of
files (a build's graph.json, graph.gexf, concepts.jsonl) into a hidden staging directory and
moves them into place only once every one of them is complete and on disk.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from pathlib import Path

from ..errors import OutputError

__all__ = ["atomic_open", "staged_dir", "STAGE_PREFIX"]

_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once: os.umask can only be read by setting it

#: Name prefix of staging directories (``.papergraph-stage-<pid>-<random>``).
STAGE_PREFIX = ".papergraph-stage-"


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8"):
    """Open a temporary file beside ``path``; rename it over ``path`` only if the block succeeds.

    Raises:
        OutputError: the file could not be written (disk full, permissions).
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise OutputError(f"{path}: cannot write: {_reason(e)}") from None
    kwargs = {} if "b" in mode else {"encoding": encoding, "newline": "\n"}
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs get the mode open() would give
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as e:
        _unlink(tmp)
        raise OutputError(f"{path}: cannot write: {_reason(e)}") from None
    except BaseException:
        _unlink(tmp)
        raise


@contextlib.contextmanager
def staged_dir(outdir: str | os.PathLike):
    """A staging directory inside ``outdir`` whose files replace ``outdir``'s when the block succeeds.

    Every file is written (and fsynced by :func:`atomic_open`) before the first is moved, so a run
    killed while writing leaves the previous outputs untouched; the moves are renames within one
    directory, microseconds apart. On error the staging directory is removed; one left by a killed
    run (its pid no longer alive) is removed by the next call.

    Raises:
        OutputError: ``outdir`` or a file in it could not be written (disk full, permissions);
            the message names the final path, not the staging one.
    """
    out = Path(outdir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        _remove_stale_stages(out)
        stage = Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{os.getpid()}-", dir=out))
    except OSError as e:
        raise OutputError(f"{out}: cannot write: {_reason(e)}") from None
    try:
        yield stage
        for f in sorted(stage.iterdir()):
            if not f.name.startswith("."):
                os.replace(f, out / f.name)
        _fsync_dir(out)
    except OutputError as e:
        raise OutputError(str(e).replace(str(stage), str(out))) from None
    except OSError as e:
        raise OutputError(f"{out}: cannot write: {_reason(e)}") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _remove_stale_stages(out: Path) -> None:
    """Remove staging directories of runs that no longer exist (killed builds)."""
    for d in out.glob(f"{STAGE_PREFIX}*"):
        pid = d.name[len(STAGE_PREFIX):].split("-", 1)[0]
        if d.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(d, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _fsync_dir(path: Path) -> None:
    """Make the renames durable (a no-op where directories cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _reason(e: OSError) -> str:
    return "disk full" if e.errno in (errno.ENOSPC, errno.EDQUOT) else (e.strerror or str(e))


def _unlink(p: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(p)
