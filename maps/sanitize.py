"""The one sanitiser for text that reaches a map page.

Folium does not escape text: a popup is raw HTML, a tooltip is put into ``innerHTML``,
a layer name lands in a JavaScript string and then in the layer control's HTML. News text
is hostile input (``<img onerror=...>``, ``${...}``, backticks, ``</script>``, U+2028,
``C:\\users\\new``), so every string that can reach the page goes through :func:`escape`,
whose output is inert in all the contexts placemap puts text in:

- HTML text and quoted attribute values: ``& < > " '`` become character references;
- JavaScript string literals of any quote (``'``, ``"``, `````) and template literals:
  the quotes, the backtick, ``$`` (so no ``${``), the backslash (so no ``\\u`` escape) and
  the line terminators (newline, carriage return, U+2028, U+2029) become character
  references too, which JavaScript leaves alone and HTML turns back into the character;
- inside ``<script>``: no ``<`` survives, so neither ``</script>`` nor ``<!--`` can appear.

NUL becomes U+FFFD and the other C0 controls (but tab) are dropped.

Data embedded as JSON goes through :func:`script_json`, which escapes what JSON leaves
dangerous inside ``<script>``.

>>> escape("<img src=x onerror=alert(1)>")
'&lt;img src=x onerror=alert(1)&gt;'
>>> escape("${alert(1)} `x` C:\\\\users\\\\new")
'&#x24;{alert(1)} &#x60;x&#x60; C:&#x5C;users&#x5C;new'
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["escape", "escape_series", "script_json"]

_REFERENCES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "'": "&#x27;",
    "`": "&#x60;",
    "$": "&#x24;",
    "\\": "&#x5C;",
    "\n": "&#10;",
    "\r": "&#13;",
    "\u2028": "&#x2028;",
    "\u2029": "&#x2029;",
    "\x00": "\ufffd",
}
_CONTROLS = {code: None for code in (*range(1, 9), 11, 12, *range(14, 32), 127)}
_TABLE = str.maketrans({**_REFERENCES, **_CONTROLS})

_SCRIPT_JSON = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def escape(value: Any) -> str:
    """Return ``value`` as text that is inert in HTML, JavaScript strings and ``<script>``.

    Parameters
    ----------
    value : Any
        A string, or anything else (converted with ``str``); ``None`` gives ``""``.

    Returns
    -------
    str
        The escaped text. Escaping is not idempotent: escape once, at the last step.
    """
    if value is None:
        return ""
    if not isinstance(value, str):
        value = str(value)
    return value.translate(_TABLE)


def escape_series(series: Any) -> Any:
    """:func:`escape` over a pandas Series, with missing values as ``""``."""
    return series.astype(object).where(series.notna(), "").astype(str).str.translate(_TABLE)


def script_json(data: Any) -> str:
    """Serialise ``data`` as compact JSON that is safe to paste into a ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``-style escapes (so no ``</script>`` or ``<!--``)
    and so do U+2028/U+2029, which older JavaScript engines read as line ends.
    NaN and infinities are refused, since they are not JSON.
    """
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False).translate(_SCRIPT_JSON)
