"""The resolution stage alone, on small hand-made extractions: what merges, what stays apart, and why."""

import pytest

from papergraph.model import ExtractedConcept, PaperExtraction
from papergraph.resolve import Curation, resolve
from papergraph.resolve.normalize import acronym_fits, clean_name, norm_key


def C(name, type="Method", aliases=()):
    return ExtractedConcept(name=name, type=type, aliases=list(aliases), type_scores={type: 1.0})


def P(pid, *concepts):
    return PaperExtraction(pid, list(concepts))


def node(canon, pid, name):
    return canon.assignment[(pid, name)]


def same(canon, *pairs):
    return len({node(canon, p, n) for p, n in pairs}) == 1


@pytest.mark.parametrize("a,b", [
    ("AIME 2024", "AIME24"),            # year format
    ("AMC 2023", "AMC23"),
    ("memory consumption", "memory usage"),  # word class
    ("tool use", "tool usage"),
    ("computational cost", "compute cost"),
    ("inference-time scaling", "test-time compute"),  # phrase synonyms
    ("F1", "F1 score"),
    ("chains of thought", "chain-of-thought"),  # plural inside a name
    ("deductive inference", "deductive reasoning"),
])
def test_same_key(a, b):
    assert norm_key(a)[0] == norm_key(b)[0]


@pytest.mark.parametrize("a,b", [
    ("StarCoder", "StarCoder+"),
    ("MATH", "math"),
    ("GPT-4", "GPT-4o"),
    ("accuracy", "reasoning accuracy"),
    ("LLM inference", "LLM reasoning"),
    ("causal inference", "causal reasoning"),
])
def test_distinct_key(a, b):
    assert norm_key(a)[0] != norm_key(b)[0]


def test_clean_name_drops_hedges_trailing_words_and_a_cut_parenthesis():
    assert clean_name("Chain-of-Thought(CoT") == ("Chain-of-Thought", "CoT")
    assert clean_name("notably speculative decoding") == ("speculative decoding", None)
    assert clean_name("widely adopted test-time scaling strategy")[0] == "test-time scaling strategy"
    assert clean_name("chains of thought using")[0] == "chains of thought"
    assert clean_name("Novel")[0] == "Novel"  # never empties a name


@pytest.mark.parametrize("acr,exp,ok", [
    ("RLVR", "reinforcement learning with verifiable rewards", True),
    ("LoRA", "low-rank adaptation", True),
    ("CoT", "chain of thought", True),
    ("LLMs", "large language models", True),
    ("LMs", "large language models", False),
    ("LM", "on-device language model", False),
    ("DeepSeek", "DeepSeek-V2-Coder-Instruct", False),  # a word of the name, not a definition
    ("LLM", "Lifelong LLM Memory", False),
    ("RPC", "Reasoning-Pruning Perplexity Consistency", True),  # a hyphenated compound is one word
])
def test_acronym_fits(acr, exp, ok):
    assert acronym_fits(acr, exp) is ok


def test_formats_merge_with_the_rule_on_the_node():
    canon = resolve([P("p1", C("AIME 2024", "Benchmark")), P("p2", C("AIME24", "Benchmark"))])
    assert same(canon, ("p1", "AIME 2024"), ("p2", "AIME24"))
    (c,) = canon.concepts.values()
    assert c.aliases == ["AIME24"] and any("year" in r for r in c.merge_reasons)


def test_defined_acronym_and_bare_use_merge_with_evidence():
    canon = resolve([
        P("p1", C("reinforcement learning with verifiable rewards", aliases=["RLVR"])),
        P("p2", C("RLVR")),
        P("p3", C("RLVR", aliases=["Reinforcement Learning with Verifiable Reward"])),
    ])
    assert same(canon, ("p1", "reinforcement learning with verifiable rewards"), ("p2", "RLVR"), ("p3", "RLVR"))
    (c,) = canon.concepts.values()
    assert c.name == "reinforcement learning with verifiable rewards" and "RLVR" in c.aliases
    assert any(r.startswith("acronym: 'RLVR'") and "p1" in r for r in c.merge_reasons)


def test_acronym_resolved_per_paper_when_papers_disagree():
    canon = resolve([
        P("p1", C("remote sensing", "Task", aliases=["RS"])),
        P("p2", C("recommender system", aliases=["RS"])),
        P("p3", C("RS")),  # defined nowhere in its paper, and the corpus disagrees: its own node
    ])
    ids = {node(canon, "p1", "remote sensing"), node(canon, "p2", "recommender system"), node(canon, "p3", "RS")}
    assert len(ids) == 3
    assert "RS" in canon.concepts[node(canon, "p1", "remote sensing")].aliases
    assert "RS" in canon.concepts[node(canon, "p2", "recommender system")].aliases


def test_suffix_words_and_vendor_prefixes_merge():
    canon = resolve([
        P("p1", C("Best-of-N sampling"), C("OpenAI o1", "Model")),
        P("p2", C("Best-of-N"), C("o1", "Model")),
        P("p3", C("speculative decoding method", aliases=["speculative decoding"])),
        P("p4", C("speculative decoding")),
    ])
    assert same(canon, ("p1", "Best-of-N sampling"), ("p2", "Best-of-N"))
    assert same(canon, ("p1", "OpenAI o1"), ("p2", "o1"))
    assert same(canon, ("p3", "speculative decoding method"), ("p4", "speculative decoding"))
    reasons = canon.concepts[node(canon, "p2", "o1")].merge_reasons
    assert any(r.startswith("vendor:") for r in reasons)


def test_acronym_inside_a_name_reads_as_its_definition():
    canon = resolve([
        P("p1", C("large language model", aliases=["LLM"])),
        P("p2", C("LLM reasoning", "Task")),
        P("p3", C("large language model reasoning", "Task")),
    ])
    assert same(canon, ("p2", "LLM reasoning"), ("p3", "large language model reasoning"))
    assert node(canon, "p1", "large language model") != node(canon, "p2", "LLM reasoning")


def test_generic_and_one_word_aliases_never_merge():
    canon = resolve([
        P("p1", C("Bayesian inference", aliases=["inference"])),
        P("p2", C("inference")),
        P("p3", C("inference strategy", aliases=["inference"])),
    ])
    ids = {node(canon, "p1", "Bayesian inference"), node(canon, "p2", "inference"),
           node(canon, "p3", "inference strategy")}
    assert len(ids) == 3
    assert "inference" not in canon.concepts[node(canon, "p1", "Bayesian inference")].aliases


def test_head_word_containment_never_merges():
    canon = resolve([
        P("p1", C("offline reinforcement learning", aliases=["reinforcement learning", "RL"])),
        P("p2", C("reinforcement learning", aliases=["RL"])),
        P("p3", C("on-device language model", aliases=["language models", "LM"])),
        P("p4", C("language model")),
        P("p5", C("large language model", aliases=["LLMs", "language models"])),
    ])
    assert node(canon, "p1", "offline reinforcement learning") != node(canon, "p2", "reinforcement learning")
    lm = node(canon, "p4", "language model")
    assert lm not in (node(canon, "p3", "on-device language model"), node(canon, "p5", "large language model"))


def test_broader_and_narrower_and_versions_stay_apart():
    canon = resolve([
        P("p1", C("accuracy", "Metric"), C("Qwen2.5-Math-7B", "Model", aliases=["Qwen2.5-Math"]),
          C("StarCoder+", "Model")),
        P("p2", C("reasoning accuracy", "Metric", aliases=["accuracy"]), C("Qwen2.5-Math", "Model"),
          C("StarCoder", "Model")),
    ])
    assert node(canon, "p1", "accuracy") != node(canon, "p2", "reasoning accuracy")
    assert node(canon, "p1", "Qwen2.5-Math-7B") != node(canon, "p2", "Qwen2.5-Math")
    assert node(canon, "p1", "StarCoder+") != node(canon, "p2", "StarCoder")
    assert (node(canon, "p1", "Qwen2.5-Math-7B"), node(canon, "p2", "Qwen2.5-Math")) in canon.variants
    assert (node(canon, "p1", "StarCoder+"), node(canon, "p2", "StarCoder")) in canon.variants


def test_a_paper_naming_x_and_x_framework_keeps_them_apart():
    canon = resolve([
        P("p1", C("meta-learning"), C("meta-learning framework", aliases=["meta-learning"])),
        P("p2", C("meta-learning")),
    ])
    assert node(canon, "p1", "meta-learning framework") != node(canon, "p2", "meta-learning")


def test_generic_word_alone_is_no_node():
    canon = resolve([P("p1", C("Strategy"), C("GRPO"))])
    assert ("p1", "Strategy") not in canon.assignment
    assert [c.name for c in canon.concepts.values()] == ["GRPO"]


class FakeKB:
    """A two-entry stand-in with the ``lookup`` of ``papergraph.knowledge.KnowledgeBase``."""

    class E:
        def __init__(self, kb_id, type, url):
            self.kb_id, self.type, self.source, self.url = kb_id, type, "test", url

    def lookup(self, s):
        return {"gsm8k": self.E("test:gsm8k", "Benchmark", "https://example.org/gsm8k|"),
                "grpo": self.E("test:grpo", "Method", ""),
                "group relative policy optimization": self.E("test:grpo", "Method", "")}.get(s.casefold())


def test_knowledge_base_links_and_joins_names_of_one_entry():
    canon = resolve([P("p1", C("GSM8K", "Benchmark"), C("GRPO")),
                     P("p2", C("Group Relative Policy Optimization")),
                     P("p3", C("GSM8K", "Method"))], kb=FakeKB())
    assert same(canon, ("p1", "GRPO"), ("p2", "Group Relative Policy Optimization"))
    g = canon.concepts[node(canon, "p1", "GSM8K")]
    assert (g.kb_id, g.kb_source, g.url) == ("test:gsm8k", "test", "https://example.org/gsm8k")


def test_curation_merge_split_rename_never():
    exs = [
        P("p1", C("test-time scaling", aliases=["inference scaling"]), C("accuracy", "Metric")),
        P("p2", C("inference scaling"), C("Acc", "Metric")),
        P("p3", C("AIME 2024", "Benchmark"), C("F1", "Metric")),
        P("p4", C("AIME24", "Benchmark"), C("F1 score", "Metric")),
    ]
    cur = Curation.parse('''
[[merge]]
names = ["accuracy", "Acc"]
[[split]]
concept = "test-time scaling"
alias = "inference scaling"
[[rename]]
concept = "AIME24"
name = "AIME 2024 (AoPS)"
[[never]]
names = ["F1", "F1 score"]
''')
    canon = resolve(exs, curation=cur)
    assert same(canon, ("p1", "accuracy"), ("p2", "Acc"))
    assert node(canon, "p1", "test-time scaling") != node(canon, "p2", "inference scaling")  # same key, split
    assert "inference scaling" not in canon.concepts[node(canon, "p1", "test-time scaling")].aliases
    aime = canon.concepts[node(canon, "p3", "AIME 2024")]
    assert aime.name == "AIME 2024 (AoPS)" and node(canon, "p4", "AIME24") == aime.key
    assert node(canon, "p3", "F1") != node(canon, "p4", "F1 score")
    assert any(r.startswith("curation: merge") for r in canon.concepts[node(canon, "p1", "accuracy")].merge_reasons)


def test_never_alone_keeps_a_name_to_itself():
    exs = [P("p1", C("Best-of-N sampling")), P("p2", C("Best-of-N"))]
    assert len(resolve(exs).concepts) == 1
    canon = resolve(exs, curation=Curation(nevers=[("Best-of-N sampling", None)]))
    assert len(canon.concepts) == 2 and canon.concepts[node(canon, "p2", "Best-of-N")].aliases == []


def test_bad_curation_files_are_one_line_errors():
    from papergraph.errors import InputError

    for text, msg in [("[[merge]]\nnames = ['only one']", "names"), ("[[join]]\nnames = ['a', 'b']", "unknown"),
                      ("[[split]\n", "TOML"), ("[[rename]]\nconcept = 'a'", "name")]:
        with pytest.raises(InputError, match=msg) as e:
            Curation.parse(text, source="c.toml")
        assert "\n" not in str(e.value) and str(e.value).startswith("c.toml")


def test_knowledge_base_family_gives_variant_links():
    class KB:
        def lookup(self, s):
            return None

        def family(self, s):
            return FakeKB.E("test:llama-3", "Model", "") if s.startswith("Llama-3") else None

    FakeKB.E.name = "Llama 3"
    canon = resolve([P("p1", C("Llama-3-8B-it-SFT", "Model")), P("p2", C("Llama 3", "Model"))], kb=KB())
    assert (node(canon, "p1", "Llama-3-8B-it-SFT"), node(canon, "p2", "Llama 3")) in canon.variants


@pytest.mark.parametrize("a,b", [
    ("top-p", "nucleus sampling"),  # established synonym (Holtzman et al. 2020)
    ("latent chain-of-thought reasoning", "latent chain-of-thought"),  # ends in a synonym phrase
    ("macro F1-measure", "macro F1 score"),
])
def test_same_key_synonyms_and_synonym_endings(a, b):
    assert norm_key(a)[0] == norm_key(b)[0]


@pytest.mark.parametrize("a,b", [
    ("probabilistic programming", "probabilistic coding"),  # a one-word synonym does not qualify a name
    ("latent chain-of-thought reasoning", "chain-of-thought"),  # the qualifier stays
    ("top-k", "top-p"),
])
def test_distinct_key_synonym_endings(a, b):
    assert norm_key(a)[0] != norm_key(b)[0]


def test_modeling_joins_model_after_an_adjective_only():
    canon = resolve([
        P("p1", C("generative modelling", "Task"), C("language modeling", "Task")),
        P("p2", C("generative model"), C("language model")),
    ])
    assert same(canon, ("p1", "generative modelling"), ("p2", "generative model"))
    assert any(r.startswith("head form:") for r in canon.concepts[node(canon, "p2", "generative model")].merge_reasons)
    assert node(canon, "p1", "language modeling") != node(canon, "p2", "language model")


def test_testing_joins_test_of_the_same_type():
    canon = resolve([P("p1", C("unit testing"), C("A/B testing", "Task")), P("p2", C("unit test"), C("A/B test"))])
    assert same(canon, ("p1", "unit testing"), ("p2", "unit test"))
    assert node(canon, "p1", "A/B testing") != node(canon, "p2", "A/B test")


def test_x_model_joins_x_when_the_knowledge_base_knows_x_as_a_model():
    class KB:
        def lookup(self, s):
            known = {"gaussian process": "Method", "bradley-terry": "Method", "world": "Model"}
            t = known.get(s.casefold())
            return FakeKB.E(f"test:{s.casefold()}", t, "") if t else None

    canon = resolve([
        P("p1", C("Gaussian process model"), C("process reward model"), C("world model"), C("Bradley-Terry model")),
        P("p2", C("Gaussian process"), C("process reward"), C("world"), C("Bradley-Terry", "Metric")),
    ], kb=KB())
    assert same(canon, ("p1", "Gaussian process model"), ("p2", "Gaussian process"))
    assert any(r.startswith("model of:") for r in canon.concepts[node(canon, "p2", "Gaussian process")].merge_reasons)
    for a, b in [("process reward model", "process reward"), ("world model", "world"),
                 ("Bradley-Terry model", "Bradley-Terry")]:  # not in the KB; one word; types differ
        assert node(canon, "p1", a) != node(canon, "p2", b)


def test_new_kind_words_and_solver_of_the_same_type_only():
    canon = resolve([
        P("p1", C("regression task", "Task"), C("router module"), C("SAT solver")),
        P("p2", C("regression", "Task"), C("router"), C("SAT", "Task")),
    ])
    assert same(canon, ("p1", "regression task"), ("p2", "regression"))
    assert same(canon, ("p1", "router module"), ("p2", "router"))
    assert node(canon, "p1", "SAT solver") != node(canon, "p2", "SAT")  # a method for a task is not the task


def test_kind_words_other_than_solver_join_across_types():
    canon = resolve([P("p1", C("classification framework")), P("p2", C("classification", "Task"))])
    assert same(canon, ("p1", "classification framework"), ("p2", "classification"))


def test_kind_words_after_a_hyphenated_modifier_are_kept():
    canon = resolve([
        P("p1", C("inference-time technique"), C("generative reward model formulation")),
        P("p2", C("inference time", "Metric"), C("generative reward model")),
    ])
    assert node(canon, "p1", "inference-time technique") != node(canon, "p2", "inference time")
    assert same(canon, ("p1", "generative reward model formulation"), ("p2", "generative reward model"))


class DatasetKB:
    """Entries with dataset ids among their aliases, iterable as ``papergraph.knowledge.KnowledgeBase``."""

    class E:
        def __init__(self, kb_id, name, aliases):
            self.kb_id, self.name, self.type, self.aliases = kb_id, name, "Benchmark", aliases
            self.source, self.url = "test", ""

    entries = [E("t:math", "MATH", ("Org/hendrycks_math",)), E("t:km", "KMMLU", ("Lab/KMMLU-HARD",)),
               E("t:ev", "Evalita", ("evalita/sentiment-analysis",))]

    def __iter__(self):
        return iter(self.entries)

    def lookup(self, s):
        return next((e for e in self.entries if e.name == s), None)


def test_a_benchmark_named_by_its_dataset_id_joins_the_entry():
    canon = resolve([
        P("p1", C("MATH", "Benchmark"), C("KMMLU", "Benchmark"), C("Evalita", "Benchmark")),
        P("p2", C("Hendrycks MATH", "Benchmark"), C("KMMLU HARD", "Benchmark"), C("sentiment analysis", "Benchmark")),
    ], kb=DatasetKB())
    assert same(canon, ("p1", "MATH"), ("p2", "Hendrycks MATH"))
    assert any("dataset id 'Org/hendrycks_math'" in r for r in canon.concepts[node(canon, "p1", "MATH")].merge_reasons)
    assert node(canon, "p1", "KMMLU") != node(canon, "p2", "KMMLU HARD")  # a word after the name: a subset
    assert node(canon, "p1", "Evalita") != node(canon, "p2", "sentiment analysis")  # the id lacks the name


def test_a_lone_benchmark_named_by_its_dataset_id_is_linked_to_the_entry():
    canon = resolve([P("p1", C("Hendrycks MATH", "Benchmark"), C("Hendrycks ethics", "Benchmark"))], kb=DatasetKB())
    c = canon.concepts[node(canon, "p1", "Hendrycks MATH")]
    assert c.kb_id == "t:math" and any("dataset id 'Org/hendrycks_math'" in r for r in c.merge_reasons)
    assert canon.concepts[node(canon, "p1", "Hendrycks ethics")].kb_id is None
