"""The wording of events: trigger words, statuses, speakers, and how a trigger reaches its places.

Words are listed as inflected forms (lower case), so the extractor needs neither spaCy's tagger
nor its lemmatizer: only the dependency parser, and only for the sentences :func:`find_triggers`
lets through. :func:`link` reads the parse path from a trigger to a place as a relation ("in",
"from", "dobj" of "left") with a cost (edges plus penalties for countries, possessives, ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from placemap.types import ACLED_TYPES, Place

__all__ = [
    "ACLED_TYPES", "Candidate", "Link", "acled_types", "background_tokens", "clause_head", "dominates",
    "event_status", "find_decision", "find_triggers", "link", "scope_tokens", "status", "trigger_category",
]  # fmt: skip


def _forms(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _verbs(text: str) -> frozenset[str]:
    """Regular inflections of verb stems: "accuse" -> accuse, accuses, accused, accusing (irregulars listed as such)."""
    forms = set()
    for stem in text.split():
        ending = "es" if stem.endswith(("s", "sh", "ch", "x")) else "s"
        past = stem + "d" if stem.endswith("e") else stem + "ed"
        present = stem[:-1] if stem.endswith("e") and not stem.endswith("ee") else stem
        forms.update({stem, stem + ending, past, present + "ing"})
        if stem.endswith("y") and stem[-2:-1] not in "aeiou":
            forms.update({stem[:-1] + "ies", stem[:-1] + "ied"})
    return frozenset(forms)


_CATEGORY_FORMS = {
    "talks": "talks negotiations negotiation meeting meetings met meet meets summit summits negotiate negotiated "
    "negotiating mediation mediated deal agreement agreements accord accords memorandum",
    "shelling": "fire shelling shelled shell shells bombardment bombarded bombarding bombing bombings bombed bomb "
    "bombs missile missiles rocket rockets artillery strike strikes airstrike airstrikes struck hit hits slammed "
    "pounded pounding fired explosion explosions blast blasts drone drones",
    "ceasefire": "ceasefire ceasefires cease-fire truce truces armistice pause pauses paused cessation",
    "corridor": "corridor corridors evacuation evacuations evacuate evacuated evacuating convoy convoys route routes "
    "trucks lorries aid relocate relocated relocating relocation passage",
    "refugees": "refugee refugees fled flee flees fleeing crossed crossing cross arrived arriving taken took displaced "
    "displacement arrivals returnees left leaving received hosts",
    "claim": "claim claims claimed claiming annex annexed annexing annexation referendum referendums referenda "
    "recognise recognised recognize recognized recognising recognizing independence withdrawal self-rule sovereignty "
    "autonomy secession secede seceded cede ceded ceding",
    "military": (
        "naval advance advanced advancing advances seize seized seizing capture captured capturing withdrew "
        "leave withdraw withdrawn withdrawing retreat retreated massed massing amassed deployed deploying "
        "column columns tanks warships activity pullout enter entered entering occupy occupied occupying "
        "control controls controlled retake retook retaken retaking recapture recaptured recapturing liberate "
        "liberated liberating encircle encircled encircling surround surrounded surrounding storm stormed "
        "storming overran overrun pushed pushing offensive incursion siege besieged assault assaulted "
        "attacked seizure fell fallen troops forces vehicles soldiers units equipment buildup build-up"
    ),
}
#: Trigger word form -> event category.
TRIGGER_FORMS: dict[str, str] = {form: cat for cat, forms in _CATEGORY_FORMS.items() for form in forms.split()}
TRIGGER_WORDS = frozenset(TRIGGER_FORMS) | _forms("leave head flee move")  # all words trigger_category may accept
_MILITARY_VERBS = _forms(_CATEGORY_FORMS["military"]) - _forms(
    "naval column columns tanks warships activity control offensive incursion siege seizure fell fallen troops forces "
    "vehicles soldiers units equipment"
)
#: Troops or vehicles seen at a place (events guide): "Russian troops in Bucha", not "forces shelled Kharkiv".
PRESENCE_NOUNS = _forms("troops forces vehicles soldiers units equipment")
#: In a caption, a convoy with no word of aid or evacuation is a military one ("Russian convoy in Stakhanov").
_CIVILIAN_RE = re.compile(r"\b(?:aid|humanitarian|evacuat\w*|civilians?|refugees?|food|medical|medicine)\b", re.I)


def caption_category(token: Any, category: str | None, text: str) -> str | None:
    """The category of ``token`` in a caption, where vehicles and troops seen somewhere are news."""
    if token.lower_ in _CONVOY_FORMS and category == "corridor" and not _CIVILIAN_RE.search(text):
        return "military"
    if token.lower_ in _CAPTION_SIGHTINGS and token.dep_ != "compound":
        return "military"
    if token.lower_ == "fire" and any(c.dep_ in ("compound", "amod") and c.lower_ in _GUNS for c in token.children):
        return "shelling"  # "artillery fire on positions in Marinka"
    if category is None and token.lower_ in _CAPTION_DAMAGE:
        return "shelling"  # "Aftermath of ... in Kharkiv", "ruins of a college in Rubizhne": what a strike left
    return category


def find_caption_sighting(text: str) -> bool:
    """Whether a caption names a vehicle or a troop movement ("Russian tank driving through Mariupol")."""
    return _CAPTION_RE.search(text) is not None


_CONVOY_FORMS = _forms("convoy convoys")
#: Sightings that are no trigger in a story ("a tank of water", "the protest movement").
_CAPTION_SIGHTINGS = _forms("tank tanks movement movements launcher launchers system systems landing")
_GUNS = _forms("artillery mortar mortars rocket rockets tank gun guns machine-gun sniper")
_CAPTION_DAMAGE = _forms("damage damaged destroyed destruction ruins aftermath craters crater")
_CAPTION_RE = re.compile(rf"\b(?:{'|'.join(_CAPTION_SIGHTINGS | _CONVOY_FORMS | _CAPTION_DAMAGE)})\b", re.I)
#: Words of a sighting whose place is where they were seen (a military convoy only in a caption).
SIGHTING_NOUNS = PRESENCE_NOUNS | _CONVOY_FORMS
FALL_FORMS = _forms("fell fallen")  # a fall needs the place as its subject ("Kupiansk had fallen")

#: Status word forms (see :func:`status`).
STATUS_FORMS: dict[str, str] = {
    **dict.fromkeys(
        _verbs("offer propose suggest promise hope intend aim plan prepare") | _forms("proposal proposals planned"),
        "proposed",
    ),
    **dict.fromkeys(_verbs("agree sign accept") | _forms("agreement deal"), "agreed"),
    **dict.fromkeys(_verbs("reject refuse dismiss veto vetoed"), "rejected"),
    **dict.fromkeys(_verbs("fail collapse violate postpone suspend halt stall abandon") | {"violation"}, "failed"),
    **dict.fromkeys(_verbs("demand insist urge want"), "demanded"),
}  # fmt: skip

PARTICLE_STATUS = {
    ("broke", "down"): "failed", ("break", "down"): "failed", ("broken", "down"): "failed",
    ("fell", "apart"): "failed", ("fall", "apart"): "failed", ("falls", "apart"): "failed",
    ("called", "off"): "failed", ("turned", "back"): "failed", ("turn", "back"): "failed",
    ("called", "for"): "proposed", ("call", "for"): "proposed", ("calls", "for"): "proposed",
}  # fmt: skip
AGREEMENT_NOUNS = _forms("agreement agreements deal accord accords memorandum understanding compromise")
REACH_FORMS = _forms("reach reached reaches reaching")
ENTER_FORMS = _verbs("enter")
_REACHED = REACH_FORMS | ENTER_FORMS  # "reached Zaporizhzhia", "entered the Gaza Strip": a destination
#: Verbs whose subject is a speaker or actor, never an event's place ("Moscow said", "Kyiv rejected").
SPEAKER_FORMS = _verbs(
    "say said tell told report announce add claim deny denied accuse blame warn insist demand reject dismiss refuse "
    "propose offer agree promise recognise recognize condemn urge call want threaten launch order confirm respond "
    "react sign describe accept state believe write wrote publish show spell spelt annex welcome host organise "
    "organize send sent try tried expect plan hope fear vow pledge seek sought"
)
SPEECH_FORMS = _verbs("say said tell told report announce add state confirm warn claim write wrote")
#: Verbs whose subject may be the place of the event ("Kharkiv has faced bombardment", "Hungary has taken in").
SUBJECT_SITE_FORMS = _verbs(
    "face come came see saw seen remain lie lay sit sat suffer endure experience become became be is was are were "
    "been stand stood hold held withstand shelter take took taken host receive welcome"
)
ACTOR_OBJECT_FORMS = _verbs("accuse blame urge ask thank warn")
HOST_FORMS = _verbs("take took taken host receive welcome shelter")
LEAVE_FORMS = _verbs("leave left flee fled evacuate escape")
EVACUATION_NOUNS = _forms("evacuation evacuations")
ARRIVE_FORMS = _verbs("arrive")
WITHDRAW_FORMS = _verbs("withdraw withdrew withdrawn withdrawal retreat pullout")
DISCUSS_FORMS = _verbs("discuss debate consider")
#: Nouns a refugee flow leaves: "fleeing the war in Ukraine" starts in Ukraine.
WAR_NOUNS = _forms("war fighting conflict violence bombardment shelling hostilities clashes")
MILITARY_NOUNS = _forms(
    "troops forces column columns tanks units soldiers army vehicles warships ships fleet brigade brigades "
    "battalion battalions paratroopers marines group rebels fighters militia militias militants insurgents police "
    "guards gunmen paramilitaries paramilitary separatists"
)
VEHICLE_NOUNS = _forms("train trains bus buses car cars convoy convoys vehicles truck trucks ship ships")
TAKE_FORMS = _forms("took taken")
HOME_NOUNS = _forms("home homes house houses village villages")
PEOPLE_NOUNS = _forms("residents people civilians inhabitants population families citizens refugees")
#: Nouns in "the city of X" / "the outskirts of X": the place is X; VAGUE_* make it approximate.
PLACE_NOUNS = _forms(
    "city town village port capital region regions province oblast area areas district outskirts edge centre center "
    "suburbs suburb resort island peninsula territory parts part coast banks vicinity approaches settlement "
    "settlements heart environs towns villages cities localities locality districts"
)
VAGUE_NOUNS = _forms("outskirts edge area areas suburbs suburb vicinity approaches coast environs parts part")
VAGUE_PREPS = _forms("near around outside off close")
DISTANCE_WORDS = _forms(
    "km kilometres kilometers miles metres meters north south east west north-east north-west south-east south-west "
    "northeast northwest southeast southwest northern southern eastern western"
)
#: A definite noun that stands for a place named earlier -> the feature codes it may refer to.
ANAPHOR_NOUNS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("city", "town", "village", "port", "capital"), ("P",)),
    "island": ("ISL",),
    **dict.fromkeys(("peninsula", "region", "oblast", "province"), ("ADM1", "ADM2", "PEN", "RGN")),
    "coast": ("P", "ADM1"),
    "country": ("PCL",),
    **dict.fromkeys(("theatre", "theater", "plant", "station", "building", "site", "depot", "hospital"), ("EVENT",)),
}
#: "fled there": the latest place named before, a country only when nothing smaller was named.
ANAPHOR_ADVERBS = _forms("there")
ANAPHOR_RE = re.compile(rf"\b(?:the|its)\s+(?:\w+\s+)?(?:{'|'.join(ANAPHOR_NOUNS)})(?:'s)?\b|\bthere\b", re.IGNORECASE)
SUBORDINATORS = _forms("when while after before because as since until if whereas although though")
TEMPORAL_MARKS = _forms("after before since until")
_TRADE_WORDS = _forms("shipping trade supply grain smuggling sea air")
_ATTACK_HEADS = _forms("attack attacks duel duels barrage barrages salvo salvos raid raids")
_AS_FIXED = _forms("such well far soon long much many part result")
_INCLUSIVE = _forms("including such like except excluding as")


def acled_types(category: str) -> tuple[str, str]:
    """ACLED ``(event_type, sub_event_type)`` of a placemap category, so exports line up with ACLED's.

    >>> acled_types("shelling")
    ('Explosions/Remote violence', 'Shelling/artillery/missile attack')
    """
    try:
        return ACLED_TYPES[category]
    except KeyError:
        raise ValueError(f"unknown event category {category!r}") from None


# -- the prefilter, on raw text ------------------------------------------------------------------------
_TRIGGER_RE = re.compile(rf"\b(?:{'|'.join(sorted(TRIGGER_FORMS, key=len, reverse=True))})\b", re.IGNORECASE)
_MILITARY_RE = re.compile(rf"\b(?:{'|'.join(MILITARY_NOUNS)})\b", re.IGNORECASE)
_EVACUATION_RE = re.compile(r"\b(?i:civilians|people|residents|evacu\w+|corridors?|out of)\b|\bfrom\s+\W?[A-Z]")
#: "urged residents of X to head west": a call to evacuate, triggered by the verb of leaving.
_CALL_RE = re.compile(r"\b(?:urg|order|told|tell|ask|advis)\w*\b[^.;]{0,140}?\bto\s+(?:leave|head|flee|move)\b", re.I)
CALL_FORMS = _verbs("urge order tell told ask advise")
_CALL_VERBS = _forms("leave head flee move")
_CROSSING_RE = re.compile(r"\bcross\w*\s+(?:into|over|from\b[^.;]{1,60}?\binto)\b", re.IGNORECASE)
_REQUIRES = {
    **dict.fromkeys(_MILITARY_VERBS, _MILITARY_RE),
    # "took in 5,000 refugees", or a capture when troops are named ("the rebels took Sake")
    **dict.fromkeys(("took", "taken"), re.compile(rf"\b(?:took|taken)\s+in\b|{_MILITARY_RE.pattern}", re.I)),
    **dict.fromkeys(("crossed", "crossing", "cross"), _CROSSING_RE),
    "fired": re.compile(r"\bfired\s+(?:on|at)\b", re.IGNORECASE),
    "fire": re.compile(r"\bunder\s+(?:heavy\s+|artillery\s+)?fire\b", re.IGNORECASE),
    "activity": re.compile(r"\bmilitary\s+activity\b", re.IGNORECASE),
    **dict.fromkeys(("route", "routes"), _EVACUATION_RE),
    "control": re.compile(r"\b(?:took|taken|take|takes|taking|seized?)\s+(?:full\s+)?control\b", re.IGNORECASE),
    **dict.fromkeys((f for f in TRIGGER_FORMS if f.startswith("recogni")), re.compile(r"\bas\b|\bindependen", re.I)),
    **dict.fromkeys(("claim", "claims", "claimed", "claiming"), re.compile(r"\bclaim\w*\b[^.;]*\bas\b", re.I)),
}


#: Before a trigger: it sits in a relative clause ("where a depot was hit") or is a topic ("to discuss a truce").
_ASIDE_BEFORE = re.compile(r"\b(?:who|which|where|whose)\b[^,;]*$|\bdiscuss\w*\s+(?:an?\s+|the\s+)?(?:\w+\s+)?$", re.I)


def find_triggers(text: str, *, asides: bool = False) -> bool:
    """Whether ``text`` holds a trigger word in a usable setting (the cheap test before parsing);
    one in a relative clause or a topic of discussion counts only with ``asides`` (a caption).

    >>> find_triggers("Officials of the Red Cross spoke."), find_triggers("Shelling hit Kharkiv.")
    (False, True)
    >>> find_triggers("Fighting was reported around Okhtyrka, where a depot was hit.")
    False
    """
    if _CALL_RE.search(text):
        return True
    for match in _TRIGGER_RE.finditer(text):
        needed = _REQUIRES.get(match.group(0).lower())
        aside = not asides and _ASIDE_BEFORE.search(text, max(0, match.start() - 80), match.start())
        if (needed is None or needed.search(text)) and not aside:
            return True
    return False


_STATUS_RE = re.compile(
    rf"\b(?:{'|'.join(sorted(STATUS_FORMS, key=len, reverse=True))}|called\s+for|calls?\s+for"
    r"|will|would|shall|not|wants?|wanted)\b",
    re.I,
)


def find_decision(text: str, categories: Iterable[str]) -> bool:
    """Whether ``text`` holds a trigger of ``categories`` and a status word ("demanded a ceasefire"):
    a sentence worth parsing even when it names no place."""
    wanted = set(categories)
    return bool(_STATUS_RE.search(text)) and any(
        TRIGGER_FORMS.get(m.group(0).lower()) in wanted for m in _TRIGGER_RE.finditer(text)
    )


# -- triggers and statuses in a parsed sentence ----------------------------------------------------
def trigger_category(token: Any, text: str) -> str | None:
    """The event category ``token`` triggers in its sentence ``text``, or ``None``."""
    form = token.lower_
    if form in _CALL_VERBS and token.dep_ == "xcomp" and token.head.lower_ in CALL_FORMS:
        return "corridor"  # "urged residents of Kramatorsk to head west"
    category = TRIGGER_FORMS.get(form)
    if category is None or (token.dep_ == "compound" and token.head.lower_ not in _ATTACK_HEADS):
        return None  # "drone footage", "bomb shelter" -- but "artillery duels", "drone attack"
    if form in _CONTROL_FORMS and _troops_as_subject(token):
        return "military"  # "Ukrainian forces now control 28 settlements in the region"
    needed = _REQUIRES.get(form)
    if needed is not None and not needed.search(text):
        return None
    children = {c.lower_ for c in token.children}
    if form in ("took", "taken") and "in" not in children:
        # "the rebels took Sake": a capture, when troops take a named place (checked when linking)
        taken = any(c.dep_ in ("dobj", "nsubjpass") for c in token.children)
        return "military" if taken and _MILITARY_RE.search(text) else None
    if form.startswith("cross") and not children & {"into", "over"}:
        return None
    if form.startswith("cross") and _troops_as_subject(token):
        return "military"  # "Turkish troops crossed into Idlib province"
    if form in _TROOP_LEAVE_FORMS:
        if _troops_as_subject(token):
            return "military"  # "Eritrean troops to leave Tigray": a withdrawal
        if form == "leave":
            return None  # "let residents leave": a corridor's words, not an event of its own
    if form in _PEOPLE_VERBS and not _people_involved(token):
        return None  # "the delegation left for Minsk", "received a letter": only people leaving or taken in
    if token.dep_ == "amod" and (form in _MILITARY_VERBS or category in ("talks", "ceasefire")):
        return None  # "occupied parts of ...", "the besieged city", "a negotiating track"
    if form == "fire" and token.head.lower_ != "under":
        return None  # "fire broke out"
    if form in ("route", "routes") and children & _TRADE_WORDS:
        return None  # "shipping routes"
    return category


_CONTROL_FORMS = _forms("control controls controlled")
_PEOPLE_VERBS = _forms("left leaving received hosts")
_TROOP_LEAVE_FORMS = _verbs("leave left")


def _troops_as_subject(token: Any) -> bool:
    """Troops or forces as the subject of ``token`` ("troops crossed", "forces control", "troops to leave")."""
    return any(c.dep_ == "nsubj" and c.lower_ in MILITARY_NOUNS for c in token.children)


def is_withdrawal(token: Any) -> bool:
    """A withdrawal: a claim on the areas left when demanded, else a troop move."""
    return token.lower_ in WITHDRAW_FORMS or (token.lower_ in _TROOP_LEAVE_FORMS and _troops_as_subject(token))


def _people_involved(token: Any) -> bool:
    """People (a noun of people, or a number of them) as the subject or object of ``token``."""
    for child in token.children:
        if child.dep_ in ("nsubj", "nsubjpass", "dobj"):
            words = {t.lower_ for t in child.subtree}
            if child.lower_ in PEOPLE_NOUNS or (words & PEOPLE_NOUNS and any(t.like_num for t in child.subtree)):
                return True
    return False


def is_background(trigger: Any, dated: Iterable[int] = ()) -> bool:
    """Relative clauses, predicates ("the bridge was the main route") and topics of discussion
    ("came to discuss a truce") are not events of their own; a relative clause with a date of
    its own is ("M23, which entered Bukavu on 16 February, ..."; ``dated``: the token indices of
    the sentence's date phrases)."""
    head = clause_head(trigger)
    dates = set(dated)
    # "in February 2012, when the army bombarded the city": a clause on a date is dated by it
    on_date = any(head.head in head.doc[d].subtree for d in dates)
    if head.dep_ == "relcl" and not any(t.i in dates for t in head.subtree) and not on_date:
        return True
    if head.lower_ in DISCUSS_FORMS:
        return True
    return any(t.dep_ == "attr" for t in [trigger, *trigger.ancestors])


def status(trigger: Any) -> str:
    """Status from the wording: the trigger's relative clause, the words governing it (not past a
    "when ..." boundary), a "would", then a subordinate clause of those words; else ``reported``."""
    if _condition(trigger):
        return "demanded"  # "the fighting would stop only if Ukraine recognised Crimea": a condition set
    path = [c for c in trigger.children if c.dep_ in ("relcl", "acl")] + [trigger]
    for ancestor in trigger.ancestors:
        if path[-1].dep_ == "advcl" and subordinate(path[-1]):
            break  # "failed to agree ... when they met": the main clause's wording is not the meeting's
        path.append(ancestor)
    for token in path:
        if found := _status_of(token):
            return found
    head_children = list(clause_head(trigger).children)
    if any(c.dep_ == "aux" and c.lower_ == "must" for c in head_children):
        return "demanded"  # "the RSF must first withdraw from Wad Madani"
    if any(c.dep_ in ("aux", "auxpass") and c.lower_ in _FUTURE for c in head_children):
        # "talks will open on Monday": planned; "he would not negotiate": refused
        return "rejected" if any(c.dep_ == "neg" for c in head_children) else "proposed"
    for ancestor in [trigger, *trigger.ancestors]:
        for child in ancestor.children:
            if child.dep_ == "advcl" and trigger not in child.subtree and (found := _status_of(child)):
                return found
    return "reported"


_FUTURE = _forms("would will shall 'll")


def _condition(trigger: Any) -> bool:
    """Whether ``trigger`` is in an "only if ..." or "unless ..." clause."""
    for token in [trigger, *trigger.ancestors]:
        if token.dep_ == "advcl":
            marks = {c.lower_ for c in token.children if c.dep_ == "mark"}
            # "only when Ukrainian troops left": the parse hangs "only" on "when"
            leads = [c for c in token.children if c.dep_ in ("mark", "advmod")]
            only = any(t.lower_ == "only" for c in [token, *leads] for t in c.children if t.dep_ == "advmod")
            marks = marks | {c.lower_ for c in leads}
            return "unless" in marks or (bool(marks & {"if", "when"}) and only)
    return False


#: The status of an event whose wording has none, where the annotation convention is not
#: "reported": the development sets mark a corridor in use as agreed (19 of 36, none reported).
_DEFAULT_STATUS = {"corridor": "agreed"}


def event_status(trigger: Any, category: str) -> str:
    """:func:`status` read for an event of ``category``: talks that reached a deal were held
    ("signed a deal at talks in Jeddah"), unless agreed on for later ("agreed to meet")."""
    found = status(trigger)
    if category == "talks" and found == "agreed":
        return "proposed" if trigger.dep_ == "xcomp" else "reported"
    if found == "reported":
        return _DEFAULT_STATUS.get(category, found)
    return found


def _status_of(token: Any) -> str | None:
    form = token.lower_
    for child in token.children:
        if child.dep_ in ("prt", "prep", "advmod") and (form, child.lower_) in PARTICLE_STATUS:
            return PARTICLE_STATUS[(form, child.lower_)]
    if form in REACH_FORMS and any(c.lower_ in AGREEMENT_NOUNS for c in token.children):
        return "agreed"
    if any(c.dep_ == "prep" and c.lower_ == "without" and _agreement_after(c) for c in token.children):
        return "failed"  # "the round ended without an agreement", "left talks without signing"
    found = STATUS_FORMS.get(form)
    negated = any(c.dep_ == "neg" or (c.dep_, c.lower_) == ("det", "no") for c in token.children)
    if negated and form in _HAPPEN_FORMS and (form != "take" or any(c.lower_ == "place" for c in token.children)):
        return "failed"  # "the talks did not take place"
    if found in ("proposed", "agreed") and negated:
        return "rejected"  # "gave no promise", "did not agree"
    governing = STATUS_FORMS.get(token.head.lower_)
    if found and token.dep_ == "xcomp" and governing in ("failed", "rejected", "demanded", "proposed"):
        return governing  # "failed to agree", "refused to sign", "urged them to agree"
    return found


_HAPPEN_FORMS = _forms("take happen happened occur occurred go")
_AGREEMENT_VERBS = _verbs("sign agree reach")


def _agreement_after(without: Any) -> bool:
    return any(c.lower_ in AGREEMENT_NOUNS or c.lower_ in _AGREEMENT_VERBS for c in without.children)


# -- clauses and scopes ----------------------------------------------------------------------------
_CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "pcomp", "csubj", "parataxis"})
_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "aux", "auxpass", "csubjpass"})


def is_clause_head(token: Any) -> bool:
    """A verb heading a clause, told from the parse alone (no tagger needed)."""
    if token.dep_ in _CLAUSE_DEPS or any(c.dep_ in _SUBJECT_DEPS for c in token.children):
        return True
    return token.dep_ == "conj" and token.head.i != token.i and is_clause_head(token.head)


def clause_head(token: Any) -> Any:
    """The head of the clause ``token`` belongs to."""
    while not is_clause_head(token) and token.head.i != token.i:
        token = token.head
    return token


def subordinate(token: Any, words: frozenset[str] = SUBORDINATORS) -> bool:
    """Whether clause head ``token`` is introduced by one of ``words`` ("when they met")."""
    return any(c.dep_ in ("mark", "advmod") and c.lower_ in words for c in token.children)


def background_tokens(doc: Any, text: str, dated: Iterable[int] = ()) -> set[int]:
    """Tokens of "as ..." clauses ("... as shelling continued in Kharkiv"): circumstances, not events.
    A clause with a date of its own (``dated``: token indices of date phrases) is an event of its
    own ("as the ministers prepared to meet in Antalya on Thursday"; events guide).

    Found on the words, as the parser often misattaches such clauses: an "as" (not "such as",
    "as well as", "as far as") followed, before the next comma, by a verb.
    """
    background: set[int] = set()
    if not re.search(r"\bas\b", text, re.IGNORECASE):
        return background
    dates = set(dated)
    for token in doc:
        if token.lower_ != "as" or token.i + 1 >= len(doc) or doc[token.i + 1].lower_ in _AS_FIXED:
            continue
        if token.i > 0 and doc[token.i - 1].lower_ in _AS_FIXED:
            continue
        window = []
        for follower in doc[token.i + 1 :]:
            if follower.text in (",", ";", ":") or follower.lower_ == "as":
                break
            if follower.dep_ == "cc" and follower.head.i < token.i:
                break  # "... as an occupying power and renews its call": "and" joins the main clause again
            window.append(follower)
        if any(w.i in dates for w in window):
            continue
        if any(w.dep_ in _CLAUSE_DEPS - {"ROOT"} or (w.dep_ == "conj" and is_clause_head(w)) for w in window):
            background.update(range(token.i, token.i + 1 + len(window)))
    return background


def scope_tokens(
    trigger: Any, others: Iterable[Any], level: int, background: set[int], asides: Iterable[Any] = ()
) -> set[int]:
    """Token indices a trigger may take places from: its clause (``level`` 1) or the ones above it.

    Clauses of the other triggers (clause heads ``others``), of background triggers (``asides``,
    "the delegations, which first met in Gomel, ...") unless they hang on this trigger ("a column
    that tried to enter Mykolaiv"), "as ..." clauses and "according to ..." are left out. The
    climb stops below a verb of saying, whose subject is a speaker.
    """
    head = clause_head(trigger)
    for _ in range(level - 1):
        if head.head.i == head.i or (parent := clause_head(head.head)).lower_ in SPEECH_FORMS - CALL_FORMS:
            break
        head = parent
    facts = _facts(trigger.doc)
    whole = facts.subtree(head)
    inside = set(whole)
    lineage = {trigger.i, *(a.i for a in trigger.ancestors)}  # what dominates the trigger
    for other in others:
        if other.i in inside and other.i != head.i and other.i not in lineage:
            inside -= facts.subtree(other)
    below = facts.subtree(trigger)
    for aside in asides:
        if aside.i in inside and aside.i not in lineage and aside.i not in below:
            inside -= facts.subtree(aside)
    for index in facts.according:
        if index in whole and index not in lineage:
            inside -= facts.subtree(trigger.doc[index])
    return inside if trigger.i in background else inside - background


class _Facts:
    """What the rules ask of one parse again and again, each found once: the words under a word
    (its subtree) and where "according" stands. Computed afresh for every trigger, they made the
    rules quadratic in a sentence's length (a 2,000-character piece of a line without full stops
    holds dozens of triggers and names)."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.according = [token.i for token in doc if token.lower_ == "according"]
        self._subtrees: dict[int, frozenset[int]] = {}
        self.candidates: tuple[Any, int, frozenset[int], dict[int, tuple[int, ...]]] | None = None
        self._chain: tuple[int, dict[int, int]] | None = None

    def subtree(self, token: Any) -> frozenset[int]:
        found = self._subtrees.get(token.i)
        if found is None:
            found = self._subtrees[token.i] = frozenset(t.i for t in token.subtree)
        return found

    def chain(self, trigger: Any) -> dict[int, int]:
        """The trigger and its ancestors, each with its distance from the trigger."""
        if self._chain is None or self._chain[0] != trigger.i:
            self._chain = (trigger.i, {t.i: k for k, t in enumerate([trigger, *trigger.ancestors])})
        return self._chain[1]

    def candidate_index(self, candidates: Any) -> tuple[frozenset[int], dict[int, tuple[int, ...]]]:
        """The candidates' words, and the toponyms of those joined ("conj") to each word, in order."""
        known = self.candidates
        if known is not None and known[0] is candidates and known[1] == len(candidates):
            return known[2], known[3]
        conjuncts: dict[int, list[int]] = {}
        for candidate in candidates:
            token = self.doc[candidate.token]
            if token.dep_ == "conj":
                conjuncts.setdefault(token.head.i, []).append(candidate.toponym)
        tokens = frozenset(c.token for c in candidates)
        by_head = {head: tuple(toponyms) for head, toponyms in conjuncts.items()}
        self.candidates = (candidates, len(candidates), tokens, by_head)
        return tokens, by_head


_FACTS = "placemap.facts"


def _facts(doc: Any) -> _Facts:
    """The facts of ``doc``, kept with the parse itself (``Doc.user_data``), not in the module."""
    facts = doc.user_data.get(_FACTS)
    if facts is None:
        facts = doc.user_data[_FACTS] = _Facts(doc)
    return facts


def dominates(token: Any, other: Any) -> bool:
    """Whether ``other`` is ``token`` or in its subtree."""
    return token.i == other.i or any(a.i == token.i for a in other.ancestors)


# -- from a trigger to a place ---------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Candidate:
    """A word of a parsed sentence that stands for a document toponym (a name, or "the city")."""

    token: int
    toponym: int
    place: Place | None
    anaphor: bool = False


@dataclass(frozen=True, slots=True)
class Link:
    """How a candidate place hangs on a trigger word in the parse."""

    candidate: Candidate
    cost: float
    relation: str  # the preposition ("in", "from", "out of") or dependency label the place attaches with
    head: str  # the word it attaches to
    preps: frozenset[str]
    precision: int  # 2 for "near X", "the outskirts of X"
    blocked: bool  # a reference point ("50 km south of X"), an attribution ("according to X"), a continent
    speaker: bool  # the speaker or inside its phrase ("the city council in Mariupol said")
    self_speaker: bool  # the speaker itself ("Moscow said", "accused Moscow")
    container: bool  # modifies another place ("Belarus's Brest region", "Ukraine's second city")
    conjuncts: tuple[int, ...] = ()
    anchor: int = -1  # the word carrying the role: "city" in "left the city of Sumy"; shared by conjuncts
    via: frozenset[str] = frozenset()  # categories of other event words on the path ("talks in Moscow")
    meet: int = 0  # how far above the trigger the paths of trigger and place meet (0: on the trigger)

    @property
    def is_country(self) -> bool:
        place = self.candidate.place
        return place is not None and place.feature_code.startswith("PCL")

    @property
    def role(self) -> str | None:
        """``origin``, ``destination`` or ``waypoint`` of a flow, from the attachment."""
        relation, head = self.relation, self.head
        if relation in ("from", "out of", "out") or (relation == "dobj" and head in LEAVE_FORMS):
            return "origin"
        if (relation == "of" and head in PEOPLE_NOUNS | EVACUATION_NOUNS) or (
            relation == "in" and head in WAR_NOUNS | HOME_NOUNS
        ):
            # "residents of Mariupol", "the evacuation of Sake", "fleeing the war in Ukraine", "fled their homes in X"
            return "origin"
        if relation in ("to", "towards", "toward", "into", "advmod") or (relation == "dobj" and head in _REACHED):
            return "destination"
        if (relation == "nsubj" and head in HOST_FORMS) or (relation == "in" and head in ARRIVE_FORMS):
            return "destination"
        return "waypoint" if relation in ("through", "via") else None


def link(trigger: Any, candidate: Candidate, doc: Any, candidates: Sequence[Candidate]) -> Link | None:
    """The parse path from ``trigger`` to ``candidate``'s word, read as a relation with a cost."""
    place_token = doc[candidate.token]
    chain = _facts(doc).chain(trigger)
    up, token = [], place_token
    while token.i not in chain:
        up.append(token)
        if token.head.i == token.i:
            return None
        token = token.head
    tokens, conjoined = _facts(doc).candidate_index(candidates)
    container = any(
        u.i in tokens and u.i != candidate.token and up[k].dep_ not in ("conj", "appos", "cc")
        and up[k].lower_ not in _INCLUSIVE
        for k, u in enumerate(up[1:])
    ) or (place_token.dep_ == "poss" and place_token.head.lower_ in PLACE_NOUNS)  # fmt: skip
    speaker = any(u.dep_ == "nsubj" and u.head.lower_ in SPEAKER_FORMS and u.head.i != trigger.i for u in up)
    preps = frozenset(_prep_name(u) for u in up if u.dep_ in ("prep", "agent") and not _names_place(u))
    effective, vague = _effective(place_token)
    relation, head = _relation(effective)
    place = candidate.place
    reference = relation in ("of", "from") and any(u.lower_ in DISTANCE_WORDS for u in up)
    blocked = (reference and not _near_reference(up)) or any(
        u.lower_ == "according" for u in up
    ) or (place is not None and place.feature_code == "CONT")  # fmt: skip
    self_speaker = (
        _is_speaker(effective, trigger) or (relation == "dobj" and head in ACTOR_OBJECT_FORMS) or _is_actor(effective)
    ) or (relation == "nsubj" and effective.head.i != trigger.i and head not in SUBJECT_SITE_FORMS)
    cost = len(up) + chain[token.i] + _penalty(place, effective, candidate.anaphor) + 3 * ("including" in preps)
    named = place_token.dep_ == "compound" and place_token.head.lower_ in PLACE_NOUNS
    if named and any(c.dep_ == "prep" and c.lower_ == "of" for c in place_token.head.children):
        cost += 2  # "the West Bank city of Nablus": the city is Nablus
    conjuncts = conjoined.get(place_token.i, ())
    precision = 2 if vague or reference or bool(preps & VAGUE_PREPS) or relation in VAGUE_PREPS else 1
    via = frozenset(TRIGGER_FORMS[u.lower_] for u in up[1:] if u.lower_ in TRIGGER_FORMS and u.dep_ != "compound")
    return Link(candidate, cost, relation, head, preps, precision, blocked, speaker or self_speaker, self_speaker,
                container, conjuncts, effective.i, via, chain[token.i])  # fmt: skip


_UNIT_KM = {"km": 1.0, "kilometres": 1.0, "kilometers": 1.0, "miles": 1.609, "mile": 1.609, "metres": 0.001,
            "meters": 0.001}  # fmt: skip


def _near_reference(up: list[Any]) -> bool:
    """ "15 km north of X" stands for X when the distance is under 50 km (the events guide); a
    bare "north of X" or a longer distance is a reference point."""
    units = [t for u in up for t in (u, *u.children) if t.lower_ in _UNIT_KM]
    if not units:
        return False
    unit = units[0]
    factor = 1.852 if unit.i > 0 and unit.nbor(-1).lower_ == "nautical" else _UNIT_KM[unit.lower_]
    numbers = [t for t in unit.subtree if t.like_num and t.i < unit.i]
    try:
        return bool(numbers) and float(numbers[-1].text.replace(",", "")) * factor < 50.0
    except ValueError:
        return False  # "dozens of km"


def _names_place(prep: Any) -> bool:
    """The "of" of "the city of X" / "the outskirts of X"."""
    return prep.lower_ == "of" and prep.head.lower_ in PLACE_NOUNS


def _effective(token: Any) -> tuple[Any, bool]:
    """The word carrying the place's role: "city" in "left the city of Sumy", "Kyiv" for "Kyiv and Chernihiv"."""
    vague = False
    for _ in range(8):
        head = token.head
        if token.dep_ == "pobj" and _names_place(head) and head.head.i != head.i:
            vague, token = vague or head.head.lower_ in VAGUE_NOUNS, head.head
        elif token.dep_ in ("compound", "amod", "nmod") and head.lower_ in PLACE_NOUNS:
            vague, token = vague or head.lower_ in VAGUE_NOUNS, head
        elif token.dep_ in ("conj", "appos") and head.i != token.i:
            token = head
        else:
            break
    return token, vague


def _relation(token: Any) -> tuple[str, str]:
    if token.dep_ == "pobj" and token.head.dep_ in ("prep", "agent", "dative"):
        return _prep_name(token.head), token.head.head.lower_
    return token.dep_, token.head.lower_


def _prep_name(prep: Any) -> str:
    word, head = prep.lower_, prep.head.lower_
    if word == "of" and head == "out":
        return "out of"
    return "near" if word == "to" and head in ("close", "next") else word


def _is_speaker(token: Any, trigger: Any) -> bool:
    if token.dep_ == "poss":
        token = token.head
    return token.dep_ == "nsubj" and token.head.lower_ in SPEAKER_FORMS and token.head.i != trigger.i


def _is_actor(token: Any) -> bool:
    """A name describing who acts: "U.S. soldiers shot", "Colombia's rebel group", "by Hamas gunmen"."""
    head = token.head
    if token.dep_ not in ("compound", "amod", "nmod", "poss") or head.lower_ in PLACE_NOUNS:
        return False
    return head.dep_ in ("nsubj", "nsubjpass") or (head.dep_ == "pobj" and head.head.dep_ == "agent")


def _penalty(place: Place | None, effective: Any, anaphor: bool) -> float:
    """Less likely sites: a possessor, a modifier, a named noun's container, a country, a region."""
    cost = (1.0 if anaphor else 0.0) + 2 * (effective.dep_ == "poss") + (effective.dep_ == "compound")
    if place is None:
        return cost + 3
    if place.feature_code.startswith("PCL") or place.feature_class == "H":
        return cost + 3
    return cost + 2 * (place.feature_code in ("ADM1", "ADM2", "RGN"))
