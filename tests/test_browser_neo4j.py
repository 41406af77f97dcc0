"""Neo4j Browser, served by the local server, runs a cypher/ file as-is (headless Debian chromium).

Opens http://127.0.0.1:<http port>/browser with the file in the editor, connects with the test
credentials, runs the whole file (its ``:param`` lines, then the query) and checks the result
table; the screenshot goes to test-artifacts/neo4j-browser.png.
"""

import os
import shutil
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from papergraph.neo4j.library import get_query
from papergraph.neo4j.loader import load_graph

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


def test_browser_runs_a_library_query(neo4j_db, sample_graph, chrome):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import Select, WebDriverWait

    http = os.environ.get("PAPERGRAPH_TEST_NEO4J_HTTP", "http://127.0.0.1:17474").rstrip("/")
    bolt = urllib.parse.urlparse(neo4j_db.uri).netloc
    with urllib.request.urlopen(f"{http}/browser/", timeout=10) as page:  # served by the neo4j-browser jar
        assert page.status == 200 and b"<title>Neo4j Browser</title>" in page.read()
    load_graph(sample_graph(extra=True), neo4j_db)
    query = get_query("top-concepts")
    text = query.path.read_text(encoding="utf-8").replace("'Model'", "'Benchmark'")

    def css(sel, root=None):
        return (root or chrome).find_elements(By.CSS_SELECTOR, sel)

    wait = WebDriverWait(chrome, 60, poll_frequency=0.25)

    def clickable(sel):
        """The element once it is displayed and enabled: present is not enough (the connect form
        renders before it accepts input; ElementNotInteractableException on a fresh start)."""
        return wait.until(EC.element_to_be_clickable((By.CSS_SELECTOR, sel)))

    chrome.get(f"{http}/browser/?" + urllib.parse.urlencode({"cmd": "edit", "arg": text}))
    try:
        clickable("[data-testid=connect]")
        Select(clickable("[data-testid=bolt-scheme-select]")).select_by_value("bolt://")
        address = clickable("[data-testid=boltaddress]")
        address.send_keys(Keys.CONTROL, "a")
        address.send_keys(Keys.DELETE, bolt)
        clickable("[data-testid=username]").send_keys(neo4j_db.user)
        clickable("[data-testid=password]").send_keys(neo4j_db.password or "")
        clickable("[data-testid=connect]").click()
        wait.until(lambda _: "You are connected as user" in css("[data-testid=stream]")[0].text)
        assert "Top concepts of one type" in css("[data-testid=activeEditor]")[0].text  # the file is in the editor
        clickable("[data-testid=editor-Run]").click()

        def frame():
            for f in css("[data-testid=frame]"):
                cmd = css("[data-testid=frameCommand]", f)
                if cmd and "Top concepts of one type" in cmd[0].text:
                    return f
            return None

        # Three statements (two :param lines and the query), each with a success icon.
        wait.until(lambda _: frame() is not None and len(css("[data-testid=multi-statement-list-title]", frame())) == 3)
        wait.until(lambda _: len(css("[data-testid=multi-statement-list-icon] .fa-check-square-o", frame())) == 3
                   or "error" in frame().text.lower())
        assert "error" not in frame().text.lower(), frame().text
        # A multi-statement run shows statuses only: run the query alone (the :params are set) for its table.
        one_line = " ".join(query.text.split())
        editor = css("[data-testid=activeEditor] textarea")[0]
        editor.send_keys(one_line)
        clickable("[data-testid=editor-Run]").click()

        def table():
            for f in css("[data-testid=frame]"):
                cmd = css("[data-testid=frameCommand]", f)
                if cmd and cmd[0].text.startswith("MATCH (c:Concept") and css("table", f):
                    return css("table", f)[0]
            return None

        wait.until(lambda _: table() is not None and "GLUE" in table().text)
        rows = [[c.text for c in tr.find_elements(By.CSS_SELECTOR, "td")] for tr in table().find_elements(By.CSS_SELECTOR, "tr")]
        rows = [r for r in rows if r]
        # GLUE (named by p1, p2 and p4) is the only benchmark: one row, paper count 3, no model.
        assert len(rows) == 1 and rows[0][1:3] == ['"GLUE"', "3"], rows  # (row number first)
    finally:
        ARTIFACTS.mkdir(exist_ok=True)
        chrome.save_screenshot(str(ARTIFACTS / "neo4j-browser.png"))
