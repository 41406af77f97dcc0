"""Security: input text never acts as Cypher, query names never act as paths, no unsafe calls,
every dependency pinned.

The Cypher tests run the real pipeline end to end (`build` then `load`) on papers whose ids,
titles and abstracts carry injection payloads, with a vocabulary that makes hostile strings
concept names, into a database that also holds someone else's data; every node and relationship
is counted before and after.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from neo4j_helpers import counts as _everything, fetch as _fetch
from papergraph.model import CONCEPT_TYPES

REPO = Path(__file__).resolve().parents[1]
PAYLOADS = [
    "'; MATCH (n) DETACH DELETE n; //",
    '"}) MATCH (n) DETACH DELETE n //',
    "`}) MATCH (n) DETACH DELETE n //",
    "}) MATCH (n) DETACH DELETE n //",
    "$param $rows {rows} ${rows}",
    "CALL dbms.security.createUser('x', 'y', false)",
    "CALL dbms.components() YIELD name RETURN name",
    "a\nMATCH (n) DETACH DELETE n\n// comment",
    "/* block */ RETURN 1 // line",
    "x' OR 1=1 --",
    "\\'); DROP CONSTRAINT paper_id; //",
    "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
]
# Concept names made hostile through the user vocabulary (what extraction may name a concept)
HOSTILE_CONCEPTS = {"Evil`Net": "Model", "Drop}Bench": "Benchmark", "Quote'Former": "Model"}


def _pg(*args, env=None, timeout=300):
    exe = str(Path(sys.executable).with_name("papergraph"))
    return subprocess.run([exe, *args], capture_output=True, text=True, timeout=timeout, env=env)




def _neo4j_env(settings) -> dict:
    import os

    return {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_PASSWORD": settings.password or "",
            "NEO4J_DATABASE": settings.database}


@pytest.fixture
def other_work(neo4j_db):
    """The test database holding someone else's nodes and relationships (not papergraph's labels)."""
    _fetch(neo4j_db, "UNWIND range(1, 5) AS i CREATE (a:OtherWork {id: 'o' + i, secret: 'keep me'})"
                     "-[:CITES]->(b:OtherWork {id: 'q' + i})")
    yield neo4j_db
    _fetch(neo4j_db, "MATCH (n:OtherWork) DETACH DELETE n")  # later tests count what the database holds


@pytest.mark.neo4j
@pytest.mark.slow
def test_injection_payloads_load_verbatim_and_change_nothing_else(other_work, tmp_path):
    papers = []
    for i, p in enumerate(PAYLOADS):
        papers.append({"id": f"inj-{i}-{p}", "title": f"{p} with BERT {i}",
                       "abstract": f"We evaluate Evil`Net and BERT on GLUE and Drop}}Bench. {p} Quote'Former "
                                   f"reaches 9{i}.5% accuracy. {p}"})
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(p) + "\n" for p in papers), encoding="utf-8")
    vocab = tmp_path / "vocab.json"
    vocab.write_text(json.dumps({"gazetteer": HOSTILE_CONCEPTS}), encoding="utf-8")
    res = _pg("build", str(tmp_path / "in.jsonl"), "-o", str(tmp_path / "out"), "--vocab", str(vocab),
              "--cache-dir", str(tmp_path / "cache"), "-q")
    assert res.returncode == 0, res.stderr
    graph = json.loads((tmp_path / "out" / "graph.json").read_text(encoding="utf-8"))
    names = {n.get("name") for n in graph["nodes"] if n.get("label") == "Concept"}
    hostile = set(HOSTILE_CONCEPTS) & names
    assert hostile, names  # hostile strings really are concept names (which ones is up to extraction)

    before = _everything(other_work)
    other_before = _fetch(other_work, "MATCH (a:OtherWork)-[r]->(b) RETURN a.id AS a, a.secret AS s, type(r) AS t, "
                                      "b.id AS b ORDER BY a")
    env = _neo4j_env(other_work)
    for _ in range(2):  # loading twice is as safe as once
        res = _pg("load", str(tmp_path / "out"), "-q", env=env)
        assert res.returncode == 0, res.stderr
    nodes, rels = len(graph["nodes"]), len(graph["edges"])
    assert _everything(other_work) == (before[0] + nodes, before[1] + rels)
    assert _fetch(other_work, "MATCH (a:OtherWork)-[r]->(b) RETURN a.id AS a, a.secret AS s, type(r) AS t, "
                              "b.id AS b ORDER BY a") == other_before
    stored = {r["id"]: r for r in _fetch(other_work, "MATCH (p:Paper) RETURN p.id AS id, p.title AS title, "
                                                     "p.abstract AS abstract")}
    from papergraph.ingest.records import collapse

    for p in papers:
        assert stored[p["id"]]["title"] == collapse(p["title"])
        assert stored[p["id"]]["abstract"] == p["abstract"]
    got = {r["name"] for r in _fetch(other_work, "MATCH (c:Concept) WHERE c.name IN $names RETURN c.name AS name",
                                     names=list(HOSTILE_CONCEPTS))}
    assert got == hostile
    labels = {r["l"] for r in _fetch(other_work, "MATCH (n) UNWIND labels(n) AS l RETURN DISTINCT l")}
    assert {"Paper", "Concept", "Result", "OtherWork"} <= labels  # and type labels from the schema only:
    assert labels - {"Paper", "Concept", "Result", "OtherWork"} <= set(CONCEPT_TYPES)
    users = _fetch(other_work, "SHOW USERS YIELD user RETURN collect(user) AS u")
    assert "x" not in users[0]["u"]

    # query --param values are parameters too: a payload is a value to compare, never Cypher
    from click.testing import CliRunner

    from papergraph.cli import cli

    for payload in PAYLOADS + list(HOSTILE_CONCEPTS):
        res = CliRunner().invoke(cli, ["query", "top-concepts", "-p", f"type={payload}", "--json"], env=env)
        assert res.exit_code == 2 and "unknown concept type" in res.output, res.output  # refused before Cypher
        res = CliRunner().invoke(cli, ["query", "alias-lookup", "-p", f"alias={payload}", "--json"], env=env)
        assert res.exit_code == 0, res.output
        rows = json.loads(res.output)
        assert rows == [] if payload not in hostile else [r["concept"] for r in rows] == [payload]
    found = set()
    for ctype in set(HOSTILE_CONCEPTS.values()):
        res = CliRunner().invoke(cli, ["query", "top-concepts", "-p", f"type={ctype}", "-p", "limit=1000", "--json"],
                                 env=env)
        found |= {r["concept"] for r in json.loads(res.output)}
    assert hostile <= found
    assert _everything(other_work) == (before[0] + nodes, before[1] + rels)


@pytest.mark.neo4j
def test_query_name_cannot_escape_the_library(other_work, tmp_path):
    evil = tmp_path / "evil.cypher"
    evil.write_text("// deletes everything\nMATCH (n) DETACH DELETE n;\n")
    before = _everything(other_work)
    env = _neo4j_env(other_work)
    rel = Path(*[".."] * len(Path(REPO / "cypher").resolve().parts[1:])) / str(evil.with_suffix(""))[1:]
    from click.testing import CliRunner

    from papergraph.cli import cli

    names = (str(evil), str(evil.with_suffix("")), f"../../../..{evil.with_suffix('')}", str(rel),
             "top-concepts/../../" + str(evil.with_suffix(""))[1:], "./top-concepts",
             "%2e%2e%2fschema", "schema", "..\\schema", "~/evil", "top-concepts;evil")
    for name in names:
        res = CliRunner().invoke(cli, ["query", name], env=env)
        assert res.exit_code == 2, (name, res.output)
        assert "unknown query" in res.output and "Traceback" not in res.output
    res = _pg("query", str(evil), env=env)  # and through the installed command
    assert res.returncode == 2 and "unknown query" in res.stderr
    assert _everything(other_work) == before
    from papergraph.errors import ConfigError
    from papergraph.neo4j.library import get_query

    with pytest.raises(ConfigError, match="unknown query"):
        get_query("top-concepts\x00")


def test_unsafe_graph_json_is_rejected_before_connecting(sample_graph, tmp_path):
    """A graph.json from elsewhere cannot smuggle Cypher through labels, types or property names."""
    from papergraph.errors import InputError
    from papergraph.neo4j.loader import Neo4jSettings, load_graph

    unreachable = Neo4jSettings(uri="bolt://127.0.0.1:9")
    cases = []
    G = sample_graph()
    G.nodes["paper:p1"]["x`}) MATCH (n) DETACH DELETE n //"] = 1
    cases.append(G)
    G = sample_graph()
    G.add_node("evil", label="Paper:Admin", id="e")
    cases.append(G)
    G = sample_graph()
    G.add_edge("paper:p1", "paper:p2", key="SIMILAR_TO]->() WITH 1 AS x MATCH (n) DETACH DELETE n //")
    cases.append(G)
    for G in cases:
        with pytest.raises(InputError):
            load_graph(G, unreachable)


# ---- static checks ----

def _sources() -> list[Path]:
    return sorted(p for d in ("src", "scripts", "bench", "tools", "training") for p in (REPO / d).rglob("*.py"))


def test_no_shell_eval_or_pickle_in_source():
    """No shell=True, eval/exec, pickle loads or os.system anywhere in the code."""
    banned_text = re.compile(r"shell\s*=\s*True|(?<![\w.])eval\(|pickle\.loads?\(")
    offences = []
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        for no, line in enumerate(text.splitlines(), 1):
            code = line.split("#", 1)[0]
            if banned_text.search(code):
                offences.append(f"{path.relative_to(REPO)}:{no}: {line.strip()}")
        for node in ast.walk(ast.parse(text, filename=str(path))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = f.id if isinstance(f, ast.Name) else f"{getattr(f.value, 'id', '?')}.{f.attr}" \
                if isinstance(f, ast.Attribute) else ""
            if name in ("eval", "exec", "os.system", "os.popen", "pickle.load", "pickle.loads", "marshal.loads",
                        "yaml.load", "yaml.unsafe_load", "cloudpickle.loads"):
                offences.append(f"{path.relative_to(REPO)}:{node.lineno}: calls {name}")
            if any(k.arg == "shell" and not (isinstance(k.value, ast.Constant) and k.value.value is False)
                   for k in node.keywords):
                offences.append(f"{path.relative_to(REPO)}:{node.lineno}: passes shell=")
            if name.startswith("subprocess.") and node.args and isinstance(node.args[0], (ast.Constant, ast.JoinedStr)):
                offences.append(f"{path.relative_to(REPO)}:{node.lineno}: runs a command string")
    assert offences == []
    assert len(_sources()) > 20  # the scan really looked at the code


#: Packaging tools that come with the venv itself (some packages list them as requirements).
BOOTSTRAP = {"pip", "setuptools", "wheel"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pins() -> dict[str, str]:
    pins = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, sep, version = line.partition("==")
            assert sep and version.strip(), f"constraints.txt: {line!r} is not pinned with =="
            pins[_norm(name)] = version.strip()
    return pins


def test_every_dependency_is_pinned():
    """Every requirement of pyproject (runtime and extras), and everything they pull in, has an
    exact pin in constraints.txt that satisfies the requirement."""
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.version import Version

    pins = _pins()
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project.get("optional-dependencies", {})
    direct = [Requirement(r) for r in project["dependencies"]]
    direct += [Requirement(r) for reqs in extras.values() for r in reqs]
    for req in direct:
        assert _norm(req.name) in pins, f"{req.name} is not pinned in constraints.txt"
        assert req.specifier.contains(Version(pins[_norm(req.name)]), prereleases=True), (req, pins[_norm(req.name)])
    # the installed closure (what `pip install -c constraints.txt -e .[test,plots,dask]` pulls in)
    todo, seen = [(r, set(r.extras)) for r in direct], set()
    while todo:
        req, req_extras = todo.pop()
        key = _norm(req.name)
        if key in seen:
            continue
        seen.add(key)
        if key in BOOTSTRAP:
            continue
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            continue  # an optional dependency not installed here
        assert key in pins, f"{req.name} (installed {dist.version}) is not pinned in constraints.txt"
        assert pins[key] == dist.version, f"{req.name}: installed {dist.version}, pinned {pins[key]}"
        for text in dist.requires or []:
            sub = Requirement(text)
            envs = [{"extra": e} for e in req_extras] or [{"extra": ""}]
            if sub.marker is None or any(sub.marker.evaluate(env) for env in envs):
                todo.append((sub, set(sub.extras)))
    assert len(seen) > 20
