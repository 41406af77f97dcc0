"""Known names (package gazetteer + knowledge base) as candidates and type evidence."""

import pytest

from papergraph.model import Paper
from papergraph.nlp import extract_papers, load_pipeline
from papergraph.nlp.lexicon import Vocabulary, load_lexicon


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def concepts(nlp, abstract, title="A study"):
    (ex,) = extract_papers([Paper(id="p", title=title, abstract=abstract)], nlp)
    return {c.name: c for c in ex.concepts}


def candidates(nlp, text):
    return [(c["text"], c["rules"]) for c in nlp(text)._.pg_candidates]


def test_kb_types_respect_case_rules():
    lex = load_lexicon()
    assert lex.gazetteer_type("GSM8K") == lex.gazetteer_type("GSM-8K") == "Benchmark"
    assert lex.gazetteer_type("Whisper") == "Model"
    assert lex.gazetteer_type("whisper") is None  # an ordinary word in lower case
    assert lex.gazetteer_type("Stable Diffusion XL") == "Model"
    assert lex.gazetteer_type("mean absolute error") == "Metric"
    assert lex.gazetteer_type("mAP") == "Metric" and lex.gazetteer_type("map") is None
    assert lex.gazetteer_type("Multiple") is None  # MultiPL-E, case-folded, is a word
    assert load_lexicon(Vocabulary(gazetteer={"whisper": "Method"})).gazetteer_type("whisper") == "Method"


def test_kb_name_in_text_is_a_candidate_case_sensitively(nlp):
    found = candidates(nlp, "We transcribe with Whisper and generate with Stable Diffusion XL.")
    texts = [t for t, _ in found]
    assert "Whisper" in texts and "Stable Diffusion XL" in texts
    assert any(r.startswith("kb:hf_transformers:whisper") for t, rules in found if t == "Whisper" for r in rules)
    lower = [t for t, _ in candidates(nlp, "The birds whisper while a falcon flies over the palm and the bark.")]
    assert not {"whisper", "falcon", "palm", "bark"} & {t.lower() for t in lower}


@pytest.mark.parametrize("text, name", [
    ("We build a GPT-4-powered pipeline for triage.", "GPT-4"),
    ("We train a LLaMA-based agent on web tasks.", "LLaMA"),
    ("Prompts are written in a Claude-style format.", "Claude"),
    ("We pretrain a 775M Llama backbone from scratch.", "Llama"),
    ("We fine-tune OPT-6.7b models with adapters.", "OPT-6.7b"),
])
def test_names_inside_compounds(nlp, text, name):
    assert name in [t for t, _ in candidates(nlp, text)]


def test_unknown_compound_prefix_is_not_a_name(nlp):
    texts = [t for t, _ in candidates(nlp, "An API-based tool reaches PhD-level scores.")]
    assert "API" not in texts and "PhD" not in texts


def test_known_name_replaces_the_phrase_around_it(nlp):
    found = concepts(nlp, "We use Bayesian inference and evaluate on Natural Questions "
                          "and Humanity's Last Exam with Claude 3.5 Sonnet.")
    assert {"Bayesian inference", "Natural Questions", "Humanity's Last Exam", "Claude 3.5 Sonnet"} <= set(found)
    assert found["Natural Questions"].type == "Benchmark"
    assert found["Claude 3.5 Sonnet"].type == "Model"
    assert [t for t, _ in candidates(nlp, "We use a Bayesian inference engine.")] == ["Bayesian inference"]
    assert [t for t, _ in candidates(nlp, "We evaluate on multilingual MMLU.")] == ["MMLU"]


def test_a_phrase_narrowing_a_known_method_or_task_stays_a_candidate(nlp):
    texts = [t for t, _ in candidates(nlp, "We study zero-shot semantic segmentation.")]
    assert {"semantic segmentation", "zero-shot semantic segmentation"} <= set(texts)
    assert {"closed-form Bayesian inference", "Bayesian inference"} <= {
        t for t, _ in candidates(nlp, "We use closed-form Bayesian inference.")}


def test_name_inside_a_longer_name_is_not_added(nlp):
    texts = [t for t, _ in candidates(nlp, "We evaluate Qwen2.5 72B and Llama 3.1 8B Instruct.")]
    assert "Qwen2.5" not in texts and "Llama 3.1" not in texts


def test_sentence_period_is_not_part_of_a_name(nlp):
    found = concepts(nlp, "We report BLEU and ROUGE-L.")
    assert "ROUGE-L" in found and "ROUGE-L." not in found
