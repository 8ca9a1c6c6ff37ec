"""Run spaCy's NER only where names can be: windows of tokens around capitalised words.

Place names are capitalised, and the small model's NER reads each token with only a few
neighbours on either side (its own convolutional token vectors, four layers of width
one). A stretch of lowercase prose further than ``RADIUS`` tokens from any capitalised
word can hold no name of ours and cannot change how a name is read, so it is tokenised
but never passed through the network. On GeoWebNews and GeoVirus 39% of the tokens are
skipped; the GPE/LOC/FAC/PERSON/ORG/NORP entities found are 99.2% the same as over whole
texts (the rest are lowercase words such as "veranda" that the model had called places).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # spaCy is imported only when a model runs: other commands start faster
    from spacy.tokens import Doc

__all__ = [
    "MAX_PARSE_CHARS",
    "MAX_WINDOW",
    "RADIUS",
    "bounded_spans",
    "mask_pictographs",
    "name_windows",
    "starts_sentence",
    "windowed_ner",
]

#: Tokens kept on each side of a capitalised word: the NER's reach (4) plus a lowercase
#: word inside a name ("Gulf of"). Over all six evaluation corpora, 5 and 6 differ in 85
#: capitalised entities of about 143,000 (GeoCorpora's URLs and handles, WikToR's long
#: names) and give the same recognition F1; 4 loses real names ("the River Itchen").
RADIUS = 5
#: The longest piece the NER reads at once, in tokens.
MAX_WINDOW = 200
#: The longest piece the parser reads at once, in characters (about 330 words; a news
#: sentence is rarely half that, and a "sentence" past it is a list, a table or a text
#: without punctuation, where the parse cannot link words far apart anyway).
MAX_PARSE_CHARS = 2_000


def starts_sentence(doc: Doc, index: int) -> bool:
    """Whether token ``index`` opens a sentence, read off punctuation (there is no parser)."""
    if index == 0:
        return True
    previous = doc[index - 1]
    return previous.is_space or previous.text in (".", "!", "?", '"', "”", ":", ";") or "\n" in previous.whitespace_


def _is_anchor(doc: Doc, index: int, stop_words: frozenset[str] | set[str]) -> bool:
    """A word that may be (part of) a name: capitalised ("U.S." too) or of a script without
    case, and not a common word opening a sentence ("The")."""
    token = doc[index]
    if not (token.text[:1].isupper() or (token.is_alpha and not token.is_lower)):
        return False
    return not (token.is_title and token.lower_ in stop_words and starts_sentence(doc, index))


def name_windows(doc: Doc, radius: int = RADIUS) -> list[tuple[int, int]]:
    """Disjoint, sorted token ranges ``[start, end)`` within ``radius`` of an anchor word."""
    from spacy.lang.en.stop_words import STOP_WORDS

    windows: list[tuple[int, int]] = []
    for index in range(len(doc)):
        if not _is_anchor(doc, index, STOP_WORDS):
            continue
        start, end = max(0, index - radius), min(len(doc), index + radius + 1)
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], end)
        else:
            windows.append((start, end))
    return [piece for window in windows for piece in _split_long(doc, *window)]


def _split_long(doc: Doc, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut a window longer than ``MAX_WINDOW`` tokens after a sentence's end (else at the limit):
    the NER's memory grows with the length of what it reads, and a name-dense 50 MB text
    would otherwise be one window."""
    while end - start > MAX_WINDOW:
        cut = start + MAX_WINDOW
        for index in range(cut, start + MAX_WINDOW // 2, -1):
            if starts_sentence(doc, index):
                cut = index
                break
        yield start, cut
        start = cut
    yield start, end


def windowed_ner(nlp: Any, texts: Iterable[str], *, batch_size: int = 64) -> Iterator[Doc]:
    """Tokenised docs of ``texts``, in order, with ``doc.ents`` set by NER over their windows."""
    from spacy.attrs import NORM
    from spacy.tokens import Doc, Span

    ner = nlp.get_pipe("ner")
    texts = iter(texts)
    while chunk := list(islice(texts, batch_size)):
        # The tokenizer itself, not make_doc: its length limit guards the parser's memory, and the
        # NER here reads windows of a few tokens, so long documents are safe.
        docs = [nlp.tokenizer(text) for text in chunk]
        origins, pieces = [], []
        for doc in docs:
            # New docs from the words and their norms (the tokenizer reads "Ga." as Georgia):
            # ten times cheaper than Span.as_doc, which copies every attribute.
            words, spaces = [token.text for token in doc], [bool(token.whitespace_) for token in doc]
            norms = doc.to_array([NORM])
            for start, end in name_windows(doc):
                piece = Doc(nlp.vocab, words=words[start:end], spaces=spaces[start:end])
                piece.from_array([NORM], norms[start:end])
                origins.append((doc, start))
                pieces.append(piece)
        # Pieces of like length together: the network pads a batch to its longest piece.
        order = sorted(range(len(pieces)), key=lambda i: len(pieces[i]))
        origins, pieces = [origins[i] for i in order], [pieces[i] for i in order]
        found: dict[int, list[Span]] = {id(doc): [] for doc in docs}
        for (doc, offset), piece in zip(origins, ner.pipe(pieces, batch_size=256), strict=True):
            found[id(doc)].extend(
                Span(doc, offset + ent.start, offset + ent.end, label=ent.label) for ent in piece.ents
            )
        for doc in docs:
            doc.ents = found[id(doc)]
        yield from docs


def bounded_spans(
    text: str,
    spans: Iterable[tuple[int, int]],
    *,
    limit: int = MAX_PARSE_CHARS,
    keep_whole: Sequence[tuple[int, int]] = (),
) -> list[tuple[int, int]]:
    """Cut every span of ``text`` longer than ``limit`` characters into pieces of at most ``limit``.

    The parser's time and memory grow with what it reads at once, and spaCy refuses a text
    over ``nlp.max_length`` (E088): a 1.2 MB line with no sentence end was one "sentence"
    and cost its document. A piece ends at the last whitespace of its second half, and
    before any span of ``keep_whole`` (place names) it would cut through; only a piece with
    no such place is cut at the limit itself. Offsets stay those of ``text``, and time stays
    linear in its length.

    Parameters
    ----------
    text : str
        The text the spans index.
    spans : iterable of (int, int)
        Sorted, end-exclusive character spans (sentences).
    limit : int
        The longest piece, in characters.
    keep_whole : sequence of (int, int)
        Sorted, end-exclusive spans no cut may fall inside.

    Returns
    -------
    list of (int, int)
        The spans, the long ones replaced by their pieces, stripped of surrounding whitespace.

    Examples
    --------
    >>> text = "Shelling hit Kyiv " * 3
    >>> [text[s:e] for s, e in bounded_spans(text, [(0, len(text))], limit=20)]
    ['Shelling hit Kyiv', 'Shelling hit Kyiv', 'Shelling hit Kyiv']
    """
    if limit < 2:
        raise ValueError(f"limit must be at least 2, got {limit}")
    starts = [start for start, _ in keep_whole]
    pieces: list[tuple[int, int]] = []
    for start, end in spans:
        while end - start > limit:
            cut = _cut(text, start, start + limit, keep_whole, starts)
            pieces.append((start, cut))
            start = cut
        pieces.append((start, end))
    stripped = []
    for start, end in pieces:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if start + lead < end - trail:
            stripped.append((start + lead, end - trail))
    return stripped


def _cut(text: str, start: int, limit: int, keep_whole: Sequence[tuple[int, int]], starts: list[int]) -> int:
    """Where a piece from ``start`` that may reach ``limit`` ends (always after ``start``)."""
    floor = start + (limit - start) // 2
    space = max(text.rfind(" ", floor, limit), text.rfind("\n", floor, limit), text.rfind("\t", floor, limit))
    cut = space + 1 if space > floor else limit
    inside = bisect_right(starts, cut - 1) - 1  # the last place starting before the cut
    if inside >= 0 and keep_whole[inside][0] < cut < keep_whole[inside][1] and keep_whole[inside][0] > start:
        cut = keep_whole[inside][0]
    return cut


#: Pictographs and what joins or modifies them: emoji (U+1F000-1FAFF, with flags' regional
#: indicators and skin tones), dingbats and symbols (U+2600-27BF, U+2B00-2BFF), the zero-width
#: joiner, variation selectors and tag characters.
_PICTOGRAPHS = re.compile(
    "[\\U0001F000-\\U0001FAFF\\u2600-\\u27BF\\u2B00-\\u2BFF\\u200D\\uFE0E\\uFE0F\\U000E0020-\\U000E007F]+"
)


def mask_pictographs(text: str) -> str:
    """``text`` with every emoji and pictograph replaced by spaces, one per code point.

    The small model's NER was trained on news without emoji: next to one a name can lose its
    entity ("Shelling hit Mariupol💔 and Kharkiv" found only Kharkiv, "Kharkiv🇺🇦" nothing).
    A space reads like the end of a word, and the offsets of every other character stay.

    Examples
    --------
    >>> mask_pictographs("Kharkiv🇺🇦 today")
    'Kharkiv   today'
    """
    return _PICTOGRAPHS.sub(lambda match: " " * len(match.group()), text)
