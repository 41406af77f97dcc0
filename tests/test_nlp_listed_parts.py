"""The scorer's features of where a candidate stands: its place in the title and in a list of the
paper's parts ("(ii) a X"), on the real English pipeline."""

import pytest

from papergraph.model import Paper
from papergraph.nlp import load_pipeline
from papergraph.nlp.concepts import own_work_start
from papergraph.nlp.features import _title_position, concept_features
from papergraph.nlp.lexicon import lexicon_for
from papergraph.nlp.scorer import candidates
from papergraph.nlp.text import prepare_text, prepare_title

TITLE = "QuillNet: Retrieval over Long Documents"
ABSTRACT = ("Retrieval over long documents is slow. We propose QuillNet with two parts: (i) a sparse ladder "
            "attention that skips far blocks, and (ii) a drift-aware cache that reuses keys. Dense indexes "
            "remain the usual baseline.")


@pytest.fixture(scope="module")
def features():
    nlp = load_pipeline(config={"papergraph_scorer": {"enabled": False}})
    paper = Paper(id="p", title=TITLE, abstract=ABSTRACT)
    docs = {"title": nlp(prepare_title(TITLE)), "abstract": nlp(prepare_text(ABSTRACT))}
    ex = nlp.get_pipe("papergraph_concepts").assemble(paper, docs, min_confidence=0.0)
    cands, ctx = candidates(ex, {"title": TITLE, "abstract": ABSTRACT}, docs, lexicon_for(None),
                            own_work_start(docs["abstract"]))
    return {c.name.lower(): set(concept_features(c, ctx)) for c in cands}


def test_the_title_name_and_the_phrases_after_its_colon(features):
    assert {"tpos=start", "tnx=other", "tpos=start|tnx=other"} <= features["quillnet"]
    assert {"tpos=after-colon", "tnx=other"} <= features["retrieval"]  # "Retrieval over ..."
    assert {"tpos=mid", "tnx=end", "tpos=mid|tnx=end"} <= features["long document"]


def test_the_word_after_a_title_mention(features):
    assert _title_position("A Cache for Long Documents", 2, 7) == ("tpos=mid|tnx=for", "tpos=mid", "tnx=for")
    assert _title_position("Zorb — A Cache", 7, 14)[0] == "tpos=after-colon|tnx=end"


@pytest.mark.parametrize("name", ["drift-aware cache"])
def test_a_listed_part_is_marked(features, name):
    assert "enum" in features[name]


def test_a_phrase_outside_any_list_is_not(features):
    assert "enum" not in features["dense index"] and "enum" not in features["quillnet"]
    assert not any(f.startswith("tpos=") for f in features["dense index"])
