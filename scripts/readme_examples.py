"""Regenerate the example outputs in README.md from real runs, or check that they still match.

Each example is a fenced block right after a marker line ``<!-- example: NAME -->``; its text is
the output of a papergraph command run here: over ``examples/`` (built into a temporary
directory, as ``make demo`` does) and, for the blocks marked ``corpus``, over the shared corpus
beside the repository (``../shared/corpus``; skipped when it is not there). Timings differ from
run to run, so ``--check`` compares with the seconds masked; everything else must be equal.

    .venv/bin/python scripts/readme_examples.py            # rewrite README.md
    .venv/bin/python scripts/readme_examples.py --check    # exit 1 and show the drift
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
_MARKER = re.compile(r"^<!-- example: ([a-z0-9-]+) -->\n```[a-z]*\n(.*?)^```\n", re.MULTILINE | re.DOTALL)
_SECONDS = re.compile(r"(seconds: +|in )\d+(\.\d+)?s?( \([\d,]+ relationships/s\))?")


def _papergraph(*args: str, cwd: Path) -> str:
    exe = Path(sys.executable).with_name("papergraph")
    env = {**os.environ, "COLUMNS": "100"}
    proc = subprocess.run([str(exe), *args], cwd=cwd, env=env, capture_output=True, text=True, check=True)
    return proc.stdout


def _section(text: str, first: str, lines: int) -> str:
    """``lines`` lines of ``text`` from the line starting with ``first``."""
    out = text.splitlines()
    i = next(i for i, ln in enumerate(out) if ln.startswith(first))
    return "\n".join(out[i:i + lines]).rstrip() + "\n"


def _load_lines(graph_json: Path) -> str:
    """What `papergraph load` prints for a first load of a build (the timing is an example)."""
    import json

    data = json.loads(graph_json.read_text(encoding="utf-8"))
    n, r = len(data["nodes"]), len(data["edges"])
    return (f"loaded {n} nodes and {r} relationships in 1.0s ({r:,} relationships/s)\n"
            f"database now holds {n} nodes and {r} relationships\n")


def render(name: str, run: dict[str, Path]) -> str | None:
    """The text of block ``name`` from the builds in ``run`` (None: its source is not available)."""
    if name == "demo-build":
        return run["demo-output"].read_text(encoding="utf-8")
    if name.startswith("corpus-") and "corpus" not in run:
        return None
    if name == "corpus-load":
        return _load_lines(run["corpus"] / "graph.json")
    if name == "corpus-stats":
        text = _papergraph("stats", str(run["corpus"]), "--top", "3", cwd=REPO)
        return _section(text, "Top Method concepts", 6) + "\n" + _section(text, "Communities:", 6)
    raise KeyError(f"README.md has an unknown example block {name!r}")


def build_runs(tmp: Path, *, corpus: bool) -> dict[str, Path]:
    """Build examples/ as `make demo` does (and the shared corpus when asked and present)."""
    (tmp / "examples").symlink_to(REPO / "examples", target_is_directory=True)
    out = _papergraph("build", "examples/", "-o", "out/demo", "--no-cache", "--no-curation", cwd=tmp)
    (tmp / "demo-output.txt").write_text(out, encoding="utf-8")
    run = {"demo": tmp / "out" / "demo", "demo-output": tmp / "demo-output.txt"}
    if corpus and CORPUS.is_dir():
        _papergraph("build", str(CORPUS), "-o", str(tmp / "corpus"), "-q", "--no-cache", "--no-curation",
                    cwd=tmp)
        run["corpus"] = tmp / "corpus"
    return run


def regenerate(readme: str, run: dict[str, Path]) -> str:
    """``readme`` with every example block it marks rewritten (blocks without a source kept)."""
    def block(m: re.Match) -> str:
        text = render(m.group(1), run)
        return m.group(0) if text is None else m.group(0).replace(m.group(2), text, 1)

    return _MARKER.sub(block, readme)


def masked(text: str) -> str:
    """``text`` with run times replaced (they differ from run to run)."""
    return _SECONDS.sub(lambda m: m.group(1) + "<time>", text)


def drift(readme: str, run: dict[str, Path]) -> str:
    """A unified diff of README.md against a fresh run (timings masked); empty when they match."""
    new = regenerate(readme, run)
    return "".join(difflib.unified_diff(masked(readme).splitlines(True), masked(new).splitlines(True),
                                        "README.md", "README.md (a fresh run)"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only compare; exit 1 on drift")
    ap.add_argument("--no-corpus", action="store_true", help="leave the shared-corpus blocks alone")
    args = ap.parse_args(argv)
    path = REPO / "README.md"
    readme = path.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="pg-readme-") as tmp:
        run = build_runs(Path(tmp), corpus=not args.no_corpus)
        if args.check:
            diff = drift(readme, run)
            sys.stdout.write(diff or "README.md examples match a fresh run\n")
            return 1 if diff else 0
        new = regenerate(readme, run)
    if new != readme:
        path.write_text(new, encoding="utf-8")
    print(f"README.md: {len(_MARKER.findall(new))} example blocks, {'rewritten' if new != readme else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
