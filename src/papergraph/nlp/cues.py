"""Context cues for each candidate: its role in the paper and evidence for its type.

Roles come from the verb or preposition that governs the candidate's head in the
dependency tree ("we propose X", "outperforms X", "compared with X", "we fine-tune X",
"evaluated on X"); types from appositions ("X, a benchmark of ..."), "N% accuracy",
"on X" after evaluation verbs, size suffixes ("-7B") and the like.
"""

from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc, Token

from .tokens import TokenColumns

__all__ = ["Cues", "governor", "role_cue", "type_cues"]

PROPOSE = {"propose", "introduce", "present", "develop", "design", "devise", "contribute", "release",
           "build", "create", "construct", "curate", "establish", "formulate", "offer", "unveil", "open-source"}
COMPARE_VERBS = {"outperform", "surpass", "beat", "exceed", "outpace", "outstrip", "rival", "match", "overtake"}
COMPARE_PREPS = {"than", "against", "versus", "vs.", "vs", "over"}
USE = {"use", "utilize", "utilise", "employ", "apply", "leverage", "adopt", "fine-tune", "finetune", "train",
       "evaluate", "test", "benchmark", "extend", "incorporate", "integrate", "combine", "adapt", "exploit",
       "distill", "prompt", "run", "deploy", "study", "analyze", "analyse", "investigate", "examine",
       "experiment", "conduct", "rely", "base", "follow", "compute", "measure", "achieve", "improve"}
EVAL_VERBS = {"evaluate", "test", "benchmark", "experiment", "achieve", "score", "perform", "reach",
              "attain", "validate", "demonstrate", "show", "obtain", "outperform", "surpass", "improve",
              "assess", "conduct", "set", "establish", "report", "yield"}
_TYPE_WORDS = {
    "benchmark": "Benchmark", "dataset": "Benchmark", "corpus": "Benchmark", "suite": "Benchmark",
    "testbed": "Benchmark", "collection": "Benchmark",
    "model": "Model", "llm": "Model", "lm": "Model", "vlm": "Model", "mllm": "Model", "lrm": "Model",
    "reasoner": "Model", "network": "Model", "agent": "Model", "assistant": "Model", "chatbot": "Model",
    "framework": "Method", "method": "Method", "approach": "Method", "algorithm": "Method",
    "technique": "Method", "strategy": "Method", "system": "Method", "pipeline": "Method",
    "paradigm": "Method", "scheme": "Method", "mechanism": "Method", "architecture": "Method",
    "metric": "Metric", "measure": "Metric", "score": "Metric",
    "task": "Task", "problem": "Task",
}
_SIZE_SUFFIX = re.compile(r"(?:[-_ ]\d+(?:\.\d+)?[BMbm]\b|[-_ ](?:Instruct|Chat|Base|Coder|Turbo|mini|Preview)\b)")
_SIZE_END = re.compile(r"\d+(?:\.\d+)?[BM]$")
_AT_CUTOFF = re.compile(r"[A-Za-z]@(?:\d+|[kKnN])(?![A-Za-z0-9])")  # "pass@1", "Recall@10", "NDCG@k"
_BENCH_NAME = re.compile(r"(?<=[A-Za-z0-9])(?:Bench|Eval)(?![a-z])|(?<=[a-z0-9])QA(?![a-z])|(?:^|[-_ ])(?:Bench|Benchmark|Dataset|Corpus)(?![a-z])")
_PCT = re.compile(r"^\d+\.\d+$|^\d+(?:\.\d+)?%$")  # "71.27 accuracy", "71% accuracy"; not a count ("8 methods")


def governor(tok: Token) -> tuple[Token | None, str]:
    """The word governing ``tok``'s phrase and how: ("verb", "dobj"), ("prep-word", "pobj") ...

    Conjuncts and appositions inherit the governor of their first conjunct.
    """
    while tok.dep_ in ("conj", "appos") and tok.head is not tok:
        tok = tok.head
    if tok.dep_ == "pobj":
        return tok.head, "pobj"
    if tok.dep_ in ("dobj", "nsubjpass", "attr", "oprd", "nsubj", "dative"):
        return tok.head, tok.dep_
    if tok.dep_ == "compound" and tok.head.dep_ in ("dobj", "pobj", "nsubjpass"):
        return governor(tok.head)
    return None, tok.dep_


def _has_we_subject(verb: Token) -> bool:
    for v in (verb, verb.head if verb.dep_ in ("conj", "xcomp", "advcl") else verb):
        for c in v.children:
            if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in ("we", "paper", "work", "study", "i"):
                return True
            if c.dep_ == "nsubj" and any(x.lower_ in ("this", "our") for x in c.children):
                return True
    return False


def _subject_is_name(verb: Token) -> bool:
    """True when the verb's subject is a proper name ("AutoReP introduces X"): the paper's own system."""
    return any(c.dep_ == "nsubj" and c.pos_ == "PROPN" and c.text[:1].isupper() and c.i > 0
               for c in verb.children)


def _proposed_object(tok: Token) -> tuple[str | None, str]:
    """"we propose the "X" paradigm", "we propose A, a ..., and B": climb modifiers and
    conjuncts to an object of a proposing verb with "we" as subject."""
    t = tok
    for _ in range(6):
        if t.dep_ in ("dobj", "nsubjpass", "attr", "oprd"):
            if t.head.lemma_.lower() in PROPOSE and (_has_we_subject(t.head) or t.dep_ == "nsubjpass"):
                return "proposed", f"we-{t.head.lemma_.lower()}"
            return None, ""
        if t.dep_ not in ("compound", "amod", "nmod", "conj", "appos", "npadvmod") or t.head is t:
            return None, ""
        t = t.head
    return None, ""


def role_cue(tok: Token, *, gov: tuple[Token | None, str] | None = None) -> tuple[str | None, str]:
    """The role the context of head token ``tok`` suggests, and the rule name.

    ``gov`` is ``governor(tok)`` when the caller has it already.
    """
    gov, rel = gov or governor(tok)
    if gov is None:
        return _proposed_object(tok)
    lemma = gov.lemma_.lower()
    if rel == "pobj":
        prep = gov.lower_
        if prep in COMPARE_PREPS and prep != "over" or (prep == "over" and gov.head.lemma_ in ("improvement", "gain", "advantage", "outperform", "improve")):
            return "compared", f"prep:{prep}"
        if prep in ("with", "to") and gov.head.lemma_.lower() in ("compare", "comparison", "relative"):
            return "compared", "compared-with"
        verb = gov.head
        if verb.lemma_.lower() in USE or verb.lemma_.lower() in EVAL_VERBS:
            return "used", f"{verb.lemma_.lower()}-{prep}"
        return None, ""
    if lemma in PROPOSE and (_has_we_subject(gov) or rel == "nsubjpass"):
        return "proposed", f"we-{lemma}"
    if lemma in PROPOSE and rel == "dobj" and _subject_is_name(gov):
        return "proposed", f"name-{lemma}"
    if lemma in COMPARE_VERBS and rel in ("dobj",):
        return "compared", f"{lemma}-obj"
    if lemma in USE and rel in ("dobj", "nsubjpass"):
        return "used", f"{lemma}-obj"
    return None, ""


def type_cues(tok: Token, span_text: str, start: int, *,
              gov: tuple[Token | None, str] | None = None) -> dict[str, float]:
    """Type evidence from the context of head token ``tok`` and the phrase's own shape
    (``gov``: ``governor(tok)`` when the caller has it already)."""
    scores: dict[str, float] = {}
    doc = tok.doc
    # "X, a (novel) benchmark ..." / "X, an LLM ..." : apposition with a type word head
    for c in tok.children:
        if c.dep_ == "appos" and c.lemma_.lower() in _TYPE_WORDS:
            _add(scores, _TYPE_WORDS[c.lemma_.lower()], 2.0)
    if tok.dep_ == "appos" and tok.head.lemma_.lower() in _TYPE_WORDS:
        _add(scores, _TYPE_WORDS[tok.head.lemma_.lower()], 1.0)
    # "the GSM8K benchmark", "the Llama model"
    if tok.dep_ in ("compound", "nmod") and tok.head.lemma_.lower() in _TYPE_WORDS:
        _add(scores, _TYPE_WORDS[tok.head.lemma_.lower()], 2.0)
    # "such as X" after "benchmarks"/"models"
    gov, rel = gov or governor(tok)
    if gov is not None and rel == "pobj":
        if gov.lower_ == "as" and gov.head.lemma_.lower() in ("such",) and gov.head.head is not None:
            word = gov.head.head.lemma_.lower()
            if word in _TYPE_WORDS:
                _add(scores, _TYPE_WORDS[word], 1.5)
        if gov.lower_ == "as" and gov.head.lemma_.lower() in _TYPE_WORDS:
            _add(scores, _TYPE_WORDS[gov.head.lemma_.lower()], 1.5)
        if gov.lower_ in ("including", "like", "include") and gov.head.lemma_.lower() in _TYPE_WORDS:
            _add(scores, _TYPE_WORDS[gov.head.lemma_.lower()], 1.5)  # "coding benchmarks, including X"
        if gov.lower_ in ("on", "across") and (gov.head.lemma_.lower() in EVAL_VERBS or gov.head.pos_ in ("NOUN", "NUM")):
            _add(scores, "Benchmark", 0.9)  # below a head noun's 1.0: "evaluated on jailbreak methods"
    if gov is not None and rel == "dobj" and gov.lemma_.lower() in ("fine-tune", "finetune", "prompt", "distill"):
        _add(scores, "Model", 1.0)
    # "the accompanying dataset (X)", "two datasets (A and B)": a type word right before the bracket
    word = _bracketed_after(doc, start)
    if word in _TYPE_WORDS:
        _add(scores, _TYPE_WORDS[word], 1.5)
    # "71.27% accuracy", "accuracy of 71%"
    left = doc[start - 1] if start > 0 else None
    if left is not None and (left.text == "%" or _PCT.match(left.text)):
        _add(scores, "Metric", 1.5)
    # "MT-Bench", "HumanEval", "HotpotQA", "X Benchmark": the name says benchmark
    if start <= tok.i and _BENCH_NAME.search(TokenColumns.of(doc).span_text(start, tok.i + 1)):  # up to the head: not "A scores QuillBench"
        _add(scores, "Benchmark", 2.0)
    # "pass@1", "Recall@10", "NDCG@k": a measure at a cut-off
    if _AT_CUTOFF.search(span_text):
        _add(scores, "Metric", 2.0)
    # a size suffix ("-7B", "-Instruct") says model unless a type word named the thing ("the Git-10M dataset")
    if (_SIZE_SUFFIX.search(span_text) or _SIZE_END.search(span_text)) and "Benchmark" not in scores:
        _add(scores, "Model", 2.0)
    return scores


def _bracketed_after(doc: Doc, start: int) -> str:
    """The lemma of the word before "(" when the phrase at ``start`` is listed in a bracket opened
    right after it ("dataset (X)", "datasets (A, B and C)"), else ""."""
    toks = TokenColumns.of(doc)  # (made by the candidate component: no Token objects)
    text, pos = toks.text, toks.pos
    k = start - 1
    while k >= 0 and start - k <= 16 and text[k] != "(" and (
            text[k] in (",", "-", "/", "&", "and", "or", "of", "the", "a", "an") or pos[k] in ("PROPN", "NOUN", "NUM", "X", "ADJ", "SYM")):
        k -= 1
    if k < 1 or text[k] != "(":
        return ""
    return toks.lemma[k - 1]


def _title_cased(doc: Doc) -> bool:
    """True for a Title Cased text (most words of four letters or more capitalised)."""
    if len(doc) > 60:
        return False
    words = [t.text for t in doc if t.is_alpha and len(t.text) >= 4]
    return len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words)


def _plain_capitalised(word: str) -> bool:
    return word.isalpha() and word[:1].isupper() and word[1:].islower()


def _add(d: dict, k: str, v: float) -> None:
    d[k] = d.get(k, 0.0) + v


class Cues:
    """spaCy component: add ``roles`` and context ``types`` to each candidate in ``doc._.pg_candidates``."""

    def __init__(self, nlp: Language, name: str):
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        cands = doc._.pg_candidates or []
        sent_starts = [s.start for s in doc.sents]
        title_case = _title_cased(doc)
        toks = TokenColumns.of(doc) if cands else None
        for c in cands:
            if title_case and c["te"] - c["ts"] == 1 and _plain_capitalised(doc[c["ts"]].text):
                c["rules"].append("title-case-word")  # "Occam's Razor: ...": capitals say nothing here
            # "Llama 3": the name, not its number (the span's root, from the columns)
            tok = doc[toks.root(c["ts"], c["te"])] if c["te"] > c["ts"] else doc[c["ts"]:c["te"]].root
            gov = governor(tok)
            role, rule = role_cue(tok, gov=gov)
            if role:
                c["roles"][role] = c["roles"].get(role, 0.0) + 1.0
                c["rules"].append(f"role:{rule}")
            if _our_apposition(tok):
                c["roles"]["proposed"] = c["roles"].get("proposed", 0.0) + 1.0
                c["rules"].append("role:our-appos")
            if _named_before(doc, c["ts"]):
                c["roles"]["proposed"] = c["roles"].get("proposed", 0.0) + 1.0
                c["rules"].append("role:called")
            for t, v in type_cues(tok, c["text"], c["ts"], gov=gov).items():
                c["types"][t] = c["types"].get(t, 0.0) + v
            c["sent"] = _sent_index(sent_starts, c["ts"])
        return doc


_NAMING = {"namely", "called", "named", "dubbed", "termed", "coined", "name", "call", "term", "dub", "known",
           "referred", "denoted"}


def _named_before(doc: Doc, start: int) -> bool:
    """True after "called X", "known as X", "we name as the X", "referred to as X", "namely X", "our X"."""
    k = start - 1
    while k >= 0 and _skipped_before_name(doc[k]):
        k -= 1
    if k < 0:
        return False
    low = doc[k].lower_
    if low == "our":
        return True
    if low == "as" and k > 0:
        k -= 1
        low = doc[k].lower_
        if low == "to" and k > 0:
            k -= 1
            low = doc[k].lower_
    return low in _NAMING


def _skipped_before_name(tok: Token) -> bool:
    """Words between a naming word and the name: "called the X", "we call this X", "dubbed: X"."""
    return tok.lower_ in _BEFORE_NAME or tok.is_quote


_BEFORE_NAME = {"the", "a", "an", '"', "“", "``", "'", "this", "it", "them", "these", ":"}  # not "namely": a naming word


def _our_apposition(tok: Token) -> bool:
    """True for "X, our ..." and "our ..., X,": an apposition that says the paper's own."""
    if tok.dep_ == "appos" and any(c.lower_ == "our" for c in tok.head.children):
        return True
    return any(c.dep_ == "appos" and any(g.lower_ == "our" for g in c.children) for c in tok.children)


def _sent_index(starts: list[int], i: int) -> int:
    return max(0, bisect.bisect_right(starts, i) - 1)


@Language.factory("papergraph_cues", default_config={})
def make_cues(nlp: Language, name: str) -> Cues:
    """Factory of the role/type cue component."""
    return Cues(nlp, name)
