"""`papergraph eval` and papergraph.evaluate agree with shared/tools/score.py."""

import importlib.util
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from papergraph.cli import cli
from papergraph.errors import InputError
from papergraph.evaluate import load_records, match_keys, pair_concepts, score


@pytest.fixture(scope="module")
def score_py(dev_gold):
    path = dev_gold.parents[1] / "tools" / "score.py"
    if not path.is_file():
        pytest.skip(f"score.py not found at {path}")
    return path


@pytest.fixture(scope="module")
def dev_pred(tmp_path_factory, dev_gold):
    out = tmp_path_factory.mktemp("eval") / "pred.jsonl"
    res = CliRunner().invoke(cli, ["extract", str(dev_gold), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    return out


def test_keys_fold_case_punctuation_and_plural():
    assert match_keys("Chain-of-Thought") == {"chainofthought"}
    assert "llm" in match_keys("LLMs")
    assert "box" in match_keys("boxes")
    assert match_keys("loss") == {"loss"}  # "ss" is not a plural
    assert match_keys("--") == set()


def test_pairs_are_one_to_one_names_before_aliases():
    gold = [{"name": "LLM", "type": "Method"}, {"name": "large language model", "type": "Method"}]
    pred = [{"name": "large language model", "type": "Method", "aliases": ["LLM"]}]
    assert pair_concepts(gold, pred, typed=False) == [(1, 0)]
    assert pair_concepts(gold, [{"name": "LLM", "type": "Model"}], typed=True) == []


def test_score_counts_small_case():
    gold = {"a": {"concepts": [{"name": "GSM8K", "type": "Benchmark", "role": "used"},
                               {"name": "LoRA", "type": "Method", "role": "proposed"}]}}
    pred = {"a": {"concepts": [{"name": "gsm8k", "type": "Benchmark", "role": "used"},
                               {"name": "LoRA", "type": "Task", "role": "used"},
                               {"name": "our method", "type": "Method"}]}}
    res = score(gold, pred, show_errors=5)
    assert res["untyped"] == {"p": round(2 / 3, 4), "r": 1.0, "f": 0.8}
    assert res["typed"]["r"] == 0.5
    assert res["proposed_recall"] == 1.0 and res["role_agreement"] == 0.5
    assert res["spurious"] == [("a", "Method", "our method")]


def test_bad_line_names_file_and_line(tmp_path):
    f = tmp_path / "gold.jsonl"
    f.write_text('{"id": "x", "concepts": []}\n{not json\n')
    with pytest.raises(InputError, match=r"gold.jsonl:2: not JSON"):
        load_records(f)


def test_numbers_equal_score_py_on_dev(dev_gold, dev_pred, score_py):
    ref = subprocess.run([sys.executable, str(score_py), "--gold", str(dev_gold), "--pred", str(dev_pred),
                          "--json", "--show-errors", "1000"], capture_output=True, text=True, check=True)
    expected = json.loads(ref.stdout)
    spec = importlib.util.spec_from_file_location("shared_score", score_py)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    ours = score(load_records(dev_gold), load_records(dev_pred), show_errors=1000)
    assert json.loads(json.dumps(ours)) == expected
    # and identical to score.py's own function on a perturbed prediction (types shuffled, names dropped)
    pred = load_records(dev_pred)
    for k, rec in enumerate(pred.values()):
        rec["concepts"] = [dict(c, type="Task") if i % 3 == k % 3 else c
                           for i, c in enumerate(rec["concepts"]) if i % 4 != 1]
    assert json.loads(json.dumps(score(load_records(dev_gold), pred, 50))) == \
        json.loads(json.dumps(mod.score(mod.load(str(dev_gold)), pred, 50)))


def test_eval_command_prints_score_py_text(dev_gold, dev_pred, score_py):
    ref = subprocess.run([sys.executable, str(score_py), "--gold", str(dev_gold), "--pred", str(dev_pred)],
                         capture_output=True, text=True, check=True)
    res = CliRunner().invoke(cli, ["eval", "--gold", str(dev_gold)])
    assert res.exit_code == 0, res.output
    assert res.output.strip() == ref.stdout.strip()


def test_eval_command_bad_gold_is_one_line(tmp_path):
    f = tmp_path / "g.jsonl"
    f.write_text("[1, 2]\n")
    res = CliRunner().invoke(cli, ["eval", "--gold", str(f)])
    assert res.exit_code != 0
    assert "Traceback" not in res.output
