"""Neo4j Browser, served by the local server, runs every cypher/ file as-is (headless Debian chromium).

Opens http://127.0.0.1:<http port>/browser, connects with the test credentials, applies
cypher/style.grass with ``:style``, then pastes each query file whole into the editor and runs it:
its frame must show a table (and a graph for paths) with as many rows as the same statement gives
through the driver, over the build of examples/ (so every file's defaults name things that
exist). Screenshots go to test-artifacts/neo4j-browser-<query>.png.
"""

import os
import re
import shutil
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from papergraph.neo4j.library import cypher_dir, list_queries
from papergraph.neo4j.loader import connect, load_graph
from papergraph.palette import TYPE_COLORS, hex_color

pytestmark = [pytest.mark.neo4j, pytest.mark.browser]

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts"


@pytest.fixture
def chrome():
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver") or "/usr/bin/chromedriver"
    if not chromium or not os.path.exists(driver):
        reason = "Debian chromium and chromium-driver are needed (apt-get install chromium chromium-driver)"
        pytest.fail(reason) if os.environ.get("CI") else pytest.skip(reason)
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1100"):
        opts.add_argument(arg)
    browser = webdriver.Chrome(service=Service(driver), options=opts)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def examples_build(tmp_path_factory, examples_dir):
    from papergraph.api import build_outputs

    out = tmp_path_factory.mktemp("examples-build")
    build_outputs([str(examples_dir)], out, use_cache=False)
    return out


def expected_rows(settings, query) -> int:
    """Rows of the file's statement (its default values) run through the driver."""
    with connect(settings) as driver:
        return len(driver.execute_query(query.browser_text, database_=settings.database).records)


class BrowserSession:
    """Neo4j Browser in chromium: connect, paste a text into the editor, run it, find its frame."""

    def __init__(self, chrome, http: str):
        from selenium.webdriver.support.ui import WebDriverWait

        self.chrome, self.http = chrome, http
        self.wait = WebDriverWait(chrome, 60, poll_frequency=0.25)

    def css(self, sel, root=None):
        from selenium.webdriver.common.by import By

        return (root or self.chrome).find_elements(By.CSS_SELECTOR, sel)

    def clickable(self, sel):
        """The element once it is displayed and enabled (the connect form renders before it accepts input)."""
        from selenium.webdriver.support import expected_conditions as EC
        from selenium.webdriver.common.by import By

        return self.wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, sel)))

    def connect(self, bolt: str, user: str, password: str) -> None:
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.support.ui import Select

        self.chrome.get(f"{self.http}/browser/")
        self.clickable("[data-testid=connect]")
        Select(self.clickable("[data-testid=bolt-scheme-select]")).select_by_value("bolt://")
        address = self.clickable("[data-testid=boltaddress]")
        address.send_keys(Keys.CONTROL, "a")
        address.send_keys(Keys.DELETE, bolt)
        self.clickable("[data-testid=username]").send_keys(user)
        self.clickable("[data-testid=password]").send_keys(password)
        self.clickable("[data-testid=connect]").click()
        self.wait.until(lambda _: "You are connected as user" in self.css("[data-testid=stream]")[0].text)
        # Paste, as a user pastes a file: typed text would get the editor's auto-closed brackets.
        self.chrome.execute_cdp_cmd("Browser.grantPermissions", {
            "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"], "origin": self.http})

    def run(self, text: str):
        """Paste ``text`` into the editor, run it and return its newest frame."""
        from selenium.webdriver.common.keys import Keys

        editor = self.css("[data-testid=activeEditor] textarea")[0]
        editor.click()
        self.chrome.execute_script("return navigator.clipboard.writeText(arguments[0])", text)
        editor.send_keys(Keys.CONTROL, "a")
        editor.send_keys(Keys.CONTROL, "v")
        last = text.strip().splitlines()[-1].strip()[:30]  # the editor shows the end of a long text
        self.wait.until(lambda _: last in self.css("[data-testid=activeEditor]")[0].text)
        self.clickable("[data-testid=editor-Run]").click()
        first = " ".join(text.split())[:40]  # every file starts with its own summary line

        def newest():  # on top; Browser keeps at most 15 frames, so a count would stop growing
            frames = self.css("[data-testid=frame]")
            command = self.css("[data-testid=frameCommand]", frames[0]) if frames else []
            return frames[0] if command and " ".join(command[0].text.split()).startswith(first) else None

        return self.wait.until(lambda _: newest())


def test_browser_shows_the_rows_of_every_query_file(neo4j_db, examples_build, chrome):
    from papergraph.export.json import read_graph_json

    http = os.environ.get("PAPERGRAPH_TEST_NEO4J_HTTP", "http://127.0.0.1:17474").rstrip("/")
    with urllib.request.urlopen(f"{http}/browser/", timeout=10) as page:  # served by the neo4j-browser jar
        assert page.status == 200 and b"<title>Neo4j Browser</title>" in page.read()
    load_graph(read_graph_json(examples_build / "graph.json"), neo4j_db)
    queries = list_queries()
    want = {q.name: expected_rows(neo4j_db, q) for q in queries}
    assert all(want.values()), f"defaults that name nothing in the examples build: {want}"

    b = BrowserSession(chrome, http)
    ARTIFACTS.mkdir(exist_ok=True)
    b.connect(urllib.parse.urlparse(neo4j_db.uri).netloc, neo4j_db.user, neo4j_db.password or "")
    grass = (cypher_dir() / "style.grass").read_text(encoding="utf-8")
    frame = b.run(":style " + grass)
    b.wait.until(lambda _: "node.Model" in frame.text or "error" in frame.text.lower())
    assert "error" not in frame.text.lower(), frame.text

    shown = {}
    for q in queries:
        text = q.path.read_text(encoding="utf-8")
        frame = b.run(text)
        try:
            # A finished query's frame shows a table, a graph (nodes drawn) or an error.
            b.wait.until(lambda _: b.css("table", frame) or b.css("svg g.node", frame)
                         or b.css("[data-testid=cypherFrameErrorMessage]", frame))
            assert not b.css("[data-testid=cypherFrameErrorMessage]", frame), (q.name, frame.text[:500])
            assert "multi-statement" not in frame.get_attribute("innerHTML"), q.name
            nodes = b.css("svg g.node", frame)
            if nodes:  # a graph (paths): its nodes wear the style's colours
                fills = {c.get_attribute("fill") for c in b.css("svg g.node circle", frame)} - {None}
                assert {f.lower() for f in fills} <= {hex_color(rgb) for rgb in TYPE_COLORS.values()}, (q.name, fills)
                b.css("[data-testid=cypherFrameSidebarTable]", frame)[0].click()
            b.wait.until(lambda _: b.css("table", frame) and any(s.text for s in b.css("[data-testid=frameStatusbar]", frame)))
            rows = [tr for tr in b.css("table tr", frame) if b.css("td", tr)]
            status = " ".join(s.text for s in b.css("[data-testid=frameStatusbar]", frame))
            streamed = re.search(r"[Ss]tarted streaming (\d+) record", status)
            shown[q.name] = (len(rows), int(streamed.group(1)) if streamed else 0, bool(nodes))
        finally:
            chrome.save_screenshot(str(ARTIFACTS / f"neo4j-browser-{q.name}.png"))
    assert {n: v[:2] for n, v in shown.items()} == {n: (k, k) for n, k in want.items()}
    assert shown["neighbourhood"][2], "the neighbourhood query is drawn as a graph"
