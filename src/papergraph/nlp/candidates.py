"""Candidate concept phrases: a word-group chunker over POS tags, trimmed and filtered.

The chunker groups glued tokens into words ("Chain-of-Thought", "Llama-3.1-8B"), takes
maximal runs of adjective/noun words, drops leading determiners and evaluative adjectives
("a novel"), splits at possessives, and keeps a phrase when its head noun makes it a
concept (``lexicon.toml``), it is a known name (gazetteer) or it is shaped like a name.
Generic heads ("the ASTRO framework") keep only their name part.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from .lexicon import Lexicon, fold, lexicon_for
from .shapes import is_acronym, is_name_token, is_size, is_version, singular, word_groups

__all__ = ["Candidates", "chunk_words", "classify_word", "new_candidate", "select_phrase"]

_STOP_POS = {"DET", "PRON", "ADP", "CCONJ", "SCONJ", "AUX", "PART", "PUNCT", "SYM", "INTJ", "X", "SPACE"}
_QTY = re.compile(r"^[~<>≈]?\d+(?:[.,]\d+)*(?:[BMKTbmkt]|[xX×]|GB|MB|TB|ms|s|h|k|K)?\+?%?$")
_ADJ_SUFFIX = frozenset(
    "like based driven guided friendly formatted assisted generated style level specific free aware "
    "augmented enhanced powered centric oriented inspired derived scale agnostic dependent intensive "
    "efficient heavy only native ready compatible constrained conditioned grounded informed equipped".split()
)
_AFFIX_BASED = ("-based", "-driven", "-guided", "-powered", "-augmented", "-enhanced", "-aware")


def new_candidate(doc: Doc, start: int, end: int, *, rule: str, conf: float, types: dict | None = None,
                  name: bool = False) -> dict:
    """A plain, picklable candidate record for tokens ``doc[start:end]``."""
    span = doc[start:end]
    return {
        "s": span.start_char, "e": span.end_char, "text": span.text, "ts": start, "te": end,
        "head": doc[end - 1].lemma_.lower(), "rules": [rule], "conf": conf,
        "types": dict(types or {}), "roles": {}, "name": name,
        "plural": doc[end - 1].tag_ in ("NNS", "NNPS") and not name,
    }


def classify_word(group, lex: Lexicon, *, first_in_sent: bool = False) -> str:
    """Class of a word group for the chunker: N(ame), N(oun), A(djective), E(valuative), D(igit) or B(reak)."""
    text = "".join(t.text_with_ws for t in group).strip()
    last = group[-1]
    low = text.lower()
    if len(group) == 1 and (last.pos_ in _STOP_POS or last.tag_ == "POS"):
        return "E" if low in lex.evaluative and last.pos_ in ("DET", "PRON") else "B"
    if low in lex.evaluative:
        return "E"
    if "://" in text or low.startswith(("www.", "github.com")):
        return "B"
    if len(group) > 2 and group[-2].text == "-" and last.lower_ in _ADJ_SUFFIX:
        return "A"
    if any(is_name_token(t.text) for t in group):
        return "M"
    if _QTY.match(text) or len(group) == 1 and (is_version(text) or is_size(text) or last.like_num):
        return "D"
    if last.like_url or last.like_email:
        return "B"
    if last.pos_ == "PROPN" and not first_in_sent and text[:1].isupper():
        return "M"
    if last.pos_ in ("NOUN", "PROPN"):
        return "N"
    if last.pos_ == "VERB" and any(c.dep_ == "dobj" for c in last.children):
        return "B"
    if last.pos_ == "VERB" and last.tag_ in ("VBG", "VBN") and (
        low in lex.standalone or last.lemma_.lower() in lex.standalone or _is_head(low, lex)
    ) and last.dep_ not in ("ROOT", "acl", "advcl", "xcomp", "pcomp", "relcl"):
        return "N" if last.tag_ == "VBG" or "-" in text else "A"
    if last.pos_ in ("ADJ", "NUM") or (last.pos_ == "VERB" and last.tag_ == "VBN" and last.dep_ == "amod"):
        return "A"
    if "-" in text and last.pos_ in ("VERB", "ADJ", "NOUN"):
        return "A"
    return "B"


def _is_head(low: str, lex: Lexicon) -> bool:
    return any(low in words or singular(low) in words for words in lex.heads.values())


def chunk_words(doc: Doc, lex: Lexicon) -> list[list[tuple[str, list]]]:
    """Maximal runs of (class, word group) that may form a phrase, per sentence."""
    runs: list[list[tuple[str, list]]] = []
    for sent in doc.sents:
        cur: list[tuple[str, list]] = []
        for k, g in enumerate(word_groups(sent)):
            c = classify_word(g, lex, first_in_sent=k == 0)
            if c == "B":
                if cur:
                    runs.append(cur)
                cur = []
            elif c == "E" and cur and cur[-1][0] != "E":
                runs.append(cur)
                cur = [(c, g)]
            else:
                cur.append((c, g))
        if cur:
            runs.append(cur)
    return runs


def _phrase_text(words) -> str:
    return "".join(t.text_with_ws for _, g in words for t in g).strip()


_CLASS_WORDS = {
    "benchmark": "Benchmark", "dataset": "Benchmark", "corpus": "Benchmark", "suite": "Benchmark",
    "model": "Model", "llm": "Model", "network": "Model", "checkpoint": "Model",
    "framework": "Method", "method": "Method", "approach": "Method", "algorithm": "Method",
    "technique": "Method", "system": "Method", "architecture": "Method", "strategy": "Method",
    "pipeline": "Method", "library": "Method", "toolkit": "Method", "paradigm": "Method",
    "metric": "Metric", "score": "Metric",
}
_TASK_CONTAINERS = {"benchmark", "task", "dataset", "problem", "domain", "setting", "challenge", "question"}


def select_phrase(words: list[tuple[str, list]], lex: Lexicon) -> dict | None:
    """Decide whether a run of classified words is a concept, and which part of it.

    Returns:
        ``{"i", "j", "rule", "conf", "types"}`` (word range ``i:j`` of ``words``) or None.
    """
    i, j = 0, len(words)
    while i < j and words[i][0] in ("E", "D"):
        i += 1
    while j > i and words[j - 1][0] in ("A", "E") or (j > i and words[j - 1][0] == "D"
                                                      and not any(k == "M" for k, _ in words[i:j])):
        j -= 1
    if i >= j:
        return None
    kinds = [k for k, _ in words[i:j]]
    if kinds[-1] == "M" or (kinds[-1] == "D" and "M" in kinds):
        # a name at the end: drop leading adjectives ("calibrated PRMs" -> "PRMs")
        while kinds[0] == "A":
            i, kinds = i + 1, kinds[1:]
    text = _phrase_text(words[i:j])
    gaz = lex.gazetteer_type(text)
    if gaz:
        return {"i": i, "j": j, "rule": "gazetteer", "conf": 0.9, "types": {gaz: 2.0}}
    head_word = "".join(t.text for t in words[j - 1][1])
    head = words[j - 1][1][-1].lemma_.lower() if len(words[j - 1][1]) == 1 else head_word.lower()
    head_s = singular(head)
    if j - i == 1:
        if kinds[0] == "M":
            return {"i": i, "j": j, "rule": "name", "conf": 0.7, "types": {}}
        typ = lex.standalone.get(head) or lex.standalone.get(head_s) or lex.standalone.get(head_word.lower())
        if typ:
            return {"i": i, "j": j, "rule": "standalone", "conf": 0.55, "types": {typ: 1.0}}
        return None
    if "M" in kinds and all(k in ("M", "D") for k in kinds):
        return {"i": i, "j": j, "rule": "name", "conf": 0.7, "types": {}}
    cls = _CLASS_WORDS.get(head_s)
    if cls and all(k in ("M", "D") for k in kinds[:-1]) and "M" in kinds:
        # "the GSM8K benchmark", "the o1 model": the name, typed by the class word
        return {"i": i, "j": j - 1, "rule": "name+class", "conf": 0.75, "types": {cls: 2.0}}
    if head_s in _TASK_CONTAINERS and kinds[-2] != "M":
        inner = select_phrase(words[i:j - 1], lex)
        if inner and (inner["types"].get("Task") or inner["rule"] == "standalone"):
            inner.update(i=inner["i"] + i, j=inner["j"] + i, rule="task-container", types={"Task": 1.5})
            return inner
    types = {t: 1.0 for t in lex.head_types(head) + lex.head_types(head_s)}
    if (head in lex.generic_heads or head_s in lex.generic_heads) and not types:
        inner = select_phrase(words[i:j - 1], lex)
        if inner and inner["rule"] != "phrase":
            inner.update(i=inner["i"] + i, j=inner["j"] + i, rule="backoff", conf=inner["conf"] - 0.1)
            return inner
        return None
    if types:
        weak = head_s in lex.weak_heads or head in lex.weak_heads or words[i][0] == "M" and is_acronym(
            words[i][1][-1].text)
        return {"i": i, "j": j, "rule": "weak-head" if weak else "head", "conf": 0.4 if weak else 0.5,
                "types": types}
    return {"i": i, "j": j, "rule": "phrase", "conf": 0.35, "types": {}}


def _name_parts(words, lex):
    """Maximal runs of name words (with versions/sizes) inside a phrase: "the GSM8K benchmark" -> GSM8K."""
    out, k = [], 0
    while k < len(words):
        if words[k][0] == "M":
            m = k + 1
            while m < len(words) and words[m][0] in ("M", "D"):
                m += 1
            toks = [t.text for _, g in words[k:m] for t in g]
            head = words[-1][1][-1].lemma_.lower()
            if any(is_name_token(t) and not is_acronym(t) for t in toks) or head in _CLASS_WORDS:
                out.append((k, m))
            k = m
        else:
            k += 1
    return out


class Candidates:
    """spaCy component: store candidate phrases on ``doc._.pg_candidates`` (list of dicts)."""

    def __init__(self, nlp: Language, name: str, *, vocab_path: str | None, name_parts: bool):
        self.name = name
        self.vocab_path = vocab_path
        self.name_parts = name_parts
        if not Doc.has_extension("pg_candidates"):
            Doc.set_extension("pg_candidates", default=None)

    @property
    def lex(self) -> Lexicon:
        return lexicon_for(self.vocab_path)

    def __call__(self, doc: Doc) -> Doc:
        lex = self.lex
        cands: list[dict] = []
        for run in chunk_words(doc, lex):
            for seg in _split_possessive(run):
                cands.extend(self._from_run(doc, seg, lex))
        doc._.pg_candidates = cands
        return doc

    def _from_run(self, doc, words, lex) -> list[dict]:
        out = []
        sel = select_phrase(words, lex)
        whole = None
        if sel:
            i, j, rule, conf, types = sel["i"], sel["j"], sel["rule"], sel["conf"], sel["types"]
            start, end = words[i][1][0].i, words[j - 1][1][-1].i + 1
            whole = (start, end)
            out.append(new_candidate(doc, start, end, rule=rule, conf=conf, types=types,
                                     name=rule == "name"))
            head = fold(out[-1]["text"])
            if head in lex.never:
                out.pop()
        if self.name_parts:
            for a, b in _name_parts(words, lex):
                start, end = words[a][1][0].i, words[b - 1][1][-1].i + 1
                if (start, end) == whole or doc[start:end].text.endswith(_AFFIX_BASED):
                    continue
                rest_head = words[-1][1][-1].lemma_.lower()
                types = {t: 1.0 for t in lex.head_types(rest_head) if t in ("Benchmark", "Model")}
                c = new_candidate(doc, start, end, rule="name-part", conf=0.5, types=types, name=True)
                c["text"] = c["text"].removesuffix("-based")
                out.append(c)
        return [c for c in out if fold(c["text"]) not in lex.never and fold(c["text"])]


def _split_possessive(run):
    """Split a run at possessive markers ("Llama 3.1 8B's win rate" -> two runs)."""
    segs, cur = [], []
    for n, (c, g) in enumerate(run):
        nxt = run[n + 1][1][0].text if n + 1 < len(run) else ""
        if len(g) == 1 and g[0].tag_ == "POS" and not nxt[:1].isupper():
            segs.append(cur)
            cur = []
        else:
            cur.append((c, g))
    segs.append(cur)
    return [s for s in segs if s]


@Language.factory(
    "papergraph_candidates",
    default_config={"vocab_path": None, "name_parts": True},
)
def make_candidates(nlp: Language, name: str, vocab_path: str | None, name_parts: bool) -> Candidates:
    """Factory of the candidate component (see :class:`Candidates`)."""
    return Candidates(nlp, name, vocab_path=vocab_path, name_parts=name_parts)
