"""The map in headless Debian chromium (selenium + chromedriver): loads clean, counts, search, XSS.

Skipped when chromium or chromedriver is missing, except in CI (env CI set), where that fails.
Screenshots go to test-artifacts/ (map.png: the shared corpus map after a search;
map-start.png: the map as it opens, where the ten largest concepts must be labelled).
"""

import io
import json
import os
import re
import shutil
import time
from collections import Counter

import pytest
from click.testing import CliRunner

from papergraph import analysis
from papergraph.cli import cli
from papergraph.view import write_map

pytestmark = pytest.mark.browser


def _find(*names):
    for n in names:
        path = shutil.which(n) or (n if os.path.isabs(n) and os.access(n, os.X_OK) else None)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def browser():
    chromium = _find("chromium", "chromium-browser", "google-chrome")
    driver_path = _find("chromedriver", "/usr/lib/chromium/chromedriver")
    missing = [name for name, found in (("chromium", chromium), ("chromium-driver", driver_path)) if not found]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("selenium (the 'test' extra)")
    if missing:
        reason = "the map tests need " + ", ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)

    opts = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,800", "--force-device-scale-factor=1", "--no-first-run",
                "--disable-extensions", "--disable-background-networking"):
        opts.add_argument(arg)
    opts.binary_location = chromium
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=opts)
    try:
        yield driver
    finally:
        driver.quit()


def open_map(driver, path):
    """Load a map page, wait for the app, return the browser log lines written while loading."""
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(path.resolve().as_uri())
    deadline = time.monotonic() + 15
    while not driver.execute_script("return !!(window.pgView && window.pgView.ready)"):
        assert time.monotonic() < deadline, "the map app did not start: %s" % driver.get_log("browser")
        time.sleep(0.05)
    driver.execute_script("window.pgView.canvas.draw()")
    return driver.get_log("browser")


def attr(driver, name):
    return driver.find_element("id", "pg-graph").get_attribute(name)


def pixel(driver, x, y):
    from PIL import Image

    img = Image.open(io.BytesIO(driver.get_screenshot_as_png())).convert("RGB")
    return img.getpixel((int(round(x)), int(round(y))))


def node_client_pos(driver, i):
    """Viewport coordinates of concept i's centre."""
    return driver.execute_script(
        "const p = pgView.screenPos(arguments[0]), b = pgView.canvas.canvas.getBoundingClientRect();"
        "return [p.x + b.left, p.y + b.top];", i)


def pointer(driver, x, y, click=False):
    """Move the mouse to viewport point (x, y), and click there if asked."""
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    actions = ActionBuilder(driver)
    actions.pointer_action.move_to_location(int(x), int(y))
    if click:
        actions.pointer_action.click()
    actions.perform()


def hex_rgb(h):
    return tuple(int(h[k:k + 2], 16) for k in (1, 3, 5))


@pytest.fixture(scope="module")
def shared_map(shared_build, tmp_path_factory):
    out = tmp_path_factory.mktemp("map") / "map.html"
    res = CliRunner().invoke(cli, ["view", str(shared_build), "-o", str(out)])
    assert res.exit_code == 0, res.output
    raw = json.loads((shared_build / "graph.json").read_text(encoding="utf-8"))
    return out, raw


def test_shared_corpus_map(browser, shared_map, repo_dir):
    path, raw = shared_map
    log = open_map(browser, path)
    assert log == []  # no console errors, warnings or CSP violations
    concepts = [n for n in raw["nodes"] if n["label"] == "Concept"]
    assert int(attr(browser, "data-total")) == len(concepts)
    assert int(attr(browser, "data-shown")) == len(concepts)
    browser.find_element("id", "pg-fit").click()
    browser.execute_script("pgView.canvas.draw()")
    assert browser.execute_script("return pgView.canvas.drawn") == len(concepts)  # all in view after "fit"
    assert browser.find_element("id", "pg-count").text.startswith(f"Showing {len(concepts)} of {len(concepts)} concepts")

    # search the most-named concept by name: highlighted, centred, selected, its papers listed
    top = max(concepts, key=lambda n: (n["paper_count"], n["id"]))
    box = browser.find_element("id", "pg-search")
    box.send_keys(top["name"])
    highlighted = json.loads(attr(browser, "data-highlighted"))
    assert highlighted[0] == top["id"].removeprefix("concept:") or highlighted[0] == top["id"]
    assert attr(browser, "data-selected") == highlighted[0]
    i = browser.execute_script("return pgView.highlighted[0]")
    browser.execute_script("pgView.canvas.draw()")
    x, y = node_client_pos(browser, i)
    rect = browser.execute_script("const b = pgView.canvas.canvas.getBoundingClientRect(); return [b.left, b.top, b.width, b.height];")
    assert abs(x - (rect[0] + rect[2] / 2)) < 2 and abs(y - (rect[1] + rect[3] / 2)) < 2  # centred
    colours = browser.execute_script("return pgView.canvas.colour(arguments[0])", i)
    assert pixel(browser, x, y) == hex_rgb(colours)  # the node is drawn there, in its type colour
    r = browser.execute_script("return pgView.canvas.radius(arguments[0])", i)
    assert pixel(browser, x, y - r - 4) == (0, 0, 0)  # inside the black selection ring
    panel = browser.find_element("id", "pg-details")
    assert panel.find_element("tag name", "h2").text == top["name"]
    titles = {n["id"]: n["title"] for n in raw["nodes"] if n["label"] == "Paper"}
    naming = Counter(titles[e["source"]] for e in raw["edges"] if e["target"] == top["id"] and e["source"] in titles)
    shown = [li.find_element("css selector", "a, .pg-title").text
             for li in panel.find_elements("css selector", "ol.pg-papers > li")]
    assert Counter(shown) == naming
    os.makedirs(repo_dir / "test-artifacts", exist_ok=True)
    browser.save_screenshot(str(repo_dir / "test-artifacts" / "map.png"))
    assert browser.get_log("browser") == []


def test_filter_click_hover_zoom(browser, shared_map):
    path, raw = shared_map
    open_map(browser, path)
    concepts = [n for n in raw["nodes"] if n["label"] == "Concept"]
    methods = sum(n["type"] == "Method" for n in concepts)
    browser.find_element("css selector", "#pg-filters input[value='Method']").click()
    assert int(attr(browser, "data-shown")) == len(concepts) - methods
    browser.find_element("id", "pg-fit").click()
    browser.execute_script("pgView.canvas.draw()")
    assert browser.execute_script("return pgView.canvas.drawn") == len(concepts) - methods
    # the link count follows the filter: concept pairs joined by any edge, neither a Method
    kind = {n["id"]: n["type"] for n in concepts}
    pairs = {frozenset((e["source"], e["target"])) for e in raw["edges"]
             if e["source"] in kind and e["target"] in kind and e["source"] != e["target"]}
    shown_pairs = [p for p in pairs if "Method" not in {kind[c] for c in p}]
    assert len(shown_pairs) < len(pairs)
    assert int(attr(browser, "data-links")) == len(shown_pairs)
    assert browser.find_element("id", "pg-count").text.endswith(f", {len(shown_pairs)} links")

    # click the biggest shown concept where it is drawn
    i = browser.execute_script(
        "const c = pgView.canvas; let best = -1;"
        "c.nodes.forEach((n, j) => { if (c.visible[j] && (best < 0 || n.r > c.nodes[best].r)) best = j; });"
        "return best;")
    x, y = node_client_pos(browser, i)
    pointer(browser, x, y)
    tip = browser.find_element("id", "pg-tooltip")
    name = browser.execute_script("return pgView.canvas.nodes[arguments[0]].label", i)
    assert tip.is_displayed() and tip.find_element("tag name", "strong").text == name
    pointer(browser, x, y, click=True)
    assert browser.find_element("css selector", "#pg-details h2").text == name
    assert attr(browser, "data-selected")

    browser.find_element("id", "pg-fit").click()
    k = browser.execute_script("return pgView.canvas.k")
    browser.find_element("id", "pg-zoom-in").click()
    assert browser.execute_script("return pgView.canvas.k") == pytest.approx(k * 1.4)
    browser.find_element("id", "pg-fit").click()
    assert browser.execute_script("return pgView.canvas.k") == pytest.approx(k)
    assert browser.get_log("browser") == []


def _boxes_overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_the_ten_largest_concepts_are_labelled_at_start(browser, shared_map, repo_dir):
    path, raw = shared_map
    open_map(browser, path)
    labels = browser.execute_script("return pgView.labels()")
    os.makedirs(repo_dir / "test-artifacts", exist_ok=True)
    shot = repo_dir / "test-artifacts" / "map-start.png"
    browser.save_screenshot(str(shot))
    concepts = sorted((n for n in raw["nodes"] if n["label"] == "Concept"), key=lambda n: -n["paper_count"])
    tenth = concepts[9]["paper_count"]
    must = {n["id"].removeprefix("concept:") for n in concepts if n["paper_count"] > concepts[10]["paper_count"]}
    may = {n["id"].removeprefix("concept:") for n in concepts if n["paper_count"] >= tenth}
    drawn = {lab["id"]: lab for lab in labels}
    assert must <= set(drawn), sorted(must - set(drawn))
    assert len(may & set(drawn)) >= 10
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            assert not _boxes_overlap(a["box"], b["box"]), (a, b)
    # the screenshot shows the text: dark pixels inside each of those labels' boxes
    from PIL import Image

    img = Image.open(shot).convert("RGB")
    for lab in (drawn[i] for i in may & set(drawn)):
        x0, y0, x1, y1 = (int(round(v)) for v in lab["box"])
        dark = sum(1 for x in range(x0, x1) for y in range(y0, y1) if max(img.getpixel((x, y))) < 90)
        assert dark >= 10, lab
    assert browser.get_log("browser") == []


def _rank(q, texts):
    """0 exact, 1 prefix, 2 a word starts with q, None: no match (the page's documented order)."""
    texts = [t.lower() for t in texts]
    if q in texts:
        return 0
    if any(t.startswith(q) for t in texts):
        return 1
    if any(re.search(r"(?:^|[\W_])" + re.escape(q), t) for t in texts):
        return 2
    return None


def test_search_ranks_exact_and_word_prefix_first_and_enter_takes_the_best(browser, shared_map):
    path, raw = shared_map
    open_map(browser, path)
    concepts = {n["id"].removeprefix("concept:"): n for n in raw["nodes"] if n["label"] == "Concept"}
    top = max(concepts.values(), key=lambda n: n["paper_count"])
    for q in ("o1", "lora", top["name"].split()[0].lower(), "gpt"):
        expected = {i: _rank(q, [n["name"], *n.get("aliases", [])]) for i, n in concepts.items()}
        expected = {i: r for i, r in expected.items() if r is not None}
        got = browser.execute_script("return pgView.search(arguments[0])", q)
        assert set(got) == set(expected), q  # no match inside a word ("lora" in "exploration")
        ranks = [(expected[i], -concepts[i]["paper_count"]) for i in got]
        assert ranks == sorted(ranks), q
    assert concepts[browser.execute_script("return pgView.search('lora')")[0]]["name"].lower().startswith("lora")

    box = browser.find_element("id", "pg-search")
    box.clear()
    box.send_keys("o1")
    hits = json.loads(attr(browser, "data-highlighted"))
    assert _rank("o1", [concepts[hits[0]]["name"], *concepts[hits[0]].get("aliases", [])]) == 0
    box.send_keys("\n")  # Enter: the best match
    assert attr(browser, "data-selected") == hits[0]
    box.send_keys("\n")  # Enter again: the next one
    assert attr(browser, "data-selected") == hits[1]
    assert browser.get_log("browser") == []


def test_papers_tab_searches_and_opens_papers(browser, shared_map, sample_graph, tmp_path):
    path, raw = shared_map
    open_map(browser, path)
    papers = {n["id"].removeprefix("paper:"): n for n in raw["nodes"] if n["label"] == "Paper"}
    browser.find_element("css selector", "#pg-tabs button[value='papers']").click()
    assert browser.find_element("id", "pg-paper-search").is_displayed()
    word = "reasoning"
    browser.find_element("id", "pg-paper-search").send_keys(word)
    expected = {i for i, p in papers.items() if _rank(word, [p["title"], i]) is not None}
    assert 0 < len(expected) < len(papers)
    items = browser.find_elements("css selector", "#pg-paper-list > li")
    assert len(items) == min(len(expected), 200)
    assert browser.find_element("id", "pg-paper-count").text.startswith(f"{len(expected)} papers")
    first = items[0].find_element("css selector", "a, .pg-title").text
    items[0].find_element("css selector", "button").click()
    assert browser.find_element("css selector", "#pg-details h2").text == first
    pid = next(i for i, p in papers.items() if p["title"] == first)
    named = {e["target"].removeprefix("concept:") for e in raw["edges"]
             if e["source"] == "paper:" + pid and e["target"].startswith("concept:")}
    assert set(json.loads(attr(browser, "data-highlighted"))) == named
    assert browser.get_log("browser") == []

    # a paper with a URL links to it from the list
    G = sample_graph()
    analysis.add_analytics(G)
    write_map(G, tmp_path / "urls.html")
    open_map(browser, tmp_path / "urls.html")
    assert browser.execute_script("return pgView.searchPapers('bert')") == ["p1"]
    browser.find_element("css selector", "#pg-tabs button[value='papers']").click()
    link = browser.find_element("css selector", "#pg-paper-list a")
    assert link.get_attribute("href") == G.nodes["paper:p1"]["url"] and link.text == G.nodes["paper:p1"]["title"]


XSS = {
    "title": "<script>window.__pwned = 'title'</script><img src=x onerror=\"window.__pwned='img'\">",
    "name": "<img src=x onerror=\"window.__pwned='name'\">BERT",
    "alias": "</script><script>window.__pwned='alias'</script>",
    "evidence": "<svg onload=\"window.__pwned='svg'\"></svg>\u2028line\u2029para",
}


def test_hostile_strings_are_shown_as_text(browser, sample_graph, tmp_path):
    G = sample_graph(extra=True)
    G.nodes["paper:p1"]["title"] = XSS["title"]
    G.nodes["paper:p1"]["url"] = "javascript:window.__pwned='url'"
    G.nodes["concept:bert"]["name"] = XSS["name"]
    G.nodes["concept:bert"]["aliases"] = [XSS["alias"]]
    for u, v, k, d in G.edges(keys=True, data=True):
        if (u, v, k) == ("paper:p1", "concept:bert", "PROPOSES"):
            d["evidence"] = XSS["evidence"]
    analysis.add_analytics(G)
    path = tmp_path / "map.html"
    write_map(G, path, title=XSS["title"])
    log = open_map(browser, path)
    assert log == []
    assert browser.title == XSS["title"]
    assert browser.find_element("id", "pg-title").text == XSS["title"]
    browser.find_element("id", "pg-search").send_keys("</script>")  # matches the alias
    assert json.loads(attr(browser, "data-highlighted")) == ["bert"]
    panel = browser.find_element("id", "pg-details")
    assert browser.execute_script("return document.querySelector('#pg-details h2').textContent") == XSS["name"]
    texts = browser.execute_script(
        "return [...document.querySelectorAll('#pg-details li')].map(li => li.textContent)")
    assert any(XSS["title"] in t and XSS["evidence"] in t for t in texts)
    assert not panel.find_elements("css selector", "a")  # the javascript: URL is not a link
    i = browser.execute_script("return pgView.highlighted[0]")
    x, y = node_client_pos(browser, i)
    pointer(browser, x, y)
    assert XSS["alias"] in browser.find_element("id", "pg-tooltip").text
    time.sleep(0.2)
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.execute_script("return document.querySelectorAll('img, svg, iframe, object').length") == 0
    assert browser.execute_script("return document.scripts.length") == 5
    assert browser.get_log("browser") == []


def test_empty_and_single_concept_maps_load(browser, tmp_path):
    import networkx as nx

    write_map(nx.MultiDiGraph(), tmp_path / "empty.html")
    assert open_map(browser, tmp_path / "empty.html") == []
    assert attr(browser, "data-total") == "0"
    G = nx.MultiDiGraph()
    G.add_node("concept:x", label="Concept", id="x", name="x", type="Task", paper_count=0, aliases=[])
    write_map(G, tmp_path / "one.html")
    assert open_map(browser, tmp_path / "one.html") == []
    assert browser.execute_script("return [pgView.shown, pgView.canvas.drawn]") == [1, 1]
    assert browser.execute_script("return pgView.search('x')") == ["x"]
    assert browser.get_log("browser") == []


def _many_concepts_graph(n):
    """n concepts on a grid, named by n // 4 papers (four each), two types; positions set directly."""
    import networkx as nx

    G = nx.MultiDiGraph()
    side = int(n ** 0.5) + 1
    for c in range(n):
        G.add_node(f"concept:c{c}", label="Concept", id=f"c{c}", name=f"concept {c}", aliases=[],
                   type=("Model", "Task")[c % 2], paper_count=1 + (n - c) // 500,
                   viz={"position": {"x": (c % side) * 10.0, "y": (c // side) * 10.0}})
    for p in range(n // 4):
        G.add_node(f"paper:p{p}", label="Paper", id=f"p{p}", title=f"paper {p}", date="2024-01-01", url="")
        for c in range(4 * p, 4 * p + 4):
            G.add_edge(f"paper:p{p}", f"concept:c{c}", key="USES", type="USES", evidence="")
        G.add_edge(f"concept:c{4 * p}", f"concept:c{4 * p + 1}", key="CO_OCCURS", type="CO_OCCURS", weight=2)
    return G


def test_many_concepts_are_drawn_in_bulk_where_they_are(browser, tmp_path):
    n = 5000  # above the number of on-screen nodes from which the renderer draws them in bulk
    write_map(_many_concepts_graph(n), tmp_path / "many.html")
    assert open_map(browser, tmp_path / "many.html") == []
    browser.find_element("id", "pg-fit").click()
    browser.execute_script("pgView.canvas.draw()")
    assert browser.execute_script("return [pgView.shown, pgView.canvas.drawn, pgView.links]") == [n, n, n // 4]
    # the most important concept (drawn last, so on top) is there, in its type colour
    x, y = node_client_pos(browser, 0)
    assert pixel(browser, x, y) == hex_rgb(browser.execute_script("return pgView.canvas.colour(0)"))
    # and a click there opens it (the grid hit test)
    pointer(browser, x, y, click=True)
    assert attr(browser, "data-selected") == "c0"

    # the overview inset moves the main view: a click on its centre centres the whole graph
    inset = browser.find_element("css selector", ".pg-overview")
    browser.execute_script("pgView.canvas.zoomAt(6, 0, 0)")
    r = browser.execute_script("const b = arguments[0].getBoundingClientRect(); return [b.left, b.top, b.width, b.height];", inset)
    pointer(browser, r[0] + r[2] / 2, r[1] + r[3] / 2, click=True)
    # offset of the graph's centre from the view's centre, and 1.5 inset pixels, in screen pixels
    dx, dy, tol = browser.execute_script(
        "const c = pgView.canvas, b = c.bounds(), ik = Math.min(172 / (b[2] - b[0]), 112 / (b[3] - b[1]));"
        "return [((b[0] + b[2]) / 2) * c.k + c.tx - c.width / 2, ((b[1] + b[3]) / 2) * c.k + c.ty - c.height / 2,"
        " 1.5 * c.k / ik];")
    assert abs(dx) < tol and abs(dy) < tol
    assert browser.get_log("browser") == []


def test_map_frame_bench_runs(browser, repo_dir, tmp_path):
    """bench/map_frames.py (the 30k frame-time figures of BENCHMARKS.md) works, on a small graph."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_map_frames", repo_dir / "bench" / "map_frames.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "frames.json"
    assert bench.main(["--concepts", "600", "--papers", "200", "--json", str(out), "--keep", str(tmp_path)]) == 0
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["concepts"] == 600
    for view in ("start", "fit", "zoom8", "search"):
        assert 0 < figures[view]["nodes_drawn"] <= 600 and figures[view]["labels"] > 0
        assert figures[view]["pan_interval"]["median_ms"] > 0
    assert figures["fit"]["nodes_drawn"] == 600
    assert (tmp_path / "map.html").exists() and (tmp_path / "graph.json").exists()
