"""The learned scorer: its linear model, its candidates, the shipped weights loaded offline,
training end to end on a tiny hand-written split, and cross-validation from the CLI."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import spacy
from click.testing import CliRunner

from papergraph.cli import cli
from papergraph.model import Paper
from papergraph.nlp import FALLBACK_MODEL, extract_papers, load_pipeline
from papergraph.nlp.linear import LinearModel, train
from papergraph.nlp.scorer import load_model
from papergraph.nlp.spans import chunk_spans, match_key

ROOT = Path(__file__).resolve().parents[1]

# Hand-written papers (not from any gold file), annotated under shared/gold/GUIDELINES.md.
TINY = [
    {"id": "t1", "title": "FooNet: Fast Segmentation of Satellite Images",
     "abstract": "We propose FooNet, a convolutional network for semantic segmentation. FooNet is trained with "
                 "knowledge distillation and evaluated on Cityscapes, where it improves mIoU over DeepLab.",
     "concepts": [{"name": "FooNet", "type": "Model", "aliases": [], "role": "proposed"},
                  {"name": "semantic segmentation", "type": "Task", "aliases": [], "role": "used"},
                  {"name": "knowledge distillation", "type": "Method", "aliases": [], "role": "used"},
                  {"name": "Cityscapes", "type": "Benchmark", "aliases": [], "role": "used"},
                  {"name": "mIoU", "type": "Metric", "aliases": [], "role": "used"},
                  {"name": "DeepLab", "type": "Model", "aliases": [], "role": "compared"}]},
    {"id": "t2", "title": "Sparse Adapters for Large Language Models",
     "abstract": "Large language models (LLMs) are costly to tune. We introduce sparse adapters, a parameter-efficient "
                 "fine-tuning method, and report accuracy on GSM8K with Llama-3-8B.",
     "concepts": [{"name": "large language model", "type": "Method", "aliases": ["LLMs"], "role": "used"},
                  {"name": "sparse adapter", "type": "Method", "aliases": [], "role": "proposed"},
                  {"name": "parameter-efficient fine-tuning", "type": "Method", "aliases": [], "role": "used"},
                  {"name": "accuracy", "type": "Metric", "aliases": [], "role": "used"},
                  {"name": "GSM8K", "type": "Benchmark", "aliases": [], "role": "used"},
                  {"name": "Llama-3-8B", "type": "Model", "aliases": [], "role": "used"}]},
    {"id": "t3", "title": "Counting Birds with Drones",
     "abstract": "We study object counting from aerial video. Our detector, BirdCount, outperforms YOLOv8 on the "
                 "DroneBirds dataset in mean absolute error.",
     "concepts": [{"name": "object counting", "type": "Task", "aliases": [], "role": "used"},
                  {"name": "BirdCount", "type": "Model", "aliases": [], "role": "proposed"},
                  {"name": "YOLOv8", "type": "Model", "aliases": [], "role": "compared"},
                  {"name": "DroneBirds", "type": "Benchmark", "aliases": [], "role": "used"},
                  {"name": "mean absolute error", "type": "Metric", "aliases": [], "role": "used"}]},
    {"id": "t4", "title": "Reward Models for Code",
     "abstract": "We train a reward model for code generation with reinforcement learning from human feedback "
                 "and measure pass@1 on HumanEval.",
     "concepts": [{"name": "reward model", "type": "Method", "aliases": [], "role": "used"},
                  {"name": "code generation", "type": "Task", "aliases": [], "role": "used"},
                  {"name": "reinforcement learning from human feedback", "type": "Method", "aliases": [],
                   "role": "used"},
                  {"name": "pass@1", "type": "Metric", "aliases": [], "role": "used"},
                  {"name": "HumanEval", "type": "Benchmark", "aliases": [], "role": "used"}]},
]


# --- the linear model ------------------------------------------------------------------------

def test_linear_model_learns_and_round_trips():
    X = [["w=lora", "cap"], ["w=lora"], ["w=the"], ["w=the", "cap"], ["w=gsm8k", "digit"], ["w=gsm8k"]] * 3
    y = [1, 1, 0, 0, 2, 2] * 3
    m = train(X, y, labels=("NONE", "Method", "Benchmark"), epochs=200, min_count=1, seed=1)
    assert [int(m.proba(x).argmax()) for x in X[:6]] == y[:6]
    again = LinearModel.from_dict(json.loads(json.dumps(m.to_dict())))
    for x in X[:6]:
        assert np.allclose(again.proba(x), m.proba(x), atol=1e-3)
    assert m.proba(["never-seen"]).shape == (3,)
    assert np.allclose(m.proba_many(X[:6] + [["never-seen"]]), [m.proba(x) for x in X[:6] + [["never-seen"]]])


def test_linear_model_dense_inputs_are_used():
    rng = np.random.default_rng(0)
    dense = rng.normal(size=(40, 3))
    y = (dense[:, 0] > 0).astype(int).tolist()
    m = train([[]] * 40, y, labels=("a", "b"), epochs=300, min_count=1, dense=dense, dense_l2=1e-4)
    acc = np.mean([int(m.proba([], dense[i]).argmax()) == y[i] for i in range(40)])
    assert acc > 0.9


def test_sample_weights_decide_between_conflicting_examples():
    # the same features labelled both ways: the heavier examples win, either way round
    X, y = [["w=x"], ["w=x"]] * 4, [0, 1] * 4
    for heavy in (0, 1):
        w = [3.0 if lab == heavy else 1.0 for lab in y]
        m = train(X, y, labels=("a", "b"), epochs=200, min_count=1, sample_weight=w, seed=1)
        assert int(m.proba(["w=x"]).argmax()) == heavy
    with pytest.raises(ValueError):
        train(X, y, labels=("a", "b"), sample_weight=[1.0])


def test_linear_training_is_deterministic():
    X, y = [["a", "b"], ["b"], ["c"]] * 2, [0, 1, 1] * 2
    m1 = train(X, y, labels=("x", "y"), epochs=50, min_count=1, seed=7)
    m2 = train(X, y, labels=("x", "y"), epochs=50, min_count=1, seed=7)
    assert m1.to_dict() == m2.to_dict()


# --- candidates from the parse ------------------------------------------------------------------

@pytest.fixture(scope="module")
def bare():
    return spacy.load(FALLBACK_MODEL)


def test_chunk_spans_are_suffixes_ending_at_the_root(bare):
    doc = bare("We study the efficient reasoning of large language models.")
    texts = {doc[s:e].text for s, e, _ in chunk_spans(doc)}
    assert {"efficient reasoning", "reasoning", "large language models", "language models", "models"} <= texts
    assert not any(t.startswith("the ") for t in texts)
    assert match_key("Large Language Models") == match_key("large language model")


# --- shipped weights, offline ---------------------------------------------------------------------

def test_shipped_weights_load_and_decide(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    model = load_model()
    assert model is not None and model.concept.labels[0] == "NONE" and len(model.concept.weights) > 1000
    nlp = load_pipeline()
    assert "papergraph_scorer" in nlp.pipe_names and nlp.get_pipe("papergraph_scorer").model is not None
    paper = Paper(id="p", title="BirdNet: Counting Birds with Drones",
                  abstract="We propose BirdNet, a detector for object counting, and evaluate it on COCO "
                           "with mean average precision, where it outperforms YOLOv8.")
    (ex,) = extract_papers([paper], nlp)
    assert ex.concepts and all("scorer" in c.rules for c in ex.concepts)
    for c in ex.concepts:
        assert 0.0 <= c.confidence <= 1.0 and c.type in c.type_scores
        for m in c.mentions:
            assert m.text == getattr(paper, m.field)[m.start:m.end]


def test_scorer_leaves_the_english_pipeline_unchanged():
    text = "We fine-tune Llama-3-8B with LoRA and report accuracy on GSM8K."
    ours = load_pipeline()(text)
    theirs = load_pipeline(config={"papergraph_scorer": {"enabled": False}})(text)
    assert [(t.text, t.tag_, t.dep_, t.head.i) for t in ours] == [(t.text, t.tag_, t.dep_, t.head.i) for t in theirs]


def test_disabled_scorer_gives_the_rules_alone():
    rules = load_pipeline(config={"papergraph_scorer": {"enabled": False}})
    paper = Paper(id="p", title="A study", abstract="We use LoRA to tune large language models (LLMs).")
    (ex,) = extract_papers([paper], rules)
    assert ex.concepts and not any("scorer" in c.rules for c in ex.concepts)


# --- training end to end, and cross-validation ------------------------------------------------

def _write(tmp_path, records):
    path = tmp_path / "tiny.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_training_runs_end_to_end_on_a_tiny_split(tmp_path):
    gold = _write(tmp_path, TINY)
    cfg = tmp_path / "cfg.toml"
    cfg.write_text("[scorer]\nepochs = 30\nmin_count = 1\nthreshold = 0.3\n", encoding="utf-8")
    out = tmp_path / "w.json"
    run = subprocess.run([sys.executable, str(ROOT / "training" / "scorer.py"), "--gold", str(gold),
                          "--config", str(cfg), "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    weights = json.loads(out.read_text(encoding="utf-8"))
    assert weights["meta"]["papers"] == 4 and weights["concept"]["labels"][0] == "NONE"
    nlp = load_pipeline(config={"papergraph_scorer": {"weights": str(out)}})
    (ex,) = extract_papers([Paper(id="x", title="T", abstract=TINY[0]["abstract"])], nlp)
    assert all("scorer" in c.rules for c in ex.concepts)


def test_eval_folds_prints_held_out_figures_and_spread(tmp_path):
    gold = _write(tmp_path, TINY)
    folds = tmp_path / "folds.json"
    folds.write_text(json.dumps({"fold_of": {"t1": 0, "t2": 0, "t3": 1, "t4": 1}}), encoding="utf-8")
    cfg = tmp_path / "cfg.toml"
    cfg.write_text("[scorer]\nepochs = 20\nmin_count = 1\n", encoding="utf-8")
    preds = tmp_path / "pred.jsonl"
    res = CliRunner().invoke(cli, ["eval", "--gold", str(gold), "--folds", str(folds), "--train-config", str(cfg),
                                   "--write-predictions", str(preds)])
    assert res.exit_code == 0, res.output
    assert "untyped P=" in res.output and "per fold (2 folds)" in res.output
    assert {json.loads(line)["id"] for line in preds.read_text().splitlines()} == {"t1", "t2", "t3", "t4"}
    rules = CliRunner().invoke(cli, ["eval", "--gold", str(gold), "--folds", str(folds), "--ablation", "rules"])
    assert rules.exit_code == 0 and "per fold" in rules.output


def test_eval_folds_names_a_paper_without_fold(tmp_path):
    gold = _write(tmp_path, TINY)
    folds = tmp_path / "folds.json"
    folds.write_text(json.dumps({"fold_of": {"t1": 0}}), encoding="utf-8")
    res = CliRunner().invoke(cli, ["eval", "--gold", str(gold), "--folds", str(folds)])
    assert res.exit_code == 1 and "no fold" in res.output and "Traceback" not in res.output


def test_a_span_holding_two_kept_concepts_is_a_clause_not_a_concept():
    from papergraph.nlp.scorer import _holds_two
    assert _holds_two([(0, 9), (17, 27)], 0, 27)          # "PlimModel scores QuillBench"
    assert not _holds_two([(0, 5)], 0, 12)                # "GPT-4 Turbo" holds one name
    assert not _holds_two([(0, 9), (4, 12)], 0, 20)       # overlapping inner spans are one thing
    assert not _holds_two([(0, 27), (30, 40)], 0, 27)     # the span itself is not inside itself


def test_a_name_ending_in_its_own_data_kind_word_is_a_benchmark():
    from papergraph.model import ExtractedConcept
    from papergraph.nlp.scorer import _named_kind

    scores = {"Model": 0.1, "Benchmark": 1.2, "Method": 1.5, "Task": 0.0, "Metric": 0.0}
    for name in ("Plover Reasoning Benchmark", "Tales as Tests Benchmark", "Quill Code Corpus", "Heron-QA Dataset"):
        c = ExtractedConcept(name=name, type="Method", rules=["name"])
        types, typ = _named_kind(c, dict(scores), "Method")
        assert typ == "Benchmark" and max(types, key=types.get) == "Benchmark", name
        assert types["Benchmark"] == pytest.approx(sum(scores.values()), abs=1e-3)
        assert "type:named-kind" in c.rules
    for name in ("synthetic dataset", "benchmark", "Plover dataset", "Reasoning Benchmarking"):
        c = ExtractedConcept(name=name, type="Method")
        assert _named_kind(c, dict(scores), "Method") == (scores, "Method"), name
        assert c.rules == []


def test_variants_of_one_kept_concept_are_joined():
    from papergraph.model import ExtractedConcept, Mention
    from papergraph.nlp.scorer import _join_variants

    def concept(name, typ, role="used", start=0, **kw):
        return ExtractedConcept(name=name, type=typ, role=role, confidence=0.5,
                                mentions=[Mention("abstract", start, start + len(name), name)], **kw)

    short = concept("plover scaling", "Method", aliases=["PS"], start=50)
    longer = concept("Plover scaling methods", "Method", role="proposed", start=10)
    task = concept("heron retrieval", "Task", start=90)
    task_setting = concept("heron retrieval setting", "Task", start=120)
    other_type = concept("heron retrieval framework", "Method", start=150)  # a method for the task
    unrelated = concept("quill approach", "Method", start=200)  # no kept "quill"
    first = concept("Wren Process Model", "Method", start=250)
    again = concept("wren process models", "Method", start=300)  # the same name written again
    kept = _join_variants([longer, short, task, task_setting, other_type, unrelated, first, again])
    assert [c.name for c in kept] == ["plover scaling", "heron retrieval", "heron retrieval framework", "quill approach",
                                      "Wren Process Model"]
    assert first.aliases == ["wren process models"] and len(first.mentions) == 2
    assert short.aliases == ["PS", "Plover scaling methods"] and short.role == "proposed"
    assert [m.start for m in short.mentions] == [10, 50]
    assert task.aliases == ["heron retrieval setting"] and task.role == "used"


def test_class_word_forms_are_the_texts_own_forms():
    from papergraph.model import ExtractedConcept, Mention
    from papergraph.nlp.scorer import class_word_forms

    text = ("We design a plover training procedure. Plover training helps. The Quill-7B model and the heron "
            "model differ; plover training data is small. We call it Wren scaling methods.")

    def concept(name, typ, *spans, aliases=()):
        return ExtractedConcept(name=name, type=typ, aliases=list(aliases),
                                mentions=[Mention("abstract", a, a + len(t), t) for a, t in
                                          ((text.index(t, at), t) for at, t in spans)])

    plover = concept("plover training", "Method", (0, "plover training"), (30, "Plover training"),
                     (100, "plover training"))
    assert class_word_forms(plover, {"abstract": text}) == ["plover training procedure"]  # not "... data"
    quill = concept("Quill-7B", "Model", (0, "Quill-7B"))
    assert class_word_forms(quill, {"abstract": text}) == ["Quill-7B model"]
    heron = concept("heron", "Task", (0, "heron"))  # a task's "model" is another thing
    assert class_word_forms(heron, {"abstract": text}) == []
    wren = concept("Wren scaling methods", "Method", (0, "Wren scaling methods"), aliases=["Wren scaling"])
    assert class_word_forms(wren, {"abstract": text}) == []  # its stem is already an alias
    wren.aliases = []
    assert class_word_forms(wren, {"abstract": text}) == ["Wren scaling"]


def _toy_model(**bars):
    """A scorer whose concept model reads keep probabilities off ``k<pct>`` features and whose role
    model reads P(proposed) off ``p<pct>`` features (every other label at a negligible score)."""
    import math

    from papergraph.model import ROLES
    from papergraph.nlp.scorer import CONCEPT_LABELS, ScorerModel

    def logit(x):
        return math.log(x / (1 - x))

    low = -30.0
    concept = {f"k{pct}": np.array([0.0, low, low, logit(pct / 100), low, low]) for pct in (5, 10, 18, 30, 50)}
    role = {f"p{pct}": np.array([logit(pct / 100), 0.0, low, low]) for pct in (10, 40, 90)}
    return ScorerModel(LinearModel(CONCEPT_LABELS, np.zeros(6), concept),
                       LinearModel(tuple(ROLES), np.zeros(4), role), **bars)


def test_keep_bars_for_title_names_and_proposed_candidates():
    from papergraph.model import ExtractedConcept, Mention
    from papergraph.nlp.features import Context
    from papergraph.nlp.lexicon import lexicon_for
    from papergraph.nlp.scorer import ScorerModel, decide

    title, abstract = "Plover", "alpha beta gamma delta epsilon zeta eta theta iota"
    texts = {"title": title, "abstract": abstract}
    cases = [  # name, in the title?, rules, keep %, P(proposed) %, kept?
        ("alpha", False, ["head"], 30, 10, False),   # under the rule bar, not proposed
        ("Plover", True, ["head"], 30, 10, True),    # the title's bar
        ("beta", False, ["head"], 10, 40, True),     # P(proposed) over its bar (role: its argmax, "used")
        ("gamma", False, ["head"], 5, 90, False),    # under the proposed bar
        ("delta", False, ["chunk"], 10, 90, False),  # a noun chunk's proposed bar is higher
        ("epsilon", False, ["chunk"], 18, 90, True),
        ("zeta", False, ["head"], 50, 10, True),     # over the rule bar
    ]
    cands, feats = [], []
    for name, in_title, rules, keep, prop, _ in cases:
        field = "title" if in_title else "abstract"
        start = texts[field].index(name)
        cands.append(ExtractedConcept(name=name, type="Method", rules=list(rules),
                                      mentions=[Mention(field, start, start + len(name), name)]))
        feats.append([f"k{keep}", f"p{prop}"])
    ctx = Context(texts, {}, lexicon_for(None), [(m.field, m.start, m.end) for c in cands for m in c.mentions])
    model = _toy_model(threshold=0.35, chunk_threshold=0.25, proposed_threshold=0.08, chunk_proposed_threshold=0.15,
                       title_threshold=0.2, proposed_probability=0.35)
    kept = decide(model, cands, ctx, feats)
    assert [c.name for c in kept] == [name for name, *_, ok in cases if ok]
    assert {c.name: c.role for c in kept}["beta"] == "used" and {c.name: c.role for c in kept}["epsilon"] == "proposed"
    # without the new bars (the weights' defaults): the rule bar alone, and the role's argmax
    plain = decide(_toy_model(threshold=0.35, chunk_threshold=0.25, proposed_threshold=0.15), cands, ctx, feats)
    assert [c.name for c in plain] == ["epsilon", "zeta"]
    again = ScorerModel.from_dict(json.loads(json.dumps(model.to_dict(), default=list)))
    assert (again.title_threshold, again.proposed_probability, again.chunk_proposed_threshold) == (0.2, 0.35, 0.15)
    doubled = model.rescaled(0.7)  # a user's --threshold moves every bar with it
    assert (doubled.chunk_threshold, doubled.proposed_threshold, doubled.chunk_proposed_threshold,
            doubled.title_threshold) == pytest.approx((0.5, 0.16, 0.3, 0.4))
    assert doubled.proposed_probability == 0.35 and doubled.concept is model.concept


def test_everyday_chunks_are_only_common_words():
    from papergraph.nlp.frequency import everyday
    assert everyday("results") and everyday("first step") and everyday("Results")
    for name in ("LoRA", "win-rate", "speed-up", "small language model", "top-5 results", "reasoning"):
        assert not everyday(name), name


# Hand-written abstracts (not from any gold file) full of everyday noun chunks.
_EVERYDAY_PAPERS = [
    Paper(id="e1", title="Swift Sparse Routing for Mixture-of-Experts Inference",
          abstract="Mixture-of-experts models are slow to serve. We present Swift Sparse Routing, a simple method "
                   "that changes the order of expert calls. The first step groups tokens; the second step caches "
                   "results. In our experiments on MMLU, the approach halves latency with the same accuracy."),
    Paper(id="e2", title="Counting Cells with Weak Labels",
          abstract="Cell counting in microscopy images is a hard problem for many labs. We train a density network "
                   "with point labels and report mean absolute error on two public data sets. The results show a "
                   "large gain over previous work, and the code is available."),
    Paper(id="e3", title="Halting Probes Reduce Overthinking in Reasoning Models",
          abstract="Reasoning models often suffer from overthinking. We train a halting probe on hidden states that "
                   "stops decoding once the answer is stable, and measure token savings and speedup on AIME with a "
                   "verifier and a drafter."),
]


def test_skipping_everyday_chunks_keeps_the_same_concepts(monkeypatch):
    import papergraph.nlp.scorer as scorer_mod

    nlp = load_pipeline()
    skipped = []
    real = scorer_mod.scorable

    def counting(cands):
        keep = real(cands)
        skipped.append(len(cands) - len(keep))
        return keep

    monkeypatch.setattr(scorer_mod, "scorable", counting)
    fast = list(extract_papers(_EVERYDAY_PAPERS, nlp))
    monkeypatch.setattr(scorer_mod, "scorable", lambda cands: list(range(len(cands))))
    full = list(extract_papers(_EVERYDAY_PAPERS, nlp))
    assert sum(skipped) >= 5  # "step", "results", "order", "problem", "work", ...
    assert any(c.rules[0] == "chunk" for ex in full for c in ex.concepts)  # "verifier": a chunk kept
    for a, b in zip(fast, full):
        assert [(c.name, c.type, c.role, c.confidence) for c in a.concepts] == \
               [(c.name, c.type, c.role, c.confidence) for c in b.concepts]
