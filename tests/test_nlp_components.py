"""The extraction components on small hand-written cases: acronyms, candidates, roles, results,
title handling, within-paper merging and corpus-level canonical concepts."""

import pytest

from papergraph.model import Paper
from papergraph.nlp import extract_papers, load_pipeline
from papergraph.nlp.abbreviations import find_definitions, find_long_form, is_short_form
from papergraph.nlp.canonical import canonicalize
from papergraph.nlp.results import find_results


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline(config={"papergraph_scorer": {"enabled": False}})  # the rules alone


def extract(nlp, abstract, title="A study"):
    (ex,) = extract_papers([Paper(id="p", title=title, abstract=abstract)], nlp)
    return ex


def by_name(ex):
    """Concepts by every surface form (name and aliases), lower-cased."""
    out = {}
    for c in ex.concepts:
        for form in [c.name, *c.aliases]:
            out[form.lower()] = c
    return out


# --- acronyms -------------------------------------------------------------------------------

def test_long_form_character_match():
    text = "recent advances in large language models"
    assert text[find_long_form("LLMs", text):] == "large language models"
    assert find_long_form("XYZ", "nothing to see here") == -1
    assert is_short_form("CoT") and not is_short_form("the") and not is_short_form("a b")


def test_definitions_in_both_directions(nlp):
    doc = nlp("We train large language models (LLMs) here. Then RLHF (reinforcement learning from human feedback) is applied.")
    pairs = {(doc[s:e].text, doc[ls:le].text) for s, e, ls, le in find_definitions(doc)}
    assert ("LLMs", "large language models") in pairs
    assert ("RLHF", "reinforcement learning from human feedback") in pairs


def test_acronym_and_expansion_are_one_concept(nlp):
    ex = extract(nlp, "We study retrieval-augmented generation (RAG) for code. RAG improves recall. "
                      "LLMs (large language models) benefit from retrieval-augmented generation.")
    forms = by_name(ex)
    assert forms["rag"] is forms["retrieval-augmented generation"]
    assert forms["llms"] is forms["large language models"]
    assert forms["rag"].name == "retrieval-augmented generation"


def test_acronym_with_modifier_after_it(nlp):
    ex = extract(nlp, "We study Chain-of-Thought (CoT) prompting for arithmetic. CoT helps small models.")
    c = by_name(ex)["cot"]
    assert c.name == "Chain-of-Thought prompting"
    assert "Chain-of-Thought" in c.aliases


def test_acronym_of_a_model_class_is_not_extended_by_what_the_model_does(nlp):
    ex = extract(nlp, "We combine statistical tests and large language model (LLM) reasoning to find faults. "
                      "LLM reasoning is slow.")
    c = by_name(ex)["llm"]
    assert c.name == "large language model"
    assert not any("reasoning" in form for form in (c.name, *c.aliases))


def test_undefined_acronym_matches_initials(nlp):
    ex = extract(nlp, "We introduce ZQRT, which replaces sampling with a Zero Query Reasoning Template. "
                      "ZQRT is fast.", title="ZQRT: Faster Guards")
    forms = by_name(ex)
    assert forms["zqrt"] is forms["zero query reasoning template"]


def test_spelling_variants_merge(nlp):
    ex = extract(nlp, "We use chain-of-thought prompting. We also apply chain of thought prompting to algebra.")
    forms = by_name(ex)
    assert forms["chain-of-thought prompting"] is forms["chain of thought prompting"]


# --- candidates -------------------------------------------------------------------------------

def test_generic_and_excluded_phrases_are_dropped(nlp):
    ex = extract(nlp, "Our method distills the teacher model into the student model on A100 GPUs, "
                      "following smith2023scaling with k=1, and it is 1000times cheaper.")
    names = {f for f in by_name(ex)}
    for bad in ("our method", "method", "teacher model", "student model", "a100", "a100 gpus",
                "smith2023scaling", "k=1", "1000times"):
        assert bad not in names, bad


def test_a_verb_read_as_a_modifier_is_not_part_of_the_name(nlp):
    doc = nlp("We define a quantity termed plover uncertainty. Finally, we derive sampling strategies customised "
              "to downstream tasks and leverage post-training.")
    texts = [c["text"] for c in doc._.pg_candidates]
    assert "plover uncertainty" in texts and "sampling strategies" in texts
    assert not [t for t in texts if t.split()[0] in ("termed", "derive", "leverage")], texts


def test_a_name_inside_a_phrase_is_not_its_shortened_mention(nlp):
    forms = by_name(extract(nlp, "We use closed-form Bayesian inference for the posterior."))
    assert forms["closed-form bayesian inference"] is not forms["bayesian inference"]  # narrower: two things
    forms = by_name(extract(nlp, "We propose a contrastive plover alignment objective for retrieval. The plover "
                                 "alignment objective is cheap."))
    assert forms["plover alignment objective"] is forms["contrastive plover alignment objective"]  # named again


def test_title_case_name_keeps_its_adjective(nlp):
    ex = extract(nlp, "Large Language Models (LLMs) reason well. We evaluate LLMs on GSM8K.")
    forms = by_name(ex)
    assert "language models" not in forms
    assert forms["large language models"] is forms["llms"]


def test_connected_and_family_names(nlp):
    ex = extract(nlp, "This paper presents Plan-and-Solve, a prompting scheme, and tests it on "
                      "Qwen-math and the Mistral family.")
    forms = by_name(ex)
    assert forms["plan-and-solve"].role == "proposed"
    assert forms["qwen-math"].type == "Model"
    assert forms["mistral"].type == "Model"


def test_short_name_refers_back_to_full_model_name(nlp):
    ex = extract(nlp, "We evaluate DeepSeek R1 and Gemini. R1 often gives up early.")
    forms = by_name(ex)
    assert forms["r1"] is forms["deepseek r1"]
    assert forms["gemini"] is not forms["r1"]


def test_defined_acronym_is_not_a_short_reference_to_a_name_it_starts(nlp):
    ex = extract(nlp, "Site reliability analysis (SRA) is slow, and traditional SRA methods are manual. We present "
                      "SRA Helper, a tool that automates SRA with language models. SRA Helper cuts triage time.",
                 title="SRA Helper: Fast Log Triage with Language Models")
    forms = by_name(ex)
    assert forms["sra"] is forms["site reliability analysis"]
    assert forms["sra helper"] is not forms["sra"]


# --- roles -----------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,name,role", [
    ("We propose FlashPlan, a planner for robots.", "flashplan", "proposed"),
    ("We introduce a benchmark called RoboQuiz.", "roboquiz", "proposed"),
    ("We construct a dataset, known as MathTrap, of tricky problems.", "mathtrap", "proposed"),
    ("Our model outperforms GPT-4 by a wide margin.", "gpt-4", "compared"),
    ("Our model is stronger than Llama 3 on every task.", "llama 3", "compared"),
    ("We fine-tune Qwen2.5 with LoRA.", "qwen2.5", "used"),
    ("We evaluate on GSM8K.", "gsm8k", "used"),
])
def test_role_cues(nlp, sentence, name, role):
    assert by_name(extract(nlp, sentence))[name].role == role


def test_known_name_is_not_proposed(nlp):
    ex = extract(nlp, "We propose a speculative decoding method for long outputs.")
    assert by_name(ex)["speculative decoding"].role != "proposed"


def test_models_named_as_background_are_mentioned(nlp):
    ex = extract(nlp, "Chat assistants such as Claude 3 and Mistral-7B have changed how people write code. "
                      "We fine-tune Qwen2.5 on a new set of unit-test repair tasks.")
    forms = by_name(ex)
    assert forms["claude 3"].role == "mentioned"
    assert forms["mistral-7b"].role == "mentioned"
    assert forms["qwen2.5"].role == "used"


def test_background_concept_reused_by_the_paper_is_not_mentioned(nlp):
    ex = extract(nlp, "Planners such as beam search are slow on large boards. "
                      "We extend beam search with a learned value cache.")
    assert by_name(ex)["beam search"].role != "mentioned"


def test_example_after_own_work_sentence_is_not_background(nlp):
    ex = extract(nlp, "We study planning with language agents. Agents built on models such as Gemma 2 "
                      "are compared under the same budget.")
    assert by_name(ex)["gemma 2"].role != "mentioned"


def test_title_prefix_and_means_are_proposed(nlp):
    ex = extract(nlp, "We test it on MMLU.", title="Zebra-7: Faster Reasoning via Lazy Token Pruning")
    forms = by_name(ex)
    assert forms["zebra-7"].role == "proposed"
    assert forms["lazy token pruning"].role == "proposed"


def test_slogan_title_prefix_is_not_a_concept(nlp):
    ex = extract(nlp, "We study sampling for code.", title="Hungry Hungry Hippos: Sampling for Code")
    assert "hungry hungry hippos" not in by_name(ex)


# --- evidence and mentions keep the paper's characters -------------------------------------

def test_title_evidence_is_original_text(nlp):
    title = "TinyRouter: Routing Queries Between Small And Large Language Models"
    ex = extract(nlp, "We propose TinyRouter. It routes queries to large language models.", title=title)
    tiny = by_name(ex)["tinyrouter"]
    assert tiny.evidence == title
    for c in ex.concepts:
        for m in c.mentions:
            assert m.text == getattr(Paper("p", title, "We propose TinyRouter. It routes queries to large "
                                                      "language models."), m.field)[m.start:m.end]
            if m.field == "title":
                assert m.text in title


# --- results ---------------------------------------------------------------------------------

def test_result_absolute_percentage():
    (r,) = find_results("Our model reaches 71.27% accuracy on ToyBench.")
    assert (r["value"], r["unit"], r["kind"], r["text"]) == (71.27, "%", "absolute", "71.27%")


def test_result_relative_improvement():
    (r,) = find_results("It improves F1 by 13% over the baseline.")
    assert (r["value"], r["unit"], r["kind"], r["direction"]) == (13.0, "%", "relative", "up")


def test_result_speedup_and_reduction():
    rs = find_results("It is 200x faster and reduces latency by 40%.")
    assert [(r["value"], r["unit"], r["direction"]) for r in rs] == [(200.0, "x", "up"), (40.0, "%", "down")]


def test_result_signed_delta_and_no_false_numbers():
    (r,) = find_results("This gives +26.23 FID on the test set.")
    assert (r["value"], r["direction"]) == (26.23, "up")
    assert find_results("We use 3 models and 12 layers in 2024.") == []


def test_result_linked_to_metric_benchmark_and_subject(nlp):
    ex = extract(nlp, "We propose ToyNet. ToyNet achieves 71.27% accuracy on GSM8K.")
    (r,) = ex.results
    assert (r.metric, r.benchmark, r.subject) == ("accuracy", "GSM8K", "ToyNet")
    assert r.evidence == "ToyNet achieves 71.27% accuracy on GSM8K."


# --- canonical concepts across papers (through extraction) ----------------------------------

def test_canonical_merges_forms_and_keeps_distinct_names_apart(nlp):
    papers = [
        Paper("a", "One", "We compare GPT-4 and GPT-4o on the MATH benchmark with chain-of-thought prompting."),
        Paper("b", "Two", "We study math and apply chain of thought prompting to GPT-4."),
        Paper("c", "Three", "Qwen2.5-Math-7B and Qwen2.5-Math solve math problems."),
    ]
    exs = list(extract_papers(papers, nlp))
    canon = canonicalize(exs)
    key = {(p, n): k for (p, n), k in canon.assignment.items()}
    names = {canon.concepts[k].name: k for k in canon.concepts}
    assert key[("a", "GPT-4")] == key[("b", "GPT-4")]
    assert key[("a", "GPT-4")] != key[("a", "GPT-4o")]
    assert canon.concepts[key[("a", "MATH")]].type == "Benchmark"
    assert key[("a", "MATH")] != key.get(("b", "math"), key.get(("c", "math")))
    cot = [k for (p, n), k in key.items() if "thought" in n.lower()]
    assert len(set(cot)) == 1 and len(cot) == 2
    assert (names["Qwen2.5-Math-7B"], names["Qwen2.5-Math"]) in canon.variants


def test_result_direction_list_and_non_results():
    (r,) = find_results("It keeps quality while reducing sampling costs by 50%.")
    assert (r["kind"], r["direction"]) == ("relative", "down")
    rs = find_results("We see gains of 11.8% for ModelA and 10.3% for ModelB.")
    assert [(r["value"], r["kind"]) for r in rs] == [(11.8, "relative"), (10.3, "relative")]
    assert find_results("A small model matches a 70x larger model.") == []
    assert find_results("It keeps quality using only 10% of the cache.") == []


def test_formats_maths_and_document_parts_are_not_names(nlp):
    ex = extract(nlp, "As shown in Section 6 and Fig 2, W4A8 quantization in float32 keeps k^2 terms small.")
    names = set(by_name(ex))
    for bad in ("section 6", "fig", "w4a8", "float32", "k^2"):
        assert bad not in names, bad
