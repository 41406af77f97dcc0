"""Text preparation (LaTeX blanked in place, same length) and the name filter."""

import pytest

from papergraph.model import Paper
from papergraph.nlp import extract_papers, load_pipeline
from papergraph.nlp.shapes import bad_name
from papergraph.nlp.text import clean_latex, prepare_text, prepare_title


@pytest.mark.parametrize("text, expected", [
    (r"41-137$\times$ faster", "41-137×        faster"),
    (r"up to 5.18\times$ lower", "up to 5.18×       lower"),
    (r"a 2.36\sim 3 gain", "a 2.36~    3 gain"),
    (r"scoring 90.5\% on AIME", "scoring 90.5%  on AIME"),
    (r"we introduce \textbf{HSPI} here", "we introduce         HSPI  here"),
    (r"\emph{fast} and \textit{small}", "      fast  and         small "),
    (r"as in \cite{wei2022chain}.", "as in                    ."),
    (r"loss $x^{2}$ and $y_{i}$", "loss  x^ 2   and  y_ i  "),
    (r"learning~(RL) at ~2x", "learning (RL) at ~2x"),
    (r"PixArt-$\alpha$", "PixArt-α       "),
    (r"costs \$5 (\eg, k=1)", "costs $ 5 ( eg, k=1)"),
    ("plain text, no markup", "plain text, no markup"),
])
def test_clean_latex_blanks_markup_in_place(text, expected):
    out = clean_latex(text)
    assert out == expected
    assert len(out) == len(text)
    for k, c in enumerate(out):  # every kept character is where it was (symbols stand for commands)
        assert c == " " or c == text[k] or c in "×~α%$"


def test_prepare_keeps_length_of_every_field():
    for text in (r"\textbf{A} \sim B $C$ {D}_{E} F~G \%", "Title: \\emph{Large} Language Models"):
        assert len(prepare_text(text)) == len(text)
        assert len(prepare_title(text)) == len(text)


def test_sentence_case_keeps_case_sensitive_known_names():
    title = "Scaling Whisper and Falcon Models for Better Speech Recognition"
    out = prepare_title(title)
    assert out == "Scaling Whisper and Falcon models for better speech recognition"


@pytest.mark.parametrize("name, bad", [
    ("N", True), ("P", True), ("x", True), ("o1", False), ("C4", False), ("R^3", False),
    ("41-137times", True), ("2.36sim", True), ("30%-50%", True), ("42%", True), ("7B", True),
    ("1.5-2.5times speedup", True), ("times speed-up", True),
    ("Wang et al.", True), ("Smith (2020)", True),
    ("Hint-RFT): Hint-RFT", True), ("Chain-of-Thought(CoT", True), ("(ours", True), ("GPT-4 (", True),
    (r"\textbf{hardware and software platform i", True),
    ("https://github.com/org/repo", True), ("github.com/org/repo", True), ("www.example.org", True),
    ("GSM8K", False), ("3DPW", False), ("pass@1", False), ("ResNet-50 (ImageNet)", False),
    ("k-means", False), ("AIME 2024", False), ("2WikiMultihopQA", False), ("24 Game", False),
])
def test_bad_name(name, bad):
    assert bad_name(name) is bad


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def test_latex_abstract_gives_clean_concepts_with_valid_offsets(nlp):
    abstract = (r"We introduce \textbf{hardware and software platform inference (HSPI)} -- a method "
                r"that is 41-137$\times$ faster, reaching 90.5\% accuracy and a 2.36\sim speedup "
                r"over reinforcement learning~(RL) baselines (Wang et al., 2022).")
    paper = Paper(id="p", title=r"\emph{HSPI}: Platform Inference", abstract=abstract)
    (ex,) = extract_papers([paper], nlp)
    names = {c.name for c in ex.concepts}
    assert "hardware and software platform inference" in names
    for c in ex.concepts:
        assert not bad_name(c.name), c.name
        for m in c.mentions:
            assert m.text == getattr(paper, m.field)[m.start:m.end]
