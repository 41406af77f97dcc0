"""papergraph's table-lookup attribute ruler (and lemmatizer) give spaCy's own components' output."""

import pytest
from spacy.pipeline import AttributeRuler

from papergraph.ingest import read_inputs
from papergraph.errors import ConfigError
from papergraph.nlp import load_english, load_pipeline
from papergraph.nlp.attribute_ruler import FastAttributeRuler, use_fast_attribute_ruler

# Written for this test: contractions, colloquial forms, whitespace tokens, pronouns as subject
# and object, auxiliaries, "there is" and subordinators -- the patterns beyond the tag map.
SENTENCES = [
    "I'm gonna test it, y'all. Let's see whether it works:  there's a model that we trained.",
    "We don't have it; you do. I ain't got nothin' but it is fine, c'mon.",
    "It was the one that I saw \n\n after you had gone, although they did not agree.",
    "Do they know? Has it been done? If so, which method was better than that one?",
    "  leading spaces,\ttabs\tand trailing ones   ",
    "LoRA-tuned Qwen2.5-7B reaches 83.1% on GSM8K (vs. 79.4%), i.e. +3.7 points; n't won't can't.",
]


def _stock():
    """The English pipeline as papergraph loads it (its tokenizer fixes), with spaCy's attribute ruler."""
    try:
        return load_english(table_lookups=False)
    except ConfigError:
        pytest.skip("no spaCy English model installed")


def _tokens(doc):
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i) for t in doc]


@pytest.fixture(scope="module")
def stock():
    nlp = _stock()
    assert type(nlp.get_pipe("attribute_ruler")) is AttributeRuler
    return nlp


@pytest.fixture(scope="module")
def ours():
    return load_pipeline(config={"papergraph_scorer": {"enabled": False}})


def test_papergraph_pipeline_uses_the_table_ruler(ours):
    assert isinstance(ours.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert ours.pipe_names.index("attribute_ruler") < ours.pipe_names.index("lemmatizer")


def test_same_tokens_as_spacy_on_written_sentences(stock, ours):
    for text in SENTENCES:
        assert _tokens(ours(text)) == _tokens(stock(text)), text


def test_same_tokens_as_spacy_on_the_shared_corpus(stock, ours, shared_corpus):
    papers = read_inputs(sorted(shared_corpus.iterdir())).papers
    texts = [t for p in papers for t in (p.title or "", p.abstract or "")]
    assert len(texts) > 400
    differing = [t[:60] for t, a, b in zip(texts, ours.pipe(texts), stock.pipe(texts)) if _tokens(a) != _tokens(b)]
    assert differing == []


def test_a_pattern_outside_the_table_falls_back_to_the_matcher():
    plain, nlp = _stock(), _stock()
    use_fast_attribute_ruler(nlp)
    # a quantifier the table cannot express: one or more "very" before an adjective
    pattern = [[{"LOWER": "very", "OP": "+"}, {"TAG": "JJ"}]]
    nlp.get_pipe("attribute_ruler").add(pattern, {"LEMMA": "VERY"}, index=0)
    plain.get_pipe("attribute_ruler").add(pattern, {"LEMMA": "VERY"}, index=0)
    text = "A very very small model is very good."
    got = _tokens(nlp(text))
    assert got == _tokens(plain(text))
    assert "VERY" in [t[4] for t in got]
    assert nlp.get_pipe("attribute_ruler")._table is False


def test_added_patterns_are_matched():
    nlp = _stock()
    use_fast_attribute_ruler(nlp)
    nlp.get_pipe("attribute_ruler").add([[{"LOWER": "grpo"}]], {"POS": "PROPN", "LEMMA": "GRPO"})
    doc = nlp("We train with grpo and dpo.")
    assert (doc[3].pos_, doc[3].lemma_) == ("PROPN", "GRPO")
    assert doc[5].lemma_ != "GRPO"


def test_a_pickled_pipeline_keeps_the_table_ruler(ours, stock):
    import pickle

    ours("Warm the table up.")
    again = pickle.loads(pickle.dumps(ours))
    text = SENTENCES[0]
    assert isinstance(again.get_pipe("attribute_ruler"), FastAttributeRuler)
    assert _tokens(again(text)) == _tokens(stock(text))
