"""Per-doc token columns (nlp/tokens.py) and word groups (nlp/shapes.py): the fast paths the
candidate chunker reads must say exactly what spaCy's Token objects say."""

import pytest

from papergraph.nlp import COMPONENTS, load_pipeline
from papergraph.nlp.shapes import word_groups
from papergraph.nlp.tokens import TokenColumns, doc_text

TEXTS = [
    "We propose Chain-of-Thought (CoT) prompting for Llama-3.1-8B; it beats GPT-4o by 12.5% on GSM8K.",
    "Large language models (LLMs) solve tasks.  See https://example.org or mail a@b.com, \n 3 times faster.",
    "Results: 1,000 samples; the model's accuracy rose from 71% to 80%.",
    "",
]


@pytest.fixture(scope="module")
def docs():
    nlp = load_pipeline()
    with nlp.select_pipes(disable=list(COMPONENTS)):
        return list(nlp.pipe(TEXTS))


def test_columns_match_token_attributes(docs):
    for doc in docs:
        cols = TokenColumns(doc)
        assert len(cols) == len(doc)
        assert cols.text == [t.text for t in doc]
        assert cols.ws == [t.whitespace_ for t in doc]
        assert cols.idx == [t.idx for t in doc]
        assert cols.pos == [t.pos_ for t in doc]
        assert cols.tag == [t.tag_ for t in doc]
        assert cols.lower == [t.lower_ for t in doc]
        assert cols.lemma == [t.lemma_.lower() for t in doc]
        assert cols.dep == [t.dep_ for t in doc]
        assert [bool(x) for x in cols.like_num] == [t.like_num for t in doc]
        assert [bool(x) for x in cols.like_url] == [t.like_url for t in doc]
        assert [bool(x) for x in cols.like_email] == [t.like_email for t in doc]
        assert [bool(x) for x in cols.is_punct] == [t.is_punct for t in doc]
        assert cols.head == [t.head.i for t in doc]
        assert cols.has_dobj == [any(c.dep_ == "dobj" for c in t.children) for t in doc]
        assert cols.doc_text == doc.text == doc_text(doc)
        assert cols.sents == ([(s.start, s.end) for s in doc.sents] if len(doc) else [])
        for a in range(len(doc)):
            for b in range(a + 1, min(len(doc), a + 5) + 1):
                assert cols.span_text(a, b) == doc[a:b].text


def test_columns_are_made_once_per_doc(docs):
    first = TokenColumns.of(docs[0])
    assert TokenColumns.of(docs[0]) is first and TokenColumns.of(docs[1]) is not first
    assert first.text == TokenColumns(docs[0]).text and TokenColumns.of(docs[1]).text == [t.text for t in docs[1]]


def test_word_groups_glue_tokens_without_whitespace():
    texts = ["We", "use", "Chain", "-", "of", "-", "Thought", "(", "CoT", ")", "'s", "x"]
    tags = ["PRP", "VBP", "NN", "HYPH", "IN", "HYPH", "NN", "-LRB-", "NNP", "-RRB-", "POS", "NN"]
    spaces = [" ", " ", "", "", "", "", " ", "", "", "", " ", ""]
    assert word_groups(texts, tags, spaces) == [(0, 1), (1, 2), (2, 7), (7, 8), (8, 9), (9, 10), (10, 11),
                                                (11, 12)]
    assert word_groups([], [], []) == []
