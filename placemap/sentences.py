"""The one sentence splitter: character spans of sentences, a dateline left out of the first.

Shared by event extraction (one event per sentence) and the map (the sentence quoted for a
place), so a quote on the map is the sentence the events were read from.
"""

from __future__ import annotations

import re

__all__ = ["sentence_around", "split_sentences"]

_DATELINE_RE = re.compile(
    r"^\s*[A-Z][A-Z .'’-]+(?:,\s*[^,()\n]{2,40}){0,2}\s*\([^)\n]{1,40}\)\s*[–—-]{1,2}\s*"
    r"|^\s*[A-Z][A-Z .'’-]+,(?:\s*[^,()\n]{2,40},)?\s*\w+\.? \d{1,2}\s*[–—-]{1,2}\s*"
)
_BOUNDARY_RE = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n\s*")
#: What opens a line of a bulletin or a live blog but is no part of its sentence: a bullet, a
#: time stamp ("07:15", "10:30 –"). Left to the parser, a bullet becomes the sentence's root.
_MARKER_RE = re.compile(r"(?:[•▪◦‣∙·*]\s*|[-–—]\s+|\d{1,2}[:.]\d{2}\b(?:\s*[–—-])?\s*(?=[A-Z\"“‘]))*")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr gen lt col maj sgt capt st mt no jan feb mar apr jun jul aug sep sept oct nov dec pres gov sen rep "
    "prof jr sr vs etc".split()
)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, the dateline left out of the first.

    >>> text = "KYIV, March 7 (Wire) – Talks began. Gen. Smith said so.\\nNo more."
    >>> [text[s:e] for s, e in split_sentences(text)]
    ['Talks began.', 'Gen. Smith said so.', 'No more.']
    """
    dateline = _DATELINE_RE.match(text)
    start = dateline.end() if dateline else 0
    spans = []
    for match in _BOUNDARY_RE.finditer(text, start):
        word = re.search(r"([A-Za-z]+)\.$", text[start : match.start()].rstrip('"”’)'))
        if word and "\n" not in match.group(0) and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    spans = [(_MARKER_RE.match(text, s, e).end(), e) for s, e in spans]  # bullets and time stamps cut
    return [(s, s + len(text[s:e].rstrip())) for s, e in spans if text[s:e].strip()]


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The span of the sentence that holds ``text[start:end]`` (the whole text if none does).

    >>> text = "KYIV, March 7 (Wire) – Talks began. Gen. Smith said so."
    >>> s, e = sentence_around(text, 41, 46)
    >>> text[s:e]
    'Gen. Smith said so.'
    """
    for first, last in split_sentences(text):
        if first <= start and end <= last:
            return first, last
    return 0, len(text)
