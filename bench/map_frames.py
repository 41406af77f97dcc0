"""Frame time of the HTML map (`papergraph view`) at scale, in headless Debian chromium.

    python bench/map_frames.py [--concepts 30000] [--papers 10000] [--seed 0] [--keep DIR]
                               [--graph GRAPH.json] [--json FILE]

Builds a synthetic graph (no NLP: papers naming 3-12 concepts drawn with a Zipf-like skew, five
concept types), runs the build's analytics on it (co-occurrence, communities, PageRank, layout),
writes the map, opens it in chromium (selenium + chromedriver, as tests/test_view_browser.py
does, software rendering) and, in four views (as the page opens, the whole graph ("fit"),
zoomed in 8x, a search's matches marked), measures (1) the script time of ``canvas.draw()``
and (2) the interval between frames during a 60-frame pan driven by requestAnimationFrame,
which includes the browser's rasterising and compositing (16.7 ms = the 60 Hz cap); the pan
is run three times per view and the best median kept, as the machine is shared. Prints one line per figure and, with ``--json FILE``, writes them all.
Results go in BENCHMARKS.md ("The map"); this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np

TYPES = ("Method", "Task", "Metric", "Model", "Benchmark")


def synthetic_graph(n_concepts: int, n_papers: int, seed: int = 0) -> nx.MultiDiGraph:
    """A graph in papergraph's schema: papers -> concepts (USES), with analytics added."""
    from papergraph import analysis

    rng = np.random.default_rng(seed)
    G = nx.MultiDiGraph()
    weights = 1.0 / np.arange(1, n_concepts + 1) ** 0.9
    weights /= weights.sum()
    for c in range(n_concepts):
        G.add_node(f"concept:c{c}", label="Concept", id=f"c{c}", name=f"concept {c} term{c % 97}",
                   type=TYPES[int(rng.integers(len(TYPES)))], aliases=[], paper_count=0)
    # each paper draws most concepts from one of 40 topics (so there are communities), a few globally
    topics = np.array_split(rng.permutation(n_concepts), 40)
    for p in range(n_papers):
        pid = f"paper:p{p}"
        G.add_node(pid, label="Paper", id=f"p{p}", title=f"Synthetic paper {p}", date="2024-05-20", url="")
        topic = topics[int(rng.integers(len(topics)))]
        k = int(rng.integers(3, 13))
        local = rng.choice(topic, size=min(k - 1, len(topic)), replace=False,
                           p=weights[topic] / weights[topic].sum())
        named = set(local.tolist()) | {int(rng.choice(n_concepts, p=weights))}
        for c in named:
            G.add_edge(pid, f"concept:c{c}", key="USES", type="USES", evidence="")
            G.nodes[f"concept:c{c}"]["paper_count"] += 1
    analysis.add_analytics(G)
    return G


def _driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,800", "--force-device-scale-factor=1"):
        opts.add_argument(arg)
    opts.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/lib/chromium/chromedriver"),
                            options=opts)


_TIME_DRAWS = """
const c = pgView.canvas, ms = [];
for (let k = 0; k < arguments[0]; k++) { c.draw(); ms.push(c.frameMs); }
return {ms, drawn: c.drawn, labels: c.labelled};
"""

_PAN = """
const done = arguments[arguments.length - 1], c = pgView.canvas, gaps = [];
let last = null, n = 0;
function step(t) {
  if (last !== null) gaps.push(t - last);
  last = t;
  c.tx += 4; c.requestDraw();
  if (++n < 61) requestAnimationFrame(step); else done(gaps);
}
requestAnimationFrame(step);
"""


def _summary(values: list[float]) -> dict:
    values = sorted(values)
    return {"median_ms": round(statistics.median(values), 1),
            "p95_ms": round(values[min(len(values) - 1, int(0.95 * len(values)))], 1)}


def measure(page: Path, draws: int = 20) -> dict:
    driver = _driver()
    try:
        t0 = time.perf_counter()
        driver.get(page.resolve().as_uri())
        while not driver.execute_script("return !!(window.pgView && window.pgView.ready)"):
            time.sleep(0.05)
        out = {"load_s": round(time.perf_counter() - t0, 2)}
        driver.set_script_timeout(600)
        views = {"start": "", "fit": "pgView.canvas.fit()",
                 "zoom8": "pgView.canvas.zoomAt(8, pgView.canvas.width / 2, pgView.canvas.height / 2)",
                 "search": "pgView.canvas.fit(); pgView.search('term1')"}
        for name, setup in views.items():
            if setup:
                driver.execute_script(setup)
            state = driver.execute_script("const c = pgView.canvas; return [c.tx, c.ty, c.k]")
            r = driver.execute_script(_TIME_DRAWS, draws)
            pans = []
            for _ in range(3):
                driver.execute_script("const c = pgView.canvas; [c.tx, c.ty, c.k] = arguments[0]", state)
                pans.append(_summary(driver.execute_async_script(_PAN)))
            out[name] = {"draw": _summary(r["ms"]), "pan_interval": min(pans, key=lambda p: p["median_ms"]),
                         "nodes_drawn": r["drawn"], "labels": r["labels"]}
        return out
    finally:
        driver.quit()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--concepts", type=int, default=30000)
    ap.add_argument("--papers", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", help="write the figures to this file")
    ap.add_argument("--keep", help="write map.html (and graph.json) here instead of a temp dir")
    ap.add_argument("--graph", help="measure the map of this graph.json instead of a synthetic graph")
    args = ap.parse_args(argv)
    from papergraph.view import write_map

    from papergraph.export.json import read_graph_json, write_graph_json

    t0 = time.perf_counter()
    G = read_graph_json(args.graph) if args.graph else synthetic_graph(args.concepts, args.papers, args.seed)
    built = time.perf_counter() - t0
    out_dir = Path(args.keep or tempfile.mkdtemp(prefix="pg-map-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.keep and not args.graph:
        write_graph_json(G, out_dir / "graph.json")
    page = out_dir / "map.html"
    t0 = time.perf_counter()
    write_map(G, page)
    figures = {"concepts": sum(1 for _, d in G.nodes(data=True) if d["label"] == "Concept"),
               "links": sum(1 for *_, k in G.edges(keys=True) if k == "CO_OCCURS"),
               "graph_s": round(built, 1), "write_map_s": round(time.perf_counter() - t0, 2),
               "html_mb": round(page.stat().st_size / 1e6, 1), **measure(page)}
    for key, value in figures.items():
        print(f"{key:20} {value}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    if not args.keep:
        shutil.rmtree(out_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
