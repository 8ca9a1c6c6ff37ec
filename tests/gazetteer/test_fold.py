from hypothesis import given
from hypothesis import strategies as st

from placemap.gazetteer import fold_name


def test_spellings_of_kyiv_fold_to_one_key():
    assert fold_name("Kyiv") == fold_name("KYIV") == fold_name("Kyïv") == "kyiv"


def test_apostrophes_and_hyphens_do_not_matter():
    assert fold_name("Zaporizh'zhia") == fold_name("Zaporizh\u2019zhia") == "zaporizhzhia"
    assert fold_name("Ivano-Frankivsk") == fold_name("Ivano Frankivsk")
    assert fold_name("Rostov-on-Don") == "rostov on don"


def test_cyrillic_is_folded_consistently():
    assert fold_name("КИЇВ") == fold_name("Київ")
    assert fold_name("Київ") != fold_name("Киев")  # different names, both stored as aliases


def test_turkish_dotted_capital_i():
    assert fold_name("İstanbul") == "istanbul"
    assert fold_name("Türkiye") == "turkiye"


def test_blank_and_punctuation_only_names_fold_to_empty():
    assert fold_name("   ") == ""
    assert fold_name("'-'") == ""


@given(st.text(max_size=60))
def test_folding_is_idempotent(text):
    assert fold_name(fold_name(text)) == fold_name(text)


def test_codes_have_case_sensitive_keys():
    from placemap.gazetteer.fold import code_key, name_key

    assert code_key("IN") == "=IN" and code_key("NYC") == "=NYC"
    assert code_key("In") is None and code_key("Kyiv") is None and code_key("KHARKIV") is None
    assert name_key("CMB") == "=CMB" and name_key("Kyïv") == "kyiv"
