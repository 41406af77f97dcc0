"""What a built graph costs in memory, by part: networkx's own dicts, node attributes, edge attributes.

    python bench/graphsize.py PAPERS.jsonl CACHE_DIR

Builds the graph as ``papergraph build`` does (``api._build_into``, the cache filled beforehand
makes it fast) and sums ``sys.getsizeof`` over what it holds, each object once (strings and
numbers shared between edges count for the first). Prints one line per node label and edge type
(count, bytes of the attribute dicts themselves, bytes of their values) and the networkx
structures: the key dict of each node pair (a MultiDiGraph's ``{type: attributes}``) and the
successor/predecessor dicts. See bench/profiles/memory-100k.md.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path


class _Sizer:
    """Deep ``getsizeof`` that counts every object once."""

    def __init__(self) -> None:
        self.seen: set[int] = set()

    def shallow(self, o) -> int:
        if id(o) in self.seen:
            return 0
        self.seen.add(id(o))
        return sys.getsizeof(o)

    def deep(self, o) -> int:
        s = self.shallow(o)
        if not s:
            return 0
        if isinstance(o, dict):
            s += sum(self.deep(k) + self.deep(v) for k, v in o.items())
        elif isinstance(o, (list, tuple, set, frozenset)):
            s += sum(self.deep(v) for v in o)
        return s


def measure(G) -> dict:
    """``{part: {"n": count, "dicts": bytes, "values": bytes}}`` for the parts of ``G``."""
    z = _Sizer()
    n, dicts, values = Counter(), Counter(), Counter()
    for node, d in G.nodes(data=True):
        part = f"node {d.get('label')}"
        n[part] += 1
        dicts[part] += z.shallow(d)
        values[part] += z.deep(node) + sum(z.deep(k) + z.deep(v) for k, v in d.items())
    for side, adj in (("successor dicts", G._succ), ("predecessor dicts", G._pred)):
        for nbrs in adj.values():
            n[side] += 1
            dicts[side] += z.shallow(nbrs)
    for nbrs in G._succ.values():
        for keys in nbrs.values():
            n["key dicts"] += 1
            dicts["key dicts"] += z.shallow(keys)
            for k, d in keys.items():
                part = f"edge {k}"
                n[part] += 1
                dicts[part] += z.shallow(d)
                values[part] += z.deep(k) + sum(z.deep(a) + z.deep(v) for a, v in d.items())
    return {p: {"n": n[p], "dicts": dicts[p], "values": values[p]} for p in sorted(n)}


def main(papers: str, cache_dir: str) -> dict:
    from papergraph.api import _build_into
    from papergraph.engine.heap import fewer_collections

    with fewer_collections(), tempfile.TemporaryDirectory(prefix="papergraph-size-") as tmp:
        _, G = _build_into([papers], Path(tmp) / "out", None, {"use_cache": True, "cache_dir": cache_dir})
    parts = measure(G)
    total = 0
    for p, v in parts.items():
        b = v["dicts"] + v["values"]
        total += b
        print(f"{p:24s} {v['n']:>10,}  dicts {v['dicts'] / 1e6:7.1f} MB  values {v['values'] / 1e6:7.1f} MB"
              f"  {b / max(v['n'], 1):6.0f} B each")
    print(f"total {total / 1e6:.1f} MB: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges")
    return parts


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    main(*sys.argv[1:])
