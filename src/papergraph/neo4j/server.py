"""A local Neo4j Community server for papergraph: fetch it from Maven Central once, start, stop.

Maven Central carries no ``neo4j-community-standalone`` tarball for 5.26 (only its pom), so the
server is assembled from its jars: ``tools/neo4j/pom.xml`` lists ``org.neo4j:neo4j``,
``org.neo4j.app:neo4j-server`` and ``org.neo4j.client:neo4j-browser``; ``mvn
dependency:copy-dependencies`` puts them in ``HOME/lib`` and ``org.neo4j.server.CommunityEntryPoint``
runs with a ``neo4j.conf`` written from ``tools/neo4j/neo4j.conf.template``.

Each instance is keyed by its Bolt port and lives in ``HOME/instances/<bolt port>/`` (conf, data,
logs, run/papergraph.pid), so a test server on 17687 never touches a dev server on 7687.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import string
import subprocess
import time
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from ..errors import ConfigError, Neo4jError

__all__ = ["NEO4J_VERSION", "ServerOptions", "ServerStatus", "default_home", "fetch", "start", "stop",
           "status", "admin", "admin_command", "admin_heap_default"]

NEO4J_VERSION = "5.26.30"
ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
# Neo4j's own launcher passes these to the JVM; without them Netty and the page cache warn or fail.
_JVM_FLAGS = [
    "-XX:+UseG1GC", "-XX:-OmitStackTraceInFastThrow", "-XX:+DisableExplicitGC",
    "-Dfile.encoding=UTF-8", "-Dio.netty.tryReflectionSetAccessible=true", "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang=ALL-UNNAMED",
]
_PID_FILE = "papergraph.pid"


def default_home() -> Path:
    """``$PAPERGRAPH_NEO4J_HOME``, else ``~/.cache/papergraph/neo4j``."""
    env = os.environ.get("PAPERGRAPH_NEO4J_HOME")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "papergraph" / "neo4j"


@dataclass(frozen=True)
class ServerOptions:
    """Where and how to run one local server.

    Attributes:
        home: cache directory holding ``lib/`` (the jars) and ``instances/``.
        bolt_port: Bolt port on 127.0.0.1; also names the instance.
        http_port: HTTP port on 127.0.0.1 (Neo4j Browser at ``/browser``).
        password: initial password of user ``neo4j`` (8+ characters); None with ``auth=False``.
        auth: False disables authentication.
        heap: JVM heap (``-Xms``/``-Xmx``), e.g. ``"1g"``.
        pagecache: ``server.memory.pagecache.size``, e.g. ``"512m"``.
        admin_heap: JVM heap of ``neo4j-admin`` (the bulk import), apart from the server's
            [default: :func:`admin_heap_default`].
        instance_dir: where this instance keeps conf, data and logs
            [default: ``home/instances/<bolt_port>``].
    """

    home: Path
    bolt_port: int = 7687
    http_port: int = 7474
    password: str | None = None
    auth: bool = True
    heap: str = "1g"
    pagecache: str = "512m"
    admin_heap: str | None = None
    instance_dir: Path | None = None

    @property
    def instance(self) -> Path:
        return Path(self.instance_dir or Path(self.home) / "instances" / str(self.bolt_port))

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"


@dataclass(frozen=True)
class ServerStatus:
    """What :func:`status` found."""

    running: bool
    pid: int | None
    uri: str
    browser: str
    instance: Path

    def format(self) -> str:
        state = f"running (pid {self.pid})" if self.running else "not running"
        return f"Neo4j {NEO4J_VERSION} {state}\nbolt:     {self.uri}\nbrowser:  {self.browser}\ninstance: {self.instance}"


def _resource(name: str) -> Path:
    """A file of tools/neo4j: from the source checkout, else from the installed package data."""
    repo = Path(__file__).resolve().parents[3] / "tools" / "neo4j" / name
    if repo.is_file():
        return repo
    packaged = resources.files("papergraph") / "neo4j" / "server_files" / name
    if not packaged.is_file():
        raise Neo4jError(f"{name} not found in tools/neo4j or the installed package; reinstall papergraph")
    return Path(str(packaged))


def fetch(home: str | os.PathLike, *, quiet: bool = True) -> Path:
    """Fetch the Neo4j jars into ``home/lib`` with Maven, once.

    Returns:
        The lib directory.

    Raises:
        Neo4jError: Maven is missing or the download failed.
    """
    home = Path(home)
    lib, marker = home / "lib", home / "lib" / f".complete-{NEO4J_VERSION}"
    if marker.is_file():
        return lib
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jError("Maven (mvn) is needed once to fetch Neo4j from Maven Central; install it, e.g. apt-get install maven")
    build, tmp = home / "build", home / "lib.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    build.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_resource("pom.xml"), build / "pom.xml")
    cmd = [mvn, "-B", "-f", str(build / "pom.xml"), "dependency:copy-dependencies", f"-DoutputDirectory={tmp}"]
    proc = subprocess.run(cmd + (["-q"] if quiet else []), capture_output=quiet, text=True)
    if proc.returncode != 0:
        tail = " | ".join((proc.stdout or "").strip().splitlines()[-3:])
        raise Neo4jError(f"fetching Neo4j {NEO4J_VERSION} with Maven failed (exit {proc.returncode}): {tail}")
    shutil.rmtree(lib, ignore_errors=True)
    tmp.rename(lib)
    marker.write_text(NEO4J_VERSION + "\n")
    return lib


def _java() -> str:
    java = Path(os.environ["JAVA_HOME"]) / "bin" / "java" if os.environ.get("JAVA_HOME") else None
    java = str(java) if java and java.is_file() else shutil.which("java")
    if not java:
        raise Neo4jError("Java 17 or 21 is needed to run Neo4j 5.26; install it, e.g. apt-get install openjdk-17-jre-headless")
    return java


def _write_conf(opts: ServerOptions) -> Path:
    conf = opts.instance / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    for sub in ("data", "logs", "run", "import", "plugins"):
        (opts.instance / sub).mkdir(exist_ok=True)
    text = string.Template(_resource("neo4j.conf.template").read_text(encoding="utf-8")).substitute(
        bolt_port=opts.bolt_port, http_port=opts.http_port, heap=opts.heap, pagecache=opts.pagecache,
        instance=opts.instance.resolve(), auth_enabled="true" if opts.auth else "false",
    )
    (conf / "neo4j.conf").write_text(text, encoding="utf-8")
    return conf


def _env(opts: ServerOptions) -> dict:
    return {**os.environ, "NEO4J_HOME": str(opts.instance.resolve()), "NEO4J_CONF": str((opts.instance / "conf").resolve())}


_SIZE = re.compile(r"^[1-9][0-9]*[kmgKMG]?$")
_GIB = 2**30


def admin_heap_default(meminfo: str | os.PathLike = "/proc/meminfo") -> str:
    """A quarter of the memory available now (``MemAvailable``), in whole GiB, from 1g to 4g.

    ``neo4j-admin database import`` keeps its big structures off the heap (up to 90 % of the free
    memory by default); the heap holds the rest, and 1 GiB is what it suggests for millions of
    relationships. 1g where ``meminfo`` cannot be read.
    """
    with contextlib.suppress(OSError, ValueError, StopIteration):
        text = Path(meminfo).read_text()
        kib = int(next(ln.split()[1] for ln in text.splitlines() if ln.startswith("MemAvailable:")))
        return f"{min(4, max(1, kib * 1024 // 4 // _GIB))}g"
    return "1g"


def _heap(size: str) -> str:
    if not _SIZE.match(size):
        raise ConfigError(f"admin heap {size!r}: give a size such as 512m or 4g")
    return size


def admin_command(opts: ServerOptions) -> tuple[list[str], dict]:
    """The ``neo4j-admin`` command line (without arguments) and environment for the instance of ``opts``.

    The local server has no ``bin/neo4j-admin`` script; this is what one would run (e.g. to run
    an ``import.sh`` written by ``papergraph export neo4j-import`` against this instance). Its heap
    is ``opts.admin_heap`` [default: :func:`admin_heap_default`].

    Raises:
        ConfigError: ``opts.admin_heap`` is not a size.
    """
    heap = _heap(opts.admin_heap or admin_heap_default())
    lib = fetch(opts.home)
    _write_conf(opts)
    return [_java(), f"-Xmx{heap}", *_JVM_FLAGS, "-cp", f"{lib}/*", ADMIN_TOOL], _env(opts)


def admin(opts: ServerOptions, args: list[str], *, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run ``neo4j-admin ARGS`` against the instance of ``opts`` (e.g. ``database import full``).

    It runs in the instance directory, so files it writes there (``import.report``) stay out of the
    caller's working directory; pass absolute paths.

    Raises:
        Neo4jError: the command failed; the message has the last lines of its output.
    """
    cmd, env = admin_command(opts)
    proc = subprocess.run(cmd + list(args), env=env, capture_output=True, text=True, timeout=timeout,
                          cwd=opts.instance if opts.instance.is_dir() else None)
    if proc.returncode != 0:
        lines = [ln.strip() for ln in (proc.stderr + proc.stdout).splitlines() if ln.strip() and not ln.startswith("\t")]
        raise Neo4jError(f"neo4j-admin {' '.join(args[:2])} failed: {(lines or ['no output'])[0][:300]}")
    return proc


def _read_pid(opts: ServerOptions) -> int | None:
    with contextlib.suppress(OSError, ValueError):
        pid = int((opts.instance / "run" / _PID_FILE).read_text().strip())
        cmdline = Path(f"/proc/{pid}/cmdline")
        if cmdline.exists():
            return pid if ENTRY_POINT.encode() in cmdline.read_bytes() else None
        os.kill(pid, 0)
        return pid
    return None


def status(opts: ServerOptions) -> ServerStatus:
    """Whether the instance of ``opts`` is running (by its pid file)."""
    pid = _read_pid(opts)
    return ServerStatus(pid is not None, pid, opts.uri, f"http://127.0.0.1:{opts.http_port}/browser", opts.instance)


def start(opts: ServerOptions, *, fresh: bool = False, timeout: float = 180) -> ServerStatus:
    """Fetch (once), configure and start the server in the background; wait until Bolt answers.

    Args:
        opts: where and how to run it.
        fresh: delete the instance's data first (an empty database; the password is set anew).
        timeout: seconds to wait for Bolt.

    Raises:
        ConfigError: a bad password or option.
        Neo4jError: Java/Maven missing, the server exited, or Bolt did not answer in time.
    """
    if opts.auth and (opts.password is None or len(opts.password) < 8):
        raise ConfigError("give a password of 8 or more characters (--password / NEO4J_PASSWORD) or disable auth (--no-auth)")
    current = status(opts)
    if current.running:
        _wait_for_bolt(opts, None, timeout)
        return current
    for port in (opts.bolt_port, opts.http_port):  # else Bolt might answer from someone else's server
        if _in_use(port):
            raise Neo4jError(f"127.0.0.1:{port} is in use by another process (not this instance, "
                             f"{opts.instance}); choose other --bolt-port/--http-port")
    lib = fetch(opts.home)
    if fresh:
        for sub in ("data", "logs", "run"):
            shutil.rmtree(opts.instance / sub, ignore_errors=True)
    conf = _write_conf(opts)
    if opts.auth and not (opts.instance / "data" / "databases" / "system").exists():
        admin(opts, ["dbms", "set-initial-password", opts.password])
    cmd = [_java(), f"-Xms{opts.heap}", f"-Xmx{opts.heap}", *_JVM_FLAGS, "-cp", f"{lib}/*", ENTRY_POINT,
           f"--home-dir={opts.instance.resolve()}", f"--config-dir={conf.resolve()}"]
    log = opts.instance / "logs" / "console.log"
    with open(log, "ab") as out:
        proc = subprocess.Popen(cmd, env=_env(opts), stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                start_new_session=True, cwd=opts.instance)
    (opts.instance / "run" / _PID_FILE).write_text(f"{proc.pid}\n")
    _wait_for_bolt(opts, proc, timeout)
    return status(opts)


def _in_use(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _wait_for_bolt(opts: ServerOptions, proc: subprocess.Popen | None, timeout: float) -> None:
    import neo4j
    from neo4j import exceptions as nex

    auth = ("neo4j", opts.password) if opts.auth else None
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            raise Neo4jError(f"Neo4j exited with code {proc.returncode} while starting; see {_log_tail(opts)}")
        try:
            with neo4j.GraphDatabase.driver(opts.uri, auth=auth, connection_timeout=2) as driver:
                driver.verify_connectivity()
            return
        except nex.AuthError:
            raise Neo4jError(f"Neo4j on {opts.uri} is running but rejects the password; the instance keeps its "
                             "first password (start it with --fresh to reset)") from None
        except (nex.ServiceUnavailable, nex.SessionExpired, OSError):
            if time.monotonic() > deadline:
                raise Neo4jError(f"Neo4j did not answer on {opts.uri} within {timeout:.0f}s; see {_log_tail(opts)}") from None
            time.sleep(0.5)


def _log_tail(opts: ServerOptions) -> str:
    """The log to read, with its last error line if there is one."""
    logs = [opts.instance / "logs" / name for name in ("console.log", "neo4j.log")]
    for path in sorted((p for p in logs if p.is_file()), key=lambda p: p.stat().st_mtime, reverse=True):
        with contextlib.suppress(OSError):  # the newest log has this start's error, not an old one
            errors = [ln for ln in path.read_text(errors="replace").splitlines() if "ERROR" in ln or "Exception" in ln]
            if errors:
                return f"{path}: {errors[-1].strip()[:300]}"
    return str(opts.instance / "logs" / "neo4j.log")


def stop(opts: ServerOptions, *, timeout: float = 60) -> bool:
    """Stop the instance of ``opts`` (SIGTERM, then SIGKILL after ``timeout``).

    Returns:
        True if a server was running.
    """
    pid = _read_pid(opts)
    pid_file = opts.instance / "run" / _PID_FILE
    if pid is None:
        pid_file.unlink(missing_ok=True)
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while _alive(pid):
        if time.monotonic() > deadline:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + 10
        time.sleep(0.2)
    pid_file.unlink(missing_ok=True)
    return True


def _alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)  # reap it if it is our child
        if done:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with contextlib.suppress(OSError, IndexError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"  # not a zombie
    return True
