"""Benchmarks of the columnar graph stage (issue 19) on synthetic extraction records.

    python bench/columnar.py columnar 100000 /tmp/colb/100k [--json FILE]   # tables, then the stage
    python bench/columnar.py tables 1000000 /tmp/colb/1m                    # only the tables
    python bench/columnar.py stage /tmp/colb/1m                             # only the stage
    python bench/columnar.py networkx 100000 /tmp/colb/nx100k              # the networkx path
    python bench/columnar.py equality 10000 /tmp/colb/eq10k                 # both, files compared
    python bench/columnar.py bulk /tmp/colb/1m/out --bolt-port 17705 --http-port 17485 [--admin-heap 4g]

``columnar``: the records are generated on the workers straight into the Parquet extraction
tables (the stand-in for extraction; timed apart), then the graph stage runs; the peak RSS of
the client and of each worker process (sampled every 0.2 s with psutil), the wall time of each
step and the spill volume (largest size of the Dask temporary directory, spilled and shuffle
files) are reported. ``networkx``: the same records, the networkx graph, analytics and import
files, in this process (peak RSS from ``resource``). ``bulk``: ``neo4j-admin database import
full`` of the columnar output into a fresh local server, then its counts against the files.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import synth_extractions  # noqa: E402
from synth_extractions import Corpus  # noqa: E402

_CORPORA: dict = {}


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def load() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def gen_part(n: int, seed: int, lo: int, hi: int, directory: str, part: int) -> int:
    """Worker task: synthetic papers lo..hi-1 -> part ``part`` of the extraction tables."""
    from papergraph.columnar.keys import Keys
    from papergraph.columnar.rows import write_part

    corpus = _CORPORA.get((n, seed)) or _CORPORA.setdefault((n, seed), Corpus(n, seed))
    return write_part(corpus.papers(lo, hi), directory, part, Keys())


class Peaks(threading.Thread):
    """Samples the RSS of this process and its descendants, and a directory's size."""

    def __init__(self, spill: Path | None, every: float = 0.2):
        super().__init__(daemon=True)
        import psutil

        self.me, self.spill, self.every = psutil.Process(), spill, every
        self.rss: dict[int, tuple[str, int]] = {}
        self.spill_peak = 0
        self.running = True

    def reset(self) -> None:
        self.rss, self.spill_peak = {}, 0

    def run(self) -> None:
        while self.running:
            procs = [self.me] + self.me.children(recursive=True)
            for p in procs:
                try:
                    rss = p.memory_info().rss
                    name = "client" if p.pid == self.me.pid else " ".join(p.cmdline()[-3:])[-60:]
                except Exception:  # noqa: BLE001 -- a process that just ended
                    continue
                if rss > self.rss.get(p.pid, ("", 0))[1]:
                    self.rss[p.pid] = (name, rss)
            if self.spill is not None and self.spill.exists():
                size = sum(f.stat().st_size for f in self.spill.rglob("*") if f.is_file())
                self.spill_peak = max(self.spill_peak, size)
            time.sleep(self.every)

    def report(self) -> dict:
        mb = lambda b: round(b / 2**20, 1)  # noqa: E731
        client = [v for pid, v in self.rss.items() if pid == self.me.pid]
        others = sorted((v for pid, v in self.rss.items() if pid != self.me.pid), key=lambda v: -v[1])
        return {"client_mb": mb(client[0][1]) if client else None,
                "workers_mb": [mb(r) for _, r in others if r > 150 * 2**20],
                "other_processes_mb": [mb(r) for _, r in others if r <= 150 * 2**20],
                "spill_peak_mb": mb(self.spill_peak)}


def du(path: Path) -> float:
    return round(sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20, 1)


def generate(n: int, work: Path, *, seed: int, workers: int, memory_limit: str, part_size: int) -> dict:
    """The synthetic records of ``n`` papers into ``work/tables`` on a local cluster (not a figure:
    the stand-in for extraction)."""
    import cloudpickle

    from papergraph.columnar import local_client

    cloudpickle.register_pickle_by_value(synth_extractions)
    shutil.rmtree(work / "tables", ignore_errors=True)
    client = local_client(workers, memory_limit, str(work / "dask-tmp"))
    t0 = time.perf_counter()
    try:
        bounds = list(range(0, n, part_size)) + [n]
        futs = client.map(lambda i: gen_part(n, seed, bounds[i], bounds[i + 1], str(work / "tables"), i),
                          range(len(bounds) - 1), pure=False)
        client.gather(futs)
    finally:
        client.close()
        client.cluster.close()
    return {"papers": n, "part_size": part_size, "generate_s": round(time.perf_counter() - t0, 1),
            "tables_mb": du(work / "tables")}


def run_stage(work: Path, *, workers: int, memory_limit: str, top_n: int) -> dict:
    """The graph stage on ``work/tables`` into ``work/out``, on fresh workers, measured."""
    from papergraph.columnar import graph_stage, local_client

    spill = work / "dask-tmp"
    shutil.rmtree(spill, ignore_errors=True)
    spill.mkdir(parents=True)
    res = {"load_start": load(), "workers": workers, "memory_limit": memory_limit}
    peaks = Peaks(spill)
    peaks.start()
    t0 = time.perf_counter()
    client = local_client(workers, memory_limit, str(spill))
    try:
        rep = graph_stage(work / "tables", work / "out", client, top_n=top_n,
                          done=lambda s: log(f"  {s}: {peaks.report()}"))
        res["graph_stage_s"] = round(time.perf_counter() - t0, 1)
        res["steps_s"] = {k: round(v, 1) for k, v in rep.seconds.items()}
        res["nodes"], res["relationships"] = rep.nodes, rep.relationships
    finally:
        client.close()
        client.cluster.close()
        peaks.running = False
    res["peaks"] = peaks.report()
    res["out_mb"] = du(work / "out")
    res["load_end"] = load()
    shutil.rmtree(spill, ignore_errors=True)
    (work / "out" / "counts.json").write_text(json.dumps(res, indent=1))
    return res


def run_columnar(n: int, work: Path, *, seed: int, workers: int, memory_limit: str, part_size: int,
                 top_n: int) -> dict:
    gen = generate(n, work, seed=seed, workers=workers, memory_limit=memory_limit, part_size=part_size)
    log(f"generated: {gen}")
    return {**gen, **run_stage(work, workers=workers, memory_limit=memory_limit, top_n=top_n)}


def run_networkx(n: int, work: Path, *, seed: int) -> dict:
    from papergraph.analysis import add_analytics
    from papergraph.api import resolve_extractions
    from papergraph.export.neo4j_csv import write_neo4j_import
    from papergraph.graph import build_graph, for_graph

    shutil.rmtree(work, ignore_errors=True)
    res = {"papers": n, "load_start": load()}
    t0 = time.perf_counter()
    papers, exs = [], []
    for p, ex in Corpus(n, seed).papers(0, n):
        papers.append(p)
        exs.append(for_graph(ex))
    res["generate_s"] = round(time.perf_counter() - t0, 1)
    t0 = time.perf_counter()
    G = build_graph(papers, exs, canon=resolve_extractions(exs, curation=None, kb=True))
    del exs
    add_analytics(G)
    write_neo4j_import(G, work / "neo4j-import")
    res["graph_stage_s"] = round(time.perf_counter() - t0, 1)
    res["nodes"], res["edges"] = G.number_of_nodes(), G.number_of_edges()
    res["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    res["load_end"] = load()
    return res


def _import_phases(log_text: str, started: float) -> dict:
    """From neo4j-admin's report: seconds from the command to "Import starting", and each phase's."""
    import datetime as dt
    import re

    res = {}
    m = re.search(r"Import starting (\S+ \S+)\+0000", log_text)
    if m:
        t = dt.datetime.fromisoformat(m.group(1)).replace(tzinfo=dt.timezone.utc).timestamp()
        res["started_after_s"] = round(t - started, 1)
    for name, mins, secs, ms in re.findall(r"^(\w[\w ]*?) COMPLETED in (?:(\d+)m )?(?:(\d+)s )?(\d+)ms", log_text, re.M):
        res[name.lower().replace(" ", "_") + "_s"] = round(int(mins or 0) * 60 + int(secs or 0) + int(ms) / 1000, 1)
    return res


def run_bulk(out: Path, bolt_port: int, http_port: int, admin_heap: str | None = None,
             admin_extra: list[str] = ()) -> dict:
    from papergraph.columnar.outputs import admin_args
    from papergraph.neo4j import server
    from papergraph.neo4j.loader import Neo4jSettings, connect, db_counts

    password = "papergraph-bench"
    opts = server.ServerOptions(home=server.default_home(), bolt_port=bolt_port, http_port=http_port,
                                password=password, heap="1g", pagecache="512m", admin_heap=admin_heap)
    files = sum(int(v) for v in json.loads((out / "counts.json").read_text())["relationships"].values())
    args = admin_args(out / "neo4j-import") + list(admin_extra)
    res = {"load_start": load(), "file_relationships": files,
           "admin_heap": admin_heap or server.admin_heap_default(), "admin_args": [a for a in args if "=/" not in a]}
    try:
        server.start(opts, fresh=True)
        server.stop(opts)
        started = time.time()
        t0 = time.perf_counter()
        done = server.admin(opts, args, timeout=3600)
        res["seconds"] = round(time.perf_counter() - t0, 1)
        text = (done.stdout or "") + (done.stderr or "")
        (out / "bulk-import.log").write_text(text, encoding="utf-8")
        res.update(_import_phases(text, started))
        server.start(opts)
        with connect(Neo4jSettings(uri=opts.uri, password=password)) as driver:
            res["db_nodes"], res["db_relationships"] = db_counts(driver, "neo4j")
        res["rels_per_s"] = round(res["db_relationships"] / res["seconds"], 1)
    finally:
        server.stop(opts)
    res["load_end"] = load()
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["columnar", "tables", "stage", "networkx", "equality", "bulk"])
    ap.add_argument("papers_or_dir")
    ap.add_argument("work", nargs="?")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--memory-limit", default="1.2GB", help="per worker; above it a worker spills to disk")
    ap.add_argument("--part-size", type=int, default=20_000)
    ap.add_argument("--top-n", type=int, default=2000)
    ap.add_argument("--bolt-port", type=int, default=17705)
    ap.add_argument("--http-port", type=int, default=17485)
    ap.add_argument("--admin-heap", help="bulk: neo4j-admin's heap [default: papergraph's, from MemAvailable]")
    ap.add_argument("--admin-arg", action="append", default=[], help="bulk: one more neo4j-admin argument")
    ap.add_argument("--json", help="append the result as one JSON line to this file")
    a = ap.parse_args()
    if a.mode == "bulk":
        res = {"mode": "bulk", "out": a.papers_or_dir,
               **run_bulk(Path(a.papers_or_dir), a.bolt_port, a.http_port, a.admin_heap, a.admin_arg)}
    elif a.mode == "stage":
        res = {"mode": "stage", "work": a.papers_or_dir,
               **run_stage(Path(a.papers_or_dir), workers=a.workers, memory_limit=a.memory_limit, top_n=a.top_n)}
    else:
        n, work = int(a.papers_or_dir), Path(a.work)
        if a.mode == "columnar":
            res = run_columnar(n, work, seed=a.seed, workers=a.workers, memory_limit=a.memory_limit,
                               part_size=a.part_size, top_n=a.top_n)
        elif a.mode == "tables":
            res = generate(n, work, seed=a.seed, workers=a.workers, memory_limit=a.memory_limit,
                           part_size=a.part_size)
        elif a.mode == "networkx":
            res = run_networkx(n, work, seed=a.seed)
        else:
            from papergraph.columnar.compare import compare_import_dirs

            res = {"networkx": run_networkx(n, work / "nx", seed=a.seed),
                   "columnar": run_columnar(n, work / "col", seed=a.seed, workers=a.workers,
                                            memory_limit=a.memory_limit, part_size=a.part_size, top_n=a.top_n)}
            diffs = compare_import_dirs(work / "nx" / "neo4j-import", work / "col" / "out" / "neo4j-import")
            res["differences"] = [d[:2000] for d in diffs]
        res = {"mode": a.mode, **res}
    print(json.dumps(res, indent=1))
    if a.json:
        with open(a.json, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(res) + "\n")


if __name__ == "__main__":
    main()
