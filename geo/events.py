"""Events from geoparsed text: talks, shelling, corridors, claims, refugee flows, ceasefires, troop moves.

For every sentence that names a resolved place (or says "the city" after one) and holds a
trigger word, spaCy's dependency parser links the trigger to its places: the venue of talks,
the place hit, where a corridor starts and leads, the areas a claim covers. Speakers ("Moscow
said"), reference points ("50 km south-west of Donetsk") and containers ("Belarus's Brest
region") are not event sites. Only sentences that pass a regex prefilter are parsed, in one
``nlp.pipe`` batch per document, so events add little to geoparsing time.

>>> extractor = EventExtractor.from_model(gazetteer)  # doctest: +SKIP
>>> Geoparser(gazetteer, event_extractor=extractor)("Talks were held in Istanbul.").events  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from placemap.gazetteer import Gazetteer
from placemap.types import Document, Event, Place

from . import triggers as words
from .dates import DateValue, find_date_phrases, resolve_date, to_date
from .recognize import MODEL_NAME
from .triggers import Candidate, Link, acled_types, clause_head, link, scope_tokens, split_sentences

__all__ = ["EventExtractor", "acled_types"]

_AREA_CODES = ("PCL", "ADM1", "ADM2", "ADM3", "RGN", "CONT", "OCN", "SEA", "GULF")
_CLIMBING = ("shelling", "military")


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


@dataclass(slots=True)
class _Context:
    """What one document's earlier sentences tell the later ones."""

    document: Document
    last_location: int | None = None
    refugee_origin: int | None = None
    anchor: str | None = None


class EventExtractor:
    """Find events in a geoparsed :class:`~placemap.types.Document` (the ``EventExtractor`` protocol).

    Parameters
    ----------
    nlp : spacy.Language
        A pipeline with a dependency parser (NER, tagger and lemmatizer are not used).
    gazetteer : Gazetteer
        Gives claims on a city's name the admin-1 unit around it as their point.
    anaphora : bool
        Read "the city", "the island" as the place named last before them.
    merge : bool
        Merge repeated mentions of one event (same category, places and compatible dates).
    batch_size : int
        ``nlp.pipe`` batch size.
    """

    def __init__(
        self, nlp: Any, gazetteer: Gazetteer, *, anaphora: bool = True, merge: bool = True, batch_size: int = 64
    ) -> None:
        if "parser" not in getattr(nlp, "pipe_names", ()):
            raise ValueError("EventExtractor needs a spaCy pipeline with a dependency parser")
        self.nlp = nlp
        self.gazetteer = gazetteer
        self.anaphora = anaphora
        self.merge = merge
        self.batch_size = batch_size

    @classmethod
    def from_model(cls, gazetteer: Gazetteer, name: str = MODEL_NAME, **kwargs: Any) -> EventExtractor:
        """Load spaCy model ``name`` with its parser only (about 0.5 s) and build the extractor."""
        import spacy

        nlp = spacy.load(name, exclude=["ner", "tagger", "attribute_ruler", "lemmatizer", "senter"])
        return cls(nlp, gazetteer, **kwargs)

    def __call__(self, document: Document) -> list[Event]:
        """The events of ``document``, in text order."""
        context = _Context(document)
        selected = self._select(document)
        docs = self.nlp.pipe([document.text[s:e] for (s, e), _ in selected], batch_size=self.batch_size)
        drafts: list[_Draft] = []
        for ((start, end), indices), doc in zip(selected, docs, strict=True):
            drafts.extend(self._sentence_events(context, (start, end), indices, doc))
        if self.merge:
            drafts = _merge(document, drafts)
        return _to_events(document, drafts, self.gazetteer)

    def locate(self, document: Document, start: int, end: int) -> tuple[int, ...]:
        """Toponym indices that the word at ``[start, end)`` happens at, by the same rules as events.

        Used to compare the linking alone with Halterman (2019), whose verbs are given.
        """
        for (s, e), indices in self._sentences(document):
            if s <= start and end <= e:
                doc = self.nlp(document.text[s:e])
                span = doc.char_span(start - s, end - s, alignment_mode="expand")
                if span is None or not indices:
                    return ()
                candidates = self._candidates(_Context(document), doc, s, indices)
                scope = scope_tokens(span.root, (), 1)
                best = _best([link(span.root, c, doc, candidates) for c in candidates if c.token in scope])
                return tuple(sorted({best.candidate.toponym, *best.conjuncts})) if best else ()
        return ()

    # -- selection -------------------------------------------------------------------------------
    def _sentences(self, document: Document) -> Iterable[tuple[tuple[int, int], list[int]]]:
        toponyms = document.toponyms
        order = sorted(range(len(toponyms)), key=lambda i: toponyms[i].mention.start)
        cursor = 0
        for start, end in split_sentences(document.text):
            while cursor < len(order) and toponyms[order[cursor]].mention.start < start:
                cursor += 1
            inside = []
            k = cursor
            while k < len(order) and toponyms[order[k]].mention.end <= end:
                inside.append(order[k])
                k += 1
            yield (start, end), inside

    def _select(self, document: Document) -> list[tuple[tuple[int, int], list[int]]]:
        """Sentences worth parsing: a trigger word and a resolved place (or a place anaphor)."""
        selected = []
        seen_place = False
        for (start, end), indices in self._sentences(document):
            text = document.text[start:end]
            resolved = any(document.toponyms[i].place is not None for i in indices)
            anaphor = self.anaphora and seen_place and words.ANAPHOR_RE.search(text) is not None
            if (resolved or anaphor) and words.find_triggers(text):
                selected.append(((start, end), indices))
            seen_place = seen_place or resolved
        return selected

    # -- one sentence ----------------------------------------------------------------------------
    def _candidates(self, context: _Context, doc: Any, offset: int, indices: list[int]) -> list[Candidate]:
        toponyms = context.document.toponyms
        found: dict[int, Candidate] = {}
        covered: set[int] = set()
        for index in indices:
            mention = toponyms[index].mention
            span = doc.char_span(mention.start - offset, mention.end - offset, alignment_mode="expand")
            if span is None:
                continue
            covered.update(range(span.start, span.end))
            if toponyms[index].place is not None:
                found.setdefault(span.root.i, Candidate(span.root.i, index, toponyms[index].place))
        if self.anaphora:
            for token in doc:
                if token.i not in covered and token.i not in found:
                    antecedent = _antecedent(context, token, offset)
                    if antecedent is not None:
                        place = toponyms[antecedent].place
                        found[token.i] = Candidate(token.i, antecedent, place, anaphor=True)
        return list(found.values())

    def _sentence_events(self, context: _Context, span: tuple[int, int], indices: list[int], doc: Any) -> list[_Draft]:
        candidates = self._candidates(context, doc, span[0], indices)
        found = [(token, category) for token in doc if (category := _category(token)) and not _background(token)]
        heads = [clause_head(token) for token, _ in found]
        drafts = []
        for (trigger, category), head in zip(found, heads, strict=True):
            others = [h for h in heads if h is not head]
            draft = self._event(context, trigger, category, candidates, others, doc, span)
            if draft is not None:
                drafts.append(draft)
        return drafts

    def _event(
        self, context: _Context, trigger: Any, category: str, candidates: list[Candidate], others: list[Any],
        doc: Any, span: tuple[int, int],
    ) -> _Draft | None:  # fmt: skip
        status = _status(trigger) if category not in ("shelling", "refugees") else "reported"
        if trigger.lower_ == "withdrawal":
            category = "claim" if status in ("demanded", "proposed") else "military"
        draft = _Draft(category, status, span, attribution=_attribution(doc, trigger))
        levels = 3 if category in _CLIMBING else 1
        for level in range(1, levels + 1):
            scope = scope_tokens(trigger, others, level)
            links = [link(trigger, c, doc, candidates) for c in candidates if c.token in scope and c.token != trigger.i]
            if _assign_roles(context, draft, trigger, [x for x in links if x is not None], doc, candidates):
                break
        else:
            return None
        draft.date, draft.strength = _event_date(context, trigger, doc, span, category)
        if draft.strength == 2:
            context.anchor = draft.date.iso
        if draft.location is not None:
            context.last_location = draft.location
        return draft


# -- roles ---------------------------------------------------------------------------------------
def _assign_roles(
    context: _Context, draft: _Draft, trigger: Any, links: list[Link], doc: Any, candidates: list[Candidate]
) -> bool:
    """Fill the draft's places; ``False`` when the event has none it needs."""
    usable = [x for x in links if not (x.blocked or x.speaker or x.container)]
    if draft.category in ("corridor", "refugees"):
        return _flow_roles(context, draft, trigger, usable, links, doc, candidates)
    if draft.category == "claim":
        named = [x for x in usable if not x.is_country] or usable
        indices = sorted({x.candidate.toponym for x in named}, key=lambda i: _start(context, i))
        draft.areas = tuple(indices)
        draft.geo_precision = 3
        return bool(indices)
    excluded = {"by"} | (_from_preps(trigger) if draft.category != "ceasefire" else set())
    allowed = [x for x in usable if not (x.preps & excluded)]
    best = _best(allowed)
    if best is None:
        return False
    draft.location = best.candidate.toponym
    draft.geo_precision = best.precision
    return True


def _from_preps(trigger: Any) -> set[str]:
    return set() if trigger.lower_ in words.WITHDRAW_FORMS else {"from", "out of"}


def _flow_roles(
    context: _Context, draft: _Draft, trigger: Any, usable: list[Link], links: list[Link], doc: Any,
    candidates: list[Candidate],
) -> bool:  # fmt: skip
    origins = [x for x in usable if x.role == "origin"]
    destinations = [x for x in usable if x.role == "destination"]
    origin, destination = _best(origins), _best(destinations)
    if draft.category == "refugees":
        if origin is not None:
            context.refugee_origin = origin.candidate.toponym
        draft.origin = origin.candidate.toponym if origin else context.refugee_origin
        if destination is None or draft.origin is None or not _people_moved(trigger):
            return False
        draft.count = _count(trigger)
    else:
        if origin is None and destination is not None:
            wide = [link(trigger, c, doc, candidates) for c in candidates]
            spare = [
                x for x in wide
                if x is not None and not (x.blocked or x.self_speaker or x.container or x.candidate.anaphor)
                and x.candidate.toponym != destination.candidate.toponym and x.role != "waypoint"
            ]  # fmt: skip
            origin = _best(spare)
        decided = draft.status in ("agreed", "rejected", "failed")
        if origin is None and not (decided and trigger.lower_ in ("corridor", "corridors")):
            return False
        draft.origin = origin.candidate.toponym if origin else None
    draft.destination = destination.candidate.toponym if destination else None
    draft.geo_precision = origin.precision if origin else 1
    return True


def _best(links: Iterable[Link | None]) -> Link | None:
    present = [x for x in links if x is not None]
    return min(present, key=lambda x: (x.cost, x.candidate.token)) if present else None


def _people_moved(trigger: Any) -> bool:
    """Refugee verbs need people, not trains, as the ones moving ("trains from Lviv arrived")."""
    subjects = [c for c in trigger.children if c.dep_ in ("nsubj", "nsubjpass")]
    return not any(s.lower_ in words.VEHICLE_NOUNS | words.MILITARY_NOUNS for s in subjects)


def _count(trigger: Any) -> int | None:
    """The number of people in a refugee flow ("about 450,000 people have crossed")."""
    pool = sorted((c for c in trigger.children if c.dep_ in ("dobj", "nsubj", "nsubjpass")), key=lambda c: c.dep_)
    pool = pool or [trigger]
    for root in pool:
        for token in root.subtree:
            text = token.text.replace(",", "")
            if text.isdigit() and int(text) >= 10:
                value = int(text)
                following = token.nbor(1).lower_ if token.i + 1 < len(token.doc) else ""
                return value * {"million": 1_000_000, "thousand": 1_000}.get(following, 1)
    return None


# -- triggers, status, attribution ---------------------------------------------------------------
def _category(token: Any) -> str | None:
    """The event category a word triggers here, or ``None``."""
    form = token.lower_
    category = words.TRIGGER_FORMS.get(form)
    if category is None or token.dep_ == "compound":
        return None
    children = {c.lower_ for c in token.children}
    sentence = {t.lower_ for t in token.sent}
    checks = {
        "took": "in" in children, "taken": "in" in children,
        "crossed": bool(children & {"into", "over"}), "crossing": bool(children & {"into", "over"}),
        "cross": bool(children & {"into", "over"}), "fired": bool(children & {"on", "at"}),
        "activity": "military" in children, "route": _evacuation(sentence), "routes": _evacuation(sentence),
    }  # fmt: skip
    if form.startswith("recogni"):
        return category if "as" in children or "independence" in sentence else None
    if not checks.get(form, True):
        return None
    if category == "military" and form != "activity" and not sentence & words.MILITARY_NOUNS:
        return None
    return category


def _evacuation(sentence: set[str]) -> bool:
    return bool(sentence & {"civilians", "people", "residents", "evacuation", "evacuate", "corridor", "refugees"})


def _background(trigger: Any) -> bool:
    """Relative clauses, "as ..." clauses and topics of discussion are not events of their own."""
    head = clause_head(trigger)
    if head.dep_ == "relcl" or words.is_background_clause(head) or head.lower_ in words.DISCUSS_FORMS:
        return True
    return any(t.dep_ == "attr" for t in [trigger, *trigger.ancestors])


def _status(trigger: Any) -> str:
    """Status from the wording around the trigger: its relative clause, then the words governing it."""
    path = [c for c in trigger.children if c.dep_ in ("relcl", "acl")] + [trigger]
    for ancestor in trigger.ancestors:
        if path[-1].dep_ == "advcl" and any(c.dep_ == "mark" for c in path[-1].children):
            break  # "failed to agree ... when they met": the main clause's wording is not the meeting's
        path.append(ancestor)
    for token in path:
        status = _status_of(token)
        if status:
            return status
    if any(c.dep_ == "aux" and c.lower_ == "would" for c in clause_head(trigger).children):
        return "proposed"
    for ancestor in [trigger, *trigger.ancestors]:
        for child in ancestor.children:
            if child.dep_ == "advcl" and trigger not in child.subtree and (status := _status_of(child)):
                return status
    return "reported"


def _status_of(token: Any) -> str | None:
    form = token.lower_
    for child in token.children:
        if child.dep_ in ("prt", "prep", "advmod") and (form, child.lower_) in words.PARTICLE_STATUS:
            return words.PARTICLE_STATUS[(form, child.lower_)]
    if form in words.REACH_FORMS and any(c.lower_ in words.AGREEMENT_NOUNS for c in token.children):
        return "agreed"
    status = words.STATUS_FORMS.get(form)
    if status is None:
        return None
    if status in ("proposed", "agreed") and _negated(token):
        return "rejected"
    head_status = words.STATUS_FORMS.get(token.head.lower_)
    if token.dep_ == "xcomp" and head_status in ("failed", "rejected"):
        return head_status
    return status


def _negated(token: Any) -> bool:
    return any(c.dep_ == "neg" or (c.dep_ == "det" and c.lower_ == "no") for c in token.children)


def _attribution(doc: Any, trigger: Any) -> str | None:
    """Who says so: "according to X", else the subject of the nearest verb of saying."""
    for token in doc:
        if token.lower_ == "according":
            objects = [t for c in token.children if c.lower_ == "to" for t in c.children if t.dep_ == "pobj"]
            if objects:
                return _short("according to " + _phrase(objects[0]))
    speakers = [trigger, *trigger.ancestors, *(t for t in doc if t.dep_ == "ROOT")]
    for token in speakers:
        if token.lower_ in words.SPEECH_FORMS:
            subjects = [c for c in token.children if c.dep_ == "nsubj" and trigger not in c.subtree]
            if subjects and subjects[0].lower_ not in ("he", "she", "it", "they", "we", "i"):
                return _short(_phrase(subjects[0]))
    return None


def _phrase(token: Any) -> str:
    tokens = list(token.subtree)
    return token.doc[tokens[0].i : tokens[-1].i + 1].text


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# -- anaphora and dates --------------------------------------------------------------------------
def _antecedent(context: _Context, token: Any, offset: int) -> int | None:
    """The toponym "the city" / "the island" stands for, or ``None`` when the word is no anaphor."""
    codes = words.ANAPHOR_NOUNS.get(token.lower_)
    if codes is None or token.dep_ == "compound":
        return None
    if not any(c.dep_ in ("det", "poss") and c.lower_ in ("the", "its") for c in token.children):
        return None
    if any(c.dep_ == "prep" and c.lower_ == "of" for c in token.children):
        return None
    if codes == ("EVENT",):
        return context.last_location
    position = offset + token.idx
    best = None
    for index, toponym in enumerate(context.document.toponyms):
        place, start = toponym.place, toponym.mention.start
        if place is None or start >= position or (best is not None and start <= _start(context, best)):
            continue
        if any(place.feature_class == code or place.feature_code.startswith(code) for code in codes):
            best = index
    return best


def _start(context: _Context, index: int) -> int:
    return context.document.toponyms[index].mention.start


def _event_date(
    context: _Context, trigger: Any, doc: Any, span: tuple[int, int], category: str
) -> tuple[DateValue | None, int]:
    """The date phrase in the trigger's clause (strength 2), else in its sentence (1), else none (0)."""
    published = context.document.published
    head = clause_head(trigger)
    own = {t.i for t in head.subtree}
    temporal = any(c.dep_ == "mark" and c.lower_ in words.TEMPORAL_MARKS for c in head.children)
    ranked = []
    for phrase in find_date_phrases(doc.text):
        phrase_span = doc.char_span(phrase.start, phrase.end, alignment_mode="expand")
        if phrase_span is None:
            continue
        strength = 2 if phrase_span.root.i in own else 1
        if strength == 1 and temporal:
            continue
        value = resolve_date(phrase.text, published, anchor=context.anchor, future=_future(head))
        if value is not None:
            ranked.append((-strength, abs(phrase_span.root.i - trigger.i), value))
    if ranked:
        strength, _, value = min(ranked, key=lambda r: (r[0], r[1]))
        return value, -strength
    base = to_date(published)
    if base is None or (head.dep_ == "ROOT" and _has_aux(head, {"had"})):
        return None, 0
    perfect = _has_aux(head, {"have", "has", "had"}) or (category == "refugees" and _count(trigger) is not None)
    iso = base.isoformat()
    return DateValue(iso, 2 if perfect else 1, iso, iso), 0


def _has_aux(head: Any, forms: set[str]) -> bool:
    return any(c.dep_ in ("aux", "auxpass") and c.lower_ in forms for c in head.children)


def _future(head: Any) -> bool:
    return _has_aux(head, {"will", "'ll"}) or any(c.lower_ == "due" for c in head.head.children)


# -- merging and output --------------------------------------------------------------------------
def _place_key(document: Document, index: int | None) -> Any:
    if index is None:
        return None
    toponym = document.toponyms[index]
    place = toponym.place
    if place is None:
        return toponym.mention.text.lower()
    return place.geonameid or (place.name, round(place.lat, 2), round(place.lon, 2))


def _key(document: Document, draft: _Draft) -> tuple[Any, ...]:
    destination = document.toponyms[draft.destination].place if draft.destination is not None else None
    return (
        draft.category,
        _place_key(document, draft.location),
        _place_key(document, draft.origin),
        (destination.country_code or destination.name) if destination else None,
        frozenset(_place_key(document, i) for i in draft.areas),
    )


def _overlap(a: _Draft, b: _Draft) -> bool:
    if a.strength == 0 or b.strength == 0 or a.date is None or b.date is None:
        return True
    return a.date.first <= b.date.last and b.date.first <= a.date.last


def _merge(document: Document, drafts: list[_Draft]) -> list[_Draft]:
    """One event per category, places and date: repeated mentions keep the best-dated one."""
    kept: list[_Draft] = []
    for draft in drafts:
        key = _key(document, draft)
        for k, other in enumerate(kept):
            other_key = _key(document, other)
            same_sentence = other.sentence == draft.sentence and other.category == draft.category
            if same_sentence and _roles_within(key, other_key):
                break
            if same_sentence and _roles_within(other_key, key):
                kept[k] = draft
                break
            if key == other_key and any(key[1:4]) | bool(key[4]) and _overlap(draft, other):
                if draft.strength > other.strength:
                    kept[k] = draft
                break
        else:
            kept.append(draft)
    return kept


def _roles_within(small: tuple[Any, ...], large: tuple[Any, ...]) -> bool:
    return all(s is None or s == g for s, g in zip(small[1:4], large[1:4], strict=True)) and small[4] <= large[4]


def _to_events(document: Document, drafts: list[_Draft], gazetteer: Gazetteer) -> list[Event]:
    events, seen = [], set()
    for draft in drafts:
        quote_start, quote_end = draft.sentence
        key = f"{document.id}|{quote_start}|{quote_end}|{draft.category}"
        suffix = 0
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
                count=draft.count,
            )
        )  # fmt: skip
    return events


def _event_id(key: str, suffix: int) -> str:
    text = key if suffix == 0 else f"{key}#{suffix}"
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def _point(document: Document, draft: _Draft, gazetteer: Gazetteer) -> Place | None:
    """The event's point: its location, a flow's origin, or a claim's first area (its admin-1 unit)."""
    if draft.category == "claim":
        places = [document.toponyms[i].place for i in draft.areas]
        place = next((p for p in places if p is not None), None)
        if place is not None and place.feature_class == "P" and place.admin1_code:
            return gazetteer.admin1(place.country_code, place.admin1_code) or place
        return place
    index = draft.origin if draft.category in ("corridor", "refugees") else draft.location
    return document.toponyms[index].place if index is not None else None


def _geo_precision(document: Document, draft: _Draft) -> int:
    index = draft.origin if draft.category in ("corridor", "refugees") else draft.location
    if draft.category == "claim" or index is None:
        return 3 if draft.category == "claim" else draft.geo_precision
    place = document.toponyms[index].place
    if place is not None and place.feature_code.startswith(_AREA_CODES):
        return 3
    return draft.geo_precision

