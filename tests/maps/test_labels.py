from __future__ import annotations

import pytest

from placemap.maps.labels import PlaceLabels, place_labels


def test_labels_name_points_and_flow_ends(layers) -> None:
    labels = {name: (lat, lon) for name, lat, lon in place_labels(layers)}
    for name in ("Kharkiv", "Istanbul", "Mariupol", "Zaporizhzhia", "Lviv"):
        assert name in labels
    assert "Poland" in labels and "Poland" not in dict.fromkeys(n for n, *_ in place_labels(layers, skip=["Poland"]))
    assert "Kyiv" not in labels  # only mentioned
    assert place_labels(layers)[0][0] == "Kharkiv"  # three shelling reports: the most used place first


def test_label_names_are_escaped() -> None:
    element = PlaceLabels([("<b>x</b>", 50.0, 30.0)])
    assert element.labels == [["&lt;b&gt;x&lt;/b&gt;", 50.0, 30.0, 8]]
    with pytest.raises(ValueError):
        PlaceLabels([("x", float("nan"), 30.0)])
