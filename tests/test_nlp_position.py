"""The scorer's position features, on the real English pipeline: where in the abstract a candidate is
first named, its place in the title, and whether it is one of a list of the paper's parts ("(ii) a X")."""

import pytest

from nlp_helpers import paper_candidates
from papergraph.nlp.features import _title_position, concept_features

ABSTRACT = ("Retrieval over long documents is slow. Prior work uses dense indexes. We study the cost of "
            "dense indexes at scale and find most of it in re-ranking. We propose QuillNet, which prunes "
            "candidates early. QuillNet halves latency on MarrowQA.")
# a paper whose method has listed parts
LIST_ABSTRACT = ("Retrieval over long documents is slow. We propose QuillNet with two parts: (i) a sparse ladder "
                 "attention that skips far blocks, and (ii) a drift-aware cache that reuses keys. Dense indexes "
                 "remain the usual baseline.")
PAPERS = {"plain": ("QuillNet: Fast Retrieval", ABSTRACT),
          "listed": ("QuillNet: Retrieval over Long Documents", LIST_ABSTRACT)}


@pytest.fixture(scope="module")
def paper_features():
    """Each candidate of the plain paper with its "fpos=" features."""
    cands, ctx = paper_candidates(*PAPERS["plain"])
    return {c.name: (c, [f for f in concept_features(c, ctx) if f.startswith("fpos=")]) for c in cands}


@pytest.fixture(scope="module")
def features():
    """The features of each candidate of the listed paper, by lower-cased name."""
    return {c.name.lower(): set(concept_features(c, ctx))
            for cands, ctx in [paper_candidates(*PAPERS["listed"])] for c in cands}


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
