"""Atomic file writes: a failed or killed run never leaves a half-written output.

``atomic_open`` writes one file through a temporary beside it (regular files only: devices, FIFOs
and ``-`` are written through, symlinks are followed); ``staged_dir`` writes a set of files (a
build's graph.json, graph.gexf, concepts.jsonl) into a versioned directory and switches to it with
one rename of a pointer, so readers see the previous set or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path

from ..errors import OutputError

__all__ = ["atomic_open", "staged_dir", "make_dir", "STATE_DIR", "STAGE_PREFIX", "BUILD_PREFIX", "CURRENT"]

_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once: os.umask can only be read by setting it

#: The hidden directory of a build directory holding the versions of its outputs.
STATE_DIR = ".papergraph"
#: The pointer (a symlink inside ``STATE_DIR``) to the version the outputs show.
CURRENT = "current"
#: Name prefix of staging directories inside ``STATE_DIR`` (``stage-<pid>-<random>``).
STAGE_PREFIX = "stage-"
#: Name prefix of version directories inside ``STATE_DIR`` (``build-<pid>-<random>``).
BUILD_PREFIX = "build-"
_OLD_STAGE_PREFIX = ".papergraph-stage-"  # staging directories of papergraph versions before STATE_DIR


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8"):
    """Open ``path`` for writing so that a failed block leaves the previous file as it was.

    A regular (or missing) file is written to a temporary beside it and renamed over it when the
    block succeeds. A symlink is followed: its target is replaced the same way and the link stays.
    ``-`` (stdout), character devices (``/dev/null``) and FIFOs are written directly, never
    replaced. Directories, block devices and sockets are refused.

    Raises:
        OutputError: the file could not be written (disk full, permissions, not a file).
    """
    if os.fspath(path) == "-":
        yield from _write_through(None, mode, encoding)
        return
    path = Path(path)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise OutputError(f"{path}: cannot write: {_reason(e)}") from None
    if st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
        yield from _write_through(path, mode, encoding)
        return
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise OutputError(f"{path}: cannot write: is a directory")
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise OutputError(f"{path}: cannot write: not a regular file, character device or FIFO")
    yield from _replace(path, Path(os.path.realpath(path)), mode, encoding)


def _replace(path: Path, real: Path, mode: str, encoding: str | None):
    """The body of :func:`atomic_open` for a regular file: temporary, fsync, rename."""
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{real.name}.", suffix=".tmp", dir=real.parent)
    except OSError as e:
        raise OutputError(f"{path}: cannot write: {_reason(e)}") from None
    kwargs = {} if "b" in mode else {"encoding": encoding, "newline": "\n"}
    try:
        os.fchmod(fd, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs get the mode open() would give
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, real)
    except OSError as e:
        _unlink(tmp)
        raise OutputError(f"{path}: cannot write: {_reason(e)}") from None
    except BaseException:
        _unlink(tmp)
        raise


def _write_through(path: Path | None, mode: str, encoding: str | None):
    """Write straight to stdout (``path`` None), a character device or a FIFO."""
    name = path or "<stdout>"
    kwargs = {} if "b" in mode else {"encoding": encoding, "newline": "\n"}
    try:
        if path is None:
            fh = contextlib.nullcontext(sys.stdout.buffer if "b" in mode else sys.stdout)
        else:
            fh = open(path, mode, **kwargs)
        with fh as f:
            yield f
            f.flush()
    except OSError as e:
        raise OutputError(f"{name}: cannot write: {_reason(e)}") from None


@contextlib.contextmanager
def staged_dir(outdir: str | os.PathLike):
    """A staging directory whose files become ``outdir``'s outputs, all at once, when the block succeeds.

    Layout: each output ``outdir/NAME`` is a symlink to ``.papergraph/current/NAME``;
    ``.papergraph/current`` is a symlink to the version directory ``.papergraph/build-…``. A new
    set of files is written (and fsynced by :func:`atomic_open`) into a staging directory, which
    becomes a version directory; one ``rename`` of a new ``current`` pointer then switches every
    output at once, and the previous version is removed. Outputs of an older papergraph (regular
    files) are first moved into a version directory of their own without changing what they hold.
    A staging or version directory left by a killed run is removed by the next call.

    Raises:
        OutputError: ``outdir`` or a file in it could not be written (disk full, permissions,
            an output name taken by a directory); the message names the final path, not the
            staging one. The previous outputs are left as they were.
    """
    out = Path(outdir)
    state = out / STATE_DIR
    try:
        out.mkdir(parents=True, exist_ok=True)
        _remove_stale(out, state)
        state.mkdir(exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f"{STAGE_PREFIX}{os.getpid()}-", dir=state))
        os.chmod(stage, 0o777 & ~_UMASK)  # mkdtemp makes 0700: outputs are read through it
    except OSError as e:
        _rmdir_if_empty(state)
        raise OutputError(f"{out}: cannot write: {_reason(e)}") from None
    try:
        yield stage
        names = sorted(f.name for f in stage.iterdir() if not f.name.startswith("."))
        from .publish import publish

        publish(out, state, stage, names)
    except OutputError as e:
        raise OutputError(str(e).replace(str(stage), str(out))) from None
    except OSError as e:
        raise OutputError(f"{out}: cannot write: {_reason(e)}") from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        _rmdir_if_empty(state)


def make_dir(path: str | os.PathLike) -> Path:
    """Create the output directory ``path`` (and its parents) if missing.

    Raises:
        OutputError: it cannot be created (permissions, a file in the way, disk full).
    """
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{path}: cannot write: {_reason(e)}") from None
    return path


def _remove_stale(out: Path, state: Path) -> None:
    """Remove staging and version directories of runs that no longer exist (killed builds)."""
    for d in out.glob(f"{_OLD_STAGE_PREFIX}*"):
        if d.is_dir() and not _alive(_pid_of(d.name[len(_OLD_STAGE_PREFIX):])):
            shutil.rmtree(d, ignore_errors=True)
    if not state.is_dir():
        return
    try:
        current = os.readlink(state / CURRENT)
    except OSError:
        current = None
    for d in state.iterdir():
        for prefix in (STAGE_PREFIX, BUILD_PREFIX, f".{CURRENT}-"):
            if d.name.startswith(prefix) and d.name != current and not _alive(_pid_of(d.name[len(prefix):])):
                if d.is_symlink() or not d.is_dir():
                    _unlink(d)
                else:
                    shutil.rmtree(d, ignore_errors=True)


def _pid_of(rest: str) -> int:
    pid = rest.split("-", 1)[0]
    return int(pid) if pid.isdigit() else -1


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def fsync_dir(path: Path) -> None:
    """Make renames in ``path`` durable (a no-op where directories cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _rmdir_if_empty(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.rmdir()


def _reason(e: OSError) -> str:
    return "disk full" if e.errno in (errno.ENOSPC, errno.EDQUOT) else (e.strerror or str(e))


def _unlink(p) -> None:
    with contextlib.suppress(OSError):
        os.unlink(p)
