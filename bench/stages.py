"""Time and memory of each stage of a build, for profiling the graph stage (BENCHMARKS.md, figure 3).

    python bench/stages.py PAPERS.jsonl CACHE_DIR [OUTDIR] [--tracemalloc]

Runs the steps of ``papergraph build`` one by one, as ``api.build_outputs`` does (reading and
extracting with the cache, concepts.jsonl, canonicalisation, the graph, each analytics pass, the
two graph files) and prints after each the seconds it took, the resident set size and the peak so
far. With a filled cache it profiles the graph stage alone. ``--tracemalloc`` (slow, about twice
the memory) also prints what is alive at the end by allocation site, and the traced peak.
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

    from papergraph import analysis
    from papergraph.api import _bulk_gc, _draining, _extractions
    from papergraph.export.concepts import write_extractions
    from papergraph.export.gexf import write_gexf
    from papergraph.export.json import write_graph_json
    from papergraph.graph import build_graph, for_graph
    from papergraph.layout import add_layout
    from papergraph.nlp.canonical import canonicalize

    out = Path(outdir or tempfile.mkdtemp(prefix="papergraph-stages-"))
    out.mkdir(parents=True, exist_ok=True)
    mark("imports")
    with _bulk_gc():
        report, stream = _extractions([papers], use_cache=True, cache_dir=cache_dir)
        by_id = {p.id: p for p in report.papers}
        exs = []
        with open(out / "concepts.jsonl", "w", encoding="utf-8") as fh:
            for ex in stream:
                write_extractions(fh, [(by_id[ex.paper_id], ex)])
                exs.append(for_graph(ex))
        mark("read+extract+concepts")
        canon = canonicalize(exs)
        mark("canonicalize")
        G = build_graph(report.papers, _draining(exs), canon=canon)
        del canon
        mark("build_graph")
        analysis.add_cooccurrence(G)
        mark("co-occurrence")
        analysis.add_similar_papers(G)
        mark("similar papers")
        H = analysis.cooccurrence_graph(G)
        analysis.add_communities(G, H=H)
        mark("communities")
        analysis.add_ranks(G)
        mark("pagerank+degree")
        add_layout(G, H=H)
        del H
        mark("layout")
        write_graph_json(G, out / "graph.json")
        mark("graph.json")
        write_gexf(G, out / "graph.gexf")
        mark("graph.gexf")
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
