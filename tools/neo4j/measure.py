"""Measure loading one build into Neo4j: Bolt (twice, for idempotence) and the bulk import.

Starts two throw-away local server instances of its own (data under a temp dir; ports given),
prints seconds and relationships/s of each path and the counts after each load, stops them.

Usage:
    python tools/neo4j/measure.py OUTDIR [--bolt-port 17692 --http-port 17482] [--bulk-bolt-port 17693 ...]
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import tempfile
import time
from pathlib import Path

from papergraph.export.json import read_graph_json
from papergraph.export.neo4j_csv import write_neo4j_import
from papergraph.neo4j.loader import Neo4jSettings, apply_schema, connect, db_counts, load_graph
from papergraph.neo4j.server import ServerOptions, admin_command, default_home, start, stop

PASSWORD = "measure-pw-1"


def _opts(bolt: int, http: int, tmp: Path, name: str) -> ServerOptions:
    return ServerOptions(home=default_home(), bolt_port=bolt, http_port=http, password=PASSWORD, heap="1g",
                         pagecache="256m", instance_dir=tmp / name)


def bolt_loads(G, opts: ServerOptions) -> None:
    start(opts, fresh=True)
    settings = Neo4jSettings(uri=opts.uri, password=PASSWORD)
    for run in ("first", "second"):
        t0 = time.perf_counter()
        stats = load_graph(G, settings)
        total = time.perf_counter() - t0
        print(f"bolt {run} load: {stats.format()}; {total:.1f}s including schema and connection")


def bulk_import(G, opts: ServerOptions, tmp: Path) -> None:
    t0 = time.perf_counter()
    files = write_neo4j_import(G, tmp / "csv")
    t_csv = time.perf_counter() - t0
    cmd, env = admin_command(opts)
    shim = tmp / "neo4j-admin"
    shim.write_text("#!/bin/sh\n" + "".join(f"export {k}={shlex.quote(env[k])}\n" for k in ("NEO4J_HOME", "NEO4J_CONF"))
                    + f'exec {shlex.join(cmd)} "$@"\n')
    shim.chmod(0o755)
    t0 = time.perf_counter()
    res = subprocess.run(["sh", str(files.command)], env={**os.environ, "NEO4J_ADMIN": str(shim)},
                         capture_output=True, text=True, check=True)
    t_import = time.perf_counter() - t0
    took = re.search(r"IMPORT DONE in (.+?)\.", res.stdout + res.stderr)
    n_rels = G.number_of_edges()
    print(f"bulk: CSVs written in {t_csv:.2f}s; import.sh ran in {t_import:.1f}s wall "
          f"({n_rels / t_import:,.0f} relationships/s, JVM start included); neo4j-admin says "
          f"'IMPORT DONE in {took.group(1) if took else '?'}'")
    start(opts)
    settings = Neo4jSettings(uri=opts.uri, password=PASSWORD)
    with connect(settings) as driver:
        t0 = time.perf_counter()
        apply_schema(driver, settings.database)
        print(f"bulk: schema and indexes online in {time.perf_counter() - t0:.1f}s; "
              f"database holds {db_counts(driver, settings.database)} (nodes, relationships)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("outdir", type=Path)
    ap.add_argument("--bolt-port", type=int, default=17692)
    ap.add_argument("--http-port", type=int, default=17482)
    ap.add_argument("--bulk-bolt-port", type=int, default=17693)
    ap.add_argument("--bulk-http-port", type=int, default=17483)
    args = ap.parse_args()
    G = read_graph_json(args.outdir / "graph.json")
    print(f"graph: {G.number_of_nodes()} nodes, {G.number_of_edges()} relationships")
    with tempfile.TemporaryDirectory(prefix="pg-neo4j-measure-") as tmp:
        tmp = Path(tmp)
        bolt = _opts(args.bolt_port, args.http_port, tmp, "bolt")
        bulk = _opts(args.bulk_bolt_port, args.bulk_http_port, tmp, "bulk")
        try:
            bolt_loads(G, bolt)
        finally:
            stop(bolt)
        try:
            bulk_import(G, bulk, tmp)
        finally:
            stop(bulk)


if __name__ == "__main__":
    main()
