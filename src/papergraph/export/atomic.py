"""Atomic file writes: a failed run never leaves a half-written output."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from pathlib import Path

from ..errors import OutputError


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
        raise OutputError(f"{path}: cannot write: {e.strerror or e}") from None
    kwargs = {} if "b" in mode else {"encoding": encoding, "newline": "\n"}
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as e:
        _unlink(tmp)
        reason = "disk full" if e.errno == errno.ENOSPC else (e.strerror or str(e))
        raise OutputError(f"{path}: cannot write: {reason}") from None
    except BaseException:
        _unlink(tmp)
        raise


def _unlink(p: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(p)
