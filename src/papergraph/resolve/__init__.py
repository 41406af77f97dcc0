"""Entity resolution: the stage between per-paper extraction and the graph.

Extractions in, corpus concepts out (node ids, names, types, aliases, merge reasons, variant
links); pure functions, no I/O. ``normalize`` makes match keys, ``stage`` applies the rules,
``curation`` holds reviewed decisions, ``suspects`` lists likely errors of a built graph.
"""

from .curation import Curation
from .stage import ACRONYM_MAJORITY, resolve

__all__ = ["resolve", "Curation", "ACRONYM_MAJORITY"]
