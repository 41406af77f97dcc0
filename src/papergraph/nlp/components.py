"""Entry-point hub: the factories papergraph registers with spaCy (see pyproject.toml)."""

from .abbreviations import make_abbreviations
from .candidates import make_candidates
from .concepts import make_concepts
from .cues import make_cues
from .relations import make_relations
from .results import make_results
from .scorer import make_scorer

__all__ = ["make_abbreviations", "make_candidates", "make_concepts", "make_cues", "make_relations", "make_results", "make_scorer"]
