"""Analytics on small hand-built graphs whose expected values are worked out by hand."""

import json
import math

import networkx as nx
import pytest

from papergraph import analysis
from papergraph.layout import SCALE, force_layout


def make_graph(named: dict[str, list[str]], types: dict[str, str] | None = None) -> nx.MultiDiGraph:
    """Papers -> the concept names each one USES (node ids "paper:<p>", "concept:<name>")."""
    G = nx.MultiDiGraph()
    names = sorted({c for cs in named.values() for c in cs})
    for c in names:
        G.add_node(f"concept:{c}", label="Concept", id=c, name=c, type=(types or {}).get(c, "Method"),
                   aliases=[], paper_count=sum(c in cs for cs in named.values()))
    for p, cs in named.items():
        G.add_node(f"paper:{p}", label="Paper", id=p, title=f"Title {p}", abstract="", date=None)
        for c in cs:
            G.add_edge(f"paper:{p}", f"concept:{c}", key="USES", type="USES", evidence=f"{p} uses {c}")
    return G


def edges_of(G, key):
    return {(u, v): d for u, v, k, d in G.edges(keys=True, data=True) if k == key}


def test_npmi_reference_values():
    assert analysis.npmi(3, 3, 3, 3) == 1.0  # always together
    assert analysis.npmi(1, 2, 2, 4) == pytest.approx(0.0)  # independent: p(xy) = p(x) p(y)
    assert analysis.npmi(0, 2, 2, 4) == -1.0  # never together
    assert analysis.npmi(2, 2, 2, 4) == pytest.approx(1.0)  # each appears only with the other


def test_cooccurrence_weight_npmi_and_threshold():
    G = make_graph({"1": ["a", "b", "c"], "2": ["a", "b"], "3": ["a", "b", "d"], "4": ["c", "d"]})
    assert analysis.add_cooccurrence(G, min_papers=2) == 1
    e = edges_of(G, "CO_OCCURS")
    assert list(e) == [("concept:a", "concept:b")]
    # p(ab) = p(a) = p(b) = 3/4  ->  log(4/3) / -log(3/4) = 1
    assert e["concept:a", "concept:b"]["weight"] == 3
    assert e["concept:a", "concept:b"]["npmi"] == pytest.approx(1.0)


def test_cooccurrence_one_edge_per_pair_low_to_high():
    G = make_graph({"1": ["z", "a", "m"], "2": ["m", "z"], "3": ["a"]})
    analysis.add_cooccurrence(G, min_papers=1, npmi_min=-1.0)
    e = edges_of(G, "CO_OCCURS")
    assert set(e) == {("concept:a", "concept:m"), ("concept:a", "concept:z"), ("concept:m", "concept:z")}
    # m and z: together in 2 of 3 papers, each in 2 -> log((2/3)/(4/9)) / -log(2/3) = 1
    assert e["concept:m", "concept:z"]["npmi"] == pytest.approx(1.0)
    # a and m: 1 of 3 together, a in 2, m in 2 -> log((1/3)/(4/9)) / log(3)
    assert e["concept:a", "concept:m"]["npmi"] == pytest.approx(math.log(3 / 4) / math.log(3), abs=1e-4)


def test_npmi_threshold_drops_independent_pairs():
    # a and b together in 1 of 4 papers, each in 2: independent (npmi 0) -> not above 0.
    G = make_graph({"1": ["a", "b"], "2": ["a"], "3": ["b"], "4": ["c"]})
    assert analysis.add_cooccurrence(G, min_papers=1, npmi_min=0.0) == 0
    assert analysis.add_cooccurrence(G, min_papers=1, npmi_min=-0.5) == 1


def test_similar_papers_idf_cosine():
    G = make_graph({"1": ["x", "c"], "2": ["x"], "3": ["c"], "4": ["c", "y"]})
    analysis.add_similar_papers(G, top_k=1)
    e = edges_of(G, "SIMILAR_TO")
    idf_x, idf_c, idf_y = math.log(4 / 2), math.log(4 / 3), math.log(4 / 1)
    # paper 1's best match shares the rarer concept x
    assert e["paper:1", "paper:2"]["score"] == pytest.approx(idf_x / math.hypot(idf_x, idf_c), abs=1e-4)
    assert e["paper:1", "paper:2"]["shared"] == 1
    # paper 3 (only c) is closest to 1 (c, x) rather than 4 (c, y), since idf_x < idf_y
    assert ("paper:1", "paper:3") in e and ("paper:3", "paper:4") in e  # 4's best is 3
    assert all(u < v for u, v in e)


def test_similar_top_k_bounds_edges_per_paper():
    named = {str(i): ["shared", f"c{i % 3}"] for i in range(12)}
    G = make_graph(named)
    analysis.add_similar_papers(G, top_k=2)
    e = edges_of(G, "SIMILAR_TO")
    # each edge is in the top 2 of one of its ends, so there are at most 2 per paper
    assert 0 < len(e) <= 2 * len(named)
    assert all(G.degree(f"paper:{p}") > 2 for p in named)  # everyone got at least one


def test_similar_ignores_concepts_above_the_absolute_paper_cap(monkeypatch):
    # 400 papers: "hub" is in 60 (15 %, under the 20 % share), each pair "rare<k>" in two papers
    named = {str(i): [f"rare{i // 2}"] + (["hub"] if i < 60 else []) for i in range(400)}
    G = make_graph(named)
    analysis.add_similar_papers(G, top_k=3)
    uncapped = edges_of(G, "SIMILAR_TO")
    assert any(int(u[6:]) // 2 != int(v[6:]) // 2 for u, v in uncapped)  # "hub" links non-pairs
    monkeypatch.setattr(analysis, "SIMILAR_MAX_PAPERS", 59)
    analysis.add_similar_papers(G, top_k=3)
    capped = edges_of(G, "SIMILAR_TO")
    # only the "rare" pairs are left; "hub" still counts in the norm, so paper 0's score is lower
    assert set(capped) == {(f"paper:{2 * k}", f"paper:{2 * k + 1}") for k in range(200)}
    idf_r, idf_h = math.log(400 / 2), math.log(400 / 60)
    assert capped["paper:0", "paper:1"]["score"] == pytest.approx(idf_r ** 2 / (idf_r ** 2 + idf_h ** 2), abs=1e-4)
    assert capped["paper:100", "paper:101"]["score"] == 1.0


def test_communities_follow_components_and_isolated_get_minus_one():
    named = {"1": ["a", "b", "c"], "2": ["a", "b", "c"], "3": ["x", "y"], "4": ["x", "y"], "5": ["lonely"]}
    G = make_graph(named)
    analysis.add_analytics(G, seed=3)
    com = {G.nodes[n]["name"]: G.nodes[n]["community"] for n in G if G.nodes[n]["label"] == "Concept"}
    assert com["lonely"] == -1
    assert com["a"] == com["b"] == com["c"] == 0  # larger community first
    assert com["x"] == com["y"] == 1
    info = G.graph["communities"]
    assert [(c["id"], c["size"]) for c in info] == [(0, 3), (1, 2)]
    assert set(info[0]["top"]) == {"a", "b", "c"} and info[0]["label"].count(" / ") == 2
    json.dumps(info)  # JSON-able


def test_analytics_idempotent_and_seeded():
    named = {str(i): [f"c{(i * 7 + j) % 9}" for j in range(3)] for i in range(15)}
    G1, G2 = make_graph(named), make_graph(named)
    analysis.add_analytics(G1, seed=5)
    analysis.add_analytics(G2, seed=5)
    counts = sorted(k for *_, k in G1.edges(keys=True))
    analysis.add_analytics(G1, seed=5)
    assert sorted(k for *_, k in G1.edges(keys=True)) == counts
    assert nx.utils.graphs_equal(G1, G2)
    for n, d in G1.nodes(data=True):
        assert d["viz"] == G2.nodes[n]["viz"]


def test_pagerank_star_closed_form_and_degree():
    H = nx.star_graph(4)  # centre 0, leaves 1..4
    pr = analysis.pagerank(H)
    a, n = 0.85, 5
    # leaf = (1-a)/n + a*c/4 and c = (1-a)/n + 4*a*leaf  ->  c = (1 + 4a) / (n (1 + a))
    centre = (1 + 4 * a) / (n * (1 + a))
    assert pr[0] == pytest.approx(centre, abs=1e-6)
    assert sum(pr.values()) == pytest.approx(1.0)
    cyc = analysis.pagerank(nx.cycle_graph(7))
    assert all(v == pytest.approx(1 / 7) for v in cyc.values())

    G = make_graph({"1": ["a", "b"], "2": ["a"]})
    analysis.add_analytics(G)
    for node in G:
        assert G.nodes[node]["degree"] == G.degree(node)
    assert G.nodes["concept:a"]["pagerank"] > G.nodes["concept:b"]["pagerank"]


def test_layout_positions_everyone_and_places_papers_near_their_concepts():
    named = {str(i): [f"c{(i + j) % 10}" for j in range(3)] for i in range(20)}
    named["alone"] = ["only-here"]
    G = make_graph(named)
    analysis.add_analytics(G)
    pos = {n: (d["viz"]["position"]["x"], d["viz"]["position"]["y"]) for n, d in G.nodes(data=True)}
    assert len(pos) == G.number_of_nodes()
    assert all(math.isfinite(x) and math.isfinite(y) and abs(x) <= 1.5 * SCALE for x, y in pos.values())
    laid_out = set(analysis.cooccurrence_graph(G))  # force layout; papers go to their centre
    checked = 0
    for p in (f"paper:{i}" for i in range(20)):
        cs = [c for c in G.successors(p) if c in laid_out]
        if cs:
            w = [1 / G.nodes[c]["paper_count"] for c in cs]  # rarer concepts pull harder
            cx = sum(pos[c][0] * k for c, k in zip(cs, w)) / sum(w)
            cy = sum(pos[c][1] * k for c, k in zip(cs, w)) / sum(w)
            assert math.dist(pos[p], (cx, cy)) <= 0.02 * SCALE + 1e-6
            checked += 1
    assert checked >= 10


def test_force_layout_separates_communities_and_spreads_hubs():
    H = nx.Graph()
    for side in ("a", "b"):
        H.add_edges_from(((f"{side}{i}", f"{side}{j}", {"weight": 3}) for i in range(8) for j in range(i)))
    H.add_edge("a0", "b0", weight=1)  # one weak bridge
    pos = force_layout(H, seed=1)
    within = [math.dist(pos[f"{s}{i}"], pos[f"{s}{j}"]) for s in "ab" for i in range(8) for j in range(i)]
    across = [math.dist(pos[f"a{i}"], pos[f"b{j}"]) for i in range(8) for j in range(8)]
    assert max(within) < min(across)
    # a star's hub does not swallow its leaves: they keep a distance from it and from each other
    star = force_layout(nx.star_graph(30), seed=2)
    leaves = [star[i] for i in range(1, 31)]
    assert min(math.dist(star[0], p) for p in leaves) > 0.2
    assert min(math.dist(p, q) for k, p in enumerate(leaves) for q in leaves[:k]) > 0.02


def test_force_layout_sampled_path_large_graph():
    H = nx.gnm_random_graph(1500, 4000, seed=1)
    pos = force_layout(H, seed=2, iterations=5, exact_max=100, sample=50)
    assert len(pos) == 1500
    assert all(-1.0 - 1e-9 <= c <= 1.0 + 1e-9 for p in pos.values() for c in p)
    assert len({p for p in pos.values()}) == 1500  # no two nodes on the same spot


def test_empty_graph_and_bad_options():
    G = nx.MultiDiGraph()
    analysis.add_analytics(G)
    assert G.graph["communities"] == []
    with pytest.raises(ValueError, match="cooccur_min_papers"):
        analysis.add_analytics(G, cooccur_min_papers=0)
    with pytest.raises(ValueError, match="npmi_min"):
        analysis.add_analytics(G, npmi_min=2)


def _random_named(seed: int, papers: int = 60, vocab: int = 25) -> dict[str, list[str]]:
    import random

    rng = random.Random(seed)
    return {f"p{i:03d}": rng.sample([f"c{j:02d}" for j in range(vocab)], rng.randint(0, 8)) for i in range(papers)}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_cooccurrence_equals_brute_force_pair_count(seed):
    """The per-concept counting gives exactly the edges of counting every pair of every paper."""
    from itertools import combinations

    named = _random_named(seed)
    G = make_graph(named)
    added = analysis.add_cooccurrence(G, min_papers=2, npmi_min=-0.2)
    sets = [{f"concept:{c}" for c in cs} for cs in named.values()]
    df = {c: sum(c in s for s in sets) for s in sets for c in s}
    pairs: dict = {}
    for s in sets:
        for a, b in combinations(sorted(s), 2):
            pairs[a, b] = pairs.get((a, b), 0) + 1
    want = {}
    for (a, b), w in sorted(pairs.items()):
        score = analysis.npmi(w, df[a], df[b], len(sets))
        if w >= 2 and score > -0.2:
            want[a, b] = (w, round(score, 4))
    got = [(u, v, d["weight"], d["npmi"]) for u, v, k, d in G.edges(keys=True, data=True) if k == "CO_OCCURS"]
    assert added == len(want) > 0
    assert got == [(a, b, w, s) for (a, b), (w, s) in want.items()]  # same edges, added in pair order


def test_ranks_equal_networkx_pagerank_of_the_undirected_projection():
    named = _random_named(7, papers=40)
    G = make_graph(named)
    analysis.add_analytics(G, similar_top_k=2)
    H = nx.Graph()
    keep = [n for n, d in G.nodes(data=True) if d["label"] in ("Paper", "Concept")]
    H.add_nodes_from(keep)
    for u, v in G.edges():
        if u != v and u in H and v in H:
            H.add_edge(u, v, weight=H[u][v]["weight"] + 1 if H.has_edge(u, v) else 1)
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python  # nx.pagerank needs scipy

    want = _pagerank_python(H, alpha=0.85, weight="weight", tol=1e-12, max_iter=1000)
    for n in keep:
        assert G.nodes[n]["pagerank"] == pytest.approx(want[n], abs=1e-7)
        assert G.nodes[n]["degree"] == G.degree(n)


def test_force_layout_attraction_sum_matches_add_at():
    """The layout's bincount accumulation is the sequential sum np.add.at would do, bit for bit."""
    import numpy as np

    rng = np.random.default_rng(0)
    n, m = 50, 400
    disp = rng.random((n, 2))
    ei, ej = rng.integers(0, n, m), rng.integers(0, n, m)
    f = rng.random((m, 2)) - 0.5
    want = disp.copy()
    np.add.at(want, ei, -f)
    np.add.at(want, ej, f)
    ends = np.concatenate([np.arange(n), ei, ej])
    got = np.stack([np.bincount(ends, weights=np.concatenate([disp[:, k], -f[:, k], f[:, k]]), minlength=n)
                    for k in (0, 1)], axis=1)
    assert np.array_equal(got, want)


@pytest.mark.parametrize("seed", range(5))
def test_fast_unique_and_top_k_equal_numpy(seed):
    np = pytest.importorskip("numpy")
    rng = np.random.default_rng(seed)
    runs = [np.sort(rng.choice(300, size=int(rng.integers(1, 60)), replace=False)) for _ in range(8)]
    idx = np.concatenate(runs)
    values, inv = analysis._unique_inverse(idx)
    ref_values, ref_inv = np.unique(idx, return_inverse=True)
    assert values.tolist() == ref_values.tolist() and inv.tolist() == ref_inv.ravel().tolist()
    score = rng.integers(0, 6, size=len(values)) / 5.0  # many ties
    for k in (1, 3, 5, len(values), len(values) + 2):
        assert analysis._top(score, values, k).tolist() == np.lexsort((values, -score))[:k].tolist()


_SIMILAR_SCRIPT = r'''
import json, sys
import networkx as nx
from papergraph import analysis
named = json.loads(sys.stdin.read())
G = nx.MultiDiGraph()
for c in sorted({c for cs in named.values() for c in cs}):
    G.add_node("concept:" + c, label="Concept", id=c, name=c, type="Method", aliases=[])
for p, cs in named.items():
    G.add_node("paper:" + p, label="Paper", id=p, title=p, abstract="", date=None)
    for c in cs:
        G.add_edge("paper:" + p, "concept:" + c, key="USES", type="USES")
analysis.add_similar_papers(G, top_k=2)
print(json.dumps(sorted((u, v, d["score"]) for u, v, k, d in G.edges(keys=True, data=True) if k == "SIMILAR_TO")))
'''


def test_similar_papers_do_not_depend_on_the_hash_seed():
    """Tied similarities are broken by paper id in every process: a norm summed in a set's order
    (which follows PYTHONHASHSEED) once flipped which of two tied papers was kept."""
    import random
    import subprocess
    import sys

    rnd = random.Random(7)
    # 12 families of 4 concepts; the members of a family are named by equally many papers -> many ties
    named = {f"p{i:03d}": [f"f{f}m{(i + f) % 4}" for f in rnd.sample(range(12), 5)] for i in range(120)}
    outputs = set()
    for seed in range(8):
        proc = subprocess.run([sys.executable, "-c", _SIMILAR_SCRIPT], input=json.dumps(named), capture_output=True,
                              text=True, env={**__import__("os").environ, "PYTHONHASHSEED": str(seed)}, check=True)
        outputs.add(proc.stdout)
    assert len(outputs) == 1 and json.loads(outputs.pop())
