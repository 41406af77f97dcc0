"""Every query of cypher/ against the shared-corpus build in the real local Neo4j.

Each query's rows are compared with an answer computed here, independently, from graph.json
(networkx), both with the file's own ``:param`` defaults and with parameters picked from the
corpus so that the answer is not empty.
"""

import json
import re
from collections import Counter, defaultdict

import pytest
from click.testing import CliRunner

from papergraph.cli import cli
from papergraph.errors import ConfigError
from papergraph.export.json import read_graph_json
from papergraph.neo4j.library import bind_params, get_query, list_queries
from papergraph.neo4j.loader import load_graph, run_query

pytestmark = [pytest.mark.neo4j, pytest.mark.slow]

LINKS = ("PROPOSES", "USES", "EVALUATES_ON", "COMPARES_WITH", "MENTIONS")


def nid(node: str) -> str:
    return node.split(":", 1)[1]


def prop(d: dict, key: str):
    """A property as Neo4j stores it: None and [] are not stored."""
    v = d.get(key)
    return None if v is None or v == [] else v


class Corpus:
    """graph.json as plain lookups for the reference answers."""

    def __init__(self, G):
        self.G = G
        self.label = {n: d["label"] for n, d in G.nodes(data=True)}
        self.node = {n: d for n, d in G.nodes(data=True)}
        self.concepts = [n for n in G if self.label[n] == "Concept"]
        self.papers = [n for n in G if self.label[n] == "Paper"]
        self.results = [n for n in G if self.label[n] == "Result"]
        self.edges = [(u, v, k, d) for u, v, k, d in G.edges(keys=True, data=True)]
        self.linked = defaultdict(set)  # concept -> papers naming it
        self.paper_concepts = defaultdict(set)
        for u, v, k, _ in self.edges:
            if k in LINKS:
                self.linked[v].add(u)
                self.paper_concepts[u].add(v)

    def name(self, n):
        return self.node[n]["name"]

    def count(self, c) -> int:
        return len(self.linked[c])

    def matching(self, text, ctype=None):
        """Concepts whose name or an alias equals ``text``, ignoring case."""
        t = text.lower()
        return [c for c in self.concepts
                if (ctype is None or self.node[c]["type"] == ctype)
                and (self.name(c).lower() == t or any(a.lower() == t for a in self.node[c].get("aliases") or []))]

    def out(self, u, types):
        return [(v, k, d) for _, v, k, d in self.G.out_edges(u, keys=True, data=True) if k in types]


# --- reference answers, one per query file (same columns and order as the Cypher) ---

def ref_alias_lookup(c: Corpus, p):
    rows = [dict(concept=c.name(x), type=c.node[x]["type"], aliases=prop(c.node[x], "aliases"), papers=c.count(x),
                 id=nid(x)) for x in c.matching(p["alias"])]
    return sorted(rows, key=lambda r: (-r["papers"], r["concept"], r["id"])), None


def ref_co_occurring(c: Corpus, p):
    rows = []
    for x in c.matching(p["concept"]):
        shared = Counter(o for q in c.linked[x] for o in c.paper_concepts[q] if o != x)
        for o, n in shared.items():
            co = [d for u, v, k, d in c.edges if k == "CO_OCCURS" and {u, v} == {x, o}]
            rows.append((-n, c.name(o), nid(o), dict(
                concept=c.name(o), type=c.node[o]["type"], shared_papers=n,
                cooccurs_weight=max((d["weight"] for d in co), default=None),
                npmi=max((d["npmi"] for d in co), default=None))))
    return [r for *_, r in sorted(rows, key=lambda t: t[:3])][: p["limit"]], None


def tokens(text: str) -> set[str]:
    """Lucene standard-analyzer terms, near enough for plain English words (UAX#29, lowercased)."""
    return set(re.findall(r"\w+(?:['.’]\w+)*", text.lower()))


def prefix_hit(texts, q: str) -> bool:
    word = q.lower().rstrip("*")
    match = (lambda t: t.startswith(word)) if q.endswith("*") else (lambda t: t == word)
    return any(match(t) for text in texts for t in tokens(text))


def ref_concept_search(c: Corpus, p):
    rows = [dict(concept=c.name(x), type=c.node[x]["type"], aliases=prop(c.node[x], "aliases"), papers=c.count(x))
            for x in c.concepts if prefix_hit([c.name(x), *(c.node[x].get("aliases") or [])], p["q"])]
    return rows, "score"


def ref_fulltext_search(c: Corpus, p):
    rows = [dict(paper=nid(x), title=c.node[x]["title"]) for x in c.papers
            if prefix_hit([c.node[x]["title"], c.node[x]["abstract"]], p["q"])]
    return rows, "score"


def ref_concept_trend(c: Corpus, p):
    counts = Counter()
    for x in c.concepts:
        if c.node[x]["type"] == p["type"] and c.count(x) >= p["min_papers"]:
            for q in c.linked[x]:
                counts[(c.node[q].get("date") or "unknown", c.name(x), x)] += 1
    rows = sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))
    return [dict(date=d, concept=name, papers=n) for (d, name, _), n in rows], None


def ref_graph_summary(c: Corpus, p):
    rows = [dict(kind="node", name=k, count=n) for k, n in Counter(c.label.values()).items()]
    rows += [dict(kind="relationship", name=k, count=n) for k, n in Counter(k for _, _, k, _ in c.edges).items()]
    return rows, "unordered"


def ref_leaderboard(c: Corpus, p):
    benches = set(c.matching(p["benchmark"]))
    rows = []
    for paper in c.papers:
        for r, _, _ in c.out(paper, {"REPORTS"}):
            res = c.node[r]
            for b, _, _ in c.out(r, {"ON"}):
                if b not in benches:
                    continue
                subjects = [s for s, _, _ in c.out(r, {"OF"})] or [None]
                metrics = [m for m, _, _ in c.out(r, {"MEASURED_BY"})] or [None]
                for s in subjects:
                    for m in metrics:
                        rows.append(dict(benchmark=c.name(b), model=c.name(s) if s else res.get("subject"),
                                         metric=c.name(m) if m else res.get("metric"), value=res.get("value"),
                                         unit=res.get("unit"), kind=res.get("kind"), better=res.get("better"),
                                         paper=nid(paper), evidence=res.get("evidence")))

    def key(r):  # best first within a metric: lower first where lower is better, else higher first
        score = r["value"] if r["kind"] == "absolute" and r["better"] == "lower" else -r["value"]
        return (r["metric"] is None, r["metric"] or "", r["kind"], score, r["paper"], r["model"] or "")
    return sorted(rows, key=key)[: p["limit"]], key


def test_library_has_every_query_documented():
    queries = {q.name: q for q in list_queries()}
    assert len(queries) >= 12 and set(queries) == set(REFERENCE)
    for q in queries.values():
        lines = q.path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("// ") and len(lines[0]) > 20, q.name
        assert lines[1].startswith("// Parameters:"), q.name
        for param in q.params:  # every parameter is documented and set with a Browser :param line
            assert param in lines[1] and any(ln.startswith(f":param {param} =>") for ln in lines), (q.name, param)
        assert set(re.findall(r"\$([A-Za-z_]\w*)", q.text)) == set(q.params), q.name


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_query_answers_are_right_for_the_corpus(name, loaded, corpus):
    query = get_query(name)
    picked = corpus_params(corpus)[name]
    for params, must_have_rows in ((dict(query.params), False), ({**query.params, **picked}, True)):
        keys, rows = run_query(loaded, query, params)
        want, order = REFERENCE[name](corpus, params)
        if must_have_rows:
            assert want, f"{name}: pick parameters with an answer: {params}"
        if order == "score" and len(want) > params["limit"]:  # only the top of a long hit list: a subset
            canon = {json.dumps(r, sort_keys=True) for r in want}
            assert len(rows) == params["limit"], name
            assert all(json.dumps({k: v for k, v in r.items() if k != "score"}, sort_keys=True) in canon for r in rows)
            continue
        check(name, plain_rows(name, rows), want, order)


def test_paper_counts_are_recounted_from_the_database(loaded, corpus):
    _, rows = run_query(loaded, get_query("top-concepts"), {"type": "Method", "limit": 10_000})
    assert {(r["concept"], r["papers"]) for r in rows} == {
        (corpus.name(x), corpus.count(x)) for x in corpus.concepts if corpus.node[x]["type"] == "Method"}


def test_cli_query_table_and_json(loaded, corpus):
    env = {"NEO4J_URI": loaded.uri, "NEO4J_PASSWORD": loaded.password or "", "NEO4J_DATABASE": loaded.database}
    res = CliRunner().invoke(cli, ["query", "top-concepts", "--param", "type=Metric", "--param", "limit=3"], env=env)
    assert res.exit_code == 0, res.output
    want, _ = ref_top_concepts(corpus, {"type": "Metric", "limit": 3})
    lines = res.output.splitlines()
    assert lines[0].split() == ["concept", "papers", "aliases"] and lines[-1] == "(3 rows)"
    for line, row in zip(lines[2:5], want):
        assert line.startswith(row["concept"]) and f" {row['papers']} " in f"{line} "
    res = CliRunner().invoke(cli, ["query", "top-concepts", "-p", "type=Metric", "-p", "limit=3", "--json"], env=env)
    assert res.exit_code == 0 and json.loads(res.output) == want
    res = CliRunner().invoke(cli, ["query", "top-concepts", "-p", "limit=many"], env=env)
    assert res.exit_code == 2 and "expected a int" in res.output


@pytest.mark.parametrize("bad", ["../src/papergraph/cli", "../../etc/passwd", "/etc/passwd", "schema",
                                 "top-concepts/../schema", "..", "top-concepts.cypher/..", "Top-Concepts", ""])
def test_query_names_are_not_paths(bad):
    with pytest.raises(ConfigError, match="unknown query"):
        get_query(bad)
    res = CliRunner().invoke(cli, ["query", bad, "--uri", "bolt://127.0.0.1:1"]) if bad else None
    if res is not None:
        assert res.exit_code == 2 and "unknown query" in res.output and "Traceback" not in res.output


def test_params_are_typed_and_checked():
    q = get_query("top-concepts")
    assert bind_params(q, ["type=Task", "limit=3"]) == {"type": "Task", "limit": 3}
    for bad in (["nope=1"], ["limit"], ["limit=x"]):
        with pytest.raises(ConfigError):
            bind_params(q, bad)
