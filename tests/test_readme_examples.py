"""README.md's example outputs match a real run (what `scripts/readme_examples.py --check` checks)."""

import importlib.util

import pytest

from conftest import REPO

spec = importlib.util.spec_from_file_location("readme_examples", REPO / "scripts" / "readme_examples.py")
readme_examples = importlib.util.module_from_spec(spec)
spec.loader.exec_module(readme_examples)


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory):
    return readme_examples.build_runs(tmp_path_factory.mktemp("readme"), corpus=False)


def test_readme_examples_over_examples_match_a_run(demo_run):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "<!-- example: demo-build -->" in readme
    assert readme_examples.drift(readme, demo_run) == "", "run: .venv/bin/python scripts/readme_examples.py"


def test_readme_examples_over_the_shared_corpus_match_a_run(demo_run, shared_build):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme_examples.drift(readme, {**demo_run, "corpus": shared_build}) == "", (
        "run: .venv/bin/python scripts/readme_examples.py")


def test_drift_is_found_but_not_in_timings(demo_run):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.index("<!-- example: demo-build -->")
    papers = readme.index("papers:", block)
    changed = readme[:papers] + readme[papers:].replace("papers:", "papers:  1", 1)
    assert "papers:" in readme_examples.drift(changed, demo_run)
    seconds = readme.index("seconds:", block)
    slower = readme[:seconds] + readme[seconds:].replace("seconds:", "seconds:   99.5\n#", 1)
    assert readme_examples.drift(slower, demo_run) != ""  # a line more is drift; a time alone is not:
    timed = readme[:seconds] + "seconds:           12.3" + readme[readme.index("\n", seconds):]
    assert readme_examples.drift(timed, demo_run) == ""
