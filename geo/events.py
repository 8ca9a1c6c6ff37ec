"""Events from geoparsed text: talks, shelling, corridors, claims, refugee flows, ceasefires, troop moves.

For every sentence that names a resolved place (or says "the city" after one) and holds a
trigger word, spaCy's dependency parser links the trigger to its places: the venue of talks,
the place hit, where a corridor starts and leads, the areas a claim covers. Speakers ("Moscow
said"), reference points ("50 km south-west of Donetsk") and containers ("Belarus's Brest
region") are not event sites. Only the sentences that pass a regex prefilter are parsed, in
one ``nlp.pipe`` batch per document, so events add little to the time of geoparsing.

>>> extractor = EventExtractor.from_model(gazetteer)  # doctest: +SKIP
>>> Geoparser(gazetteer, event_extractor=extractor)("Talks were held in Istanbul.").events  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

from placemap.gazetteer import Gazetteer
from placemap.sentences import split_sentences
from placemap.types import Document, Event, Place

from . import triggers as words
from .dates import DateValue, phrase_positions, trigger_date
from .event_features import PlaceInSentence, place_features, place_kind, sentence_features, stem
from .event_linker import LINKER_FILE, linked_places
from .event_model import LOCATION_CATEGORIES, PLACE_ROLES, SENTENCE_ROLES, EventModel
from .recognize import MODEL_NAME
from .triggers import Candidate, Link, acled_types, clause_head, dominates, link, scope_tokens
from .windows import bounded_spans

__all__ = ["EventExtractor", "SentenceRow", "acled_types", "document_rows"]

#: How sure the model must be of an event the parse rules did not find (see ``_with_rules``). Off
#: (above any probability) by default: measured leaving one conflict out, the model's own events
#: cost more precision than they bring recall on dispatches like ours (docs/events.md).
ADDED_THRESHOLD = 1.01
#: A text of one sentence this short is a caption or a headline ("Russian tanks in Bucha"): too few words for
#: the rules' clauses, so the model's own events are kept from CAPTION_THRESHOLD (measured on
#: real monitor captions, which the model is not fitted on; docs/events.md). The shortest dispatch is 613.
CAPTION_CHARS = 280
CAPTION_THRESHOLD = 0.3
_AREA_CODES = ("PCL", "ADM1", "ADM2", "ADM3", "RGN", "CONT", "OCN", "SEA", "GULF")
_CLIMBING = ("shelling", "military", "talks")  # these may take their places from the clause above
_PHYSICAL = ("shelling", "military")  # "residents of X reported shelling": a speaker's place may be the site
_VENUE = frozenset({"in", "at", "near", "outside", "around", "inside", "compound"})
_DECISIONS = ("agreed", "rejected", "failed")
_ROUTE_PREPS = frozenset({"through", "towards", "toward", "into", "out of", "across"})
_PLACE_PREPS = frozenset({"in", "at", "on", "near", "around", "outside"})
#: How a truce names the area it covers: "across Libya", "covering all of Libya".
_TRUCE_SCOPE = frozenset({"across", "throughout", "covering", "cover", "covers", "all"})
#: Words after a name that the recogniser leaves out of its span ("Gezira state").
_DESIGNATOR_HEADS = frozenset({"state", "governorate", "province", "region", "oblast", "district"})
_PLACELESS = ("talks", "ceasefire")  # kinds whose decisions are events with no place (events guide)
#: A name followed by one of these is a speaker, not a site ("Moscow said", "Ukraine's military").
_SPEAKER_AFTER = re.compile(
    r"(?:'s|’s|\s+(?:has\s+|had\s+|have\s+|also\s+)?(?:said|says|denied|denies|rejected|dismissed|warned|reacted|"
    r"told|announced|accused|insisted|claimed|confirmed|condemned|demanded))\b"
)
_ACTOR_BEFORE = re.compile(r"\b(?:accused|accuses|blamed|blames|urged|urges)\s+$")
#: How far back (characters) "the city" may look for the place it stands for: longer than a news story.
ANAPHOR_REACH = 20_000
LINK_REACH = 60  # tokens: how far from a corridor's word the start it does not name may be looked for
_ACTOR_REACH = 40  # characters: the longest of those words and the spaces after it
Sentence = tuple[tuple[int, int], list[int]]  # (start, end) offsets and the indices of its toponyms


@dataclass(slots=True)
class _Draft:
    category: str
    status: str
    sentence: tuple[int, int]
    location: int | None = None
    origin: int | None = None
    destination: int | None = None
    areas: tuple[int, ...] = ()
    geo_precision: int = 1
    attribution: str | None = None
    count: int | None = None
    date: DateValue | None = None
    strength: int = 0  # 2: date phrase in the trigger's clause, 1: elsewhere in the sentence, 0: none
    score: float | None = None
    from_rules: bool = False

    def first_place(self) -> int | None:
        return next((i for i in (self.location, self.origin, self.destination, *self.areas) if i is not None), None)

    def role_pairs(self) -> list[tuple[str, int | None]]:
        """(role, toponym) of each of the event's places; (``category:none``, None) when it has none."""
        pairs = [(f"{self.category}:{name}", index) for name, index in
                 (("location", self.location), ("origin", self.origin), ("destination", self.destination))
                 if index is not None] + [(f"{self.category}:area", index) for index in self.areas]  # fmt: skip
        return pairs or [(f"{self.category}:none", None)]

    def role(self) -> str:
        """The model's role that found this event (``claim:area``, ``corridor:origin`` ...)."""
        if self.category == "claim":
            return "claim:area"
        if self.category in ("corridor", "refugees"):
            return f"{self.category}:{'origin' if self.origin is not None else 'destination'}"
        return f"{self.category}:{'location' if self.location is not None else 'none'}"


@dataclass(slots=True)
class _Context:
    """What one document's earlier sentences tell the later ones."""

    document: Document
    body: int = 0  # where the text after the dateline starts
    last_location: int | None = None
    refugee_origin: int | None = None
    anchor: str | None = None
    by_start: list[int] | None = None  # toponym indices in text order, made on first use
    starts: list[int] | None = None  # their start offsets
    countries: list[tuple[str, int]] | None = None  # (country code, first country mention), most named first
    caption: bool = False  # a caption or headline (see EventExtractor._is_caption)
    # countries of the places hit, fought over or left so far: where the story's war is
    event_countries: Counter[str] = field(default_factory=Counter)


class _Plan(NamedTuple):
    """What one document needs before parsing: whether it is a caption, where its body starts
    (after the dateline), and the sentences worth parsing."""

    caption: bool
    body: int
    selected: list[Sentence]


class EventExtractor:
    """Find the events of a geoparsed :class:`~placemap.types.Document` (the ``EventExtractor`` protocol).

    Parameters
    ----------
    nlp : spacy.Language
        A pipeline with a dependency parser; NER, tagger and lemmatizer are not used.
    gazetteer : Gazetteer
        Gives a claim on a city's name the admin-1 unit around it as its point.
    anaphora : bool
        Read "the city", "the island" as the place of that kind named most often before.
    merge : bool
        Merge repeated mentions of one event (same category and places, compatible dates).
    batch_size : int
        ``nlp.pipe`` batch size.
    model : EventModel, optional
        The learned event model; the shipped one by default.
    added_threshold : float
        The chance from which the model's own events (those the rules did not find) are kept in
        a story; above 1 (the default) keeps none.
    caption_threshold : float
        The same for a caption or headline (one sentence of at most ``caption_chars`` characters).
    caption_chars : int
        The length up to which a text is read as a caption.
    linker : EventModel, optional
        The learned linker that ``locate`` uses; the shipped one by default.
    """

    def __init__(
        self,
        nlp: Any,
        gazetteer: Gazetteer,
        *,
        anaphora: bool = True,
        merge: bool = True,
        batch_size: int = 64,
        model: EventModel | None = None,
        added_threshold: float = ADDED_THRESHOLD,
        caption_threshold: float = CAPTION_THRESHOLD,
        caption_chars: int = CAPTION_CHARS,
        linker: EventModel | None = None,
    ) -> None:
        if "parser" not in getattr(nlp, "pipe_names", ()):
            raise ValueError("EventExtractor needs a spaCy pipeline with a dependency parser")
        self.nlp = nlp
        self.gazetteer = gazetteer
        self.anaphora = anaphora
        self.merge = merge
        self.batch_size = batch_size
        self.model = model if model is not None else EventModel.load()
        self.linker = linker if linker is not None else EventModel.load(file=LINKER_FILE, missing_ok=True)
        self.added_threshold = added_threshold
        self.caption_threshold = caption_threshold
        self.caption_chars = caption_chars

    @classmethod
    def from_model(cls, gazetteer: Gazetteer, name: str = MODEL_NAME, **kwargs: Any) -> EventExtractor:
        """Load spaCy model ``name`` with its parser only and build the extractor."""
        import spacy

        # The saved tokenizer is the default one spacy.load builds (see recognize.load_model).
        nlp = spacy.load(name, exclude=["ner", "tagger", "attribute_ruler", "lemmatizer", "senter", "tokenizer"])
        return cls(nlp, gazetteer, **kwargs)

    def __call__(
        self, document: Document, *, plan: _Plan | None = None, parses: Mapping[tuple[int, int], Any] | None = None
    ) -> list[Event]:
        """The events of ``document``, in text order.

        The parse rules find events and their places; the model, reading the rules' proposals
        beside the words around each name, scores them, and adds events of its own where its
        threshold allows (a caption; in a story, ``added_threshold``). The parse gives each
        event its status, date and speaker. ``plan`` and ``parses``: what :meth:`pipe` worked
        out and parsed already.
        """
        plan = plan if plan is not None else self._plan(document)
        threshold = self.caption_threshold if plan.caption else self.added_threshold
        rows, parsed, ruled = self.rows(document, every_sentence=threshold <= 1.0, plan=plan, parses=parses)
        pending: list[tuple[tuple[int, int], list[_Draft]]] = []
        for row in rows:
            drafts = self._sentence_drafts(document, row, ruled.get(row.span, []), threshold)
            if drafts:
                pending.append((row.span, drafts))
        unparsed = [span for span, _ in pending if span not in parsed]
        if unparsed:
            parsed.update(zip(unparsed, self.nlp.pipe([document.text[s:e] for s, e in unparsed]), strict=True))
        context = _Context(document)
        drafts: list[_Draft] = []
        for span, sentence_drafts in pending:
            doc, text = parsed[span], document.text[span[0] : span[1]]
            phrases = phrase_positions(doc, text)
            according = _according(doc, text)
            for draft in sentence_drafts:
                if draft.from_rules:
                    drafts.append(draft)
                    continue
                trigger = self._trigger(document, doc, draft, span)
                if draft.category not in ("shelling", "refugees"):
                    draft.status = words.event_status(trigger, draft.category)
                if draft.category == "refugees":
                    draft.count = _count(trigger)
                draft.date, draft.strength = trigger_date(
                    trigger, phrases, document.published, anchor=context.anchor, counted=draft.count is not None
                )
                if draft.strength == 2 and draft.date is not None:
                    context.anchor = draft.date.iso
                draft.attribution = according or _speaker_of(trigger)
                drafts.append(draft)
        if self.merge:
            drafts = _merge(document, drafts)
        return _to_events(document, drafts, self.gazetteer)

    def pipe(self, documents: Sequence[Document]) -> list[list[Event]]:
        """The events of each of ``documents``: their sentences worth parsing go through the parser
        in one batch, which for many short texts costs much less than one call each."""
        plans = [self._plan(document) for document in documents]
        spans = [[span for span, _ in plan.selected] for plan in plans]
        texts = [document.text[s:e] for document, wanted in zip(documents, spans, strict=True) for s, e in wanted]
        parses = iter(self.nlp.pipe(texts, batch_size=self.batch_size))
        return [self(document, plan=plan, parses={span: next(parses) for span in wanted})
                for document, plan, wanted in zip(documents, plans, spans, strict=True)]  # fmt: skip

    def _plan(self, document: Document) -> _Plan:
        """Whether ``document`` is a caption, where its body starts and which sentences to parse:
        worked out once per document."""
        sentences = self._sentences(document)
        caption = self._is_caption(document.text)
        body = sentences[0][0][0] if sentences else 0
        return _Plan(caption, body, self._select(document, sentences, caption=caption))

    def _is_caption(self, text: str) -> bool:
        """A caption or headline: one sentence, at most ``caption_chars`` characters."""
        return len(text) <= self.caption_chars and len(split_sentences(text)) <= 1

    def rows(
        self, document: Document, *, every_sentence: bool = True, plan: _Plan | None = None,
        parses: Mapping[tuple[int, int], Any] | None = None,
    ) -> tuple[list[SentenceRow], dict[tuple[int, int], Any], dict[tuple[int, int], list[_Draft]]]:  # fmt: skip
        """The model's rows of ``document``, and the parses made for the rules and the rules'
        events, by sentence span.

        ``every_sentence=False`` gives rows only for the sentences the rules found events in
        (all the model needs to score them, at a fraction of the cost). ``plan`` and ``parses``:
        the document's plan and its sentences parsed already, by span.
        """
        plan = plan if plan is not None else self._plan(document)
        context = _Context(document, body=plan.body, caption=plan.caption)
        selected = plan.selected
        if parses is None:
            texts = [document.text[s:e] for (s, e), _ in selected]
            docs = self.nlp.pipe(texts, batch_size=self.batch_size)
            parses = dict(zip([span for span, _ in selected], docs, strict=True))
        parsed = {}
        rule_roles: dict[tuple[int, int | None], set[str]] = defaultdict(set)
        ruled = {}
        for span, indices in selected:
            parsed[span] = doc = parses[span]
            ruled[span] = self._sentence_events(context, span, indices, doc)
            for draft in ruled[span]:
                for role, index in draft.role_pairs():
                    rule_roles[(span[0], index)].add(role)
        wanted = None if every_sentence else {span for span, drafts in ruled.items() if drafts}
        return document_rows(document, rule_roles, wanted), parsed, ruled

    def _sentence_drafts(
        self, document: Document, row: SentenceRow, ruled: list[_Draft], threshold: float
    ) -> list[_Draft]:
        """The rules' events of one sentence, scored, and the model's own where ``threshold`` allows."""
        sentence_chances = self.model.probabilities(row.features, SENTENCE_ROLES)
        if threshold > 1.0:
            # Above any probability the model adds nothing: it only scores the rules' places, so
            # the other names of a long sentence need no chances (nor its own drafts).
            used = {index for draft in ruled for _, index in draft.role_pairs()}
            named = zip(row.names, row.name_features, strict=True)
            by_name = {i: self.model.probabilities(features, PLACE_ROLES) for i, features in named if i in used}
            return self._with_rules([], ruled, by_name, sentence_chances, threshold)
        chances = [self.model.probabilities(features, PLACE_ROLES) for features in row.name_features]
        learned = self._learned_drafts(document, row, chances, sentence_chances)
        by_name = dict(zip(row.names, chances, strict=True))
        return self._with_rules(learned, ruled, by_name, sentence_chances, threshold)

    def _learned_drafts(
        self, document: Document, row: SentenceRow, chances: list[dict[str, float]], sentence_chances: dict[str, float]
    ) -> list[_Draft]:
        """The events the model finds in one sentence, with their places and scores."""
        model, span, names = self.model, row.span, row.names

        def holders(role: str) -> list[tuple[float, int]]:
            found = [(p[role], index) for p, index in zip(chances, names, strict=True) if model.taken(role, p[role])]
            return sorted(found, key=lambda pair: (-pair[0], pair[1]))

        drafts = []
        for category in LOCATION_CATEGORIES:
            for chance, index in sorted(holders(f"{category}:location"), key=lambda pair: pair[1]):
                drafts.append(_Draft(category, "reported", span, location=index, score=chance))
        areas = holders("claim:area")
        if areas:
            indices = tuple(sorted((i for _, i in areas), key=lambda i: document.toponyms[i].mention.start))
            drafts.append(_Draft("claim", "reported", span, areas=indices, score=max(p for p, _ in areas)))
        for category in ("corridor", "refugees"):
            origins, destinations = holders(f"{category}:origin"), holders(f"{category}:destination")
            origin = origins[0] if origins else None
            destinations = [d for d in destinations if origin is None or d[1] != origin[1]]
            if origin is None and not destinations:
                continue
            for chance, index in destinations or [(0.0, None)]:
                score = max(chance, origin[0] if origin else 0.0)
                start = origin[1] if origin else None
                drafts.append(_Draft(category, "reported", span, origin=start, destination=index, score=score))
        placed = {d.category for d in drafts}
        for role, chance in sentence_chances.items():
            category = role.split(":")[0]
            if category not in placed and model.taken(role, chance):
                drafts.append(_Draft(category, "reported", span, score=chance))
        return drafts

    def _with_rules(
        self, learned: list[_Draft], ruled: list[_Draft], chances: dict[int, dict[str, float]],
        sentence_chances: dict[str, float], threshold: float,
    ) -> list[_Draft]:  # fmt: skip
        """The rules' events, scored by the model, and the model's own where it is sure enough.

        The parse rules are precise but miss much; the model finds more but, on conflicts it
        was not fitted to, less precisely. A rule's event keeps its status and date; the model
        gives it a score (its chance for the rule's roles). A model's event the rules did not
        find is kept when its chance reaches ``threshold``.
        """
        kept = []
        for draft in ruled:
            pairs = [chances.get(i, {}).get(role) if i is not None else sentence_chances.get(role)
                     for role, i in draft.role_pairs()]  # fmt: skip
            known = [p for p in pairs if p is not None]
            draft.score = self.model.calibrated(max(known)) if known else None
            draft.from_rules = True
            kept.append(draft)
        seen = {(d.category, d.location, d.origin, d.destination, d.areas) for d in kept}
        for draft in learned:
            if (draft.category, draft.location, draft.origin, draft.destination, draft.areas) in seen:
                continue
            if draft.score is not None and draft.score >= threshold:
                kept.append(draft)
        return kept

    def _trigger(self, document: Document, doc: Any, draft: _Draft, span: tuple[int, int]) -> Any:
        """The word of the sentence that states the event: a listed trigger of its category nearest
        its place, else the word the model weighs most for it, else the sentence's root."""
        place = draft.first_place()
        position = 0
        if place is not None:
            mention = document.toponyms[place].mention
            found = doc.char_span(mention.start - span[0], mention.end - span[0], alignment_mode="expand")
            position = found.root.i if found is not None else 0
        listed = [t for t in doc if words.TRIGGER_FORMS.get(t.lower_) == draft.category]
        if listed:
            return min(listed, key=lambda t: (abs(t.i - position), t.i))
        weighted = {word for _, word in self.model.strongest(draft.role(), (f"s:{stem(t.text)}" for t in doc))[:3]}
        learned = [t for t in doc if stem(t.text) in weighted]
        if learned:
            return min(learned, key=lambda t: (abs(t.i - position), t.i))
        return next((t for t in doc if t.dep_ == "ROOT"), doc[0])

    def locate(self, document: Document, start: int, end: int) -> tuple[int, ...]:
        """Indices of the toponyms the word at ``[start, end)`` happens at.

        The learned linker when one is loaded (``linker``), else the rules events use. For
        comparing the linking alone with Halterman (2019), whose event verbs are given.
        """
        pair = self.link_candidates(document, start, end)
        if pair is None:
            return ()
        trigger, names, ruled = pair
        if self.linker is None:
            return tuple(sorted(ruled))
        return tuple(sorted(index for index, _ in linked_places(self.linker, trigger, names, ruled)))

    def link_candidates(
        self, document: Document, start: int, end: int
    ) -> tuple[Any, list[tuple[int, Any, str]], set[int]] | None:
        """The event word at ``[start, end)`` in its sentence's parse, every name of the sentence
        (toponym index, span, kind of place) and the names the rules link it to."""
        sentences = self._sentences(document)
        for (s, e), indices in sentences:
            if s <= start and end <= e:
                doc = self.nlp(document.text[s:e])
                span = doc.char_span(start - s, end - s, alignment_mode="expand")
                if span is None:
                    return None
                context = _Context(document, body=sentences[0][0][0])
                background = words.background_tokens(doc, document.text[s:e])
                links = _gather(span.root, self._candidates(context, doc, s, indices), 3, background)
                best = _location(span.root, "", links)
                ruled = {best.candidate.toponym, *best.conjuncts} if best else set()
                names = []
                for index in indices:
                    toponym = document.toponyms[index]
                    found = doc.char_span(toponym.mention.start - s, toponym.mention.end - s, alignment_mode="expand")
                    if found is not None and found.root.i != span.root.i:
                        names.append((index, found, place_kind(toponym.place, anaphor=False)))
                return span.root, names, ruled
        return None

    # -- which sentences to parse ------------------------------------------------------------------
    @staticmethod
    def _sentences(document: Document) -> list[Sentence]:
        return sentences_with_names(document, resolved=False)

    def _select(self, document: Document, sentences: list[Sentence], *, caption: bool = False) -> list[Sentence]:
        """Sentences worth parsing: a trigger word (in a caption, also a sighting) and a resolved place
        that is no speaker (or "the city")."""
        selected, seen_place = [], False
        for (start, end), indices in sentences:
            text = document.text[start:end]
            sites = [i for i in indices if document.toponyms[i].place is not None]
            seen_before = seen_place
            seen_place = seen_place or bool(sites)
            sites = [i for i in sites if not _speaker(document, document.toponyms[i].mention, caption=caption)]
            anaphor = self.anaphora and seen_before and words.ANAPHOR_RE.search(text) is not None
            triggered = words.find_triggers(text, asides=caption) or (caption and words.find_caption_sighting(text))
            if ((sites or anaphor) and triggered) or words.find_decision(text, _PLACELESS):
                selected.append(((start, end), indices))
        return selected

    # -- one sentence ------------------------------------------------------------------------------
    def _candidates(self, context: _Context, doc: Any, offset: int, indices: list[int]) -> list[Candidate]:
        toponyms = context.document.toponyms
        found: dict[int, Candidate] = {}
        covered: set[int] = set()
        for index in indices:
            mention = toponyms[index].mention
            span = doc.char_span(mention.start - offset, mention.end - offset, alignment_mode="expand")
            if span is not None:
                covered.update(range(span.start, span.end))
                if toponyms[index].place is not None and not _not_a_site(toponyms[index].mention.text, doc, span):
                    root = span.root
                    if root.dep_ == "compound" and root.head.lower_ in _DESIGNATOR_HEADS:
                        root = root.head  # "fled Gezira state": the name's phrase is the object
                    found.setdefault(root.i, Candidate(root.i, index, toponyms[index].place))
        for token in doc if self.anaphora else ():
            anaphor = token.lower_ in words.ANAPHOR_NOUNS or (
                token.lower_ in words.ANAPHOR_ADVERBS and token.dep_ == "advmod"  # not "there was"
            )
            if anaphor and token.i not in covered and token.i not in found:
                antecedent = _antecedent(context, token, offset, self._nation_of(token))
                if antecedent is not None:
                    found[token.i] = Candidate(token.i, antecedent, toponyms[antecedent].place, anaphor=True)
        return list(found.values())

    def _nation_of(self, token: Any) -> str | None:
        """The country a word of nationality before an anaphor names: "the Eritrean capital" -> ER."""
        for child in token.children:
            if child.dep_ in ("amod", "compound") and child.is_title:
                country = self.gazetteer.demonym(child.text)
                if country is not None:
                    return country.country_code
        return None

    def _sentence_events(self, context: _Context, span: tuple[int, int], indices: list[int], doc: Any) -> list[_Draft]:
        text = context.document.text[span[0] : span[1]]
        phrases = phrase_positions(doc, text)
        dated = [position for position, _ in phrases]
        background = words.background_tokens(doc, text, dated)
        found, asides = [], []
        for token in doc:
            category = words.trigger_category(token, text) if token.lower_ in words.TRIGGER_WORDS else None
            if context.caption:
                category = words.caption_category(token, category, text)
            if token.lower_ in words.PRESENCE_NOUNS and not context.caption:
                category = None  # in a story, troops somewhere are actors or background, not a sighting
            # A caption states one thing: a relative clause there is it ("area from which a hospital was shelled")
            if category and not context.caption and words.is_background(token, dated):
                asides.append(clause_head(token))
            elif category:
                found.append((token, category))
        if any(t.i not in background for t, _ in found):  # "X happened as Y": Y is context, unless X is no event
            found = [(t, c) for t, c in found if t.i not in background]
        if not found:
            return []
        according = _according(doc, text)
        candidates = self._candidates(context, doc, span[0], indices)
        heads = [clause_head(token) for token, _ in found]
        drafts = []
        for (trigger, category), head in zip(found, heads, strict=True):
            # A sighting word ("troops") marks no clause of its own: it takes no place from the others.
            others = [h for (t, _), h in zip(found, heads, strict=True)
                      if h is not head and t.lower_ not in words.PRESENCE_NOUNS]  # fmt: skip
            draft = _Draft(category, "reported", span)
            if self._roles(context, draft, trigger, candidates, (others, asides), background):
                draft.date, draft.strength = trigger_date(
                    trigger, phrases, context.document.published, anchor=context.anchor, counted=draft.count is not None
                )
                if draft.strength == 2 and draft.date is not None:
                    context.anchor = draft.date.iso
                draft.attribution = according or _speaker_of(trigger)
                drafts += _coordinated(draft, candidates, doc)
        if not drafts and context.caption:
            drafts = self._caption_scene(context, span, found, candidates, phrases)
        return drafts

    def _caption_scene(
        self, context: _Context, span: tuple[int, int], found: list[tuple[Any, str]], candidates: list[Candidate],
        phrases: list[tuple[int, str]],
    ) -> list[_Draft]:  # fmt: skip
        """A caption shows one scene: when the parse links its strike or move to no place, it happened
        at the caption's first town ("Vasylkiv's oil depot on fire after missile strike")."""
        document = context.document
        towns = [c for c in candidates if not c.anaphor and not c.place.feature_code.startswith("PCL")
                 and not _speaker(document, document.toponyms[c.toponym].mention, caption=True)]  # fmt: skip
        physical = [(t, c) for t, c in found if c in _PHYSICAL]
        if not towns or not physical:
            return []
        trigger, category = physical[0]
        doc = trigger.doc
        every = [link(trigger, c, doc, candidates) for c in candidates]
        references = {x.candidate.toponym for x in every if x is not None and x.blocked}  # "80 km north of X"
        towns = [c for c in towns if c.toponym not in references]
        if not towns:
            return []
        draft = _Draft(category, "reported", span, location=min(towns, key=lambda c: c.token).toponym)
        draft.date, draft.strength = trigger_date(
            trigger, phrases, document.published, anchor=context.anchor, counted=False
        )
        return [draft]

    def _roles(
        self, context: _Context, draft: _Draft, trigger: Any, candidates: list[Candidate],
        clauses: tuple[list[Any], list[Any]], background: set[int],
    ) -> bool:  # fmt: skip
        """Status and places of one trigger's event; ``False`` when it lacks the places it needs."""
        if draft.category not in ("shelling", "refugees"):
            draft.status = words.event_status(trigger, draft.category)
        if words.is_withdrawal(trigger):
            draft.category = "claim" if draft.status == "demanded" else "military"
        called = trigger.dep_ == "xcomp" and trigger.head.lower_ in words.CALL_FORMS  # "urged residents of X to leave"
        climbing = draft.category in _CLIMBING and trigger.lower_ not in words.AGREEMENT_NOUNS
        levels = 3 if climbing else 1 + called
        links = _gather(trigger, candidates, levels, background, *clauses)
        if not _assign_roles(context, draft, trigger, links, candidates):
            return False
        if draft.location is not None:
            context.last_location = draft.location
        site = draft.location if draft.category in _PHYSICAL else draft.origin
        place = context.document.toponyms[site].place if site is not None else None
        if place is not None and place.country_code:
            context.event_countries[place.country_code] += 1
        return True


def _gather(
    trigger: Any, candidates: list[Candidate], levels: int, background: set[int], others: Any = (), asides: Any = ()
) -> list[Link]:
    """Links from the trigger to the candidates in its clause and up to ``levels - 1`` clauses above (costlier)."""
    links, seen = [], {trigger.i}
    for level in range(1, levels + 1):
        scope = scope_tokens(trigger, others, level, background, asides)
        for candidate in candidates:
            if candidate.token in scope and candidate.token not in seen:
                seen.add(candidate.token)
                found = link(trigger, candidate, trigger.doc, candidates)
                links += [replace(found, cost=found.cost + 2 * (level - 1))] if found is not None else []
    return links


def _not_a_site(name: str, doc: Any, span: Any) -> bool:
    """A name that is an event word ("Shells hit ...") or a time zone ("1600 Moscow time")."""
    following = doc[span.end].lower_ if span.end < len(doc) else ""
    return name.lower() in words.TRIGGER_FORMS or following == "time"


def _speaker(document: Document, mention: Any, *, caption: bool = False) -> bool:
    """ "Moscow said", "Ukraine's military", "accused Moscow": a name that is no event's site; in a
    caption a possessive is the scene's place ("Vasylkiv's oil depot on fire")."""
    text = document.text
    # Only the few words before the name: searching from the text's start made long documents quadratic.
    before = max(0, mention.start - _ACTOR_REACH)
    after = _SPEAKER_AFTER.match(text, mention.end)
    if after and caption and after.group(0) in ("'s", "’s"):
        after = None
    return bool(after or _ACTOR_BEFORE.search(text, before, mention.start))


# -- what the model reads ----------------------------------------------------------------------------
class SentenceRow(NamedTuple):
    """What the model reads of one sentence: its span, its resolved names and their features."""

    span: tuple[int, int]
    names: list[int]
    name_features: list[list[str]]
    features: list[str]


def document_rows(
    document: Document,
    rule_roles: Mapping[tuple[int, int | None], set[str]],
    wanted: set[tuple[int, int]] | None = None,
) -> list[SentenceRow]:
    """The model's rows, sentence by sentence. ``rule_roles`` are the roles the parse rules gave
    each (sentence start, name) (name ``None``: an event of the sentence with no place)."""
    rows = []
    for (start, end), names in sentences_with_names(document, resolved=True):
        if wanted is not None and (start, end) not in wanted:
            continue
        text, places = document.text[start:end], _in_sentence(document, start, names)
        bag = sentence_features(text, places, lexicon=words.TRIGGER_FORMS)
        name_features = place_features(text, places, words.TRIGGER_FORMS, bag=bag)
        for index, features in zip(names, name_features, strict=True):
            features += [f"rule:{role}" for role in sorted(rule_roles.get((start, index), ()))]
        sentence = [f"places:{min(len(names), 3)}", *bag]
        sentence += [f"rule:{role}" for role in sorted(rule_roles.get((start, None), ()))]
        rows.append(SentenceRow((start, end), names, name_features, sentence))
    return rows


def sentences_with_names(document: Document, *, resolved: bool) -> list[Sentence]:
    """Each sentence's span and the indices of the names inside it (``resolved``: placed ones only)."""
    toponyms = document.toponyms
    kept = (i for i, t in enumerate(toponyms) if t.place is not None or not resolved)
    order = sorted(kept, key=lambda i: toponyms[i].mention.start)
    sentences, cursor = [], 0
    for start, end in sentence_spans(document):
        while cursor < len(order) and toponyms[order[cursor]].mention.start < start:
            cursor += 1
        inside = []
        while cursor < len(order) and toponyms[order[cursor]].mention.end <= end:
            inside.append(order[cursor])
            cursor += 1
        sentences.append(((start, end), inside))
    return sentences


def sentence_spans(document: Document) -> list[tuple[int, int]]:
    """The document's sentences, a long one cut into pieces the parser can read (never inside a
    name): what both the rules and the model read, so their parses line up span by span."""
    names = sorted((t.mention.start, t.mention.end) for t in document.toponyms)
    return bounded_spans(document.text, split_sentences(document.text), keep_whole=names)


def _in_sentence(document: Document, offset: int, names: list[int]) -> list[PlaceInSentence]:
    toponyms = document.toponyms
    return [
        PlaceInSentence(toponyms[i].mention.start - offset, toponyms[i].mention.end - offset, toponyms[i].place)
        for i in names
    ]


# -- roles -----------------------------------------------------------------------------------------
def _assign_roles(
    context: _Context, draft: _Draft, trigger: Any, links: list[Link], candidates: list[Candidate]
) -> bool:
    usable = [x for x in links if not (x.blocked or x.speaker or x.container)]
    if draft.category in ("corridor", "refugees"):
        return _flow_roles(context, draft, trigger, usable, candidates)
    if draft.category == "claim":
        usable = [x for x in usable if x.relation != "nsubj"]  # the claimant ("Russia annexed", "Kyiv recognise")
        named = [x for x in usable if not x.is_country] or usable
        draft.areas = tuple(sorted({x.candidate.toponym for x in named}, key=lambda i: _start(context, i)))
        draft.geo_precision = 3
        return bool(draft.areas)
    best = _location(trigger, draft.category, links)
    if best is None:
        # "Arab governments demanded an immediate ceasefire": a decision about talks or a truce
        # is news with no place; a plain mention ("the truce held") restates an event told before.
        return (
            draft.category in _PLACELESS and draft.status != "reported" and trigger.dep_ != "compound"
            and trigger.lower_ not in words.AGREEMENT_NOUNS and not trigger.is_upper  # "Under the deal", headlines
        )  # fmt: skip
    draft.location, draft.geo_precision = best.candidate.toponym, best.precision
    return True


def _location(trigger: Any, category: str, links: list[Link]) -> Link | None:
    """The place an event happens at: no speaker, agent ("by X") or origin ("launched from X"); talks
    need a venue ("in X", "the Istanbul talks"), not a topic ("the status of Crimea")."""
    from_preps = {"from", "out of"} if trigger.lower_ not in words.WITHDRAW_FORMS else set()
    excluded = {"by", "with"} | (from_preps if category != "ceasefire" else set())
    usable = []
    for x in links:
        if x.blocked or x.self_speaker or x.container or x.preps & excluded or x.relation == "with":
            continue  # "talks with Kyiv": a party
        if category in ("talks", "ceasefire") and x.via & {"talks", "ceasefire"} - {category}:
            continue  # "a ceasefire agreed at talks in Moscow": the venue of the talks
        if category == "talks" and x.relation not in _VENUE:
            continue
        if category == "military" and trigger.lower_ in words.SIGHTING_NOUNS and not _sighted_at(trigger, x):
            continue  # "troops in Bucha", "Russian tank driving through Mariupol": where they were seen
        if trigger.lower_ in words.AGREEMENT_NOUNS and x.meet > 1:
            continue  # "the deal was signed in Jeddah", not "driven to Rastan under a deal"
        if trigger.lower_ in words.FALL_FORMS and x.relation != "nsubj":
            continue
        if trigger.lower_ in words.TAKE_FORMS and x.relation not in ("dobj", "nsubjpass"):
            continue  # a capture takes the place itself: "the rebels took Sake", "Sake was taken"
        if x.speaker:  # inside a speaker's phrase: "officials in Donetsk reported shelling"
            if category not in _PHYSICAL:
                continue
            x = replace(x, cost=x.cost + 3)
        usable.append(x)
    if category == "ceasefire":
        # "proposed in Cairo a ceasefire across Libya": the area a truce covers, not where it was announced
        usable = [x for x in usable if x.relation in _TRUCE_SCOPE or x.head in _TRUCE_SCOPE] or usable
    return _best(usable)


def _flow_roles(
    context: _Context, draft: _Draft, trigger: Any, usable: list[Link], candidates: list[Candidate]
) -> bool:
    """Origin and destination of a corridor or a refugee flow."""
    origin = _best(x for x in usable if x.role == "origin")
    destination = _best(x for x in usable if x.role == "destination")
    if draft.category == "refugees":
        if origin is not None:
            context.refugee_origin = origin.candidate.toponym
        # A flow needs a place of its own sentence: "fled Gezira state" (no destination), "fled to
        # camps near Goma" (no origin); an earlier sentence may give the origin ("crossed into Egypt").
        if destination is None:
            destination = _apposed_destination(trigger, usable)
        draft.origin = origin.candidate.toponym if origin else context.refugee_origin
        if (
            destination is not None
            and draft.origin is not None
            and _same_place(context.document, draft.origin, destination.candidate.toponym)
        ):
            draft.origin = None  # "Marib hosts the largest displaced population": no flow out of it
        if draft.origin is None and destination is not None and destination.is_country:
            draft.origin = _focus_country(context, destination.candidate.place)  # "crossed into Egypt"
        if (origin is None and destination is None) or not _people_moved(trigger):
            return False
        if any(c.dep_ == "aux" and c.lower_ in ("would", "could", "might") for c in clause_head(trigger).children):
            return False  # "any push of displaced people towards the Sinai would ...": not a flow (yet)
        draft.count = _count(trigger)
    else:
        if origin is None and destination is not None:  # "a convoy ... out to Berdyansk": it starts at the other place
            # Only names near the event word: in a long piece with no sentence end, every name of the
            # piece would make this quadratic.
            spare = (link(trigger, c, trigger.doc, candidates) for c in candidates
                     if not c.anaphor and abs(c.token - trigger.i) <= LINK_REACH
                     and not _in_relative_clause(trigger.doc[c.token], trigger))  # fmt: skip
            origin = _best(
                x for x in spare
                if x is not None and not (x.blocked or x.self_speaker or x.container) and x.role != "waypoint"
                and x.candidate.toponym != destination.candidate.toponym and x.anchor != destination.anchor
            )  # fmt: skip
        placeless = draft.status in _DECISIONS and trigger.lower_ in ("corridor", "corridors")
        if origin is None and destination is None and not placeless:
            return False
        draft.origin = origin.candidate.toponym if origin else None
    draft.destination = destination.candidate.toponym if destination else None
    draft.geo_precision = origin.precision if origin else 1
    return True


#: ", many of them to camps in X": where part of a flow went, said after it.
_APPOSED_DESTINATION = re.compile(
    r",\s+(?:many|most|some|half|all|thousands|hundreds)\s+(?:\w+\s+)?of\s+them\s+(?:\w+\s+)?(?:to|towards?|into)\b",
    re.IGNORECASE,
)


def _apposed_destination(trigger: Any, usable: list[Link]) -> Link | None:
    """The first place after ", most of them to ..." following the trigger."""
    text = trigger.doc.text
    found = _APPOSED_DESTINATION.search(text, trigger.idx)
    if found is None:
        return None
    after = [x for x in usable if trigger.doc[x.candidate.token].idx >= found.end()]
    return min(after, key=lambda x: x.candidate.token) if after else None


def _focus_country(context: _Context, destination: Place | None) -> int | None:
    """The first mention of the country the document names most (not the destination's): where a
    flow into another country comes from when the sentence does not say ("crossed into Egypt")."""
    if context.countries is None:  # once per document: a long one has many flows
        toponyms = context.document.toponyms
        counts: dict[str, int] = defaultdict(int)
        first: dict[str, int] = {}
        for i, toponym in enumerate(toponyms):
            place = toponym.place
            if place is not None and place.country_code:
                counts[place.country_code] += 1
                if place.feature_code.startswith("PCL"):
                    first.setdefault(place.country_code, i)
        ranked = sorted(counts, key=lambda code: -counts[code])
        context.countries = [(code, first[code]) for code in ranked if code in first]
    excluded = destination.country_code if destination is not None else None
    first = dict(context.countries)
    # The war's country first: the one most of the story's events so far happen in
    for code, _ in context.event_countries.most_common():
        if code != excluded and code in first:
            return first[code]
    return next((i for code, i in context.countries if code != excluded), None)


def _in_relative_clause(token: Any, trigger: Any) -> bool:
    """Inside a relative clause the trigger is not in ("the Houthis, which hold Sanaa, ...")."""
    return any(a.dep_ == "relcl" and not dominates(a, trigger) for a in token.ancestors)


def _sighted_at(trigger: Any, x: Link) -> bool:
    """Whether troops or vehicles (``trigger``) were seen at ``x``: the place on the noun itself, or
    on the verb it is the subject of ("vehicles moving in Popasna")."""
    if x.meet == 0:
        return x.relation in _VENUE
    on_verb = trigger.dep_ == "nsubj" and x.head == trigger.head.lower_  # not "took part in talks in X"
    return x.meet == 1 and on_verb and x.relation in _VENUE | _ROUTE_PREPS


def _coordinated(draft: _Draft, candidates: list[Candidate], doc: Any) -> list[_Draft]:
    """The draft, and one copy per place coordinated with one of its places ("strikes on
    Kharkiv, Sumy and Poltava", "fled towards Aksum and Adwa"): one event each (events guide)."""
    token_of = {c.toponym: c.token for c in candidates if not c.anaphor}
    by_token = {c.token: c.toponym for c in candidates if not c.anaphor}
    copies = [draft]
    for role in ("location", "origin", "destination"):
        index = getattr(draft, role)
        if index is None or index not in token_of:
            continue
        pending, seen = [doc[token_of[index]]], set()
        while pending:
            token = pending.pop()
            for child in token.children:
                if child.dep_ == "conj" and child.i not in seen:
                    seen.add(child.i)
                    pending.append(child)
                    if child.i in by_token and by_token[child.i] != index:
                        copies.append(replace(draft, **{role: by_token[child.i]}))
        for other in _coordinated_phrases(doc[token_of[index]], by_token):
            if other != index:
                copies.append(replace(draft, **{role: other}))
    if draft.origin is not None and draft.origin in token_of:
        ends = [doc[token_of[i]] for i in (draft.origin, draft.destination) if i in token_of]
        copies += _coordinated_routes(draft, ends, by_token)
    return copies


def _coordinated_phrases(token: Any, by_token: dict[int, int]) -> list[int]:
    """Places of phrases coordinated with the one holding ``token``: "in Odesa and in Chornomorsk",
    "at the airport in Sanaa and at the airport in Hodeidah"."""
    if token.dep_ != "pobj" or token.head.dep_ not in ("prep", "conj"):
        return []
    found = []
    for phrase in (c for c in token.head.children if c.dep_ == "conj" and c.lower_ in _PLACE_PREPS):
        first = next((t for t in phrase.subtree if t.i in by_token), None)
        if first is not None:
            found.append(by_token[first.i])
    return found


def _coordinated_routes(draft: _Draft, ends: list[Any], by_token: dict[int, int]) -> list[_Draft]:
    """ "corridors from Kyiv to Belarus and from Kharkiv to Russia": a route per "from" phrase
    coordinated with the route's "from" or "to"."""
    preps = [t.head for t in ends if t.dep_ == "pobj" and t.head.dep_ == "prep"]
    routes = []
    for other in (c for p in preps for c in p.children if c.dep_ == "conj" and c.lower_ == "from"):
        start = next((by_token[t.i] for t in other.children if t.dep_ == "pobj" and t.i in by_token), None)
        goals = [t for p in other.children if p.dep_ == "prep" and p.lower_ in ("to", "towards", "into")
                 for t in p.children if t.dep_ == "pobj" and t.i in by_token]  # fmt: skip
        if start is not None:
            routes.append(replace(draft, origin=start, destination=by_token[goals[0].i] if goals else None))
    return routes


def _best(links: Iterable[Link | None]) -> Link | None:
    present = [x for x in links if x is not None]
    return min(present, key=lambda x: (x.cost, x.candidate.token)) if present else None


def _people_moved(trigger: Any) -> bool:
    """Refugee verbs need people, not trains, as the ones moving ("trains from Lviv arrived")."""
    subjects = [c for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass")]
    return not any(s.lower_ in words.VEHICLE_NOUNS | words.MILITARY_NOUNS for s in subjects)


def _count(trigger: Any) -> int | None:
    """The number of people in a flow ("about 450,000 people have crossed")."""
    pool = sorted((c for c in trigger.children if c.dep_ in ("dobj", "nsubj", "nsubjpass")), key=lambda c: c.dep_)
    for root in pool or [trigger]:
        for token in root.subtree:
            text = token.text.replace(",", "")
            if text.isdigit() and int(text) >= 10:
                following = token.nbor(1).lower_ if token.i + 1 < len(token.doc) else ""
                return int(text) * {"million": 1_000_000, "thousand": 1_000}.get(following, 1)
    return None


def _according(doc: Any, text: str) -> str | None:
    """The attribution "according to X" of a sentence."""
    if "according" not in text.lower():
        return None
    for token in doc:
        if token.lower_ == "according":
            objects = [t for c in token.children if c.lower_ == "to" for t in c.children if t.dep_ == "pobj"]
            if objects:
                return _short("according to " + _phrase(objects[0]))
    return None


def _speaker_of(trigger: Any) -> str | None:
    """The subject of the nearest verb of saying above the trigger (or the sentence's root): "X said"."""
    ancestors = list(trigger.ancestors)
    for token in [trigger, *ancestors, *(c for c in (ancestors or [trigger])[-1].children if c.dep_ == "conj")]:
        if token.lower_ in words.SPEECH_FORMS:
            subjects = [c for c in token.children if c.dep_ == "nsubj" and trigger not in c.subtree]
            if subjects and subjects[0].lower_ not in ("he", "she", "it", "they", "we", "i"):
                return _short(_phrase(subjects[0]))
    return None


def _phrase(token: Any) -> str:
    tokens = list(token.subtree)
    return token.doc[tokens[0].i : tokens[-1].i + 1].text.split(",")[0].strip()


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- anaphora ----------------------------------------------------------------------------
def _antecedent(context: _Context, token: Any, offset: int, nation: str | None = None) -> int | None:
    """The toponym "the city" / "the island" / "there" stands for, in country ``nation`` when a word of
    nationality says so ("the Angolan capital"); ``None`` when the word is no such anaphor."""
    if token.lower_ in words.ANAPHOR_ADVERBS:
        return _latest_place(context, offset + token.idx)
    codes = words.ANAPHOR_NOUNS[token.lower_]
    if token.dep_ == "compound" or any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
        return None  # "the city council", "the city of Sumy"
    if not any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "its") for c in token.children):
        return None
    if codes == ("EVENT",):
        return context.last_location
    document = context.document
    counts: dict[Any, int] = {}
    best, best_rank = None, (0, -1)
    for index, start in _names_before(context, offset + token.idx):
        place = document.toponyms[index].place
        if place is None or (nation is not None and place.country_code != nation):
            continue
        if any(place.feature_class == code or place.feature_code.startswith(code) for code in codes):
            key = _place_key(document, index)
            counts[key] = counts.get(key, 0) + 1
            if (counts[key], start) > best_rank:  # the place named most often so far, the latest on ties
                best, best_rank = index, (counts[key], start)
    return best


def _names_before(context: _Context, position: int) -> list[tuple[int, int]]:
    """(toponym index, start) of the names in the story before ``position``, in text order.

    Only names at most ANAPHOR_REACH characters back: a long document (a book, a feed glued
    together) would otherwise make reading anaphors quadratic.
    """
    if context.by_start is None or context.starts is None:
        toponyms = context.document.toponyms
        context.by_start = sorted(range(len(toponyms)), key=lambda i: _start(context, i))
        context.starts = [_start(context, i) for i in context.by_start]
    starts = context.starts
    first = bisect_left(starts, max(context.body, position - ANAPHOR_REACH))
    last = bisect_left(starts, position)
    return list(zip(context.by_start[first:last], starts[first:last], strict=True))


def _latest_place(context: _Context, position: int) -> int | None:
    """The last resolved place named before ``position``; a country only when nothing smaller was."""
    places = [(i, context.document.toponyms[i].place) for i, _ in _names_before(context, position)]
    named = [(i, p.feature_code.startswith("PCL")) for i, p in places if p is not None]
    smaller = [i for i, is_country in named if not is_country]
    return smaller[-1] if smaller else (named[-1][0] if named else None)


def _start(context: _Context, index: int) -> int:
    return context.document.toponyms[index].mention.start


# -- merging and output ----------------------------------------------------------------------------
def _place_key(document: Document, index: int | None) -> Any:
    place = document.toponyms[index].place if index is not None else None
    if place is None:
        return None if index is None else document.toponyms[index].mention.text.lower()
    return place.geonameid or (place.name, round(place.lat, 2), round(place.lon, 2))


def _same_place(document: Document, a: int, b: int) -> bool:
    return _place_key(document, a) == _place_key(document, b)


def _key(document: Document, draft: _Draft) -> tuple[Any, ...]:
    """Category, location, origin, destination country and areas: what makes two mentions one event."""
    destination = document.toponyms[draft.destination].place if draft.destination is not None else None
    country = (destination.country_code or destination.name) if destination else None
    places = _place_key(document, draft.location), _place_key(document, draft.origin), country
    return (draft.category, *places, frozenset(_place_key(document, i) for i in draft.areas))


def _overlap(a: _Draft, b: _Draft) -> bool:
    if a.strength == 0 or b.strength == 0 or a.date is None or b.date is None:
        return True
    return a.date.first <= b.date.last and b.date.first <= a.date.last


def _merge(document: Document, drafts: list[_Draft]) -> list[_Draft]:
    """One event per category, places and date: repeated mentions keep the best-dated one."""
    kept: list[_Draft] = []
    keys: list[tuple[Any, ...]] = []  # the key of each kept draft, not made again for every new one
    # Only a kept draft of the same sentence and category, or with the same key, can take a new one:
    # the others are skipped, not compared one by one (quadratic in a long document's events).
    by_sentence: dict[tuple[Any, ...], set[int]] = defaultdict(set)
    by_key: dict[tuple[Any, ...], set[int]] = defaultdict(set)
    # A placeless mention or a flow may restate any event of its category told before.
    by_category: dict[str, set[int]] = defaultdict(set)

    def keep(k: int, draft: _Draft, key: tuple[Any, ...]) -> None:
        if k == len(kept):
            kept.append(draft)
            keys.append(key)
        else:
            by_sentence[(kept[k].sentence, kept[k].category)].discard(k)
            by_key[keys[k]].discard(k)
            by_category[kept[k].category].discard(k)
            kept[k], keys[k] = draft, key
        by_sentence[(draft.sentence, draft.category)].add(k)
        by_key[key].add(k)
        by_category[draft.category].add(k)

    for draft in drafts:
        key = _key(document, draft)
        placed = any(key[1:4]) or bool(key[4])
        if not placed or draft.category in ("corridor", "refugees"):
            rivals = by_category.get(draft.category, set())
        else:
            rivals = by_sentence.get((draft.sentence, draft.category), set()) | by_key.get(key, set())
        for k in sorted(rivals):  # every rival is of the draft's category
            other, other_key = kept[k], keys[k]
            if other.sentence == draft.sentence:
                if _roles_within(key, other_key):
                    break
                if _roles_within(other_key, key):
                    keep(k, draft, key)
                    break
            if not placed and _overlap(draft, other) and draft.status in ("reported", other.status):
                break  # "monitoring the ceasefire": a placeless mention restates the event told before
            if key == other_key and placed and _overlap(draft, other):
                if draft.strength > other.strength:
                    keep(k, draft, key)
                break
            if draft.category in ("corridor", "refugees") and placed:
                # "300,000 have fled Ukraine ... 200,000 of them have crossed into Poland": one flow told twice
                if _roles_within(key, other_key) and _overlap(draft, other):
                    break
                if _roles_within(other_key, key) and _overlap(draft, other):
                    keep(k, draft, key)
                    break
        else:
            keep(len(kept), draft, key)
    return kept


def _roles_within(small: tuple[Any, ...], large: tuple[Any, ...]) -> bool:
    return all(s is None or s == g for s, g in zip(small[1:4], large[1:4], strict=True)) and small[4] <= large[4]


def _to_events(document: Document, drafts: list[_Draft], gazetteer: Gazetteer) -> list[Event]:
    events, seen = [], set()
    for draft in drafts:
        quote_start, quote_end = draft.sentence
        key = f"{document.id}|{quote_start}|{quote_end}|{draft.category}"
        suffix = 0  # a second event of one category in one sentence ("Hungary has taken in ..., and Moldova ...")
        while (identity := _event_id(key, suffix)) in seen:
            suffix += 1
        seen.add(identity)
        point = _point(document, draft, gazetteer)
        events.append(
            Event(
                id=identity, doc_id=document.id, category=draft.category, status=draft.status,
                date=draft.date.iso if draft.date else None, time_precision=draft.date.precision if draft.date else 3,
                geo_precision=_geo_precision(document, draft), quote_start=quote_start, quote_end=quote_end,
                location=draft.location, origin=draft.origin, destination=draft.destination, areas=draft.areas,
                attribution=draft.attribution, lat=point.lat if point else None, lon=point.lon if point else None,
                count=draft.count, score=round(draft.score, 3) if draft.score is not None else None,
            )
        )  # fmt: skip
    return events


def _event_id(key: str, suffix: int) -> str:
    """sha1 of doc id + quote span + category, 16 hex digits (``#n`` added for a repeat)."""
    text = key if suffix == 0 else f"{key}#{suffix}"
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _point(document: Document, draft: _Draft, gazetteer: Gazetteer) -> Place | None:
    """The event's point: its location, a flow's origin, or a claim's first area (a city's admin-1 unit)."""
    if draft.category == "claim":
        place = next((p for i in draft.areas if (p := document.toponyms[i].place) is not None), None)
        if place is not None and place.feature_class == "P" and place.admin1_code:
            return gazetteer.admin1(place.country_code, place.admin1_code) or place
        return place
    index = draft.origin if draft.category in ("corridor", "refugees") else draft.location
    return document.toponyms[index].place if index is not None else None


def _geo_precision(document: Document, draft: _Draft) -> int:
    """1 a named place, 2 near or part of it, 3 a region or country."""
    index = draft.origin if draft.category in ("corridor", "refugees") else draft.location
    place = document.toponyms[index].place if index is not None else None
    area = draft.category == "claim" or (place is not None and place.feature_code.startswith(_AREA_CODES))
    return 3 if area else draft.geo_precision
