"""Corpus-level canonicalisation: merging, non-merging, acronym resolution, voting, variants."""

import pytest

from papergraph.model import ExtractedConcept, PaperExtraction
from papergraph.nlp.canonical import apply_votes, canonicalize, concept_key


def C(name, type="Method", aliases=(), scores=None, role="used"):
    return ExtractedConcept(name=name, type=type, role=role, aliases=list(aliases),
                            type_scores=scores or {type: 1.0})


@pytest.mark.parametrize("a,b", [
    ("chain-of-thought", "Chain of Thought"),
    ("large language models", "large language model"),
    ("LLMs", "LLM"),
    ("mixture-of-experts", "Mixture of Experts"),
])
def test_same_key(a, b):
    assert concept_key(a) == concept_key(b)


@pytest.mark.parametrize("a,b", [
    ("GPT-4", "GPT-4o"),
    ("MATH", "math"),
    ("Qwen2.5-Math-7B", "Qwen2.5-Math"),
    ("loss", "los"),
])
def test_distinct_key(a, b):
    assert concept_key(a) != concept_key(b)


def test_expansion_and_acronym_merge_across_papers():
    exs = [
        PaperExtraction("p1", [C("reinforcement learning", aliases=["RL"])]),
        PaperExtraction("p2", [C("RL")]),  # bare acronym: resolved to the corpus' only expansion
        PaperExtraction("p3", [C("Reinforcement Learning")]),
    ]
    canon = canonicalize(exs)
    keys = {canon.assignment[(p, n)] for p, n in [("p1", "reinforcement learning"), ("p2", "RL"),
                                                   ("p3", "Reinforcement Learning")]}
    assert len(keys) == 1
    (concept,) = canon.concepts.values()
    assert sorted(concept.papers) == ["p1", "p2", "p3"]
    assert "RL" in concept.aliases


def test_ambiguous_acronym_is_not_resolved():
    exs = [
        PaperExtraction("p1", [C("recommender system", aliases=["RS"])]),
        PaperExtraction("p2", [C("remote sensing", type="Task", aliases=["RS"])]),
        PaperExtraction("p3", [C("RS")]),
    ]
    canon = canonicalize(exs)
    k1 = canon.assignment[("p1", "recommender system")]
    k2 = canon.assignment[("p2", "remote sensing")]
    k3 = canon.assignment[("p3", "RS")]
    assert len({k1, k2, k3}) == 3


def test_acronym_takes_a_clear_majority_expansion_but_not_a_split_one():
    llm = [PaperExtraction(f"d{i}", [C("large language model", aliases=["LLM"])]) for i in range(3)]
    exs = llm + [
        PaperExtraction("odd", [C("long-context LLM", aliases=["LLM"])]),  # one stray expansion
        PaperExtraction("bare", [C("LLM")]),
        PaperExtraction("e1", [C("expectation propagation", aliases=["EP"])]),
        PaperExtraction("e2", [C("expert parallelism", aliases=["EP"])]),
        PaperExtraction("e3", [C("EP")]),
    ]
    canon = canonicalize(exs)
    assert canon.assignment[("bare", "LLM")] == canon.assignment[("d0", "large language model")]
    assert canon.assignment[("odd", "long-context LLM")] != canon.assignment[("d0", "large language model")]
    split = {canon.assignment[("e1", "expectation propagation")], canon.assignment[("e2", "expert parallelism")],
             canon.assignment[("e3", "EP")]}
    assert len(split) == 3


def test_vendor_prefixed_model_joins_the_bare_model_name():
    exs = [
        PaperExtraction("p1", [C("OpenAI o1", type="Model"), C("Google Search", type="Method")]),
        PaperExtraction("p2", [C("o1", type="Model"), C("search", type="Method")]),
    ]
    canon = canonicalize(exs)
    assert canon.assignment[("p1", "OpenAI o1")] == canon.assignment[("p2", "o1")]
    assert canon.assignment[("p1", "Google Search")] != canon.assignment[("p2", "search")]  # not models


def test_math_benchmark_and_math_task_stay_distinct():
    exs = [PaperExtraction("p1", [C("MATH", type="Benchmark"), C("math", type="Task")])]
    canon = canonicalize(exs)
    assert len(canon.concepts) == 2
    assert sorted(c.type for c in canon.concepts.values()) == ["Benchmark", "Task"]


def test_type_voting_over_corpus():
    exs = [
        PaperExtraction("p1", [C("Foo-3", type="Method", scores={"Method": 0.4})]),
        PaperExtraction("p2", [C("Foo-3", type="Model", scores={"Model": 0.9})]),
        PaperExtraction("p3", [C("Foo-3", type="Model", scores={"Model": 0.7, "Method": 0.2})]),
    ]
    canon = canonicalize(exs)
    (c,) = canon.concepts.values()
    assert c.type == "Model"
    assert c.type_votes == {"Method": 0.6, "Model": 1.6}
    voted = apply_votes(exs, canon)
    assert [e.concepts[0].type for e in voted] == ["Model", "Model", "Model"]
    assert exs[0].concepts[0].type == "Method"  # inputs untouched


def test_variant_links_to_family():
    exs = [
        PaperExtraction("p1", [C("Qwen2.5-Math-7B", type="Model")]),
        PaperExtraction("p2", [C("Qwen2.5-Math", type="Model"), C("Llama-3-8B", type="Model")]),
    ]
    canon = canonicalize(exs)
    assert (concept_key("Qwen2.5-Math-7B"), concept_key("Qwen2.5-Math")) in canon.variants
    # no family concept named "Llama-3" in the corpus: no link invented
    assert all(v != concept_key("Llama-3-8B") for v, _ in canon.variants)
