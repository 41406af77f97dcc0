"""papergraph's table lemmatizer gives spaCy's own lemmatizer's lemmas.

The whole-corpus comparison (tagger to lemmatizer) is in ``test_nlp_attribute_ruler.py``.
"""

import pickle

import pytest
from spacy.lang.en.lemmatizer import EnglishLemmatizer

from papergraph.errors import ConfigError
from papergraph.nlp import load_english, load_pipeline
from papergraph.nlp.lemmatizer import TableLemmatizer, use_table_lemmatizer

# Written for this test: plurals, verb forms, comparatives, words spaCy's lists lack, forms the
# attribute ruler lemmatises itself ("n't", "'m"), and the same words again (remembered answers).
SENTENCES = [
    "The models were trained faster than the baselines and they outperformed larger ones.",
    "We're running ablations; it isn't clear why the losses diverged, but I'm sure they'll converge.",
    "Quantized transformers' activations saturate: the best tokenizers split rarer subwords.",
    "Flibbertigibbets zorched the quuxes; zorching quuxes is what flibbertigibbets do best.",
    "The models were trained faster than the baselines and they outperformed larger ones.",
]


def _english(**kw):
    try:
        return load_english(**kw)
    except ConfigError:
        pytest.skip("no spaCy English model installed")


def _lemmas(doc):
    return [(t.text, t.pos_, str(t.morph), t.lemma_) for t in doc]


@pytest.fixture(scope="module")
def stock():
    nlp = _english(table_lookups=False)
    assert type(nlp.get_pipe("lemmatizer")) is EnglishLemmatizer
    return nlp


@pytest.fixture(scope="module")
def ours():
    return load_pipeline(config={"papergraph_scorer": {"enabled": False}})


def test_papergraph_pipeline_uses_the_table_lemmatizer(ours, stock):
    pipe = ours.get_pipe("lemmatizer")
    assert isinstance(pipe, TableLemmatizer)
    # the word lists are the model's own, with set lookups
    index, stock_index = (p.lookups.get_table("lemma_index")
                          for p in (pipe.lemmatizer, stock.get_pipe("lemmatizer")))
    assert sorted(index) == sorted(stock_index)
    for key in index:
        assert list(index[key]) == list(stock_index[key])
        some = stock_index[key][len(stock_index[key]) // 2]
        assert some in index[key] and some + "zzq" not in index[key]


def test_same_lemmas_as_spacy_on_written_sentences(stock, ours):
    for text in SENTENCES:
        assert _lemmas(ours(text)) == _lemmas(stock(text)), text


def test_a_lemma_set_before_the_lemmatizer_is_kept():
    nlp, ref = _english(), _english(table_lookups=False)
    for each in (nlp, ref):
        each.get_pipe("attribute_ruler").add([[{"LOWER": "models"}]], {"LEMMA": "MODELX"})
    text = "Two models and three models."
    assert _lemmas(nlp(text)) == _lemmas(ref(text))
    assert [t.lemma_ for t in nlp(text)].count("MODELX") == 2


def test_a_pickled_pipeline_keeps_the_table_lemmatizer(ours, stock):
    ours("Warm the table up with sentences.")
    again = pickle.loads(pickle.dumps(ours))
    assert isinstance(again.get_pipe("lemmatizer"), TableLemmatizer)
    for text in SENTENCES:
        assert _lemmas(again(text)) == _lemmas(stock(text))


def test_a_lemmatizer_from_elsewhere_is_left_alone():
    class OtherLemmatizer(EnglishLemmatizer):
        """Stands for a subclass another package ships (it may read more of the token)."""

    nlp = _english(table_lookups=False)
    old = nlp.get_pipe("lemmatizer")
    old.__class__ = OtherLemmatizer
    assert use_table_lemmatizer(nlp) is False
    assert nlp.get_pipe("lemmatizer") is old
