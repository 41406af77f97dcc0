"""The scorer's position feature: where in the abstract a candidate is first named (real pipeline)."""

import pytest

from papergraph.model import Paper
from papergraph.nlp import load_pipeline
from papergraph.nlp.concepts import own_work_start
from papergraph.nlp.features import concept_features
from papergraph.nlp.lexicon import lexicon_for
from papergraph.nlp.scorer import candidates
from papergraph.nlp.text import prepare_text, prepare_title

TITLE = "QuillNet: Fast Retrieval"
ABSTRACT = ("Retrieval over long documents is slow. Prior work uses dense indexes. We study the cost of "
            "dense indexes at scale and find most of it in re-ranking. We propose QuillNet, which prunes "
            "candidates early. QuillNet halves latency on MarrowQA.")


@pytest.fixture(scope="module")
def paper_features():
    nlp = load_pipeline(config={"papergraph_scorer": {"enabled": False}})
    paper = Paper(id="p", title=TITLE, abstract=ABSTRACT)
    docs = {"title": nlp(prepare_title(TITLE)), "abstract": nlp(prepare_text(ABSTRACT))}
    ex = nlp.get_pipe("papergraph_concepts").assemble(paper, docs, min_confidence=0.0)
    texts = {"title": TITLE, "abstract": ABSTRACT}
    cands, ctx = candidates(ex, texts, docs, lexicon_for(None), own_work_start(docs["abstract"]))
    return {c.name: (c, [f for f in concept_features(c, ctx) if f.startswith("fpos=")]) for c in cands}


def fifth(name: str) -> str:
    return f"fpos={min(4, 5 * ABSTRACT.index(name) // len(ABSTRACT))}"


def test_the_first_abstract_mention_sets_the_position(paper_features):
    _, feats = paper_features["MarrowQA"]
    assert feats == [fifth("MarrowQA")] == ["fpos=4"]  # named in the last sentence only
    _, feats = paper_features["QuillNet"]
    assert feats == [fifth("QuillNet, which")] != ["fpos=0"]  # its title mention does not count


def test_one_position_feature_per_candidate(paper_features):
    for name, (c, feats) in paper_features.items():
        assert len(feats) == 1, (name, feats)
        if not any(m.field == "abstract" for m in c.mentions):
            assert feats == ["fpos=none"]
