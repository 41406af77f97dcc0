"""Per-paper assembly: candidates of the title and abstract docs -> one concept per real concept.

Every surface form of a concept (acronym, plural, spelling variant, user alias) is folded
into one :class:`~papergraph.model.ExtractedConcept` with aliases; types are voted from the
evidence of all its mentions; the role is the strongest cue (proposed > compared > used);
confidence grows with the rules that fired and the number of mentions.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict

from spacy.language import Language
from spacy.tokens import Doc

from ..model import CONCEPT_TYPES, ExtractedConcept, Mention, Paper, PaperExtraction
from .canonical import concept_key
from .lexicon import Lexicon, fold, lexicon_for
from .shapes import MODEL_HEADS, bad_name, is_acronym, is_name_token, singular
from .tokens import TokenColumns, doc_text

__all__ = ["Concepts", "assemble", "title_prefix", "choose_name", "own_work_start"]

CLASS_HEADS = {"scheme", "framework", "approach", "method", "technique", "strategy", "paradigm",
                "pipeline", "system", "mechanism", "algorithm", "module", "methodology", "formulation"}
ROLE_ORDER = ("proposed", "compared", "used", "mentioned")
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
    if len(forms) == 1:  # (most chunk candidates)
        text, plural, _ = forms[0]
    else:
        full = [f for f in forms if not is_acronym(f[0])] or forms
        full.sort(key=lambda f: (f[2] != "abstract", -len(f[0].split()), -len(f[0]), f[1]))
        text, plural, _ = full[0]
    if plural or (is_acronym(text) and text.endswith("s") and text[-2:-1].isupper()):
        head, sep, last = text.rpartition(" ")
        text = head + sep + singular(last)
    return text


# Names shaped like benchmarks: "Sys2Bench", "AlpacaEval", "ScienceQA", "X Arena", "X Challenge v2".
_BENCHMARK_SHAPE = re.compile(
    r"(?:\w(?:Bench|bench|BENCH|Eval|EVAL|QA|Arena|Gym)|[A-Z]\w* (?:Challenge|Competition|Leaderboard|Arena|"
    r"Benchmark|Dataset|Corpus))(?:[-\s]?(?:v?\d+(?:\.\d+)*|Lite|Hard|Pro|Verified|Plus|\+))?$")
_FAMILY_BREAK = re.compile(r"[-\s]")
_DATA_SIZE = re.compile(r"[-\s]\d+(?:\.\d+)?[KkM]$")
_METRIC_SHAPE = re.compile(r"^[A-Za-z]+@(?:\d+|[kKnN])$")
_MEANS = re.compile(r"\b(?:via|by|through)\s+(?:an?\s+|the\s+)?$", re.I)


def _title_means(title: str, cands: list, lex: Lexicon, *, after_name: int | None) -> None:
    """Mark title phrases the paper proposes: the means ("... via X", "... by X") and, after a
    name prefix, the phrase right after the colon ("AutoReP: Automatic ReLU Replacement ...")."""
    has_means = any(_MEANS.search(title[:c["s"]]) for fld, c in cands if fld == "title")
    for fld, c in cands:
        if fld != "title" or "title-prefix" in c["rules"]:
            continue
        before = title[:c["s"]]
        if _MEANS.search(before):
            rule = "title-means"
        elif after_name is not None and not has_means and not lex.gazetteer_type(c["text"]) and re.fullmatch(r"\s*:\s*(?:an?\s+|the\s+)?", title[after_name:c["s"]]):
            rule = "title-subtitle"
        else:
            continue
        c["roles"]["proposed"] = c["roles"].get("proposed", 0.0) + 1.0
        c["rules"].append(f"role:{rule}")


_FUNCTION_WORDS = {"for", "as", "of", "in", "on", "with", "over", "under", "from", "to", "by", "and", "or", "via"}


def _prefix_strength(prefix: str, abstract: str, lex: Lexicon) -> int:
    """How much a title prefix looks like the paper's name for its contribution: 2 named, 1 plausible, 0 slogan.

    Named: one word, a name-shaped word ("Hogwild!", "DEL-ToM") or repeated in the abstract.
    Plausible: a plain noun phrase whose head is a concept head ("Adaptive Inference-Time Compute").
    Otherwise a slogan ("Large Language Monkeys", "Language Models as Compilers").
    """
    words = prefix.split()
    if len(words) == 1 or any(is_name_token(w.strip("!?.")) for w in words) or prefix.lower() in abstract.lower():
        return 2
    last = singular(words[-1].lower())
    if not _FUNCTION_WORDS & {w.lower() for w in words} and (
        lex.head_types(last) or last in lex.standalone or last.split("-")[-1] in lex.standalone
    ):
        return 1
    return 0


def _short_references(cands: list, lex: Lexicon) -> list[tuple[str, str]]:
    """Short forms that refer back to a fuller model name of the same paper.

    "R1" after "DeepSeek R1" (the name's last word), and "the DeepSeek model" after
    "DeepSeek-V2-Coder" (a family name used as "<name> model" when one member is named).
    """
    texts = {c["text"] for _, c in cands}
    names = sorted({c["text"] for _, c in cands if (c.get("name") or "gazetteer" in c["rules"])
                    and (" " in c["text"] or "-" in c["text"])})
    # an acronym the paper defines stands for its long form, not for a name it starts
    # ("root cause analysis (RCA)" and "RCA Copilot")
    defined = {c["text"] for _, c in cands if "acronym" in c["rules"]}
    out = []
    for _, c in cands:
        t = c["text"]
        if " " in t or not is_name_token(t) or t in defined:
            continue
        if "name+class" in c["rules"]:
            longer = [n for n in names if n != t and re.match(re.escape(t) + r"[-\s]?\d*[-\s.]?\w", n)
                      and n.startswith(t)]
            if len(longer) == 1 and sum(x == t for x in texts) == 1:
                out.append((t, longer[0]))
                continue
        tail = [n for n in names if n.endswith(" " + t) and len(n.split()) == 2 and n[:1].isupper()
                and (lex.gazetteer_type(n) == "Model" or is_name_token(n.split()[0]))]
        if len(tail) == 1:
            out.append((t, tail[0]))
    return out


def _shortened_mentions(cands: list) -> list[tuple[str, str]]:
    """A phrase repeated later without its first modifiers: "test-time collaborative inference
    framework ... during collaborative inference" (abstract only; two words or more). A name found
    only inside the phrase ("Bayesian inference" in "closed-form Bayesian inference") is no repetition."""
    first: dict[str, tuple[int, int, str]] = {}
    last: dict[str, int] = {}
    for fld, c in cands:
        if fld == "abstract" and "acronym" not in c["rules"]:
            low = c["text"].lower()
            if low not in first or c["s"] < first[low][0]:
                first[low] = (c["s"], c["e"], c["text"])
            last[low] = max(last.get(low, -1), c["s"])
    by_suffix: dict[str, list[str]] = {}  # "b c" -> the phrases ending with " b c", in order
    for other in first:
        k = other.find(" ")
        while k >= 0:
            by_suffix.setdefault(other[k + 1:], []).append(other)
            k = other.find(" ", k + 1)
    out = []
    for low, (_, _, text) in first.items():
        if len(low.split()) < 2:
            continue
        longer = [first[other] for other in by_suffix.get(low, ())  # named again after it, not only inside it
                  if first[other][1] <= last[low] and not _FUNCTION_WORDS & set(other.split())]
        if len(longer) == 1:
            out.append((text, longer[0][2]))
    return out


_WORD_BREAK = re.compile(r"[\s-]+")


def _initials(text: str) -> str:
    return "".join(w[0] for w in _WORD_BREAK.split(text) if w and w[0].isalnum()).lower()


def _undefined_acronyms(cands: list) -> list[tuple[str, str]]:
    """An acronym used without a "(...)" definition whose letters are the initials of exactly one
    phrase of the paper: "PSRT" ~ "Prefilled Safe Reasoning Trace", "TwT" ~ "Thinking without Tokens"."""
    acronyms = []
    for _, c in cands:
        t = c["text"]
        letters = t[:-1] if t.endswith("s") and t[-2:-1].isupper() else t
        if " " in t or not 2 < len(letters) <= 8 or not letters.isalpha() or sum(ch.isupper() for ch in letters) < 2:
            continue
        acronyms.append((t, letters))
    firsts = {letters[:1].lower() for _, letters in acronyms}
    phrases: dict[str, set[str]] = {}
    for _, c in cands:
        if c["text"][:1].lower() not in firsts:
            continue  # cannot match: a phrase's first letter must be its acronym's
        words = _WORD_BREAK.split(c["text"])
        if len(words) >= 2 and not is_acronym(c["text"]):
            for t in {c["text"], " ".join(words[:-1]) + " " + singular(words[-1])}:
                phrases.setdefault(_initials(t), set()).add(c["text"])
    out = []
    for t, letters in acronyms:
        hits = {h for h in phrases.get(letters.lower(), ()) if h[:1].lower() == letters[:1].lower()}
        if len({h.lower().rstrip("s") for h in hits}) == 1:
            out.append((t, sorted(hits)[0]))
    return out


def class_stem(text: str, heads=CLASS_HEADS) -> str | None:
    """``text`` without its last word when that word is a class head ("ASTRO framework" -> "ASTRO")."""
    words = text.split()
    if len(words) >= 2 and singular(words[-1].lower()) in heads:
        return " ".join(words[:-1])
    return None


def assemble(paper: Paper, docs: dict[str, Doc], lex: Lexicon, *, min_confidence: float = 0.0) -> PaperExtraction:
    """Build one paper's extraction from its processed title and abstract docs."""
    texts = {"title": paper.title or "", "abstract": paper.abstract or ""}
    cands: list[tuple[str, dict]] = []
    pairs: list[tuple[str, str]] = []
    fuller: dict[str, str] = {}
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
            nxt = doc[se + 1] if se + 1 < len(doc) and doc[se].text == ")" else None
            if nxt is not None and nxt.pos_ in ("NOUN", "VERB") and nxt.text.islower() and (
                    lex.head_types(nxt.lemma_.lower()) or nxt.lower_ in lex.standalone) and \
                    singular(doc[le - 1].lower_) not in MODEL_HEADS:
                # "Chain-of-Thought (CoT) prompting": the concept's fullest form continues after the acronym
                # (not after a model: "large language model (LLM) reasoning" is what the model does)
                fuller[fold(spans[(ls, le)]["text"])] = f"{spans[(ls, le)]['text']} {nxt.text}"
        # a defined long form supersedes its own tail ("Large Language Models (LLMs)": not "Language Models")
        tails = {(ls, le) for _, _, ls, le in doc._.pg_abbrevs or []}
        got = [c for c in got if not any(ls < c["ts"] and c["te"] == le for ls, le in tails)]
        cands.extend((fld, c) for c in got)
    tp = title_prefix(texts["title"])
    strength = _prefix_strength(texts["title"][tp[0]:tp[1]], texts["abstract"], lex) if tp else 0
    if strength:
        s, e = tp
        cands = [(f, c) for f, c in cands if not (f == "title" and c["s"] >= s and c["e"] <= e)]
        named = strength > 1
        cands.append(("title", {"s": s, "e": e, "text": texts["title"][s:e], "rules": ["title-prefix"],
                                "conf": 0.75 if named else 0.4, "types": {}, "roles": {"proposed": 2.0}, "name": True,
                                "plural": False, "sent": 0}))

    _title_means(texts["title"], cands, lex, after_name=tp[1] if strength else None)
    cands = [(f, c) for f, c in cands if not bad_name(texts[f][c["s"]:c["e"]])]  # title prefixes, long forms too

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

    keys: dict[str, str] = {}

    def key(text):
        k = keys.get(text)
        if k is None:
            canon = lex.alias_of.get(fold(text))
            k = keys[text] = concept_key(canon if canon else text)
        return k

    for fld, c in cands:
        c["text"] = texts[fld][c["s"]:c["e"]]
        find(key(c["text"]))
    for short, long_ in pairs:
        union(key(long_), key(short))
    for short, long_ in _short_references(cands, lex):
        union(key(long_), key(short))
    for short, long_ in _shortened_mentions(cands):
        union(key(long_), key(short))
    for short, long_ in _undefined_acronyms(cands):
        union(key(long_), key(short))
    groups: dict[str, list] = defaultdict(list)
    for fld, c in cands:
        groups[find(key(c["text"]))].append((fld, c))

    background_end = own_work_start(docs.get("abstract"))
    sentences = {fld: _sentence_spans(doc) for fld, doc in docs.items() if doc is not None}
    concepts = []
    for members in groups.values():
        conf = _confidence(members)
        if conf >= min_confidence:  # (not built only to be dropped)
            concepts.append(_concept(members, texts, sentences, lex, fuller, background_end, confidence=conf))
    concepts = [c for c in concepts if fold(c.name) not in lex.never and not bad_name(c.name)]
    return PaperExtraction(paper_id=paper.id, concepts=concepts)


def _confidence(members) -> float:
    """A concept's confidence: its best rule, raised by more mentions, a title mention and role cues."""
    conf = max(c["conf"] for _, c in members)
    n_mentions = len({(f, c["s"]) for f, c in members})
    in_title = any(f == "title" for f, _ in members)
    has_roles = any(c["roles"] for _, c in members)
    return round(min(0.99, conf + 0.15 * min(2, n_mentions - 1) + 0.1 * in_title + (0.1 if has_roles else 0.0)), 3)


def _concept(members, texts, sentences, lex: Lexicon, fuller: dict[str, str] | None = None,
             background_end: int = 0, *, confidence: float) -> ExtractedConcept:
    forms = [(c["text"], c.get("plural", False), f) for f, c in members]
    canon = lex.alias_of.get(fold(forms[0][0]))
    name = canon or choose_name(forms)
    long_form = next((fuller[fold(t)] for t, _, _ in forms if fold(t) in fuller), None) if fuller else None
    if long_form and not canon and fold(long_form) != fold(name):
        forms.append((name, False, "abstract"))
        name = long_form
    aliases = []
    for text, _, _ in forms:
        if text != name and text not in aliases:
            aliases.append(text)
    for text in [name] + aliases:
        t = class_stem(text)
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
    family = _FAMILY_BREAK.split(name, maxsplit=1)[0]
    if is_name and family != name and lex.gazetteer_type(family) == "Model" and not types.get("Benchmark", 0) > 1:
        types["Model"] += 1.0  # a member of a known model family: "Qwen-Math", "Llama-3-8B"
        rules.append("family")
    if _METRIC_SHAPE.match(name):
        types["Metric"] += 2.0  # "pass@16", "Hit@10", "maj@8"
        rules.append("shape:metric")
    if _BENCHMARK_SHAPE.search(name) and (is_name_token(name.split()[0]) or len(name.split()) > 1):
        types["Benchmark"] += 1.5
        rules.append("shape:benchmark")
    elif is_name and _DATA_SIZE.search(name) and "family" not in rules:
        types["Benchmark"] += 1.5  # a count of examples: "MCoT-Instruct-287K", "Git-10M" (models count parameters in B)
        rules.append("shape:data-size")
    if not types:
        if is_name and roles.get("proposed"):
            types["Method"] += 0.5
        elif is_name and any(ch.isdigit() for ch in name):
            types["Model"] += 0.5
        elif is_name and is_acronym(name):
            types["Method"] += 0.3
        else:
            types["Method"] += 0.2
    top = max(types.get(t, 0.0) for t in CONCEPT_TYPES)  # the first type in CONCEPT_TYPES order with the top score
    typ = next(t for t in CONCEPT_TYPES if types.get(t, 0.0) == top)
    role = next((r for r in ROLE_ORDER if roles.get(r)), "used")
    if role == "proposed" and "gazetteer" in rules and "title-prefix" not in rules:
        role = "used"  # a widely known name is not what this paper proposes ("we propose a speculative decoding method")
    if role == "used" and not roles and _background_only(members, texts["abstract"], background_end, typ):
        role = "mentioned"
        rules.append("role:background")
    first_f, first = min(members, key=lambda m: (m[0] != "title", m[1]["s"]))
    mentions = sorted({Mention(f, c["s"], c["e"], texts[f][c["s"]:c["e"]]) for f, c in members},
                      key=lambda m: (m.field != "title", m.start, m.end, m.text))
    return ExtractedConcept(
        name=name, type=typ, role=role, aliases=aliases, mentions=mentions, confidence=confidence,
        rules=rules, type_scores={k: round(v, 3) for k, v in types.items()},
        evidence=_sentence(sentences.get(first_f), first["s"], texts.get(first_f, "")),
    )


_OWN_NOUNS = {"paper", "work", "study", "article", "survey", "report", "whitepaper", "note", "thesis"}
_EXAMPLE = re.compile(r"(?:\bsuch as|\be\.g\.,?|\blike|\bincluding)\s+(?:the\s+)?"
                      r"(?:[^,;:.()]{1,40}?(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+))?$", re.I)


def own_work_start(doc: Doc | None) -> int:
    """Character offset of the abstract's first sentence about the paper's own work ("we ...",
    "our ...", "this paper ...", "Here, ..."); the sentences before it set the background."""
    if doc is None or not len(doc):
        return 0
    toks = TokenColumns.of(doc)  # (no Token objects)
    lower, lemma = toks.lower, toks.lemma
    for s0, s1 in toks.sents:
        for i in range(s0, s1):
            low = lower[i]
            if low in ("we", "our", "us") or (i == s0 and low == "here"):
                return toks.idx[s0]
            if low in ("this", "the", "present") and i + 1 < s1 and lemma[i + 1] in _OWN_NOUNS \
                    and (low != "the" or (i + 2 < s1 and lower[i + 2] == "presents")):
                return toks.idx[s0]
    return toks.idx[-1] + len(toks.text[-1])


def _background_only(members, abstract: str, background_end: int, typ: str) -> bool:
    """A concept named as background only: every mention lies in the abstract's context-setting
    sentences (before the paper's own work is described) and it is a model named there, or an
    example of a class ("models such as X", "e.g., X")."""
    if not all(f == "abstract" and c["s"] < background_end for f, c in members):
        return False
    return typ == "Model" or any(_EXAMPLE.search(abstract[max(0, c["s"] - 60):c["s"]]) for _, c in members)


def _sentence_spans(doc: Doc) -> tuple[list[int], list[int], str]:
    """A doc's sentence start and end characters and its text, for :func:`_sentence`."""
    spans = doc._.pg_sents if Doc.has_extension("pg_sents") else None
    if spans is None:
        spans = [(s.start_char, s.end_char) for s in doc.sents] if len(doc) else []
    return [s for s, _ in spans], [e for _, e in spans], doc_text(doc)


def _sentence(sentences: tuple[list[int], list[int], str] | None, char: int, original: str) -> str:
    """The sentence holding ``char`` (``sentences`` from :func:`_sentence_spans`), in the paper's
    own characters (docs hold prepared text); "" between sentences."""
    if sentences is None:
        return ""
    starts, ends, text = sentences
    k = bisect.bisect_right(starts, char) - 1  # the last sentence starting at or before it
    if k < 0 or char >= ends[k]:
        return ""
    return original[starts[k]:ends[k]] if len(original) == len(text) else text[starts[k]:ends[k]]


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

    def assemble(self, paper: Paper, docs: dict[str, Doc], *, min_confidence: float | None = None) -> PaperExtraction:
        """One paper's :class:`PaperExtraction` from its ``{"title": doc, "abstract": doc}``
        (``min_confidence``: this call's threshold instead of the component's)."""
        mc = self.min_confidence if min_confidence is None else min_confidence
        return assemble(paper, docs, lexicon_for(self.vocab_path), min_confidence=mc)


@Language.factory("papergraph_concepts", default_config={"vocab_path": None, "min_confidence": 0.5})
def make_concepts(nlp: Language, name: str, vocab_path: str | None, min_confidence: float) -> Concepts:
    """Factory of the assembly component (see :func:`assemble`)."""
    return Concepts(nlp, name, vocab_path=vocab_path, min_confidence=min_confidence)
