"""Per-part work that the Dask workers run: one Parquet part in, output parts and integer codes out.

Each function reads one part file of the extraction tables, joins it with the (broadcast) concept
lookup or paper index, writes its Parquet node/edge part and its Neo4j CSV parts, and returns only
the integer codes the client needs for PageRank, degrees and the paper x concept incidence.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ..model import EVALUATES_ON, ROLE_EDGE
from . import csvout

__all__ = ["paper_edges_part", "papers_part", "results_part", "relations_part", "dedupe_relations"]


def _save(table: pa.Table, out: Path, group: str, part: int) -> None:
    d = out / "parquet" / group
    d.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, d / f"part-{part:05d}.parquet")


def _csv(table: pa.Table, out: Path, name: str, part: int, ids: list[str], columns) -> None:
    csvout.write_part(table, ids, columns, out / "neo4j-import" / f"{name}.part-{part:05d}.csv")


def paper_edges_part(src: Path, part: int, lookup: pd.DataFrame, paper_index: pd.Index, out: Path):
    """Paper -> Concept edges of one members part; returns (paper codes, concept codes, types)."""
    df = pq.read_table(src, columns=["paper_id", "root", "role", "confidence", "evidence", "field", "start", "end",
                                     "rules", "best"], filters=[("best", "=", True)]).to_pandas()
    hit = lookup.reindex(df["root"].to_numpy())
    df["end_id"] = hit["id"].to_numpy()
    ctype = hit["type"].to_numpy()
    rel = df["role"].map(ROLE_EDGE).fillna("MENTIONS").to_numpy(dtype=object)
    rel[(df["role"].to_numpy() == "used") & (ctype == "Benchmark")] = EVALUATES_ON
    df["type"] = rel
    table = pa.Table.from_pandas(df.drop(columns=["best", "root"]), preserve_index=False)
    _save(table, out, "edges/paper_concept", part)
    for t in ("PROPOSES", "USES", "EVALUATES_ON", "COMPARES_WITH", "MENTIONS"):
        sub = table.filter(pa.compute.equal(table["type"], t))
        _csv(sub, out, f"rels-{t}-Paper-Concept", part, ["paper_id", "end_id", "type"], csvout.REL_COLUMNS[t])
    return (paper_index.get_indexer(df["paper_id"]).astype(np.int32), hit["code"].to_numpy(np.int32),
            {t: int((rel == t).sum()) for t in set(rel.tolist())})


def papers_part(src: Path, part: int, paper_index: pd.Index, pagerank: np.ndarray, degree: np.ndarray,
                out: Path) -> int:
    """Paper nodes of one papers part, with their PageRank and degree."""
    table = pq.read_table(src)
    codes = paper_index.get_indexer(table["id"].to_pandas())
    table = table.append_column("pagerank", pa.array(pagerank[codes])).append_column("degree", pa.array(degree[codes]))
    table = table.append_column(":LABEL", pa.array(["Paper"] * table.num_rows))
    _save(table.drop_columns([":LABEL"]), out, "nodes/papers", part)
    _csv(table, out, "nodes-Paper", part, ["id", ":LABEL"], csvout.NODE_COLUMNS["Paper"])
    return table.num_rows


def results_part(results: Path, links: Path, part: int, lookup: pd.DataFrame, paper_index: pd.Index, out: Path):
    """Result nodes, REPORTS and ON / OF / MEASURED_BY of one part; returns (paper codes of REPORTS,
    concept codes of the links, links by type)."""
    res = pq.read_table(results)
    labelled = res.append_column(":LABEL", pa.array(["Result"] * res.num_rows))
    _save(res, out, "nodes/results", part)
    _csv(labelled, out, "nodes-Result", part, ["id", ":LABEL"], csvout.NODE_COLUMNS["Result"])
    rep = res.select(["paper_id", "id", "field", "start", "end"])
    rep = rep.append_column("type", pa.array(["REPORTS"] * rep.num_rows))
    _save(rep, out, "edges/reports", part)
    _csv(rep, out, "rels-REPORTS-Paper-Result", part, ["paper_id", "id", "type"], csvout.REL_COLUMNS["REPORTS"])
    df = pq.read_table(links).to_pandas()
    hit = lookup.reindex(df["root"].to_numpy())
    keep = hit["id"].notna().to_numpy()  # a name of the paper's own or of some node of the corpus
    df, hit = df[keep], hit[keep]
    df = pd.DataFrame({"result": df["result"].to_numpy(), "end_id": hit["id"].to_numpy(),
                       "type": df["type"].to_numpy()})
    table = pa.Table.from_pandas(df, preserve_index=False)
    _save(table, out, "edges/result_concept", part)
    for t in ("ON", "OF", "MEASURED_BY"):
        sub = table.filter(pa.compute.equal(table["type"], t))
        _csv(sub, out, f"rels-{t}-Result-Concept", part, ["result", "end_id", "type"], [])
    counts = df["type"].value_counts().to_dict()
    return (paper_index.get_indexer(res["paper_id"].to_pandas()).astype(np.int32),
            hit["code"].to_numpy(np.int32), {k: int(v) for k, v in counts.items()})


class Held:
    """A value passed to ``map_partitions`` as is (a bare DataFrame argument would be aligned)."""

    def __init__(self, value):
        self.value = value


def relations_part(df: pd.DataFrame, held: Held) -> pd.DataFrame:
    """Relations whose two names are nodes, with their node ids and codes (one partition)."""
    lookup = held.value
    s, t = lookup.reindex(df["src"].to_numpy()), lookup.reindex(df["dst"].to_numpy())
    keep = s["id"].notna().to_numpy() & t["id"].notna().to_numpy()
    df = df[keep].copy()
    df["src_id"], df["dst_id"] = s["id"].to_numpy()[keep], t["id"].to_numpy()[keep]
    df["src_code"] = s["code"].to_numpy()[keep].astype(np.int64)
    df["dst_code"] = t["code"].to_numpy()[keep].astype(np.int64)
    return df[df["src_id"] != df["dst_id"]]


def dedupe_relations(df: pd.DataFrame, out: Path, part: int):
    """One relationship per (source, target, type), the last in corpus order wins (as networkx's
    ``add_edge`` with an existing key updates it); writes the part, returns codes and counts."""
    df = df.sort_values(["paper_id", "pos"], kind="stable").drop_duplicates(["src_id", "dst_id", "type"], keep="last")
    df = df.assign(rules=[[r] if isinstance(r, str) and r else [] for r in df["rule"]])
    table = pa.Table.from_pandas(df[["src_id", "dst_id", "type", "evidence", "confidence", "rules"]],
                                 preserve_index=False)
    _save(table, out, "edges/concept_concept", part)
    for t in sorted(set(df["type"].tolist())):
        sub = table.filter(pa.compute.equal(table["type"], t))
        _csv(sub, out, f"rels-{t}-Concept-Concept", part, ["src_id", "dst_id", "type"], csvout.REL_COLUMNS["RELATION"])
    return (df["src_code"].to_numpy(np.int32), df["dst_code"].to_numpy(np.int32),
            df["type"].value_counts().to_dict())
