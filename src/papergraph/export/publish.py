"""The switch of :func:`~papergraph.export.atomic.staged_dir`: a staged set of files becomes a
build directory's outputs in one ``rename`` (of the ``current`` pointer).

Every step before that rename leaves each output showing what it showed before (the previous
build, or nothing), and every step after it only removes what no output points to any more, so a
run killed or failing at any step leaves either the previous set or the new set, never a mix.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from pathlib import Path

from ..errors import OutputError
from .atomic import BUILD_PREFIX, CURRENT, STAGE_PREFIX, STATE_DIR, fsync_dir

__all__ = ["publish"]


def publish(out: Path, state: Path, stage: Path, names: list[str]) -> None:
    """Make the files ``names`` of ``stage`` the outputs ``out/NAME``, all in one step.

    Raises:
        OutputError: an output name is taken by a directory or cannot be linked.
        OSError: a rename or link failed (the previous outputs are unchanged).
    """
    links = {n: f"{STATE_DIR}/{CURRENT}/{n}" for n in names}
    foreign = [n for n in names if not _is_ours(out / n, links[n])]
    for n in foreign:
        if (out / n).is_dir() and not (out / n).is_symlink():
            raise OutputError(f"{out / n}: cannot write: is a directory")
    fsync_dir(stage)
    version = state / (BUILD_PREFIX + stage.name[len(STAGE_PREFIX):])
    os.rename(stage, version)
    previous = _current(state)
    created = []
    try:
        if foreign:
            previous = _adopt(out, state, foreign, previous)
        for n in names:  # first build: links to a `current` that does not exist yet (nothing shows)
            if not os.path.lexists(out / n):
                os.symlink(links[n], out / n)
                created.append(out / n)
        _point(state, version.name)  # the switch
    except BaseException:
        if _current(state) is None:
            for p in created:
                _unlink(p)
        shutil.rmtree(version, ignore_errors=True)
        raise
    fsync_dir(out)
    if previous and previous != version.name:
        shutil.rmtree(state / previous, ignore_errors=True)


def _adopt(out: Path, state: Path, foreign: list[str], previous: str | None) -> str:
    """Move outputs that are not (yet) links to ``current`` into a version directory of their own.

    The new version holds hard links (or copies) of what every output shows now; ``current`` is
    pointed at it, then each foreign output is replaced by a link showing the same bytes.

    Returns:
        The name of the version directory now current.
    """
    adopted = state / f"{BUILD_PREFIX}{os.getpid()}-adopt-{uuid.uuid4().hex[:8]}"
    adopted.mkdir()
    shown = {}
    if previous:
        for f in (state / previous).iterdir():
            shown[f.name] = f
    for n in foreign:
        shown[n] = out / n
    try:
        for n, src in shown.items():
            if os.path.isfile(src):
                _link_or_copy(src, adopted / n)
        fsync_dir(adopted)
        _point(state, adopted.name)
    except BaseException:
        if _current(state) != adopted.name:
            shutil.rmtree(adopted, ignore_errors=True)
        raise
    if previous:
        shutil.rmtree(state / previous, ignore_errors=True)
    for n in foreign:  # each shows the same bytes before and after
        tmp = out / f".{n}.{os.getpid()}.link"
        _unlink(tmp)
        os.symlink(f"{STATE_DIR}/{CURRENT}/{n}", tmp)
        try:
            os.replace(tmp, out / n)
        except BaseException:
            _unlink(tmp)
            raise
    return adopted.name


def _point(state: Path, target: str) -> None:
    """Atomically make ``state/current`` a symlink to ``target``."""
    tmp = state / f".{CURRENT}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    os.symlink(target, tmp)
    try:
        os.replace(tmp, state / CURRENT)
    except BaseException:
        _unlink(tmp)
        raise
    fsync_dir(state)


def _current(state: Path) -> str | None:
    try:
        return os.readlink(state / CURRENT)
    except OSError:
        return None


def _is_ours(path: Path, link: str) -> bool:
    try:
        return os.readlink(path) == link
    except OSError:
        return not os.path.lexists(path)


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(os.path.realpath(src), dst)
    except OSError:
        shutil.copy2(src, dst)


def _unlink(p) -> None:
    with contextlib.suppress(OSError):
        os.unlink(p)
