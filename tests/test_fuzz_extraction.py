"""Property-based extraction tests: any Unicode text extracts without error, and every offset is exact.

The spaCy pipeline is loaded once for the module; examples mix real concept names (so there are
mentions to check) with emoji, right-to-left text, combining marks, math symbols, LaTeX,
very long sentences and text without any sentence boundary.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from papergraph.model import Paper

#: Examples per property (RELIABILITY.md quotes these figures).
EXAMPLES = 60

NAMES = ["BERT", "GLUE", "ImageNet", "ResNet-50", "GPT-4", "accuracy", "F1 score", "LoRA", "transformer",
         "SQuAD", "BLEU", "CLIP", "diffusion models", "LLMs", "Llama 2", "MMLU", "reinforcement learning"]
SPICE = ["\U0001f600", "\U0001f469\u200d\U0001f52c", "\u05e9\u05dc\u05d5\u05dd", "\u0645\u0631\u062d\u0628\u0627",
         "\u202e", "\u200f", "e\u0301", "a\u0308\u0323", "\u2211", "\u222b", "\u2264", "\u211d^n", "\\mathcal{X}",
         "$\\alpha$", "\\textbf{BERT}", "\\emph{GLUE}", "$O(n^2)$", "\\times", "\\%", "\u00a0", "\u2028", "\t",
         "\u4e2d\u6587", "\u0928\u092e\u0938\u094d\u0924\u0947", "\ufeff", "...", "\u2014", "(", ")",
         "71.3%", "+2.5 BLEU", "3x faster", "\U0001d400", "''", '"', "\n"]
WORDS = st.sampled_from(["we", "propose", "use", "evaluate", "on", "outperforms", "with", "and", "the", "model",
                         "achieves", "a", "new", "method", "for", "based", "of"])
PIECE = st.one_of(st.sampled_from(NAMES), st.sampled_from(SPICE), WORDS, st.text(max_size=6))
TEXT = st.lists(PIECE, max_size=40).map(" ".join)


@pytest.fixture(scope="module")
def nlp():
    from papergraph.nlp import load_pipeline

    return load_pipeline()


def _check(papers, nlp):
    from papergraph.nlp import extract_papers

    exs = list(extract_papers(papers, nlp))
    assert [e.paper_id for e in exs] == [p.id for p in papers]
    for paper, ex in zip(papers, exs):
        for c in ex.concepts:
            assert c.name and c.mentions
            for m in c.mentions:
                field = getattr(paper, m.field)
                assert 0 <= m.start < m.end <= len(field)
                assert m.text == field[m.start:m.end]
        for r in ex.results:
            field = getattr(paper, r.field)
            assert 0 <= r.start <= r.end <= len(field) and r.text == field[r.start:r.end]
    return exs


SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@SETTINGS
@given(titles=st.lists(TEXT, min_size=1, max_size=3), abstracts=st.lists(TEXT, min_size=3, max_size=3))
def test_any_unicode_extracts_with_exact_offsets(nlp, titles, abstracts):
    papers = [Paper(id=f"p{i}", title=t, abstract=a) for i, (t, a) in enumerate(zip(titles, abstracts))]
    _check(papers, nlp)


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(words=st.lists(st.one_of(st.sampled_from(NAMES), WORDS, st.sampled_from(SPICE)), min_size=1, max_size=30),
       repeat=st.integers(10, 80), sep=st.sampled_from([" ", ", ", " and ", "\u3000", " \u2014 "]))
def test_long_sentences_without_boundaries(nlp, words, repeat, sep):
    """One sentence of up to ~2,400 words with no period (the sentence splitter has nothing to split on);
    (whether names are found in such soup is a quality question, not checked here)."""
    abstract = sep.join(words * repeat)
    _check([Paper(id="long", title=sep.join(words), abstract=abstract)], nlp)


def test_known_name_in_a_huge_sentence_is_found(nlp):
    abstract = " and ".join(["we evaluate BERT on GLUE with accuracy"] * 400)  # 2,800 words, no period
    exs = _check([Paper(id="huge", title="A long one", abstract=abstract)], nlp)
    assert {"BERT", "GLUE"} <= {c.name for c in exs[0].concepts}


def test_latex_and_math_keep_offsets(nlp):
    abstract = ("We fine-tune \\textbf{BERT} on $\\mathcal{X} \\subset \\mathbb{R}^d$ and reach 91.2\\% accuracy "
                "on GLUE, $2\\times$ faster than RoBERTa \u2014 \u05e9\u05dc\u05d5\u05dd \U0001f600 e\u0301.")
    exs = _check([Paper(id="tex", title="\\emph{LoRA} for \U0001f600 Transformers", abstract=abstract)], nlp)
    names = {c.name for c in exs[0].concepts}
    assert "GLUE" in names
