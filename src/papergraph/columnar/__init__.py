"""The columnar build: a graph stage for corpora too large for one networkx graph.

Per-paper extractions stream into partitioned Parquet (:mod:`.writer`, :mod:`.rows`); the
corpus-level steps run as Dask dataframe operations and per-part tasks on a cluster
(:mod:`.pipeline`); the outputs are Neo4j bulk-import CSVs, Parquet node and edge tables and a
GEXF of the top-N concepts. Resolution is per key (:mod:`.keys`); README, "The columnar build",
says what differs from the networkx build.
"""

from .keys import Keys
from .pipeline import StageReport, graph_stage, local_client
from .writer import read_records, record, write_tables

__all__ = ["Keys", "StageReport", "graph_stage", "local_client", "read_records", "record", "write_tables"]
