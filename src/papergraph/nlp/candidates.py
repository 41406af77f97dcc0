"""Candidate concept phrases: a word-group chunker over POS tags, trimmed and filtered.

The chunker groups glued tokens into words ("Chain-of-Thought", "Llama-3.1-8B"), takes
maximal runs of adjective/noun words, drops leading determiners and evaluative adjectives
("a novel"), splits at possessives, and keeps a phrase when its head noun makes it a
concept (``lexicon.toml``), it is a known name (gazetteer) or it is shaped like a name.
Generic heads ("the ASTRO framework") keep only their name part.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from .lexicon import Lexicon, fold, lexicon_for
from .known import add_known_names
from .shapes import ADJ_SUFFIXES, MODEL_HEADS, bad_name, is_acronym, is_name_token, is_numeric, is_size, is_version, singular
from .tokens import TokenColumns, new_candidate

__all__ = ["Candidates", "Word", "chunk_words", "classify_word", "new_candidate", "select_phrase"]

_STOP_POS = {"DET", "PRON", "ADP", "CCONJ", "SCONJ", "AUX", "PART", "PUNCT", "SYM", "INTJ", "X", "SPACE"}
_QTY = re.compile(r"^[~<>≈]?\d+(?:[.,]\d+)*(?:[BMKTbmkt]|[xX×]|GB|MB|TB|ms|s|h|k|K)?\+?%?$")
# Not names: citation keys ("smith2023scaling"), assignments ("k=1"), counts glued to a word ("1000times").
# ... number formats ("W4A8", "float32", "bf16"), maths ("k^2", "O(n)"), document parts ("Fig", "1a").
_NOT_NAME = re.compile(r"^(?:[a-z]+\d{4}[a-z]+|\S*=\S*|\d+(?:\.\d+)?[a-z]{4,}|[WwAa]\d+[AaKk]\d+|"
                       r"(?:float|int|uint|fp|bf|tf)\d+|[a-z]\^\S*|\S*[{}]\S*|[A-Z]?\(.*|\d+[a-z]|"
                       r"Fig\.?|Figs?|Eq\.?|Eqs?|Sec\.?|Tab\.?)$")
# Capitalised words joined by a lowercase connector: "Think-and-Execute", "Knowledge-to-Action".
_CONNECTED_NAME = re.compile(r"^[A-Z][A-Za-z]*(?:-(?:and|or|to|of|then|as|for|in|on|by|with)-[A-Z][A-Za-z]*)+$")
_AFFIX_BASED = ("-based", "-driven", "-guided", "-powered", "-augmented", "-enhanced", "-aware")


class Word(NamedTuple):
    """A word group: tokens ``start:end`` glued without whitespace, and their text."""

    start: int
    end: int
    text: str


def classify_word(toks: TokenColumns, word: Word, lex: Lexicon, *, first_in_sent: bool = False) -> str:
    """Class of a word group for the chunker: N(ame), N(oun), A(djective), E(valuative), D(igit) or B(reak)."""
    start, end, text = word
    text = text.strip()
    n, last = end - start, end - 1
    pos, tag = toks.pos[last], toks.tag[last]
    low = text.lower()
    if n == 1 and pos == "ADV" and low.endswith("ly") and last + 1 < len(toks) and (
            toks.pos[last + 1] == "ADJ" or toks.tag[last + 1] == "VBN"):
        return "A"  # "analytically tractable", "partially observable"
    if n == 1 and (pos in _STOP_POS or tag == "POS"):
        return "E" if low in lex.evaluative and pos in ("DET", "PRON") else "B"
    key = toks.text[start] if n == 1 else tuple(toks.text[start:end])
    memo = lex.memo("word-shape")
    shape = memo.get(key)
    if shape is None:
        shape = memo[key] = _word_shape(toks, start, end, text, low, lex)
    cls, quantity, number = shape
    if cls:
        return cls
    if quantity or n == 1 and (number or toks.like_num[last]):
        return "D"
    if toks.like_url[last] or toks.like_email[last]:
        return "B"
    if pos == "PROPN" and not first_in_sent and text[:1].isupper():
        return "M"
    if pos in ("NOUN", "PROPN"):
        return "N"
    if pos == "VERB" and toks.has_dobj[last]:
        return "B"
    if pos == "VERB" and tag in ("VBG", "VBN") and (
        low in lex.standalone or toks.lemma[last] in lex.standalone or _is_head(low, lex)
    ) and toks.dep[last] not in ("ROOT", "acl", "advcl", "xcomp", "pcomp", "relcl"):
        return "N" if tag == "VBG" or "-" in text else "A"
    if pos in ("ADJ", "NUM") or (pos == "VERB" and tag == "VBN" and toks.dep[last] == "amod"):
        return "A"
    if "-" in text and pos in ("VERB", "ADJ", "NOUN"):
        return "A"
    return "B"


def _word_shape(toks: TokenColumns, start: int, end: int, text: str, low: str, lex: Lexicon):
    """What a word's tokens' texts alone decide (its class, or "" to read on) and its
    quantity/number flags; memoised per lexicon by :func:`classify_word`."""
    n, last = end - start, end - 1
    if low in lex.evaluative:
        return "E", False, False
    not_name, connected, quantity, number = _shape(text)
    if not_name:
        return "B", quantity, number
    if connected:
        return "M", quantity, number
    if n > 2 and toks.text[last - 1] == "-" and toks.lower[last] in ADJ_SUFFIXES:
        return "A", quantity, number  # "GPT-4-powered" (its name is a candidate of its own: _compound_names)
    if text[:1].isupper() and (lex.gazetteer_type(text) in ("Model", "Benchmark") or (
            n > 2 and toks.text[start + 1] == "-" and lex.gazetteer_type(toks.text[start]) == "Model")):
        return "M", quantity, number  # a known name, or a known model family with a suffix ("Phi-reasoning")
    if is_name_token(toks.text[start]) if n == 1 else any(map(is_name_token, toks.text[start:end])):
        return "M", quantity, number
    return "", quantity, number


@functools.lru_cache(maxsize=1 << 16)
def _shape(text: str) -> tuple[bool, bool, bool, bool]:
    """What a word's text alone says: (not a name: a URL, citation key, number format ...;
    a connected name; a quantity; a version or size)."""
    not_name = "://" in text or text.lower().startswith(("www.", "github.com")) or bool(_NOT_NAME.match(text))
    quantity = bool(_QTY.match(text)) or is_numeric(text)  # "1.5-2.5times", "30%-50%"
    return not_name, bool(_CONNECTED_NAME.match(text)), quantity, is_version(text) or is_size(text)


def _is_head(low: str, lex: Lexicon) -> bool:
    return any(low in words or singular(low) in words for words in lex.heads.values())


def chunk_words(toks: TokenColumns, lex: Lexicon) -> list[list[tuple[str, Word]]]:
    """Maximal runs of (class, word group) that may form a phrase, per sentence."""
    runs: list[list[tuple[str, Word]]] = []
    text, pos, tag = toks.text, toks.pos, toks.tag
    # A one-token word's class is a function of its text, POS, tag and place (first in its
    # sentence or not) unless it is an adverb or a verb (they also read neighbours and the parse).
    memo = lex.memo("word-class")
    for groups in toks.sentence_groups():
        cur: list[tuple[str, Word]] = []
        for k, (a, b) in enumerate(groups):
            if b - a == 1:
                p = pos[a]
                if p == "ADV" or p == "VERB":
                    g = Word(a, b, text[a])
                    c = classify_word(toks, g, lex, first_in_sent=k == 0)
                else:
                    key = (text[a], p, tag[a], k == 0)
                    c = memo.get(key)
                    g = None
                    if c is None:
                        g = Word(a, b, text[a])
                        c = memo[key] = classify_word(toks, g, lex, first_in_sent=k == 0)
            else:
                g = Word(a, b, "".join(text[a:b]))
                c = classify_word(toks, g, lex, first_in_sent=k == 0)
            if c == "B":
                if cur:
                    runs.append(cur)
                cur = []
                continue
            if g is None:
                g = Word(a, b, text[a])
            if c == "E" and cur and cur[-1][0] != "E":
                runs.append(cur)
                cur = [(c, g)]
            else:
                cur.append((c, g))
        if cur:
            runs.append(cur)
    return runs


def _phrase_text(toks: TokenColumns, words) -> str:
    """The text of consecutive words (``"".join`` of their tokens' text with whitespace, stripped)."""
    return toks.span_text(words[0][1].start, words[-1][1].end).strip()


_CLASS_WORDS = {
    "benchmark": "Benchmark", "dataset": "Benchmark", "corpus": "Benchmark", "suite": "Benchmark",
    "model": "Model", "llm": "Model", "network": "Model", "checkpoint": "Model", "family": "Model",
    "series": "Model",
    "framework": "Method", "method": "Method", "approach": "Method", "algorithm": "Method",
    "technique": "Method", "system": "Method", "architecture": "Method", "strategy": "Method",
    "pipeline": "Method", "library": "Method", "toolkit": "Method", "paradigm": "Method",
    "metric": "Metric", "score": "Metric",
}
# Heads after hardware names ("A100 GPUs", "TPU v4 hours"): not concepts (GUIDELINES: hardware excluded).
_HARDWARE = {"gpu", "gpus", "tpu", "tpus", "cpu", "cpus", "npu", "hour", "hours", "accelerator", "chip", "card"}
_DOC_PARTS = {"Part", "Section", "Figure", "Fig", "Table", "Appendix", "Equation", "Eq", "Chapter", "Algorithm",
              "Theorem", "Lemma", "Definition", "Step", "Stage", "Phase", "Round", "Level", "Exp"}
_TASK_CONTAINERS = {"benchmark", "task", "dataset", "problem", "domain", "setting", "challenge", "question"}


def select_phrase(toks: TokenColumns, words: list[tuple[str, Word]], lex: Lexicon) -> dict | None:
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
    while i > 0 and words[i - 1][0] == "D" and _capitalised_run(words[i - 1:j]):
        i -= 1  # "Zero Query Template": a number word inside a Title Cased name
    kinds = [k for k, _ in words[i:j]]
    if kinds[-1] == "M" or (kinds[-1] == "D" and "M" in kinds):
        # a name at the end: drop leading adjectives ("calibrated PRMs" -> "PRMs")
        # ... but not a capitalised one before capitalised words ("Large Language Models")
        while kinds[0] == "A" and not _capitalised_run(words[i:j]):
            i, kinds = i + 1, kinds[1:]
    text = _phrase_text(toks, words[i:j])
    gaz = lex.gazetteer_type(text)
    if gaz:
        return {"i": i, "j": j, "rule": "gazetteer", "conf": 0.9, "types": {gaz: 2.0}}
    last = words[j - 1][1]
    head_word = last.text
    head = toks.lemma[last.start] if last.end - last.start == 1 else head_word.lower()
    head_s = singular(head)
    if head_s in _HARDWARE or head in _HARDWARE:
        return None  # "A100 GPUs", "GPU hours"
    if words[i][1].text in _DOC_PARTS and all(
            k == "D" for k in kinds[1:]):
        return None  # "Section 6", "Part 3", "Table 2"
    if j - i == 1:
        if kinds[0] == "M":
            return {"i": i, "j": j, "rule": "name", "conf": 0.7, "types": {}}
        typ = lex.standalone.get(head) or lex.standalone.get(head_s) or lex.standalone.get(head_word.lower())
        if typ:
            return {"i": i, "j": j, "rule": "standalone", "conf": 0.55, "types": {typ: 1.0}}
        return None
    if "M" in kinds and all(k in ("M", "D") for k in kinds):
        return {"i": i, "j": j, "rule": "name", "conf": 0.7, "types": {}}
    if j - i == 2 and head_s in MODEL_HEADS and words[i][1].text.lower() in lex.role_modifiers:
        return None  # "the teacher model", "a base LLM": a role in the study, not a concept
    cls = _CLASS_WORDS.get(head_s)
    named_class = cls and any(is_name_token(t) or lex.gazetteer_type(t)
                              for t in toks.text[words[i][1].start:words[j - 2][1].end])
    if cls and named_class and all(k in ("M", "D") for k in kinds[:-1]) and "M" in kinds:
        # "the GSM8K benchmark", "the o1 model": the name, typed by the class word
        return {"i": i, "j": j - 1, "rule": "name+class", "conf": 0.75, "types": {cls: 2.0}}
    if head_s in _TASK_CONTAINERS and kinds[-2] != "M":
        inner = select_phrase(toks, words[i:j - 1], lex)
        if inner and (inner["types"].get("Task") or inner["rule"] == "standalone"):
            inner.update(i=inner["i"] + i, j=inner["j"] + i, rule="task-container", types={"Task": 1.5})
            return inner
    types = {t: 1.0 for t in lex.head_types(head) + lex.head_types(head_s)}
    if (head in lex.generic_heads or head_s in lex.generic_heads) and not types:
        inner = select_phrase(toks, words[i:j - 1], lex)
        if inner and inner["rule"] != "phrase":
            inner.update(i=inner["i"] + i, j=inner["j"] + i, rule="backoff", conf=inner["conf"] - 0.1)
            return inner
        return None
    if types:
        weak = head_s in lex.weak_heads or head in lex.weak_heads or words[i][0] == "M" and is_acronym(
            toks.text[words[i][1].end - 1])
        if weak and (head_s in lex.generic_heads or head in lex.generic_heads) and j - i > 2:
            # "a Teacher-Guided compression strategy": as strong as its own concept "... compression"
            inner = select_phrase(toks, words[i:j - 1], lex)
            if inner and inner["rule"] in ("head", "name", "gazetteer") and inner["i"] == 0:
                weak = False
        return {"i": i, "j": j, "rule": "weak-head" if weak else "head", "conf": 0.4 if weak else 0.5,
                "types": types}
    return {"i": i, "j": j, "rule": "phrase", "conf": 0.35, "types": {}}


def _capitalised_run(words) -> bool:
    """True when every word starts with a capital and none is an acronym: a Title Cased name."""
    texts = [w.text for _, w in words]
    return len(texts) > 1 and all(w[:1].isupper() and not is_acronym(w) for w in texts)


def _name_parts(toks: TokenColumns, words, lex: Lexicon):
    """Maximal runs of name words (with versions/sizes) inside a phrase: "the GSM8K benchmark" -> GSM8K,
    "a 775M Llama backbone" -> Llama."""
    out, k = [], 0
    while k < len(words):
        if words[k][0] == "M":
            m = k + 1
            while m < len(words) and words[m][0] in ("M", "D"):
                m += 1
            texts = toks.text[words[k][1].start:words[m - 1][1].end]
            head = toks.lemma[words[-1][1].end - 1]
            if any(is_name_token(t) and not is_acronym(t) for t in texts) or head in _CLASS_WORDS or \
                    lex.gazetteer_type(toks.span_text(words[k][1].start, words[m - 1][1].end)) in ("Model", "Benchmark"):
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
        if not Doc.has_extension("pg_text"):
            Doc.set_extension("pg_text", default=None)  # see tokens.doc_text

    @property
    def lex(self) -> Lexicon:
        return lexicon_for(self.vocab_path)

    def __call__(self, doc: Doc) -> Doc:
        lex = self.lex
        toks = TokenColumns.of(doc)
        doc._.pg_text = toks.doc_text
        cands: list[dict] = []
        for run in chunk_words(toks, lex):
            for seg in _split_possessive(toks, run):
                cands.extend(self._from_run(toks, seg, lex))
        cands = add_known_names(toks, _add_phrase_names(toks, cands, lex), lex)
        doc._.pg_candidates = [c for c in cands if not bad_name(c["text"])]
        return doc

    def _from_run(self, toks: TokenColumns, words, lex) -> list[dict]:
        if len(words) > _MAX_PHRASE_WORDS:
            return _names_in_long_run(toks, words, lex)
        out = []
        sel = select_phrase(toks, words, lex)
        whole = None
        if sel:
            i, j, rule, conf, types = sel["i"], sel["j"], sel["rule"], sel["conf"], sel["types"]
            start, end = words[i][1].start, words[j - 1][1].end
            whole = (start, end)
            out.append(new_candidate(toks, start, end, rule=rule, conf=conf, types=types,
                                     name=rule == "name"))
            head = fold(out[-1]["text"])
            if head in lex.never:
                out.pop()
        rest_head = toks.lemma[words[-1][1].end - 1]
        if self.name_parts and rest_head not in _HARDWARE:
            for a, b in _name_parts(toks, words, lex):
                start, end = words[a][1].start, words[b - 1][1].end
                if (start, end) == whole or toks.span_text(start, end).endswith(_AFFIX_BASED):
                    continue
                types = {t: 1.0 for t in lex.head_types(rest_head) if t in ("Benchmark", "Model")}
                c = new_candidate(toks, start, end, rule="name-part", conf=0.5, types=types, name=True)
                c["text"] = c["text"].removesuffix("-based")
                out.append(c)
        return [c for c in out if (k := fold(c["text"])) and k not in lex.never]


_FUNCTION = {"of", "in", "a", "an", "the", "for", "as", "to", "from", "with", "on"}


@functools.lru_cache(maxsize=8)
def _phrase_names(names: tuple[tuple[str, str], ...]) -> dict[tuple[str, ...], tuple[str, str]]:
    """Gazetteer names the chunker cannot see whole (they hold a function word: "chain of thought",
    "Needle in a Haystack"), as lower-case word tuples -> (name, type); hyphen/space and plural variants."""
    out = {}
    for name, typ in names:
        words = tuple(w.lower() for w in re.split(r"[\s-]+", name) if w)
        if len(words) < 3 or not _FUNCTION & set(words[1:-1]):
            continue
        for last in {words[-1], singular(words[-1]), words[-1] + "s"}:
            out[words[:-1] + (last,)] = (name, typ)
    return out


@functools.lru_cache(maxsize=8)
def _phrase_sizes(names: tuple[tuple[str, str], ...]) -> dict[str, tuple[int, ...]]:
    """First word -> the lengths (longest first) of the :func:`_phrase_names` keys starting with it."""
    out: dict[str, set[int]] = {}
    for words in _phrase_names(names):
        out.setdefault(words[0], set()).add(len(words))
    return {w: tuple(sorted(n, reverse=True)) for w, n in out.items()}


def _add_phrase_names(toks: TokenColumns, cands: list[dict], lex: Lexicon) -> list[dict]:
    """Add gazetteer names with function words; a chunk candidate they cut ("thought prompting" in
    "chain of thought prompting") is replaced by the whole phrase."""
    table = _phrase_names(lex.gazetteer_names)
    if not table:
        return cands
    sizes = _phrase_sizes(lex.gazetteer_names)
    words = [(i, low) for i, (text, low) in enumerate(zip(toks.text, toks.lower)) if text != "-"]
    out = list(cands)
    for n in range(len(words)):
        for size in sizes.get(words[n][1], ()):
            if size > len(words) - n:
                continue
            key = tuple(w for _, w in words[n:n + size])
            hit = table.get(key)
            if not hit:
                continue
            start, end = words[n][0], words[n + size - 1][0] + 1
            span = toks.span_text(start, end)
            if span.count(" ") + span.count("-") > size:
                continue  # not one contiguous phrase
            if any(c["ts"] <= start and end <= c["te"] for c in out):
                break  # already inside a candidate ("chain-of-thought prompting")
            cut = [c for c in out if start < c["ts"] < end < c["te"]]
            inside = [c for c in out if start <= c["ts"] and c["te"] <= end]
            out = [c for c in out if c not in cut and c not in inside]
            tail = max((c["te"] for c in cut), default=end)
            if tail == end and tail < len(toks) and toks.text[tail].islower() and (
                    lex.head_types(toks.lower[tail]) or lex.head_types(toks.lemma[tail])):
                tail += 1  # "chain of thought prompting", "mixture of experts layer"
            types = {hit[1]: 2.0} if tail == end else {t: 1.0 for t in lex.head_types(toks.lower[tail - 1])}
            out.append(new_candidate(toks, start, tail, rule="gazetteer", conf=0.9, types=types))
            break
    return out


_MAX_PHRASE_WORDS = 10


def _names_in_long_run(toks: TokenColumns, words, lex: Lexicon) -> list[dict]:
    """A run too long to be one phrase (a tagging failure, a list without commas): keep only
    the names in it (maximal runs of name words that are known or name-shaped)."""
    out, k = [], 0
    while k < len(words):
        if words[k][0] != "M":
            k += 1
            continue
        m = k + 1
        while m < len(words) and words[m][0] in ("M", "D") and m - k < 4:
            m += 1
        start, end = words[k][1].start, words[m - 1][1].end
        text = toks.span_text(start, end)
        typ = lex.gazetteer_type(text)
        if typ or any(is_name_token(t) for t in toks.text[start:end]):
            out.append(new_candidate(toks, start, end, rule="gazetteer" if typ else "name-part",
                                     conf=0.9 if typ else 0.5, types={typ: 2.0} if typ else {}, name=True))
        k = m
    return [c for c in out if fold(c["text"]) not in lex.never]


def _split_possessive(toks: TokenColumns, run):
    """Split a run at possessive markers ("Llama 3.1 8B's win rate" -> two runs)."""
    tag = toks.tag
    if not any(g.end - g.start == 1 and tag[g.start] == "POS" for _, g in run):
        return [run]  # the usual case: the chunker breaks runs at possessives already
    segs, cur = [], []
    for n, (c, g) in enumerate(run):
        nxt = toks.text[run[n + 1][1].start] if n + 1 < len(run) else ""
        if g.end - g.start == 1 and toks.tag[g.start] == "POS" and not nxt[:1].isupper():
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
