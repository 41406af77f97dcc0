"""papergraph: paper titles and abstracts -> a paper-concept knowledge graph."""

__version__ = "0.1.0"

from .api import build, extract  # noqa: E402

__all__ = ["__version__", "build", "extract"]
