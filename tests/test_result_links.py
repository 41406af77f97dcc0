"""Results linked to their metric, benchmark and model, and Model -> Benchmark evaluations, on
small hand-written abstracts (invented names: nothing here comes from a corpus or gold file)."""

import pytest

from papergraph.graph import build_graph
from papergraph.model import Paper
from papergraph.nlp import extract_papers, load_pipeline
from papergraph.nlp.measures import better, is_measure
from papergraph.nlp.results import find_results


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def extract(nlp, abstract, pid="p"):
    (ex,) = extract_papers([Paper(id=pid, title="A study", abstract=abstract)], nlp)
    return ex


def links(ex):
    return [(r.value, r.metric, r.benchmark, r.subject) for r in ex.results]


def evaluated(ex):
    return {(r.source, r.target) for r in ex.relations if r.type == "EVALUATED_ON"}


# --- numbers ------------------------------------------------------------------------------

def test_scores_without_a_unit_and_tables_in_text():
    assert [(r["value"], r["kind"]) for r in find_results("It improves pass@1 from 40 to 52 on X.")] == [
        (40.0, "absolute"), (52.0, "absolute")]
    assert [r["value"] for r in find_results("Scores: AlphaSet (85.2), BetaSet (61.3).")] == [85.2, 61.3]
    assert find_results("Data from 2019 to 2023 were used.") == []  # years
    assert find_results("The layers grow from 10 to 20 blocks.") == []  # counts, not scores
    assert find_results("The corpus is 5 times larger than the previous one.") == []  # a size
    assert [r["value"] for r in find_results("It gives 3x larger gains.")] == [3.0]


@pytest.mark.parametrize("name, want", [
    ("accuracy", "higher"), ("word error rate", "lower"), ("WER", "lower"), ("win rate", "higher"),
    ("bit error rate", "lower"), ("pass@8", "higher"), ("inference latency", "lower"), ("FID", "lower"),
    ("token usage", "lower"), ("generation speed", "higher"), ("Frobnication", None), (None, None)])
def test_metric_direction(name, want):
    assert better(name) == want


def test_measure_words():
    assert is_measure("latency") and is_measure("tokens") and is_measure("pass@4")
    assert not is_measure("model") and not is_measure("rate")


# --- links in one sentence --------------------------------------------------------------------

def test_metric_benchmark_and_model_stated_in_the_sentence(nlp):
    ex = extract(nlp, "We propose ZorbNet, a sparse decoder. ZorbNet achieves 81.5% accuracy on the "
                      "QuillBench benchmark, and reduces latency by 40%.")
    assert links(ex) == [(81.5, "accuracy", "QuillBench", "ZorbNet"), (40.0, "latency", "QuillBench", "ZorbNet")]


def test_metric_before_the_numbers_and_scope_of_the_sentence(nlp):
    ex = extract(nlp, "We introduce PlimModel. On QuillBench, PlimModel reaches an accuracy of 62.0%, while "
                      "its word error rate drops from 12.4% to 9.1%.")
    assert links(ex) == [(62.0, "accuracy", "QuillBench", "PlimModel"),
                         (12.4, "word error rate", "QuillBench", "PlimModel"),
                         (9.1, "word error rate", "QuillBench", "PlimModel")]


def test_unitless_scores_keep_their_metric_and_benchmark(nlp):
    ex = extract(nlp, "We present TinyTune. TinyTune improves pass@1 from 40 to 52 on QuillBench.")
    assert links(ex) == [(40.0, "pass@1", "QuillBench", "TinyTune"), (52.0, "pass@1", "QuillBench", "TinyTune")]


def test_respectively_matches_benchmarks_to_numbers_in_order(nlp):
    ex = extract(nlp, "We propose GlimNet. GlimNet attains accuracies of 71.0%, 64.5% and 58.2% on QuillBench, "
                      "MarrowQA and TorvaSet, respectively.")
    assert [(r.value, r.benchmark, r.metric) for r in ex.results] == [
        (71.0, "QuillBench", "accuracy"), (64.5, "MarrowQA", "accuracy"), (58.2, "TorvaSet", "accuracy")]


def test_a_measured_phrase_is_a_metric_even_when_not_a_concept(nlp):
    ex = extract(nlp, "We propose BrimCache. BrimCache uses 3x fewer tokens and cuts the serving cost by 45%.")
    assert [(r.value, r.metric) for r in ex.results] == [(3.0, "token"), (45.0, "serving cost")]


def test_the_paper_names_one_benchmark_and_our_method_is_its_proposal(nlp):
    ex = extract(nlp, "We propose KelpRank for retrieval and evaluate it on MarrowQA. "
                      "Our method yields a 7.5% gain over the strongest baseline.")
    (r,) = ex.results
    assert (r.benchmark, r.subject) == ("MarrowQA", "KelpRank")


def test_a_table_cell_belongs_to_its_own_name_only(nlp):
    ex = extract(nlp, "We introduce PlimModel. PlimModel scores Frobnicate (62.5) and TorvaBench (48.1).")
    assert [(r.value, r.benchmark) for r in ex.results] == [(62.5, None), (48.1, "TorvaBench")]


def test_nothing_is_linked_that_the_text_does_not_state(nlp):
    ex = extract(nlp, "We study why agents fail. About 40% of the traces end early.")
    assert links(ex) == [(40.0, None, None, None)]


# --- Model -> Benchmark evaluations -----------------------------------------------------------

def test_evaluate_x_and_y_on_a_and_b(nlp):
    ex = extract(nlp, "We evaluate Frobo-7B and Glarp-13B on QuillBench and MarrowQA.")
    assert evaluated(ex) == {(m, b) for m in ("Frobo-7B", "Glarp-13B") for b in ("QuillBench", "MarrowQA")}


def test_generic_methods_are_not_evaluated_models(nlp):
    ex = extract(nlp, "Experiments on QuillBench with Frobo-7B and other large language models show the gap.")
    assert "large language model" in {c.name.lower() for c in ex.concepts}
    assert evaluated(ex) == {("Frobo-7B", "QuillBench")}


def test_results_give_evaluations_and_the_graph_keeps_them(nlp):
    # described as a model: the type of a bare made-up name is the scorer's guess
    paper = Paper("p", "A study", "We introduce PlimModel, a language model tested with accuracy. "
                                  "PlimModel scores QuillBench (62.5) and TorvaBench (48.1).")
    ex = extract(nlp, paper.abstract)
    assert evaluated(ex) == {("PlimModel", "QuillBench"), ("PlimModel", "TorvaBench")}
    G = build_graph([paper], [ex])
    name = {n: d.get("name") for n, d in G.nodes(data=True)}
    assert {(name[u], name[v]) for u, v, k in G.edges(keys=True) if k == "EVALUATED_ON"} == evaluated(ex)
    first, second = sorted((n for n, d in G.nodes(data=True) if d["label"] == "Result"))
    assert (G.nodes[first]["value"], G.nodes[first]["better"]) == (62.5, "higher")
    assert {k: name[v] for _, v, k in G.out_edges(first, keys=True)} == {
        "ON": "QuillBench", "OF": "PlimModel", "MEASURED_BY": "accuracy"}
    assert {k: name[v] for _, v, k in G.out_edges(second, keys=True)}["ON"] == "TorvaBench"
