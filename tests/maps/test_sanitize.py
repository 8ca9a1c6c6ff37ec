from __future__ import annotations

import json

import pandas as pd
import pytest

from placemap.maps.sanitize import escape, escape_series, script_json


def test_escape_leaves_nothing_active(hostile: dict[str, str]) -> None:
    for value in hostile.values():
        out = escape(value)
        for character in "<>\"'`$\\\u2028\u2029\n\r":
            assert character not in out, (value, character)


def test_escape_examples() -> None:
    assert escape("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)&gt;"
    assert escape("${alert(1)}") == "&#x24;{alert(1)}"
    assert escape("`a`") == "&#x60;a&#x60;"
    assert escape("</script><script>") == "&lt;/script&gt;&lt;script&gt;"
    assert escape("a\u2028b\u2029c") == "a&#x2028;b&#x2029;c"
    assert escape("C:\\users\\new") == "C:&#x5C;users&#x5C;new"
    assert escape("\"q\" & 's'") == "&quot;q&quot; &amp; &#x27;s&#x27;"


def test_escape_round_trips_through_html(hostile: dict[str, str]) -> None:
    import html

    for value in [*hostile.values(), "Київ – «Odesa»", "tab\there"]:
        assert html.unescape(escape(value)) == value


def test_escape_controls_and_non_strings() -> None:
    assert escape(None) == ""
    assert escape(3) == "3"
    assert escape("a\x00b\x07c\x7f") == "a\ufffdbc"
    assert escape("line\nbreak") == "line&#10;break"


def test_escape_series_matches_escape(hostile: dict[str, str]) -> None:
    series = pd.Series([*hostile.values(), None, float("nan")])
    assert escape_series(series).tolist() == [escape(v) for v in hostile.values()] + ["", ""]


def test_script_json_is_safe_in_script_and_parses_back() -> None:
    data = {"text": "</script><!-- \u2028 & >", "n": 1}
    out = script_json(data)
    assert "<" not in out and ">" not in out and "\u2028" not in out
    assert json.loads(out) == data
    with pytest.raises(ValueError):
        script_json({"x": float("nan")})
