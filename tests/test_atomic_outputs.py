"""Output safety: special files are written through (never replaced), and a build's three
outputs switch together, whatever rename fails or wherever the process dies.

Rename/link/symlink failures are injected by wrapping the ``os`` functions (in-process, and in a
forked child that dies with ``os._exit`` at the chosen call, as a SIGKILL would).
"""

from __future__ import annotations

import os
import stat
import threading

import pytest

from papergraph.errors import OutputError
from papergraph.export.atomic import CURRENT, STATE_DIR, atomic_open, staged_dir

NAMES = ("concepts.jsonl", "graph.gexf", "graph.json")
OPS = ("rename", "replace", "symlink", "link")


# --- item 1: -o onto special files -------------------------------------------------------------

def test_fifo_is_written_through_not_replaced(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()))
    reader.start()
    with atomic_open(fifo) as fh:
        fh.write("hello\n")
    reader.join(10)
    assert got == [b"hello\n"]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["pipe"]  # no temporary left beside it


@pytest.mark.skipif(os.geteuid() != 0, reason="mknod of a character device needs root")
def test_character_device_is_written_through_not_replaced(tmp_path):
    null = tmp_path / "null"
    os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    with atomic_open(null) as fh:
        fh.write("discarded\n")
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    full = tmp_path / "full"
    os.mknod(full, stat.S_IFCHR | 0o666, os.makedev(1, 7))  # a /dev/full of our own
    with pytest.raises(OutputError, match="disk full"):
        with atomic_open(full) as fh:
            fh.write("x" * 100_000)
    assert stat.S_ISCHR(os.lstat(full).st_mode)


def test_symlink_is_followed_and_kept(tmp_path):
    target = tmp_path / "real.json"
    target.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    with atomic_open(link) as fh:
        fh.write("new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_text() == "new"
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "sub" / "made.json")
    with atomic_open(dangling) as fh:
        fh.write("made")
    assert dangling.is_symlink() and (tmp_path / "sub" / "made.json").read_text() == "made"


def test_directory_and_socket_are_refused(tmp_path):
    import socket

    with pytest.raises(OutputError, match="is a directory"):
        with atomic_open(tmp_path) as fh:
            fh.write("x")
    sock_path = tmp_path / "sock"
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(sock_path))
    try:
        with pytest.raises(OutputError, match="not a regular file"):
            with atomic_open(sock_path) as fh:
                fh.write("x")
    finally:
        s.close()


# --- item 5: the three outputs switch together ------------------------------------------------

def _write_set(out, tag):
    with staged_dir(out) as stage:
        for n in NAMES:
            with atomic_open(stage / n) as fh:
                fh.write(f"{tag}:{n}")


def _shown(out):
    return {n: (out / n).read_text() for n in NAMES if (out / n).exists()}


def _set(tag):
    return {n: f"{tag}:{n}" for n in NAMES}


def _old_layout(out):
    out.mkdir()
    for n in NAMES:
        (out / n).write_text(f"old:{n}")


def _new_layout(out):
    _write_set(out, "old")


class _Fail:
    """Wrap the os functions; the ``n``-th call to any of them fails (or kills the process)."""

    def __init__(self, n, kill=False):
        self.n, self.kill, self.calls, self.saved = n, kill, 0, {}

    def __enter__(self):
        for op in OPS:
            self.saved[op] = getattr(os, op)
            setattr(os, op, self._wrap(self.saved[op]))
        return self

    def _wrap(self, fn):
        def wrapped(*a, **kw):
            self.calls += 1
            if self.calls == self.n:
                if self.kill:
                    os._exit(9)
                raise PermissionError(1, "Operation not permitted (injected)", str(a[-1]))
            return fn(*a, **kw)
        return wrapped

    def __exit__(self, *exc):
        for op, fn in self.saved.items():
            setattr(os, op, fn)


def _count_calls(tmp_path, setup):
    out = tmp_path / "count"
    setup(out)
    with _Fail(10**9) as f:
        _write_set(out, "new")
    return f.calls


@pytest.mark.parametrize("setup", [_old_layout, _new_layout, lambda out: None], ids=["old-files", "links", "empty"])
def test_injected_rename_failure_never_mixes_outputs(tmp_path, setup):
    calls = _count_calls(tmp_path, setup)
    assert calls >= 3
    for k in range(1, calls + 1):
        out = tmp_path / f"fail-{k}"
        setup(out)
        before = _shown(out)
        with _Fail(k):
            try:
                _write_set(out, "new")
            except OutputError as e:
                assert "injected" in str(e) and STATE_DIR not in str(e).split(":")[0]
                assert _shown(out) == before, f"failure at os call {k} changed the outputs"
            else:  # a failed hard link falls back to a copy
                assert _shown(out) == _set("new")
        _write_set(out, "next")  # the next run completes and cleans up
        assert _shown(out) == _set("next")
        assert sorted(p.name for p in (out / STATE_DIR).iterdir()) == sorted([CURRENT, os.readlink(out / STATE_DIR / CURRENT)])


@pytest.mark.parametrize("setup", [_old_layout, _new_layout], ids=["old-files", "links"])
def test_kill_at_any_rename_leaves_one_complete_set(tmp_path, setup):
    calls = _count_calls(tmp_path, setup)
    seen = set()
    for k in range(1, calls + 1):
        out = tmp_path / f"kill-{k}"
        setup(out)
        pid = os.fork()
        if pid == 0:  # the child dies at its k-th rename/link/symlink, as under SIGKILL
            try:
                with _Fail(k, kill=True):
                    _write_set(out, "new")
            finally:
                os._exit(0)
        os.waitpid(pid, 0)
        shown = _shown(out)
        assert shown in (_set("old"), _set("new")), f"kill at os call {k} left {shown}"
        seen.add(shown[NAMES[0]].split(":")[0])
        _write_set(out, "next")
        assert _shown(out) == _set("next")
        left = sorted(p.name for p in (out / STATE_DIR).iterdir())
        assert left == sorted([CURRENT, os.readlink(out / STATE_DIR / CURRENT)])  # the killed run's dirs removed
    assert "old" in seen  # the last call is the switch itself: every kill before it shows the old set


def test_outputs_are_readable_like_plain_files(tmp_path):
    out = tmp_path / "out"
    _write_set(out, "new")
    version = out / STATE_DIR / os.readlink(out / STATE_DIR / CURRENT)
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(os.stat(version).st_mode) == 0o777 & ~umask
    assert stat.S_IMODE(os.stat(out / NAMES[0]).st_mode) == 0o666 & ~umask
