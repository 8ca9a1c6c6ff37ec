from __future__ import annotations

import folium

from placemap.maps import Legend, MapTitle
from placemap.maps.legend import legend_html


def test_legend_explains_statuses_sizes_and_widths() -> None:
    html = legend_html()
    for words in ("agreed", "proposed", "rejected", "failed", "1 million", "claimed area", "reports"):
        assert words in html
    assert "rejected" not in legend_html(["agreed"])


def test_legend_and_title_render_as_controls() -> None:
    m = folium.Map()
    Legend().add_to(m)
    MapTitle("<b>Title</b>", "2022-03-01").add_to(m)
    html = m.get_root().render()
    assert "pm-legend" in html and 'L.control({position: "bottomright"})' in html
    assert "<b>Title</b>" not in html and "\\u0026lt;b\\u0026gt;Title" in html
