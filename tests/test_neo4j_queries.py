"""Every query of cypher/ against the shared-corpus build in the real local Neo4j.

Each query's rows are compared with an answer computed here, independently, from graph.json
(networkx), both with the file's own defaults (its WITH line and final LIMIT) and with parameters
picked from the corpus so that the answer is not empty.
"""

import json
import re
from collections import Counter, defaultdict

import pytest
from click.testing import CliRunner

from papergraph.cli import cli
from papergraph.errors import ConfigError, InputError
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
        if p["type"] in ("any", c.node[x]["type"]) and c.count(x) >= p["min_papers"]:
            for q in c.linked[x]:
                counts[(c.node[q].get("date") or "unknown", c.name(x), x)] += 1
    rows = sorted(counts.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1]))
    return [dict(date=d, concept=name, papers=n) for (d, name, _), n in rows], None


def ref_graph_summary(c: Corpus, p):
    labels = Counter(c.label.values()) + Counter(c.node[x]["type"] for x in c.concepts)  # :Concept:Model ...
    rows = [dict(kind="node", name=k, count=n) for k, n in labels.items()]
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


def ref_methods_for_task(c: Corpus, p):
    rows = []
    for t in c.matching(p["task"], "Task"):
        for m in c.concepts:
            if c.node[m]["type"] != "Method":
                continue
            applied = any(v == t for v, _, _ in c.out(m, {"APPLIED_TO"}))
            users = {q for q, _, k in c.G.in_edges(m, keys=True) if k in ("PROPOSES", "USES")}
            papers = len(users & c.linked[t])
            if applied or papers:
                rows.append((-papers, c.name(m), nid(m), dict(method=c.name(m), papers=papers, applied_to=applied)))
    return [r for *_, r in sorted(rows, key=lambda t: t[:3])][: p["limit"]], None


def ref_neighbourhood(c: Corpus, p):
    rows = []
    for x in c.matching(p["concept"]):
        for u, v, k, _ in c.edges:
            if x in (u, v):
                rows.append(dict(type=k, start=nid(u), end=nid(v), other=nid(v if u == x else u)))
    key = lambda r: (r["type"], r["other"])  # noqa: E731
    return sorted(rows, key=key)[: p["limit"]], key


def ref_paper_concepts(c: Corpus, p):
    rows = [dict(role=k, type=c.node[v]["type"], concept=c.name(v), evidence=prop(d, "evidence"))
            for v, k, d in c.out(f"paper:{p['paper']}", set(LINKS))] if f"paper:{p['paper']}" in c.node else []
    key = lambda r: (r["role"], r["type"], r["concept"])  # noqa: E731
    return sorted(rows, key=key), key


def ref_papers_on_benchmark(c: Corpus, p):
    rows = [dict(benchmark=c.name(b), paper=nid(q), title=c.node[q]["title"], date=c.node[q].get("date"), how=k)
            for b in c.matching(p["benchmark"], "Benchmark")
            for q, _, k in c.G.in_edges(b, keys=True) if k in LINKS]
    key = lambda r: r["paper"]  # noqa: E731
    return sorted(rows, key=key), key


def ref_concept_links(c: Corpus, p):
    rows = [dict(concept=c.name(x), type=c.node[x]["type"], papers=c.count(x), kb_id=prop(c.node[x], "kb_id"),
                 kb_source=prop(c.node[x], "kb_source"), url=prop(c.node[x], "url"))
            for x in c.concepts
            if p["linked"] == "any" or (p["linked"] == "yes") == (prop(c.node[x], "kb_id") is not None)]
    key = lambda r: (-r["papers"], r["concept"])  # noqa: E731
    return sorted(rows, key=key)[: p["limit"]], key


def ref_proposed_models(c: Corpus, p):
    rows = []
    for q in c.papers:
        benches = sorted({c.name(b) for b, _, _ in c.out(q, {"EVALUATES_ON"})})
        for m, _, _ in c.out(q, {"PROPOSES"}):
            if c.node[m]["type"] == "Model":
                rows.append(dict(paper=nid(q), title=c.node[q]["title"], model=c.name(m), benchmarks=benches))
    key = lambda r: (r["paper"], r["model"])  # noqa: E731
    return sorted(rows, key=key)[: p["limit"]], key


def ref_quality_checks(c: Corpus, p):
    def row(check, ids):
        return dict(check=check, count=len(ids), examples=sorted(ids)[: p["examples"]])
    from_paper = {v for u, v, _, _ in c.edges if c.label[u] == "Paper"}
    return [
        row("concept named by no paper", [nid(x) for x in c.concepts if x not in from_paper]),
        row("paper with no concept", [nid(q) for q in c.papers if not c.paper_concepts[q]
                                      and not any(c.label[v] == "Concept" for _, v in c.G.out_edges(q))]),
        row("result reported by no paper", [nid(r) for r in c.results if r not in from_paper]),
        row("result linked to no concept", [nid(r) for r in c.results if not c.out(r, {"ON", "OF", "MEASURED_BY"})]),
        row("concept paper_count out of date", []),  # the loader recounts it
        row("node outside the papergraph schema", []),
    ], "unordered"


def ref_similar_papers(c: Corpus, p):
    me = f"paper:{p['paper']}"
    rows = []
    for q in c.papers:
        shared = sorted({c.name(x) for x in c.paper_concepts[me] & c.paper_concepts[q]}) if me in c.node else []
        if q == me or not shared:
            continue
        n = len(c.paper_concepts[me] & c.paper_concepts[q])
        scores = [d["score"] for u, v, k, d in c.edges if k == "SIMILAR_TO" and {u, v} == {me, q}]
        rows.append(dict(paper=nid(q), title=c.node[q]["title"], shared_concepts=n,
                         similarity=max(scores, default=None), some_shared=shared[:5]))
    return sorted(rows, key=lambda r: (-r["shared_concepts"], r["paper"]))[: p["limit"]], None


def ref_top_concepts(c: Corpus, p):
    rows = sorted(((-c.count(x), c.name(x), nid(x), x) for x in c.concepts if p["type"] in ("any", c.node[x]["type"])))
    return [dict(concept=name, papers=-n, aliases=prop(c.node[x], "aliases")) for n, name, _, x in rows][: p["limit"]], None


def ref_model_benchmarks(c: Corpus, p):
    rows = []
    for m in c.matching(p["model"]):
        stated = {b for b, _, _ in c.out(m, {"EVALUATED_ON"})}
        results = Counter(b for r, _, k in c.G.in_edges(m, keys=True) if k == "OF" for b, _, _ in c.out(r, {"ON"}))
        papers, mentioning = defaultdict(set), defaultdict(set)
        for q, _, k in c.G.in_edges(m, keys=True):
            if k in ("PROPOSES", "USES", "COMPARES_WITH", "MENTIONS"):
                for b, _, _ in c.out(q, {"EVALUATES_ON"}):
                    (mentioning if k == "MENTIONS" else papers)[b].add(q)
        for b in stated | set(results) | set(papers) | set(mentioning):
            rows.append(dict(model=c.name(m), benchmark=c.name(b), stated=b in stated, results=results[b],
                             papers=len(papers[b]), mentioning_papers=len(mentioning[b])))
    key = lambda r: (not r["stated"], -r["results"], -r["papers"], -r["mentioning_papers"], r["benchmark"])  # noqa: E731
    return sorted(rows, key=key)[: p["limit"]], key


def ref_common_baselines(c: Corpus, p):
    papers = defaultdict(set)
    for u, v, k, _ in c.edges:
        if k == "COMPARES_WITH" and p["type"] in ("any", c.node[v]["type"]):
            papers[v].add(nid(u))
    rows = sorted((-len(ps), c.name(x), nid(x), dict(baseline=c.name(x), type=c.node[x]["type"], papers=len(ps),
                                                     some_papers=sorted(ps)[:5])) for x, ps in papers.items())
    return [r for *_, r in rows][: p["limit"]], None


REFERENCE = {
    "model-benchmarks": ref_model_benchmarks, "common-baselines": ref_common_baselines,
    "alias-lookup": ref_alias_lookup, "co-occurring": ref_co_occurring, "concept-search": ref_concept_search,
    "concept-links": ref_concept_links,
    "concept-trend": ref_concept_trend, "fulltext-search": ref_fulltext_search, "graph-summary": ref_graph_summary,
    "leaderboard": ref_leaderboard, "methods-for-task": ref_methods_for_task, "neighbourhood": ref_neighbourhood,
    "paper-concepts": ref_paper_concepts, "papers-on-benchmark": ref_papers_on_benchmark,
    "proposed-models": ref_proposed_models, "quality-checks": ref_quality_checks,
    "similar-papers": ref_similar_papers, "top-concepts": ref_top_concepts,
}


def corpus_params(c: Corpus) -> dict[str, dict]:
    """Parameters for which the shared corpus has a non-trivial answer, picked from graph.json."""
    def top(ctype, rel=None):
        pool = [x for x in c.concepts if c.node[x]["type"] == ctype]
        if rel:
            return max(pool, key=lambda x: (sum(1 for _, _, k in c.G.in_edges(x, keys=True) if k == rel), nid(x)))
        return max(pool, key=lambda x: (c.count(x), nid(x)))
    acronym = max((a for x in c.concepts for a in c.node[x].get("aliases") or [] if a.isupper() and len(a) > 1),
                  key=lambda a: (len(c.matching(a)), sum(c.count(x) for x in c.matching(a)), a))
    model = c.name(top("Model"))
    busiest = max(c.papers, key=lambda q: (len(c.paper_concepts[q]), nid(q)))
    word = Counter(t for q in c.papers for t in tokens(c.node[q]["title"]) if len(t) > 6).most_common(1)[0][0]
    return {
        "alias-lookup": {"alias": acronym},
        "co-occurring": {"concept": model, "limit": 1000},
        "concept-search": {"q": "reason*", "limit": 1000},
        "concept-links": {"linked": "yes", "limit": 1000},
        "concept-trend": {"type": "Method", "min_papers": 3},
        "fulltext-search": {"q": word, "limit": 1000},
        "graph-summary": {},
        "leaderboard": {"benchmark": c.name(top("Benchmark", "ON")), "limit": 1000},
        "methods-for-task": {"task": c.name(top("Task", "APPLIED_TO")), "limit": 1000},
        "neighbourhood": {"concept": model, "limit": 1000},
        "paper-concepts": {"paper": nid(busiest)},
        "papers-on-benchmark": {"benchmark": c.name(top("Benchmark", "EVALUATES_ON"))},
        "proposed-models": {"limit": 1000},
        "quality-checks": {"examples": 3},
        "similar-papers": {"paper": nid(busiest), "limit": 1000},
        "top-concepts": {"type": "Metric", "limit": 15},
        "model-benchmarks": {"model": c.name(max((x for x in c.concepts if c.node[x]["type"] == "Model"), key=lambda x: (
            len(c.out(x, {"EVALUATED_ON"})), nid(x)))), "limit": 1000},
        "common-baselines": {"type": "Model", "limit": 1000},
    }


@pytest.fixture(scope="module")
def corpus(shared_build) -> Corpus:
    return Corpus(read_graph_json(shared_build / "graph.json"))


@pytest.fixture(scope="module")
def loaded(neo4j_settings, shared_build):
    """The shared-corpus build loaded into the test database, emptied first (also of what is not papergraph's)."""
    from papergraph.neo4j.loader import connect

    with connect(neo4j_settings) as driver, driver.session(database=neo4j_settings.database) as session:
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS").consume()
    G = read_graph_json(shared_build / "graph.json")
    stats = load_graph(G, neo4j_settings, wipe_first=True)
    assert (stats.db_nodes, stats.db_relationships) == (G.number_of_nodes(), G.number_of_edges())
    return neo4j_settings


def plain_rows(name: str, rows: list[dict]) -> list[dict]:
    """Query rows in the reference's shape (paths become their relationship)."""
    if name == "neighbourhood":
        out = []
        for r in rows:
            (rel,), (a, b) = r["path"]["relationships"], r["path"]["nodes"]
            out.append(dict(type=rel["type"], start=rel["start"], end=rel["end"], other=b["properties"]["id"]))
        return out
    return rows


def check(name: str, got: list[dict], want: list[dict], order) -> None:
    """``got`` equals ``want``; ``order`` says how: None (exact order), a key (rows tied on it may
    swap, and at a LIMIT cut either tied row may be kept), "score", or "unordered"."""
    canon = lambda rows: sorted(json.dumps(r, sort_keys=True, default=str) for r in rows)  # noqa: E731
    if order is None:
        assert got == want, name
    elif order == "unordered":
        assert canon(got) == canon(want), name
    elif order == "score":
        scores = [r.pop("score") for r in got]
        assert scores == sorted(scores, reverse=True) and all(s > 0 for s in scores), name
        assert canon(got) == canon(want), name
    else:
        assert [order(r) for r in got] == [order(r) for r in want], name
        last = order(want[-1]) if want else None
        assert canon(r for r in got if order(r) != last) == canon(r for r in want if order(r) != last), name


def test_library_has_every_query_documented():
    queries = {q.name: q for q in list_queries()}
    assert len(queries) >= 12 and set(queries) == set(REFERENCE)
    for q in queries.values():
        text = q.path.read_text(encoding="utf-8")
        lines = text.splitlines()
        assert lines[0].startswith("// ") and len(lines[0]) > 20, q.name
        assert lines[1].startswith("// Parameters:"), q.name
        # One statement and no Browser command: Browser runs it as one query and shows its rows.
        assert not any(ln.startswith(":") for ln in lines) and text.count(";") <= 1, q.name
        for param in q.params:  # every parameter is documented, and sent as a parameter
            assert param in lines[1], (q.name, param)
        assert set(re.findall(r"\$([A-Za-z_]\w*)", q.text)) == set(q.params), q.name
        assert "$" not in q.browser_text, q.name


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
    assert bind_params(q, ["type=benchmark"])["type"] == "Benchmark"  # concept types ignore case
    assert bind_params(q, ["type=ANY"])["type"] == "any"
    for bad in (["nope=1"], ["limit"], ["limit=x"], ["type=benchmarks"], ["type="], ["limit= "]):
        with pytest.raises(ConfigError):
            bind_params(q, bad)


def test_a_parameter_without_default_is_required(tmp_path):
    from papergraph.neo4j.library import _parse

    path = tmp_path / "needs-paper.cypher"
    path.write_text("// A query with a required parameter.\n// Parameters: paper (paper id), limit (rows).\n"
                    "WITH null AS paper, 'any' AS type\nMATCH (p:Paper {id: paper}) RETURN p.id AS id\nLIMIT 5;\n")
    q = _parse(path)
    assert q.params == {"paper": None, "type": "any", "limit": 5}
    assert q.text.splitlines()[0] == "WITH $paper AS paper, $type AS type" and q.text.endswith("LIMIT $limit")
    with pytest.raises(ConfigError, match=r"needs --param paper=VALUE"):
        bind_params(q, [])
    assert bind_params(q, ["paper=x"]) == {"paper": "x", "type": "any", "limit": 5}
    path.write_text("// Old style.\n// Parameters: paper.\n:param paper => 'x';\nMATCH (p:Paper {id: $paper}) RETURN p;\n")
    with pytest.raises(InputError, match=r"needs-paper.cypher:3: Browser command ':param'"):
        _parse(path)


@pytest.mark.parametrize("args, message", [
    (["-p", "type=benchmarks"], "unknown concept type; expected one of Model, Benchmark, Method, Task, Metric, any"),
    (["-p", "type="], "--param type: empty value"),
])
def test_cli_rejects_bad_values_in_one_line(args, message):
    res = CliRunner().invoke(cli, ["query", "top-concepts", *args, "--uri", "bolt://127.0.0.1:1"])
    assert res.exit_code == 2 and message in res.output, res.output
    assert res.output.count("\n") == 1 and "Traceback" not in res.output


def test_cli_normalises_the_case_of_a_type(loaded, corpus):
    env = {"NEO4J_URI": loaded.uri, "NEO4J_PASSWORD": loaded.password or "", "NEO4J_DATABASE": loaded.database}
    res = CliRunner().invoke(cli, ["query", "top-concepts", "-p", "type=benchmark", "-p", "limit=5", "--json"], env=env)
    want, _ = ref_top_concepts(corpus, {"type": "Benchmark", "limit": 5})
    assert res.exit_code == 0 and json.loads(res.output) == want and want
