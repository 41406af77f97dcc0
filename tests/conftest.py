"""Shared fixtures: paths to the repo's examples and the shared corpus beside the repo."""

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return REPO / "examples"


@pytest.fixture(scope="session")
def shared_corpus() -> Path:
    path = SHARED / "corpus"
    if not path.is_dir():
        pytest.skip(f"shared corpus not found at {path}")
    return path


@pytest.fixture(scope="session")
def dev_gold() -> Path:
    path = SHARED / "gold" / "dev.jsonl"
    if not path.is_file():
        pytest.skip(f"dev gold not found at {path}")
    return path


# --- neo4j fixtures (the Neo4j tests; scripts/run-tests starts the server and sets the env) ---
import os  # noqa: E402

import networkx as nx  # noqa: E402


@pytest.fixture(scope="session")
def neo4j_settings():
    """Settings for the local test server; FAIL in CI (env CI set) if it is unreachable, else skip."""
    from papergraph.errors import Neo4jError
    from papergraph.neo4j.loader import Neo4jSettings, connect

    uri = os.environ.get("PAPERGRAPH_TEST_NEO4J_URI")
    settings = Neo4jSettings(uri=uri or "bolt://127.0.0.1:17687",
                             user=os.environ.get("PAPERGRAPH_TEST_NEO4J_USER", "neo4j"),
                             password=os.environ.get("PAPERGRAPH_TEST_NEO4J_PASSWORD"),
                             database=os.environ.get("PAPERGRAPH_TEST_NEO4J_DATABASE", "neo4j"))
    try:
        with connect(settings):
            pass
    except Neo4jError as e:
        reason = f"local Neo4j not available (run the tests with scripts/run-tests): {e}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return settings


@pytest.fixture
def neo4j_db(neo4j_settings):
    """The test database, emptied before the test (schema objects stay)."""
    from papergraph.neo4j.loader import connect

    with connect(neo4j_settings) as driver, driver.session(database=neo4j_settings.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS").consume()
    return neo4j_settings


def _paper(G, pid, title, abstract="", **attrs):
    G.add_node(f"paper:{pid}", label="Paper", id=pid, title=title, abstract=abstract, date=attrs.pop("date", None),
               url=attrs.pop("url", None), authors=attrs.pop("authors", []), categories=attrs.pop("categories", []),
               sources=attrs.pop("sources", [f"fixture:{pid}"]), **attrs)


def _concept(G, key, name, ctype, aliases=(), paper_count=0):
    G.add_node(f"concept:{key}", label="Concept", id=key, name=name, type=ctype, aliases=list(aliases),
               paper_count=paper_count, confidence=0.9)


def _link(G, pid, key, rtype, evidence="", **attrs):
    G.add_edge(f"paper:{pid}", f"concept:{key}", key=rtype, type=rtype, evidence=evidence, field="abstract",
               start=0, end=1, confidence=0.8, rules=["fixture"], **attrs)


@pytest.fixture
def sample_graph():
    """A factory for small hand-built graphs that follow papergraph's schema.

    ``sample_graph()`` has 3 papers, 5 concepts, a result and every kind of edge;
    ``sample_graph(extra=True)`` adds paper p4, which also names 'bert' and 'glue'.
    """
    def make(*, extra: bool = False) -> nx.MultiDiGraph:
        G = nx.MultiDiGraph()
        _paper(G, "p1", "BERT: Pre-training", "We propose BERT and evaluate on GLUE.", date="2024-05-20",
               authors=["A. One", "B; Two"], categories=["cs.CL"], url="https://example.org/p1")
        _paper(G, "p2", "RoBERTa", "We use BERT with masked language modeling on GLUE.", date="2024-05-21")
        _paper(G, "p3", "Plain", "Nothing but a mention of accuracy.", community=2, pagerank=0.25)
        _concept(G, "bert", "BERT", "Model", aliases=["Bidirectional Encoder Representations"], paper_count=2)
        _concept(G, "glue", "GLUE", "Benchmark", paper_count=2)
        _concept(G, "mlm", "masked language modeling", "Method", aliases=["MLM"], paper_count=1)
        _concept(G, "nlu", "natural language understanding", "Task", paper_count=0)
        _concept(G, "accuracy", "accuracy", "Metric", paper_count=1)
        _link(G, "p1", "bert", "PROPOSES", "We propose BERT.")
        _link(G, "p1", "glue", "EVALUATES_ON", "evaluate on GLUE")
        _link(G, "p2", "bert", "USES", "We use BERT")
        _link(G, "p2", "mlm", "PROPOSES", "masked language modeling")
        _link(G, "p2", "glue", "EVALUATES_ON")
        _link(G, "p3", "accuracy", "MENTIONS", "accuracy")
        G.add_edge("concept:bert", "concept:glue", key="EVALUATED_ON", type="EVALUATED_ON", evidence="x", confidence=0.7)
        G.add_edge("concept:mlm", "concept:nlu", key="APPLIED_TO", type="APPLIED_TO", evidence="y", confidence=0.6)
        G.add_edge("concept:bert", "concept:glue", key="CO_OCCURS", type="CO_OCCURS", weight=2, npmi=0.5)
        G.add_edge("paper:p1", "paper:p2", key="SIMILAR_TO", type="SIMILAR_TO", score=0.42)
        G.add_node("result:p1:0", label="Result", id="p1:0", value=80.5, unit="%", kind="absolute", direction="up",
                   text="80.5% accuracy on GLUE", evidence="BERT reaches 80.5% accuracy on GLUE.",
                   metric="accuracy", benchmark="GLUE", subject="BERT")
        G.add_edge("paper:p1", "result:p1:0", key="REPORTS", type="REPORTS", field="abstract", start=3, end=20)
        G.add_edge("result:p1:0", "concept:glue", key="ON", type="ON")
        G.add_edge("result:p1:0", "concept:bert", key="OF", type="OF")
        G.add_edge("result:p1:0", "concept:accuracy", key="MEASURED_BY", type="MEASURED_BY")
        if extra:
            _paper(G, "p4", "DistilBERT", "A smaller BERT, evaluated on GLUE.", date="2024-05-22")
            _link(G, "p4", "bert", "COMPARES_WITH", "smaller BERT")
            _link(G, "p4", "glue", "EVALUATES_ON", "evaluated on GLUE")
        return G

    return make


@pytest.fixture(scope="session")
def shared_build(tmp_path_factory, shared_corpus) -> Path:
    """`papergraph build` of the shared corpus, made once per test session (an output directory)."""
    from papergraph.api import build_outputs

    out = tmp_path_factory.getbasetemp() / "pg-corpus-build"
    if not (out / "graph.json").exists():
        build_outputs([shared_corpus], out)
    return out


@pytest.fixture
def import_instance(tmp_path, neo4j_settings):
    """A stopped, empty second local server (fresh data dir, free ports); stopped again afterwards."""
    from neo4j_helpers import free_port
    from papergraph.neo4j.server import ServerOptions, default_home, status, stop

    # No auth: it listens on 127.0.0.1 for the length of one test, and it saves a JVM run to set a password.
    opts = ServerOptions(home=default_home(), bolt_port=free_port(), http_port=free_port(), auth=False,
                         heap="512m", pagecache="64m", instance_dir=tmp_path / "instance")
    yield opts
    stop(opts)
    assert not status(opts).running
