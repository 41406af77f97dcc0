"""Small value types that flow through papergraph: ingest -> nlp -> graph -> export/neo4j."""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from dataclasses import dataclass, field, asdict

CONCEPT_TYPES = ("Model", "Benchmark", "Method", "Task", "Metric")
ROLES = ("proposed", "used", "compared", "mentioned")

#: Paper -> Concept relationship type for each role (benchmarks that are used are evaluated on).
ROLE_EDGE = {
    "proposed": "PROPOSES",
    "used": "USES",
    "compared": "COMPARES_WITH",
    "mentioned": "MENTIONS",
}
EVALUATES_ON = "EVALUATES_ON"
PAPER_EDGE_TYPES = ("PROPOSES", "USES", "EVALUATES_ON", "COMPARES_WITH", "MENTIONS")
#: Concept -> Concept relationship types.
CONCEPT_EDGE_TYPES = ("EVALUATED_ON", "APPLIED_TO", "BASED_ON", "PART_OF", "VARIANT_OF", "CO_OCCURS")
#: Result relationship types: Paper-REPORTS->Result, Result-ON->Benchmark, -OF->Model/Method, -MEASURED_BY->Metric.
RESULT_EDGE_TYPES = ("REPORTS", "ON", "OF", "MEASURED_BY")
#: Paper -> Paper.
PAPER_PAPER_EDGE_TYPES = ("SIMILAR_TO",)
NODE_LABELS = ("Paper", "Concept", "Result")


def edge_type_for(role: str, concept_type: str) -> str:
    """The Paper->Concept relationship type for a role and concept type."""
    if role == "used" and concept_type == "Benchmark":
        return EVALUATES_ON
    return ROLE_EDGE.get(role, "MENTIONS")


def fold_title(title: str) -> str:
    """Fold a title for duplicate detection: NFKC, casefold, drop punctuation and spaces."""
    t = unicodedata.normalize("NFKC", title).casefold()
    return re.sub(r"[\W_]+", "", t)


def title_id(title: str) -> str:
    """A stable short id for a paper that has no id of its own."""
    return "t-" + hashlib.sha1(fold_title(title).encode("utf-8")).hexdigest()[:12]


@dataclass
class Paper:
    """One paper: what the readers yield.

    ``sources`` lists ``"file:line"`` for every place the paper was read from (duplicates merged).
    """

    id: str
    title: str
    abstract: str
    date: str | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None
    categories: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    #: Votes of a daily-papers listing (Hugging Face), when the source has them.
    upvotes: int | None = None
    #: Citations and venue from a scholarly index (OpenAlex), when the paper was enriched.
    citations: int | None = None
    venue: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Mention:
    """Where a concept is named: ``text == paper.<field>[start:end]``."""

    field: str  # "title" | "abstract"
    start: int
    end: int
    text: str


@dataclass
class ExtractedConcept:
    """A concept as one paper names it (before corpus-level canonicalisation)."""

    name: str
    type: str
    role: str = "mentioned"
    aliases: list[str] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    confidence: float = 0.5
    rules: list[str] = field(default_factory=list)
    #: Evidence for each type (type -> score); the corpus-level vote sums these.
    type_scores: dict[str, float] = field(default_factory=dict)
    #: The sentence of the first mention (evidence for the paper->concept edge).
    evidence: str = ""


@dataclass
class Relation:
    """A concept-concept relation stated in one sentence of one paper (names are per-paper names)."""

    source: str
    target: str
    type: str  # one of CONCEPT_EDGE_TYPES
    evidence: str = ""
    confidence: float = 0.5
    rule: str = ""


@dataclass
class Result:
    """A reported number: "71.27% accuracy on ManyTypes4TypeScript", "+26.23 FID", "200x faster"."""

    value: float
    unit: str  # "%", "x", "" ...
    kind: str  # "absolute" | "relative"
    direction: str  # "up" | "down" | "none"
    text: str  # the matched span
    evidence: str  # the sentence
    metric: str | None = None
    benchmark: str | None = None
    subject: str | None = None  # model or method
    field: str = "abstract"
    start: int = 0
    end: int = 0


@dataclass
class PaperExtraction:
    """Everything the NLP stage extracted from one paper."""

    paper_id: str
    concepts: list[ExtractedConcept] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "PaperExtraction":
        sentences: dict[str, str] = {}  # one copy of each evidence sentence of the paper
        return cls(
            paper_id=d["paper_id"],
            concepts=[_concept(c, sentences) for c in d.get("concepts", [])],
            relations=[Relation(**_shared(r, sentences)) for r in d.get("relations", [])],
            results=[Result(**_shared(r, sentences)) for r in d.get("results", [])],
        )


def share_strings(ex: PaperExtraction) -> PaperExtraction:
    """``ex`` with one copy of each evidence sentence and shared type/role/rule/field strings
    (what :meth:`PaperExtraction.from_dict` does while decoding), in place: a large build holds
    every paper's extraction at once."""
    sentences: dict[str, str] = {}
    for c in ex.concepts:
        c.evidence = sentences.setdefault(c.evidence, c.evidence)
        c.type, c.role, c.rules = _tag(c.type), _tag(c.role), [_tag(r) for r in c.rules]
    for r in (*ex.relations, *ex.results):
        r.evidence = sentences.setdefault(r.evidence, r.evidence)
    return ex


def _concept(c: dict, sentences: dict[str, str]) -> ExtractedConcept:
    c = _shared(c, sentences, ("type", "role"))
    c["mentions"] = [Mention(**_shared(m, sentences, ("field",))) for m in c.get("mentions", [])]
    if "rules" in c:
        c["rules"] = [_tag(r) for r in c["rules"]]
    return ExtractedConcept(**c)


def _shared(d: dict, sentences: dict[str, str], tags: tuple[str, ...] = ()) -> dict:
    """A copy of ``d`` whose ``evidence`` sentence is shared with the paper's other records and
    whose values under ``tags`` (where present) are shared via :func:`_tag`."""
    d = dict(d)
    ev = d.get("evidence")
    if type(ev) is str:
        d["evidence"] = sentences.setdefault(ev, ev)
    for k in tags:
        if k in d:
            d[k] = _tag(d[k])
    return d


def _tag(s):
    """One shared copy of a short repeated string (types, roles, rule names, fields): a cache or
    a large extraction file decodes millions of them."""
    return sys.intern(s) if type(s) is str else s
