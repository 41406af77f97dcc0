"""graph.build_graph on hand-built extractions: schema, roles -> edge types, counts, results."""

import networkx as nx

from papergraph.graph import build_graph, concept_node, paper_node
from papergraph.model import ExtractedConcept, Mention, Paper, PaperExtraction, Relation, Result


def P(pid, title="T", abstract="A b c."):
    return Paper(id=pid, title=title, abstract=abstract, sources=[f"f.jsonl:{pid}"])


def C(name, type, role="used", aliases=(), conf=0.8):
    return ExtractedConcept(name=name, type=type, role=role, aliases=list(aliases), confidence=conf,
                            mentions=[Mention("abstract", 0, len(name), name)], evidence=f"We use {name}.",
                            rules=["test"], type_scores={type: conf})


def _graph():
    papers = [P("p1"), P("p2"), P("p3")]
    exs = [
        PaperExtraction("p1", [C("NewNet", "Model", "proposed"), C("GSM8K", "Benchmark"),
                               C("GPT-4", "Model", "compared"), C("accuracy", "Metric")],
                        relations=[Relation("NewNet", "GSM8K", "EVALUATED_ON", "NewNet on GSM8K.", 0.7)],
                        results=[Result(71.3, "%", "absolute", "none", "71.3% accuracy", "s.",
                                        metric="accuracy", benchmark="GSM8K", subject="NewNet")]),
        PaperExtraction("p2", [C("GSM8K", "Benchmark"), C("gsm8k", "Benchmark", "mentioned"),
                               C("low-rank adaptation", "Method", aliases=["LoRA"])]),
        PaperExtraction("p3", [C("LoRA", "Method", "mentioned"), C("weak thing", "Task", conf=0.1)]),
    ]
    return build_graph(papers, exs, min_confidence=0.2)


def test_nodes_and_labels():
    G = _graph()
    assert isinstance(G, nx.MultiDiGraph)
    labels = nx.get_node_attributes(G, "label")
    assert sorted(labels[n] for n in G) == ["Concept"] * 5 + ["Paper"] * 3 + ["Result"]
    assert concept_node("weakthing") not in G  # below min_confidence


def test_edge_types_follow_roles_and_types():
    G = _graph()
    gsm = concept_node("gsm8k")
    assert G.has_edge(paper_node("p1"), gsm, key="EVALUATES_ON")
    assert G.has_edge(paper_node("p1"), concept_node("newnet"), key="PROPOSES")
    assert G.has_edge(paper_node("p1"), concept_node("gpt4"), key="COMPARES_WITH")
    assert G.has_edge(paper_node("p1"), concept_node("accuracy"), key="USES")
    # two surface forms in one paper -> one edge, the stronger role
    assert G.number_of_edges(paper_node("p2"), gsm) == 1
    assert G.has_edge(paper_node("p2"), gsm, key="EVALUATES_ON")


def test_paper_counts_and_acronym_merge():
    G = _graph()
    assert G.nodes[concept_node("gsm8k")]["paper_count"] == 2
    lora = concept_node("lowrankadaptation")
    assert G.nodes[lora]["paper_count"] == 2  # "LoRA" in p3 resolves to the expansion of p2
    assert "LoRA" in G.nodes[lora]["aliases"]
    e = G.edges[paper_node("p3"), lora, "MENTIONS"]
    assert e["evidence"] == "We use LoRA." and e["field"] == "abstract" and e["end"] == 4


def test_relations_and_results():
    G = _graph()
    assert G.has_edge(concept_node("newnet"), concept_node("gsm8k"), key="EVALUATED_ON")
    r = "result:p1:0"
    assert G.nodes[r]["value"] == 71.3
    assert G.has_edge(paper_node("p1"), r, key="REPORTS")
    assert {k for _, _, k in G.out_edges(r, keys=True)} == {"ON", "OF", "MEASURED_BY"}


def test_reduced_extractions_give_the_same_graph(shared_corpus):
    """What a build keeps of each extraction (for_graph) assembles the graph the full ones do,
    value types included, on the shared corpus and on values that only look alike (1 and 1.0)."""
    import copy
    import json

    from papergraph.api import extract
    from papergraph.graph import for_graph
    from papergraph.nlp.canonical import canonicalize

    report, exs = extract([shared_corpus], corpus_vote=False)
    odd = PaperExtraction("p1", [C("One", "Model", conf=1.0), C("Int", "Task", conf=1),
                                 C("Votes", "Method", conf=0.5)])
    odd.concepts[2].type_scores = {"Method": 0.5, "Task": 0.2}
    odd.concepts[1].mentions = [Mention("title", 1, 4, "Int"), Mention("abstract", 7, 10, "Int")]
    papers, exs = [*report.papers, P("p1")], [*exs, odd]
    full = build_graph(papers, copy.deepcopy(exs))
    reduced = [for_graph(e) for e in exs]
    assert not any(m.text for e in reduced for c in e.concepts for m in c.mentions)
    lean = build_graph(papers, iter(reduced), canon=canonicalize(reduced))

    def dump(G):
        return json.dumps([list(G.nodes(data=True)), list(G.edges(keys=True, data=True))], default=list)

    assert dump(lean) == dump(full)
    edge = lean.edges[paper_node("p1"), concept_node("int"), "USES"]
    assert type(edge["confidence"]) is int and (edge["start"], edge["end"]) == (1, 4)
    assert type(lean.edges[paper_node("p1"), concept_node("one"), "USES"]["confidence"]) is float
    assert lean.nodes[concept_node("vote")]["type_votes"] == {"Method": 0.5, "Task": 0.2}
