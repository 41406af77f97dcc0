"""The learned scorer's fast paths (nlp/tokens.py, nlp/features.py, nlp/spans.py, nlp/linear.py)
must say exactly what spaCy's objects and the plain definitions say, on real abstracts."""

import json

import numpy as np
import pytest

from papergraph.nlp import COMPONENTS, load_pipeline
from papergraph.nlp.features import _ENUM, _ENUM_MARK, _ROLE_WORDS, Context, _bucket, _shape, _span, _words
from papergraph.nlp.lexicon import lexicon_for
from papergraph.nlp.shapes import word_groups
from papergraph.nlp.linear import LinearModel
from papergraph.nlp.scorer import ScorerModel, _joint_rows
from papergraph.nlp.spans import _BREAKS, _MAX_TOKENS, _SKIP_POS, chunk_spans
from papergraph.nlp.tokens import TokenColumns

TEXTS = [
    "We propose Chain-of-Thought (CoT) prompting for Llama-3.1-8B; it beats GPT-4o by 12.5% on GSM8K.",
    "Large language models (LLMs) and  vision-language models solve tasks .  See https://example.org , \n ok",
    "ΣΥΣΤΗΜΑ and İstanbul-Bench: a Straße of results, e.g. 41-137 ×     faster than prior work. Done.",
]


@pytest.fixture(scope="module")
def docs(examples_dir):
    nlp = load_pipeline()
    with open(examples_dir / "papers-example.jsonl", encoding="utf-8") as fh:
        papers = [json.loads(line) for line in fh if line.strip()]
    texts = TEXTS + [t for p in papers for t in (p["title"], p["abstract"])]
    with nlp.select_pipes(disable=list(COMPONENTS)):
        return list(nlp.pipe(texts))


def test_token_root_is_spacys_span_root(docs):
    for doc in docs:
        toks = TokenColumns(doc)
        for a in range(len(doc)):
            for b in range(a + 1, min(len(doc), a + 6) + 1):
                assert toks.root(a, b) == doc[a:b].root.i, doc[a:b].text


def test_char_span_of_the_columns_is_spacys_expanded_span(docs):
    for doc in docs:
        toks = TokenColumns(doc)
        n = len(doc.text)
        for start in range(-1, n + 1):
            for end in (start + 1, start + 2, start + 7, start + 15):
                span = doc.char_span(start, end, alignment_mode="expand") if end <= n + 1 else None
                expected = (span.start, span.end, span.root.i) if span is not None and len(span) else None
                assert _span(toks, doc, start, end) == expected, (doc.text, start, end)


def test_context_words_are_the_words_of_each_slice(docs):
    lex = lexicon_for(None)
    for doc in docs:
        text = doc.text
        ctx = Context({"abstract": text}, {"abstract": doc}, lex, [])
        for a in range(0, len(text) + 1, 3):
            for b in (a, a + 1, a + 13, a + 40, a + 200):
                assert ctx.words("abstract", a, b) == _words(text[a:b]), (text, a, b)


def test_sentence_role_words_are_those_of_the_slice(docs):
    lex = lexicon_for(None)
    texts = [d.text for d in docs] + ["We propose X. Compared with prior work, our ourselves-based "
                                      "method e.g. beats baselines. We use overlong words: proposedly, usingX."]
    for text in texts:
        ctx = Context({"abstract": text}, {}, lex, [])
        for start in range(len(text) + 1):
            left = max(text.rfind(". ", 0, start), 0)
            assert ctx.sentence_words("abstract", start) == set(_words(text[left:start])) & _ROLE_WORDS, (text, start)


def test_first_and_last_two_words_are_those_of_the_slice(docs):
    lex = lexicon_for(None)
    texts = [d.text for d in docs] + ["e.g. GPT-4-based X-powered ... (ii) we-use ..a.b.. x--y 'quoted' end-",
                                      "", "a", "-- ..", "word"]
    for text in texts:
        ctx = Context({"abstract": text}, {}, lex, [])
        index = ctx.view("abstract")[5]
        if index is None:  # lower-casing changes offsets: the features scan the slices
            continue
        for a in range(len(text) + 2):
            for b in (a, a + 1, a + 2, a + 7, a + 40):
                words = _words(text[a:b])
                assert index.last_two(a, b) == words[-2:], (text, a, b)
                assert index.first_two(a, b) == words[:2], (text, a, b)


def test_conj_features_are_the_conjuncts_gazetteer_types(docs):
    lex = lexicon_for(None)
    seen = 0
    for doc in docs:
        ctx = Context({"abstract": doc.text}, {"abstract": doc}, lex, [])
        for tok in doc:
            expected = [f"conj-gaz={lex.gazetteer_type(o.text)}" for o in tok.conjuncts[:4] if lex.gazetteer_type(o.text)]
            assert ctx.conj_features("abstract", tok.i) == expected == ctx.conj_features("abstract", tok.i)
            seen += bool(expected)
    assert seen  # the texts name known things in a list ("GPT-4o ... and ...")


def _top_level_alternatives(pattern: str) -> list[str]:
    """The alternatives of ``pattern`` outside any group or character class."""
    parts, depth, start, k = [], 0, 0, 0
    while k < len(pattern):
        c = pattern[k]
        if c == "\\":
            k += 1  # an escaped character
        elif c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(pattern[start:k])
            start = k + 1
        k += 1
    return parts + [pattern[start:]]


def test_every_listed_part_match_holds_a_mark():
    """_mention_features runs _ENUM only on a window holding one of _ENUM_MARK's characters."""
    alternatives = _top_level_alternatives(_ENUM.pattern)
    assert len(alternatives) >= 5
    for alt in alternatives:
        assert alt.endswith((r"\)", ",", ":", r"\)\s")), alt
    assert all(_ENUM_MARK.search(m.group()) for m in _ENUM.finditer("(ii) a, First, 2) b three parts: stage, (c)"))


def test_buckets_count_the_edges_below():
    for edges in ((0.45, 0.6, 0.75, 0.9), (0.0, 0.5, 1.5, 3.0)):
        for x in (-1.0, -0.0, 0.0, 0.3, 0.45, 0.4500001, 0.5, 0.6, 0.9, 1.5, 2.9999, 3.0, 7.0, float("nan")):
            assert _bucket(x, edges) == sum(x > e for e in edges), (x, edges)


def test_word_shapes_follow_the_character_rule():
    for text in TEXTS + ["", "Qwen2.5-VL-7B", "x²³ ½ ٣ 𝔸b ǅ"]:
        plain = "".join("X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c for c in text)
        expected = "".join(c for k, c in enumerate(plain) if k == 0 or c != plain[k - 1])
        assert _shape(text) == expected


def _chunk_spans_from_spans(doc):
    """chunk_spans written over spaCy's Span and Token objects (its definition)."""
    out = []
    for ch in doc.noun_chunks:
        root = ch.root
        if root.pos_ not in ("NOUN", "PROPN") or root.i != ch.end - 1:
            continue
        start = ch.start
        while start < root.i and (doc[start].pos_ in _SKIP_POS or not doc[start].text.strip()):
            start += 1
        for s in range(max(start, root.i - _MAX_TOKENS + 1), root.i + 1):
            if doc[s].pos_ in _SKIP_POS or doc[s].is_punct or any(t.text in _BREAKS for t in doc[s:root.i]):
                continue
            out.append((s, root.i + 1, root.tag_ in ("NNS", "NNPS")))
    return out


def test_chunk_spans_from_columns_match_the_span_definition(docs):
    for doc in docs:
        assert chunk_spans(doc) == _chunk_spans_from_spans(doc)
        assert chunk_spans(doc, TokenColumns(doc)) == _chunk_spans_from_spans(doc)


def test_linear_scores_add_weights_in_feature_order():
    rng = np.random.default_rng(3)
    names = [f"f{i}" for i in range(50)]
    m = LinearModel(("a", "b", "c"), rng.normal(size=3), {f: rng.normal(size=3) * 10.0 ** rng.integers(-4, 4)
                                                          for f in names})
    examples = [list(rng.choice(names + ["unknown"], size=int(rng.integers(0, 40)))) for _ in range(30)]
    rows = []
    for ex in examples:
        s, t = m.bias.copy(), np.zeros(3)
        for f in ex:
            if f in m.weights:
                s += m.weights[f]  # the bias first, then each feature (proba)
                t += m.weights[f]  # each feature, then the bias (proba_many)
        assert np.array_equal(m.scores(ex), s)
        rows.append(t + m.bias)
    S = np.array(rows)
    e = np.exp(S - S.max(axis=1, keepdims=True))
    assert np.array_equal(m.proba_many(examples), e / e.sum(axis=1, keepdims=True))


def test_linear_proba_each_is_proba_of_each_example():
    rng = np.random.default_rng(5)
    names = [f"f{i}" for i in range(50)]
    m = LinearModel(("a", "b", "c", "d"), rng.normal(size=4), {f: rng.normal(size=4) * 10.0 ** rng.integers(-4, 4)
                                                               for f in names})
    examples = [list(rng.choice(names + ["unknown"], size=int(rng.integers(0, 40)))) for _ in range(30)]
    examples += [[], ["unknown"]]
    P = m.proba_each(examples)
    assert P.shape == (len(examples), 4)
    for row, ex in zip(P, examples):
        assert np.array_equal(row, m.proba(ex)), ex
    assert m.proba_each([]).shape == (0, 4)


def test_joint_rows_score_as_each_model_alone():
    """The scorer looks each feature up once in both models' vocabularies (scorer._joint_rows)."""
    rng = np.random.default_rng(7)
    names = [f"f{i}" for i in range(60)]

    def model(labels, vocab):
        return LinearModel(labels, rng.normal(size=len(labels)),
                           {f: rng.normal(size=len(labels)) * 10.0 ** rng.integers(-4, 4) for f in vocab})

    concept, role = model(("a", "b", "c"), names[:40]), model(("p", "u"), names[25:55])  # some in one only
    scorer_model = ScorerModel(concept, role)
    feats = [list(rng.choice(names + ["unknown"], size=int(rng.integers(0, 40)))) for _ in range(30)] + [[]]
    probs, role_rows = _joint_rows(scorer_model, feats)
    assert np.array_equal(np.array(probs), concept.proba_many(feats))
    index, zero = role.index()
    extra = [str(f) for f in rng.choice(names, size=5)]
    rows = [r.tolist() + [index.get(f, zero) for f in extra] for r in role_rows]
    assert np.array_equal(role.proba_each_rows(rows), role.proba_each([f + extra for f in feats]))


def test_sentence_groups_are_each_sentences_word_groups(docs):
    for doc in docs:
        toks = TokenColumns(doc)
        expected = [[(s.start + a, s.start + b) for a, b in word_groups([t.text for t in s], [t.tag_ for t in s],
                                                                         [t.whitespace_ for t in s])]
                    for s in doc.sents]
        assert toks.sentence_groups() == expected
