"""Per-paper assembly: candidates of the title and abstract docs -> one concept per real concept.

Every surface form of a concept (acronym, plural, spelling variant, user alias) is folded
into one :class:`~papergraph.model.ExtractedConcept` with aliases; types are voted from the
evidence of all its mentions; the role is the strongest cue (proposed > compared > used);
confidence grows with the rules that fired and the number of mentions.
"""

from __future__ import annotations

import re
from collections import defaultdict

from spacy.language import Language
from spacy.tokens import Doc

from ..model import CONCEPT_TYPES, ExtractedConcept, Mention, Paper, PaperExtraction
from .canonical import concept_key
from .lexicon import Lexicon, fold, lexicon_for
from .shapes import is_acronym, is_name_token, singular

__all__ = ["Concepts", "assemble", "title_prefix", "choose_name"]

_CLASS_HEADS = {"scheme", "framework", "approach", "method", "technique", "strategy", "paradigm",
                "pipeline", "system", "mechanism", "algorithm", "module", "methodology", "formulation"}
_ROLE_ORDER = ("proposed", "compared", "used", "mentioned")
_SLOGAN_START = {"the", "a", "an", "towards", "toward", "from", "beyond", "on", "into", "inside", "when", "think",
                 "thinking", "let", "less", "more", "all", "every", "through", "scaling", "beyond", "rethinking",
                 "understanding", "learning", "teaching", "making", "unlocking", "bridging", "boosting"}
_VERBISH = re.compile(r"\b(is|are|can|do|does|make|makes|not|how|what|why|when|should|you|we|they|it)\b", re.I)


def title_prefix(title: str) -> tuple[int, int] | None:
    """Offsets of a name before the title's colon ("Klear-Reasoner: ..."), if it looks like one.

    Slogans are rejected: verbs and question words, a leading gerund, article or
    preposition ("Rethinking X", "The Y", "Towards Z"), commas and "report".
    """
    idx = title.find(":")
    if idx <= 0:
        return None
    prefix = title[:idx]
    start = len(prefix) - len(prefix.lstrip())
    text = prefix.strip()
    words = text.split()
    if not 1 <= len(words) <= 5 or _VERBISH.search(text) or "," in text:
        return None
    first = words[0].lower()
    if len(words) > 1 and (first.endswith("ing") or first in _SLOGAN_START or words[-1].lower() in ("report", "revisited")):
        return None
    if len(words) > 1 and not words[-1][:1].isupper() and not any(is_name_token(w) for w in words):
        return None
    return start, start + len(text)


def choose_name(forms: list[tuple[str, bool, str]]) -> str:
    """The canonical name among ``(text, plural, field)`` forms: fullest non-acronym form, singular.

    Abstract forms are preferred to title forms (titles are Title Cased).
    """
    full = [f for f in forms if not is_acronym(f[0])] or forms
    full.sort(key=lambda f: (f[2] != "abstract", -len(f[0].split()), -len(f[0]), f[1]))
    text, plural, _ = full[0]
    if plural or (is_acronym(text) and text.endswith("s") and text[-2:-1].isupper()):
        head, sep, last = text.rpartition(" ")
        text = head + sep + singular(last)
    return text


def _trimmed_alias(text: str) -> str | None:
    words = text.split()
    if len(words) >= 2 and singular(words[-1].lower()) in _CLASS_HEADS:
        return " ".join(words[:-1])
    return None


def assemble(paper: Paper, docs: dict[str, Doc], lex: Lexicon, *, min_confidence: float = 0.0) -> PaperExtraction:
    """Build one paper's extraction from its processed title and abstract docs."""
    texts = {"title": paper.title or "", "abstract": paper.abstract or ""}
    cands: list[tuple[str, dict]] = []
    pairs: list[tuple[str, str]] = []
    for fld, doc in docs.items():
        got = list(doc._.pg_candidates or [])
        spans = {(c["ts"], c["te"]): c for c in got}
        for ss, se, ls, le in doc._.pg_abbrevs or []:
            for a, b, rule in ((ss, se, "acronym"), (ls, le, "acronym-long")):
                if (a, b) not in spans:
                    c = {"s": doc[a].idx, "e": doc[b - 1].idx + len(doc[b - 1].text), "ts": a, "te": b,
                         "text": doc[a:b].text, "head": doc[b - 1].lemma_.lower(), "rules": [rule],
                         "conf": 0.75, "types": {}, "roles": {}, "name": rule == "acronym",
                         "plural": doc[b - 1].tag_ in ("NNS", "NNPS") and rule != "acronym", "sent": 0}
                    spans[(a, b)] = c
                    got.append(c)
                else:
                    spans[(a, b)]["conf"] = max(spans[(a, b)]["conf"], 0.75)
                    spans[(a, b)]["rules"].append(rule)
            pairs.append((spans[(ss, se)]["text"], spans[(ls, le)]["text"]))
        cands.extend((fld, c) for c in got)
    tp = title_prefix(texts["title"])
    if tp:
        s, e = tp
        cands = [(f, c) for f, c in cands if not (f == "title" and c["s"] >= s and c["e"] <= e)]
        named = len(texts["title"][s:e].split()) == 1 or texts["title"][s:e] in texts["abstract"]
        cands.append(("title", {"s": s, "e": e, "text": texts["title"][s:e], "rules": ["title-prefix"],
                                "conf": 0.75 if named else 0.4, "types": {}, "roles": {"proposed": 2.0}, "name": True,
                                "plural": False, "sent": 0}))

    # group surface forms
    parent: dict[str, str] = {}

    def find(k):
        parent.setdefault(k, k)
        while parent[k] != k:
            k = parent[k]
        return k

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[rb] = ra

    def key(text):
        canon = lex.alias_of.get(fold(text))
        return concept_key(canon if canon else text)

    for fld, c in cands:
        c["text"] = texts[fld][c["s"]:c["e"]]
        find(key(c["text"]))
    for short, long_ in pairs:
        union(key(long_), key(short))
    groups: dict[str, list] = defaultdict(list)
    for fld, c in cands:
        groups[find(key(c["text"]))].append((fld, c))

    concepts = []
    for members in groups.values():
        concepts.append(_concept(members, texts, docs, lex))
    concepts = [c for c in concepts if c.confidence >= min_confidence and fold(c.name) not in lex.never]
    return PaperExtraction(paper_id=paper.id, concepts=concepts)


def _concept(members, texts, docs, lex: Lexicon) -> ExtractedConcept:
    forms = [(c["text"], c.get("plural", False), f) for f, c in members]
    canon = lex.alias_of.get(fold(forms[0][0]))
    name = canon or choose_name(forms)
    aliases = []
    for text, _, _ in forms:
        if text != name and text not in aliases:
            aliases.append(text)
    for text in [name] + aliases:
        t = _trimmed_alias(text)
        if t and t not in aliases and t != name:
            aliases.append(t)
    types: dict[str, float] = defaultdict(float)
    roles: dict[str, float] = defaultdict(float)
    rules: list[str] = []
    for _, c in members:
        for t, v in c["types"].items():
            types[t] += v
        for r, v in c["roles"].items():
            roles[r] += v
        rules.extend(r for r in c["rules"] if r not in rules)
    for text in [name] + aliases:
        g = lex.gazetteer_type(text)
        if g:
            types[g] += 3.0
            if "gazetteer" not in rules:
                rules.append("gazetteer")
            break
    is_name = any(c.get("name") for _, c in members)
    if not types:
        if is_name and roles.get("proposed"):
            types["Method"] += 0.5
        elif is_name and any(ch.isdigit() for ch in name):
            types["Model"] += 0.5
        elif is_name and is_acronym(name):
            types["Method"] += 0.3
        else:
            types["Method"] += 0.2
    typ = max(CONCEPT_TYPES, key=lambda t: (types.get(t, 0.0), -CONCEPT_TYPES.index(t)))
    role = next((r for r in _ROLE_ORDER if roles.get(r)), "used")
    conf = max(c["conf"] for _, c in members)
    n_mentions = len({(f, c["s"]) for f, c in members})
    in_title = any(f == "title" for f, _ in members)
    conf = min(0.99, conf + 0.15 * min(2, n_mentions - 1) + 0.1 * in_title + (0.1 if roles else 0.0))
    first_f, first = min(members, key=lambda m: (m[0] != "title", m[1]["s"]))
    mentions = sorted({Mention(f, c["s"], c["e"], texts[f][c["s"]:c["e"]]) for f, c in members},
                      key=lambda m: (m.field != "title", m.start))
    return ExtractedConcept(
        name=name, type=typ, role=role, aliases=aliases, mentions=mentions, confidence=round(conf, 3),
        rules=rules, type_scores={k: round(v, 3) for k, v in types.items()},
        evidence=_sentence(docs.get(first_f), first["s"], texts.get(first_f, "")),
    )


def _sentence(doc: Doc | None, char: int, original: str) -> str:
    """The sentence of ``doc`` holding ``char``, in the paper's own characters (docs hold prepared text)."""
    if doc is None:
        return ""
    for sent in doc.sents:
        if sent.start_char <= char < sent.end_char:
            return original[sent.start_char:sent.end_char] if len(original) == len(doc.text) else sent.text
    return ""


class Concepts:
    """spaCy component that holds the assembly settings; :meth:`assemble` builds a paper's concepts."""

    def __init__(self, nlp: Language, name: str, *, vocab_path: str | None, min_confidence: float):
        if not 0.0 <= min_confidence <= 1.0:
            raise ValueError(f"min_confidence must be within [0, 1], got {min_confidence}")
        self.name = name
        self.vocab_path = vocab_path
        self.min_confidence = min_confidence

    def __call__(self, doc: Doc) -> Doc:
        return doc

    def assemble(self, paper: Paper, docs: dict[str, Doc]) -> PaperExtraction:
        """One paper's :class:`PaperExtraction` from its ``{"title": doc, "abstract": doc}``."""
        return assemble(paper, docs, lexicon_for(self.vocab_path), min_confidence=self.min_confidence)


@Language.factory("papergraph_concepts", default_config={"vocab_path": None, "min_confidence": 0.5})
def make_concepts(nlp: Language, name: str, vocab_path: str | None, min_confidence: float) -> Concepts:
    """Factory of the assembly component (see :func:`assemble`)."""
    return Concepts(nlp, name, vocab_path=vocab_path, min_confidence=min_confidence)
