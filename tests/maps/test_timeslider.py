from __future__ import annotations

import folium
import pytest

from placemap.maps import TimeSlider
from placemap.maps.timeslider import event_days


def test_event_days_are_sorted_iso_days_only(layers, hostile_layers) -> None:
    days = event_days(layers.values())
    assert days == sorted(days) and days[0] == "2022-02-20" and days[-1] == "2022-04-09"
    assert event_days(hostile_layers.values()) == ["2022-03-01", "2022-03-02"]  # the hostile "date" is dropped


def test_slider_renders_its_days() -> None:
    m = folium.Map()
    TimeSlider(["2022-03-02", "2022-03-01"]).add_to(m)
    html = m.get_root().render()
    assert '["2022-03-01", "2022-03-02"]' in html and 'type="range"' in html


def test_slider_refuses_non_days() -> None:
    with pytest.raises(ValueError):
        TimeSlider(["</script>"])
    with pytest.raises(ValueError):
        TimeSlider([])
