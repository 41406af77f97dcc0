"""Helpers of the NLP tests: one paper through the real pipeline up to the scorer's candidates."""

from papergraph.model import Paper
from papergraph.nlp import load_pipeline
from papergraph.nlp.concepts import own_work_start
from papergraph.nlp.lexicon import lexicon_for
from papergraph.nlp.scorer import candidates
from papergraph.nlp.text import prepare_text, prepare_title


def paper_candidates(title: str, abstract: str):
    """The scorer's candidates of one paper (the rules' concepts and noun chunks) and their
    feature context, with the English pipeline and the rules (scorer off)."""
    nlp = load_pipeline(config={"papergraph_scorer": {"enabled": False}})
    paper = Paper(id="p", title=title, abstract=abstract)
    docs = {"title": nlp(prepare_title(title)), "abstract": nlp(prepare_text(abstract))}
    ex = nlp.get_pipe("papergraph_concepts").assemble(paper, docs, min_confidence=0.0)
    return candidates(ex, {"title": title, "abstract": abstract}, docs, lexicon_for(None),
                      own_work_start(docs["abstract"]))
