"""The lexicon's lookup indexes and memo tables give the answers of the plain lookups."""

import pytest

from papergraph.nlp import load_pipeline
from papergraph.nlp.candidates import Word, chunk_words, classify_word
from papergraph.nlp.lexicon import load_lexicon, lexicon_for
from papergraph.nlp.shapes import word_groups
from papergraph.nlp.tokens import TokenColumns

TEXT = ("Mamba beats RNNs. We fine-tune Mamba on GSM8K and MATH, a math benchmark. "
        "Math is hard: our partially observable setting uses math tools and a GPT-4-based judge. "
        "Llama-3.1-8B's win rate rises; the Llama model wins 71.3% of games.")


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(config={"papergraph_scorer": {"enabled": False}})  # the rules alone


def test_head_types_index_matches_word_lists():
    lex = lexicon_for(None)
    words = set().union(*lex.heads.values()) | {"no-such-head", ""}
    for w in words:
        assert lex.head_types(w) == [t for t, ws in lex.heads.items() if w in ws]


def test_gazetteer_type_memo_answers_like_the_lookup():
    lex = load_lexicon()
    names = [n for n, _ in lex.gazetteer_names[:300]]
    for surface in names + [n.lower() for n in names] + ["not a known name"]:
        first = lex.gazetteer_type(surface)
        assert first == lex._gazetteer_type(surface) == lex.gazetteer_type(surface)


def _words(toks):
    for start, end in toks.sents:
        groups = word_groups(toks.text[start:end], toks.tag[start:end], toks.ws[start:end])
        for k, (a, b) in enumerate(groups):
            yield k == 0, Word(start + a, start + b, "".join(toks.text[start + a:start + b]))


def test_chunker_memo_does_not_change_classes(nlp):
    doc = nlp(TEXT)
    toks = TokenColumns(doc)
    cold = load_lexicon()  # fresh memo tables
    runs = chunk_words(toks, cold)
    assert runs == chunk_words(toks, cold)  # warm tables: same runs
    classes = {g: c for run in runs for c, g in run}
    fresh = load_lexicon()
    for first, g in _words(toks):
        expected = classify_word(toks, g, fresh, first_in_sent=first)
        if expected != "B":
            assert classes[g] == expected, g
        else:
            assert g not in classes, g
