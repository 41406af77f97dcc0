"""Every concept carries its type as a label (:Concept:Model ...), from the Bolt load and the import CSVs."""

import pytest

from papergraph.export.neo4j_csv import ARRAY_DELIMITER, write_neo4j_import
from papergraph.model import CONCEPT_TYPES
from papergraph.neo4j.library import cypher_dir
from papergraph.neo4j.loader import connect, load_graph
from papergraph.neo4j.style import grass_text
from papergraph.palette import TYPE_COLORS, hex_color


def concept_labels(settings) -> dict[str, set[str]]:
    with connect(settings) as driver:
        records = driver.execute_query("MATCH (c:Concept) RETURN c.id AS id, labels(c) AS labels",
                                       database_=settings.database).records
    return {r["id"]: set(r["labels"]) for r in records}


@pytest.mark.neo4j
def test_load_sets_the_type_label_and_moves_it_when_the_type_changes(neo4j_db, sample_graph):
    G = sample_graph()
    load_graph(G, neo4j_db, wipe_first=True)  # the first-load (CREATE) path
    want = {d["id"]: {"Concept", d["type"]} for _, d in G.nodes(data=True) if d["label"] == "Concept"}
    assert concept_labels(neo4j_db) == want
    G.nodes["concept:bert"]["type"] = "Method"  # a later build types it otherwise
    G.nodes["concept:glue"]["type"] = "Dataset"  # a type outside the schema gets no type label
    load_graph(G, neo4j_db)  # the MERGE path
    got = concept_labels(neo4j_db)
    assert got["bert"] == {"Concept", "Method"} and got["glue"] == {"Concept"}
    with connect(neo4j_db) as driver:
        names = {r["name"] for r in driver.execute_query("SHOW INDEXES YIELD name", database_=neo4j_db.database).records}
    assert {f"{t.lower()}_name" for t in CONCEPT_TYPES} <= names


def test_import_csv_labels_concepts_with_their_type(sample_graph, tmp_path):
    files = write_neo4j_import(sample_graph(), tmp_path)
    lines = (tmp_path / "nodes-Concept.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].split(",")[:2] == ['"id:ID(Concept)"', '":LABEL"']
    labels = {ln.split(",")[0].strip('"'): ln.split(",")[1].strip('"') for ln in lines[1:]}
    assert labels["bert"] == f"Concept{ARRAY_DELIMITER}Model" and labels["glue"] == f"Concept{ARRAY_DELIMITER}Benchmark"
    assert "--array-delimiter=U+001F" in files.admin_args()


def test_style_grass_is_generated_from_the_palette():
    text = (cypher_dir() / "style.grass").read_text(encoding="utf-8")
    assert text == grass_text(), "regenerate: python -m papergraph.neo4j.style > cypher/style.grass"
    for label in (*CONCEPT_TYPES, "Paper", "Result"):
        rule = text[text.index(f"node.{label} {{"):]
        assert rule[: rule.index("}")].count(f"color: {hex_color(TYPE_COLORS[label])};") == 1, label
    assert text.index("node.Concept {") < min(text.index(f"node.{t} {{") for t in CONCEPT_TYPES)  # type rules win
