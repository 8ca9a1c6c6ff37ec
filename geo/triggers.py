"""Word lists for event extraction: triggers, statuses, speakers, and a cheap sentence splitter.

Words are listed as inflected forms (lower case), so the extractor needs neither spaCy's
tagger nor its lemmatizer: only the dependency parser, and only for the sentences that the
trigger regex lets through.
"""

from __future__ import annotations

import re

__all__ = [
    "ACLED_TYPES",
    "ANAPHOR_NOUNS",
    "STATUS_FORMS",
    "TRIGGER_FORMS",
    "acled_types",
    "find_triggers",
    "split_sentences",
]


def _forms(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Trigger word forms per event category.
_CATEGORY_FORMS = {
    "talks": "talks negotiations negotiation meeting meetings met meet meets summit",
    "shelling": (
        "shelling shelled shell shells bombardment bombarded bombarding bombing bombings bombed bomb bombs "
        "missile missiles rocket rockets artillery strike strikes airstrike airstrikes struck hit hits slammed "
        "pounded pounding fired explosion explosions blast blasts drone drones"
    ),
    "ceasefire": "ceasefire ceasefires cease-fire truce truces armistice",
    "corridor": "corridor corridors evacuation evacuations evacuate evacuated evacuating convoy convoys route routes",
    "refugees": "refugee refugees fled flee flees fleeing crossed crossing cross arrived arriving taken took displaced",
    "claim": (
        "annex annexed annexing annexation referendum referendums referenda recognise recognised recognize "
        "recognized recognising recognizing independence withdrawal"
    ),
    "military": (
        "advance advanced advancing advances seize seized seizing capture captured capturing withdrew withdraw "
        "withdrawn withdrawing retreat retreated massed massing amassed deployed deploying column columns tanks "
        "warships activity pullout enter entered entering"
    ),
}
TRIGGER_FORMS: dict[str, str] = {form: cat for cat, forms in _CATEGORY_FORMS.items() for form in forms.split()}

#: Word forms that set an event's status (multi-word ones are checked with their particle).
STATUS_FORMS: dict[str, str] = {
    **dict.fromkeys(
        _forms("offer offered offers offering proposal proposals propose proposed proposes proposing suggest "
               "suggested suggests suggesting promise promised promises promising plan"), "proposed"),
    **dict.fromkeys(
        _forms("agree agreed agrees agreeing agreement sign signed signing accept accepted accepts deal"), "agreed"),
    **dict.fromkeys(
        _forms("reject rejected rejects rejecting refuse refused refuses refusing dismiss dismissed dismisses "
               "dismissing veto vetoed"), "rejected"),
    **dict.fromkeys(
        _forms("fail failed fails failing collapse collapsed collapses violate violated violates violation "
               "violations postpone postponed postpones suspend suspended halted stalled abandoned"), "failed"),
    **dict.fromkeys(_forms("demand demanded demands demanding insist insisted insists insisting"), "demanded"),
}  # fmt: skip
#: (verb forms, particle) pairs: "broke down", "fell apart", "called for", "turned back", "reached (a deal)".
PARTICLE_STATUS = {
    ("broke", "down"): "failed", ("break", "down"): "failed", ("broken", "down"): "failed",
    ("fell", "apart"): "failed", ("fall", "apart"): "failed", ("falls", "apart"): "failed",
    ("called", "off"): "failed", ("turned", "back"): "failed", ("turn", "back"): "failed",
    ("called", "for"): "demanded", ("call", "for"): "demanded", ("calls", "for"): "demanded",
}  # fmt: skip
AGREEMENT_NOUNS = _forms("agreement deal accord understanding compromise")
REACH_FORMS = _forms("reach reached reaches reaching")

#: Verbs whose subject is a speaker or an actor, never an event's place ("Moscow said", "Kyiv rejected").
SPEAKER_FORMS = _forms(
    "say said says saying tell told tells report reported reports announce announced announces add added adding "
    "claim claimed claims deny denied denies accuse accused blame blamed warn warned warns insist insisted insists "
    "demand demanded demands reject rejected rejects dismiss dismissed refuse refused propose proposed proposes "
    "offer offered offers agree agreed agrees promise promised promising recognise recognised recognize recognized "
    "condemn condemned urge urged call called calls want wanted wants threaten threatened launch launched order "
    "ordered confirm confirmed respond responded react reacted sign signed describe described accept accepted "
    "state stated believe believes write wrote publish published show showed spelled spelt annex annexed insisting "
    "welcome welcomed host hosted organise organize send sent"
)
SPEECH_FORMS = _forms(
    "say said says saying tell told tells report reported reports announce announced announces add added adding "
    "state stated confirm confirmed warn warned claim claimed write wrote"
)
#: Verbs after which a subject is a place the event reaches ("Hungary has taken in 116,000 people").
HOST_FORMS = _forms("taken took take takes host hosted hosts receive received welcomed sheltered")
LEAVE_FORMS = _forms("leave left leaving leaves flee fled fleeing flees evacuate evacuated evacuating escape escaped")
WITHDRAW_FORMS = _forms("withdrew withdraw withdrawn withdrawing withdrawal retreat retreated pullout")
DISCUSS_FORMS = _forms("discuss discussed discussing discusses debate debated consider considered")
MILITARY_NOUNS = _forms(
    "troops forces column columns tanks units soldiers army vehicles warships ships fleet brigade brigades "
    "battalion battalions paratroopers marines group"
)
VEHICLE_NOUNS = _forms("train trains bus buses car cars convoy convoys vehicles truck trucks ship ships")

#: Nouns in "the city of X" / "the outskirts of X": the place is X; the second set makes it approximate.
PLACE_NOUNS = _forms(
    "city town village port capital region regions province oblast area areas district outskirts edge centre "
    "center suburbs suburb resort island peninsula territory parts part coast banks vicinity approaches "
    "settlement settlements heart south north east west environs"
)
VAGUE_NOUNS = _forms("outskirts edge area areas suburbs suburb vicinity approaches coast environs parts part")
VAGUE_PREPS = _forms("near around outside off close")
DISTANCE_WORDS = _forms(
    "km kilometres kilometers miles metres meters north south east west north-east north-west south-east "
    "south-west northeast northwest southeast southwest northern southern eastern western"
)
#: A definite noun that stands for a place named earlier: the feature codes it may refer to.
ANAPHOR_NOUNS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("city", "town", "village", "port", "capital"), ("P",)),
    "island": ("ISL",),
    **dict.fromkeys(("peninsula", "region", "oblast", "province"), ("ADM1", "ADM2", "PEN", "RGN")),
    "coast": ("P", "ADM1"),
    "country": ("PCL",),
    **dict.fromkeys(("theatre", "theater", "plant", "station", "building", "site", "depot", "hospital"), ("EVENT",)),
}
ANAPHOR_RE = re.compile(r"\b(?:the|its)\s+(?:\w+\s+)?(?:%s)(?:'s)?\b" % "|".join(ANAPHOR_NOUNS), re.IGNORECASE)

#: Subordinators whose clause is background ("... as shelling continued in Kharkiv").
BACKGROUND_MARKS = _forms("as")
#: Subordinators whose clause happened at another time than the main clause's date.
TEMPORAL_MARKS = _forms("after before since until")

_TRIGGER_RE = re.compile(r"\b(?:%s)\b" % "|".join(sorted(map(re.escape, TRIGGER_FORMS), key=len, reverse=True)),
                         re.IGNORECASE)  # fmt: skip

#: ACLED event_type / sub_event_type per category (see ACLED's codebook).
ACLED_TYPES: dict[str, tuple[str, str]] = {
    "talks": ("Strategic developments", "Agreement"),
    "ceasefire": ("Strategic developments", "Agreement"),
    "corridor": ("Strategic developments", "Agreement"),
    "shelling": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "refugees": ("Strategic developments", "Other"),
    "claim": ("Strategic developments", "Other"),
    "military": ("Strategic developments", "Headquarters or base established"),
}


def acled_types(category: str) -> tuple[str, str]:
    """ACLED ``(event_type, sub_event_type)`` for a placemap category.

    >>> acled_types("shelling")
    ('Explosions/Remote violence', 'Shelling/artillery/missile attack')
    """
    try:
        return ACLED_TYPES[category]
    except KeyError:
        raise ValueError(f"unknown event category {category!r}") from None


def find_triggers(text: str) -> bool:
    """Whether ``text`` holds any trigger word (the cheap test run before parsing)."""
    return _TRIGGER_RE.search(text) is not None


_DATELINE_RE = re.compile(
    r"^\s*[A-Z][A-Z .'’-]+(?:,\s*[^,()\n]{2,40}){0,2}\s*\([^)\n]{1,40}\)\s*[–—-]{1,2}\s*"
    r"|^\s*[A-Z][A-Z .'’-]+,(?:\s*[^,()\n]{2,40},)?\s*\w+\.? \d{1,2}\s*[–—-]{1,2}\s*"
)
_BOUNDARY_RE = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9])|\n\s*")
_ABBREVIATIONS = _forms(
    "mr mrs ms dr gen lt col maj sgt capt st mt no jan feb mar apr jun jul aug sep sept oct nov dec pres gov sen "
    "rep prof jr sr vs etc"
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
        before = text[start : match.start()].rstrip("\"”’)")
        word = re.search(r"([A-Za-z]+)\.$", before)
        if word and "\n" not in match.group(0) and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1):
            continue
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, _rstrip(text, s, e)) for s, e in spans if text[s:e].strip()]


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end
