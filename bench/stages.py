"""Time and memory of each stage of a build, for profiling the graph stage (BENCHMARKS.md, figure 3).

    python bench/stages.py PAPERS.jsonl CACHE_DIR [OUTDIR] [--tracemalloc]

Runs ``papergraph build``'s own steps (``api._build_into``: reading and extracting with the cache,
concepts.jsonl, canonicalisation, the graph, each analytics pass, the two graph files) and prints
after each the seconds it took, the resident set size and the peak so far. With a filled cache it
profiles the graph stage alone. ``--tracemalloc`` (slow, about twice the memory) also prints what is
alive at the end by allocation site, and the traced peak.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path


def main(papers: str, cache_dir: str, outdir: str | None = None, *, trace: bool = False) -> None:
    if trace:
        tracemalloc.start()
    t0 = last = time.perf_counter()

    def mark(stage: str) -> None:
        nonlocal last
        now = time.perf_counter()
        rss = int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize() / 2**20
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{now - t0:7.1f}s  +{now - last:6.1f}s  {stage:24s} RSS {rss:6.0f} MB  peak {peak:6.0f} MB", flush=True)
        last = now

    from papergraph.api import _build_into
    from papergraph.engine.heap import fewer_collections

    out = Path(outdir or tempfile.mkdtemp(prefix="papergraph-stages-"))
    mark("imports")
    with fewer_collections():  # as build_outputs runs it
        _, G = _build_into([papers], out, None, {"use_cache": True, "cache_dir": cache_dir}, done=mark)
    print(f"{G.number_of_nodes()} nodes, {G.number_of_edges()} edges; files in {out}")
    if trace:
        live, peak = tracemalloc.get_traced_memory()
        print(f"traced: {live / 2**20:.0f} MB alive, peak {peak / 2**20:.0f} MB; largest allocation sites:")
        for stat in tracemalloc.take_snapshot().statistics("lineno")[:15]:
            print(f"  {stat}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--tracemalloc"]
    if len(args) not in (2, 3):
        sys.exit(__doc__.strip().splitlines()[2].strip())
    main(*args, trace="--tracemalloc" in sys.argv[1:])
