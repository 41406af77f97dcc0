"""Word frequencies for the scorer (papergraph.nlp.frequency), read from the installed wordfreq package."""

import pytest

from papergraph.nlp.features import _frequency_features
from papergraph.nlp.frequency import zipf


def test_everyday_words_are_more_common_than_technical_ones():
    everyday = [zipf(w) for w in ("the", "method", "results", "time")]
    technical = [zipf(w) for w in ("tokenizer", "backpropagation", "quantization")]
    assert min(everyday) > max(technical)
    assert all(0.0 < z <= 8.0 for z in everyday)


@pytest.mark.parametrize("word", ["zorbexify", "qwllm", ""])
def test_a_word_the_list_does_not_hold_is_zero(word):
    assert zipf(word) == 0.0


def test_lookup_is_of_lower_cased_words():
    """Callers fold case; a capitalised form is not in the list."""
    assert zipf("method") > 0.0
    assert zipf("Method") == 0.0


def test_name_features_tell_an_everyday_phrase_from_a_made_up_name():
    everyday = dict(f.split("=", 1) for f in _frequency_features("proposed method") if "|" not in f)
    made_up = dict(f.split("=", 1) for f in _frequency_features("Zorbex Quillon") if "|" not in f)
    assert int(everyday["zh"]) > int(made_up["zh"]) == 0
    assert int(everyday["zmin"]) >= 3 and made_up["zmin"] == "0"
    assert "zn=0|zh=0" in _frequency_features("Zorbex Quillon")


def test_a_name_without_letters_has_its_own_feature():
    assert _frequency_features("3.5") == ["znone"]
