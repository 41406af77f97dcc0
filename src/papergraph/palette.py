"""The colours of papergraph's node kinds: one table for Gephi (GEXF), the map and Neo4j Browser.

ColorBrewer "Set1" by concept type, grey for papers and brown for results. :mod:`.export.gexf`
writes them as viz colours, :mod:`.view` draws the map with them and :mod:`.neo4j.style`
writes ``cypher/style.grass`` from them.
"""

from __future__ import annotations

__all__ = ["TYPE_COLORS", "OTHER_COLOR", "hex_color"]

#: Node colours (RGB) by concept type, and for papers and results.
TYPE_COLORS = {
    "Model": (228, 26, 28),
    "Benchmark": (55, 126, 184),
    "Method": (77, 175, 74),
    "Task": (152, 78, 163),
    "Metric": (255, 127, 0),
    "Paper": (153, 153, 153),
    "Result": (166, 86, 40),
}
#: A node of any other kind.
OTHER_COLOR = (120, 120, 120)


def hex_color(rgb: tuple[int, int, int]) -> str:
    """``(228, 26, 28)`` -> ``"#e41a1c"``."""
    return "#%02x%02x%02x" % rgb
