"""The columnar graph stage: extraction tables (Parquet) -> Neo4j import files, Parquet tables, top-N GEXF.

Never builds the networkx graph of the whole corpus. Steps, on a Dask cluster (a ``LocalCluster``
that spills to disk unless a scheduler is given):

1. concepts: ``members`` shuffled by node key, one Concept row per key (:mod:`.concepts`), then
   ``VARIANT_OF`` on the client from that table (one row per concept, not per mention);
2. paper -> concept edges, results and their links, relations (shuffled by (source, target,
   type) so that the last statement wins, as in the networkx graph) written part by part
   (:mod:`.tasks`), each task returning integer codes only;
3. co-occurrence with NPMI and similar papers on a CSR incidence broadcast to the workers, one
   range of concepts or papers per task (:mod:`.analytics`);
4. PageRank and degree of every Paper and Concept on the client from the code arrays;
5. communities and layout on the co-occurrence graph of the top-N concepts (:mod:`.projection`).
"""

from __future__ import annotations

import logging
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from ..errors import ConfigError, InputError
from ..model import CONCEPT_TYPES
from . import analytics, tasks
from .concepts import CONCEPT_META, concept_rows, variant_rows
from .keys import Keys
from .outputs import concepts_out, cooccurrence_task, headers, relations_meta, similar_out, variants_out
from .projection import write_projection

__all__ = ["graph_stage", "StageReport", "local_client"]


@dataclass
class StageReport:
    """What the graph stage wrote and how long each step took."""

    out: Path
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def format(self) -> str:
        lines = [f"columnar graph stage -> {self.out}"]
        lines.append("  nodes: " + ", ".join(f"{k} {v:,}" for k, v in self.nodes.items()))
        lines.append("  relationships: " + ", ".join(f"{k} {v:,}" for k, v in sorted(self.relationships.items())))
        lines.append("  steps: " + ", ".join(f"{k} {v:.1f}s" for k, v in self.seconds.items()))
        return "\n".join(lines)


def local_client(workers: int = 2, memory_limit: str = "1.2GB", spill_dir: str | None = None):
    """A ``distributed.Client`` on a new ``LocalCluster`` (127.0.0.1, no dashboard, spilling)."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise ConfigError("the columnar build needs dask: pip install 'papergraph[dask]'") from None
    if spill_dir:
        dask.config.set({"temporary-directory": spill_dir})
    # Spill managed data to disk from the limit's 60-70 % on, but never pause a worker for memory
    # it cannot spill: Arrow's and malloc's freed pages show up as unmanaged memory and a paused
    # worker waits for them forever. Arrow uses the system allocator, which gives pages back.
    dask.config.set({"distributed.worker.memory.pause": False, "distributed.worker.memory.terminate": False,
                     "distributed.nanny.pre-spawn-environ.ARROW_DEFAULT_MEMORY_POOL": "system"})
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None, silence_logs=logging.ERROR, memory_limit=memory_limit)
    return Client(cluster)


def _parts(src: Path, table: str) -> list[Path]:
    return sorted((src / table).glob("part-*.parquet"))


def graph_stage(src: str | Path, out: str | Path, client, *, keys: Keys | None = None, kb: bool = True,
                top_n: int = 2000, seed: int = 0, cooccur_min_papers: int = 2, npmi_min: float = 0.0,
                similar_top_k: int = 5, chunks: int = 64,
                done: Callable[[str], None] | None = None) -> StageReport:
    """Run the graph stage on the extraction tables in ``src`` (see :mod:`.rows`) into ``out``.

    Raises:
        InputError: ``src`` holds no papers.
    """
    import dask
    import dask.dataframe as dd

    src, out = Path(src), Path(out)
    keys = keys or Keys()
    if not _parts(src, "papers"):
        raise InputError(f"{src}: no papers/part-*.parquet (write the extraction tables first)")
    for d in ("neo4j-import", "parquet/nodes", "parquet/edges"):
        shutil.rmtree(out / d, ignore_errors=True)
    (out / "neo4j-import").mkdir(parents=True, exist_ok=True)
    rep = StageReport(out)
    clock = [time.perf_counter()]

    def step(name: str) -> None:
        now = time.perf_counter()
        rep.seconds[name] = now - clock[0]
        clock[0] = now
        if done:
            done(name)

    # 1. concepts
    members = dd.read_parquet(str(src / "members"), columns=["root", "paper_id", "pos", "clean", "type",
                                                             "confidence", "scores", "belongs", "best"])
    nparts = max(1, members.npartitions)
    concepts = (members.shuffle("root", npartitions=nparts)
                .map_partitions(concept_rows, keys, kb, meta=CONCEPT_META).compute())
    concepts = concepts.sort_values("id", kind="stable").reset_index(drop=True)
    concepts["code"] = np.arange(len(concepts), dtype=np.int64)
    lookup = concepts.set_index("root")[["id", "type", "code"]]
    variants = variant_rows(concepts, kb)
    step("concepts")

    # 2. edges, results, relations
    paper_ids = dd.read_parquet(str(src / "papers"), columns=["id"])["id"].compute()
    if paper_ids.duplicated().any():
        raise InputError(f"{src}: paper id {paper_ids[paper_ids.duplicated()].iloc[0]!r} occurs twice")
    paper_index = pd.Index(np.sort(paper_ids.to_numpy(dtype=object)))
    del paper_ids
    P, C = len(paper_index), len(concepts)
    [f_lookup, f_index] = client.scatter([lookup, paper_index], broadcast=True)
    futs = client.map(tasks.paper_edges_part, _parts(src, "members"), range(len(_parts(src, "members"))),
                      lookup=f_lookup, paper_index=f_index, out=out, pure=False)
    pe = client.gather(futs)
    del futs
    pp = np.concatenate([p for p, _, _ in pe]) if pe else np.zeros(0, np.int32)
    pc_ = np.concatenate([c for _, c, _ in pe]) if pe else np.zeros(0, np.int32)
    for _, _, n in pe:
        for t, k in n.items():
            rep.relationships[t] = rep.relationships.get(t, 0) + k
    del pe
    futs = client.map(tasks.results_part, _parts(src, "results"), _parts(src, "result_links"),
                      range(len(_parts(src, "results"))), lookup=f_lookup, paper_index=f_index, out=out, pure=False)
    rs = client.gather(futs)
    del futs
    rep_papers = np.concatenate([p for p, _, _ in rs]) if rs else np.zeros(0, np.int32)
    link_concepts = np.concatenate([c for _, c, _ in rs]) if rs else np.zeros(0, np.int32)
    rep.relationships["REPORTS"] = len(rep_papers)
    for _, _, n in rs:
        for t, k in n.items():
            rep.relationships[t] = rep.relationships.get(t, 0) + k
    del rs
    rel = dd.read_parquet(str(src / "relations"))
    rel = rel.map_partitions(tasks.relations_part, tasks.Held(lookup), meta=relations_meta())
    rel = rel.shuffle(["src_id", "dst_id", "type"], npartitions=max(1, rel.npartitions))
    rr = dask.compute(*[dask.delayed(tasks.dedupe_relations)(p, out, i) for i, p in enumerate(rel.to_delayed())])
    rs_, rt_ = ([np.concatenate(x) for x in zip(*[(a, b) for a, b, _ in rr])] if rr else (np.zeros(0, np.int32),) * 2)
    for _, _, n in rr:
        for t, k in n.items():
            rep.relationships[t] = rep.relationships.get(t, 0) + int(k)
    code = dict(zip(concepts["id"].tolist(), concepts["code"].tolist()))
    va = np.array([code[v] for v, _ in variants], dtype=np.int32)
    vb = np.array([code[f] for _, f in variants], dtype=np.int32)
    variants_out(out, variants)
    rep.relationships["VARIANT_OF"] = rep.relationships.get("VARIANT_OF", 0) + len(variants)
    step("edges")

    # 3. co-occurrence and similar papers
    inc = analytics.Incidence.from_pairs(pp, pc_, P, C)
    [f_inc, f_ids] = client.scatter([inc, tasks.Held(concepts["id"].to_numpy(dtype=object))], broadcast=True)
    bounds = np.linspace(0, C, min(chunks, max(C, 1)) + 1).astype(int)
    f_co = [client.submit(cooccurrence_task, f_inc, int(a), int(b), f_ids, out, i, cooccur_min_papers, npmi_min,
                          pure=False)
            for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:]))]
    co = client.gather(f_co)
    ca, cb, cw = ([np.concatenate(x) for x in zip(*co)] if co else (np.zeros(0, np.int32),) * 3)
    del co
    rep.relationships["CO_OCCURS"] = len(ca)
    step("co-occurrence")
    bounds = np.linspace(0, P, min(chunks, max(P, 1)) + 1).astype(int)
    sim = client.gather([client.submit(analytics.similar_chunk, f_inc, int(a), int(b), top_k=similar_top_k, pure=False)
                         for a, b in zip(bounds[:-1], bounds[1:])]) if similar_top_k and P > 1 else []
    sa, sb = similar_out(sim, paper_index, out)
    rep.relationships["SIMILAR_TO"] = len(sa)
    del sim
    client.cancel([f_inc, f_ids])
    step("similar papers")

    # 4. PageRank and degree
    pairs = [(pp, pc_ + P), (rs_ + P, rt_ + P), (va + P, vb + P), (ca + P, cb + P), (sa, sb)]
    pr = analytics.ranks(P + C, pairs)
    ends = [x for pair in pairs for x in pair] + [rep_papers, link_concepts + P]
    degree = np.bincount(np.concatenate([e.astype(np.int64) for e in ends]), minlength=P + C)
    del pairs, ends, inc
    step("pagerank+degree")

    # 5. projection, nodes
    communities = write_projection(concepts, ca, cb, cw, out / "graph-top.gexf", top_n=top_n, seed=seed)
    f_pr, f_deg = client.scatter([pr[:P], degree[:P]], broadcast=True)
    rep.nodes["Paper"] = sum(client.gather(client.map(
        tasks.papers_part, _parts(src, "papers"), range(len(_parts(src, "papers"))),
        paper_index=f_index, pagerank=f_pr, degree=f_deg, out=out, pure=False)))
    concepts["pagerank"], concepts["degree"] = pr[P:], degree[P:]
    concepts["community"] = communities
    concepts_out(concepts, out)
    rep.nodes["Concept"] = len(concepts)
    for t, n in concepts["type"].value_counts().items():  # type labels (the schema's types only)
        if t in CONCEPT_TYPES:
            rep.nodes[t] = int(n)
    rep.nodes["Result"] = len(rep_papers)
    headers(out)
    step("nodes+projection")
    rep.relationships = {k: v for k, v in sorted(rep.relationships.items()) if v}
    rep.nodes = {k: v for k, v in rep.nodes.items() if v}
    return rep
