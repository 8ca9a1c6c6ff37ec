from placemap.geo.pipeline import Geoparser
from placemap.geo.recognize import SpacyRecognizer


def test_given_spans_take_the_recognisers_label(nlp, tiny_gazetteer):
    geoparser = Geoparser(tiny_gazetteer, recognizer=SpacyRecognizer(nlp, tiny_gazetteer))
    text = "Voting began in the Donetsk and Kherson regions, officials in Kyiv said."
    start = text.index("Kherson")
    document = geoparser(text, spans=[(start, start + len("Kherson"))])
    assert [t.mention.text for t in document.toponyms] == ["Kherson"]
    assert document.toponyms[0].place.feature_code == "ADM1"
