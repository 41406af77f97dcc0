"""``cypher/style.grass``: Neo4j Browser's style sheet for papergraph, from :mod:`papergraph.palette`.

Browser colours a node by its labels; every concept has its type as a second label
(``:Concept:Model``), and a rule for a type label comes after the ``node.Concept`` rule so it wins.
GRASS has no comments, so the file holds rules only. It is generated (``python -m papergraph.neo4j.style > cypher/style.grass``) and a test
checks that the committed one is what this writes, so Browser, Gephi and the map never disagree.
"""

from __future__ import annotations

from ..model import CONCEPT_TYPES
from ..palette import TYPE_COLORS, hex_color

__all__ = ["grass_text"]

#: Caption property and diameter per label (concepts by name, papers by id, results by text).
_NODES = [("Concept", "name", 55), *[(t, "name", 55) for t in CONCEPT_TYPES], ("Paper", "id", 40),
          ("Result", "text", 35)]


def _darker(rgb: tuple[int, int, int]) -> str:
    return hex_color(tuple(int(c * 0.8) for c in rgb))


def grass_text() -> str:
    """The GRASS style sheet: a rule per node label (colour, border, caption) and one for relationships."""
    out = ["node {", "  diameter: 50px;", "  color: #787878;", "  border-color: #606060;", "  border-width: 2px;",
           "  text-color-internal: #FFFFFF;", "  font-size: 10px;", "}",
           "relationship {", "  color: #A5ABB6;", "  shaft-width: 1px;", "  font-size: 8px;", "  padding: 3px;",
           "  text-color-external: #000000;", "  text-color-internal: #FFFFFF;", '  caption: "<type>";', "}"]
    for label, caption, diameter in _NODES:
        rgb = TYPE_COLORS.get(label, (120, 120, 120))
        out += [f"node.{label} {{", f"  color: {hex_color(rgb)};", f"  border-color: {_darker(rgb)};",
                "  text-color-internal: #FFFFFF;", f"  diameter: {diameter}px;", f'  caption: "{{{caption}}}";', "}"]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    print(grass_text(), end="")
