"""Readers: turn input files into Papers.

Contract (used by the rest of papergraph):

    read_inputs(paths, *, skip_bad=False) -> IngestReport

``paths`` are files, directories (every supported file inside, sorted) or ``"-"`` (stdin).
Formats are detected by extension and content: daily-papers text listings, JSON Lines,
JSON arrays, CSV/TSV, arXiv Atom XML, arXiv metadata snapshot JSON Lines.
Duplicates (same arXiv id, or same folded title) are merged into one Paper whose
``sources`` lists every ``file:line`` it came from.  Bad records raise ``InputError``
(naming file and line) unless ``skip_bad``, in which case they are counted in
``IngestReport.skipped``.

Ids: the input's own id (arXiv ids without version, e.g. ``2401.01234``; other ids kept as
strings), else ``model.title_id(title)``. A daily listing's "May 20" header gives the
year-less ISO 8601 date ``"--05-20"`` (see ``daily``). One module per format: ``daily``,
``jsonfmt`` (JSON Lines, JSON arrays, arXiv snapshot), ``csvfmt``, ``atom``; ``detect``
picks one, ``records`` validates, ``reader`` ties them together and merges duplicates.
"""

from .reader import IngestReport, Skipped, iter_records, read_inputs
from .records import normalize_arxiv_id

__all__ = ["IngestReport", "Skipped", "iter_records", "normalize_arxiv_id", "read_inputs"]
