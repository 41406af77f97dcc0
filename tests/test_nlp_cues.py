"""Type cues from a candidate's context and name (papergraph.nlp.cues), on the real English pipeline."""

import pytest

from papergraph.nlp import load_pipeline


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(config={"papergraph_scorer": {"enabled": False}})


def cue(nlp, text, name):
    """The context types and rules the cue component gives candidate ``name`` in ``text``."""
    found = [c for c in nlp(text)._.pg_candidates if c["text"] == name]
    assert found, f"{name!r} is not a candidate of {text!r}"
    return found[0]["types"], found[0]["rules"]


def strongest(types):
    return max(types, key=types.get) if types else None


@pytest.mark.parametrize("text, name", [
    ("We release the accompanying safety reward dataset (Zorbex4M) for future research.", "Zorbex4M"),
    ("Results on two dialogue datasets (Quillon-7 and Trevasse) show clear gains.", "Trevasse"),
    ("This paper presents the Vantor-10M dataset and a new model.", "Vantor-10M"),
])
def test_a_type_word_before_a_bracket_or_after_the_name_beats_a_size_suffix(nlp, text, name):
    types, _ = cue(nlp, text, name)
    assert strongest(types) == "Benchmark"


def test_a_size_suffix_alone_still_says_model(nlp):
    types, _ = cue(nlp, "We fine-tune Vantor-7B with our recipe.", "Vantor-7B")
    assert strongest(types) == "Model"


@pytest.mark.parametrize("name", ["QuillBench-Lite", "TrevaEval", "ZorbQA"])
def test_benchmark_shaped_names(nlp, name):
    types, _ = cue(nlp, f"Scores on {name} improve by four points.", name)
    assert strongest(types) == "Benchmark"


def test_including_after_a_type_word_types_the_list(nlp):
    types, _ = cue(nlp, "It improves on coding benchmarks, including Quillon-Hard-Auto and Trevasse.", "Quillon-Hard-Auto")
    assert types.get("Benchmark", 0) >= 1.5


def test_capitalised_words_of_a_title_cased_title_are_flagged(nlp):
    text = "Language Models Do Not Follow Grumble's Lantern: A Benchmark for Inductive Reasoning"
    found = {c["text"]: c["rules"] for c in nlp(text)._.pg_candidates}
    assert "title-case-word" in found.get("Lantern", ["title-case-word"])
    plain = {c["text"]: c["rules"] for c in nlp("We light the Lantern before dawn and measure its glow.")._.pg_candidates}
    assert all("title-case-word" not in r for r in plain.values())


def test_a_benchmark_name_inside_a_clause_does_not_type_the_clause(nlp):
    found = {c["text"]: c["types"] for c in nlp("PlimModel scores QuillBench (62.5) on the test split.")._.pg_candidates}
    assert "Benchmark" not in found.get("PlimModel scores QuillBench", {})


@pytest.mark.parametrize("text, name", [
    ("Our model reaches a Pass@64 of 41% on the proof suite.", "Pass@64"),
    ("Retrieval quality is measured by Recall@10 on held-out queries.", "Recall@10"),
])
def test_a_measure_at_a_cut_off_is_a_metric(nlp, text, name):
    types, _ = cue(nlp, text, name)
    assert strongest(types) == "Metric"


def roles_of(nlp, text, name):
    """The role rules the cue component gives candidate ``name`` in ``text``."""
    return [r for r in cue(nlp, text, name)[1] if r.startswith("role:")]


@pytest.mark.parametrize("text, name", [
    ("Agents pay before each request; we call this Gated Crawl Pricing.", "Gated Crawl Pricing"),
    ("We term it Lattice Echo Tuning and study its limits.", "Lattice Echo Tuning"),
    ("We add a second cache, namely Drift Ledger Cache, to the retriever.", "Drift Ledger Cache"),
])
def test_a_name_given_to_this_or_it_is_proposed(nlp, text, name):
    assert "role:called" in roles_of(nlp, text, name)


def test_a_name_after_a_demonstrative_alone_is_not_called(nlp):
    assert "role:called" not in roles_of(nlp, "Prior systems use this Gated Crawl Pricing too.", "Gated Crawl Pricing")


def test_an_apposition_with_our_says_the_papers_own(nlp):
    assert "role:our-appos" in roles_of(nlp, "We evaluate GraphPilot, our planner for warehouse robots.", "GraphPilot")
    assert "role:our-appos" not in roles_of(nlp, "We evaluate GraphPilot, a planner for warehouse robots.", "GraphPilot")
