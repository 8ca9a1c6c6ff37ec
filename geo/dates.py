"""Dates of events: find a date phrase in a sentence and resolve it against the publication date.

Regular expressions here only *find* phrases ("on Sunday", "last Thursday", "March 3",
"the 12th day of the invasion", "earlier this week"); python-dateutil does the calendar
arithmetic (``relativedelta`` for weekdays and offsets, ``dateutil.parser`` for month names).
Precision follows ACLED: 1 a day, 2 a range of days or a week, 3 a month.

>>> resolve_date("last Thursday", "2022-02-28")
DateValue(iso='2022-02-24', precision=1, first='2022-02-24', last='2022-02-24')
>>> resolve_date("the 12th day of the invasion", "2022-03-20").iso
'2022-03-07'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from dateutil import parser as date_parser
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

__all__ = [
    "INVASION_START",
    "DatePhrase",
    "DateValue",
    "event_date",
    "find_date_phrases",
    "phrase_positions",
    "resolve_date",
    "sentence_date",
    "to_date",
    "trigger_date",
]

#: Day 1 of "the Nth day of the invasion".
INVASION_START = date(2022, 2, 24)

_WEEKDAYS = {"monday": MO, "tuesday": TU, "wednesday": WE, "thursday": TH, "friday": FR, "saturday": SA, "sunday": SU}
_NUMBERS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "several": 3, "few": 3,
}  # fmt: skip
_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WEEKDAY = r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day"
#: What makes a bare month a date phrase ("in March", "in early May 2023", "last September").
_MONTH_LEAD = r"(?:in\s+(?:early\s+|late\s+|mid-)?|last\s+)"
_COUNT = r"(?:\d{1,3}|a|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few)"
_PHRASE_PATTERNS = [
    rf"\b(?:(?:last|next|this|since|early on|late on|early|late|by|on)\s+)?{_WEEKDAY}"
    r"(?:\s+(?:morning|afternoon|evening|night))?\b",
    rf"\b(?:(?:since|on)\s+)?{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b",
    rf"\b(?:(?:since|on)\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:\s+\d{{4}})?\b",
    r"\b(?:the\s+)?\d{1,3}(?:st|nd|rd|th)\s+day\s+of\s+(?:the\s+|Russia's\s+)?(?:invasion|war)\b",
    r"\bday\s+\d{1,3}\s+of\s+(?:the\s+|Russia's\s+)?(?:invasion|war)\b",
    r"\b(?:yesterday|today|tonight|overnight|last\s+night|this\s+(?:morning|afternoon|evening))\b",
    r"\b(?:earlier|later)\s+(?:this|in\s+the)\s+(?:week|month)\b",
    r"\b(?:this|last|next)\s+(?:week|month)\b",
    r"\bin\s+recent\s+days\b",
    rf"\b(?:over\s+|in\s+|during\s+)?the\s+(?:past|last)\s+{_COUNT}\s+days\b",
    rf"\b{_COUNT}\s+days?\s+ago\b",
    r"\b(?:a\s+day|two\s+days)\s+(?:earlier|before|later)\b|\bthe\s+(?:previous|preceding|next|following)\s+day\b"
    r"|\bthe\s+day\s+(?:before|after)\b",
    rf"\b{_MONTH_LEAD}{_MONTH}(?:\s+\d{{4}})?(?!\s*\d)\b",
    r"\b(?:last|this|next)\s+weekend\b",
]
_PHRASE_RE = re.compile("|".join(f"(?:{p})" for p in _PHRASE_PATTERNS), re.IGNORECASE)
_CUE_RE = re.compile(
    r"\d|day|week|month|night|today|morning|evening|afternoon|ago|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)",
    re.IGNORECASE,
)
_MONTH_ONLY_RE = re.compile(rf"^{_MONTH_LEAD}({_MONTH}(?:\s+\d{{4}})?)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DatePhrase:
    """A date expression found in a text: ``text == source[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class DateValue:
    """A resolved date: ``iso`` with ACLED ``precision``, covering ``first`` .. ``last``."""

    iso: str
    precision: int
    first: str
    last: str


def to_date(value: str | date | None) -> date | None:
    """``YYYY-MM-DD`` (or a longer ISO timestamp) as a ``date``; ``None`` when absent or unreadable."""
    if value is None or isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(str(value).strip()[:10]).date()
    except ValueError:
        return None


def find_date_phrases(text: str) -> list[DatePhrase]:
    """Every date phrase in ``text``, left to right, with character offsets."""
    if _CUE_RE.search(text) is None:  # most sentences: skip the long pattern
        return []
    return [DatePhrase(m.start(), m.end(), m.group(0)) for m in _PHRASE_RE.finditer(text)]


def resolve_date(
    phrase: str,
    published: str | date | None,
    *,
    anchor: str | date | None = None,
    future: bool = False,
) -> DateValue | None:
    """Resolve one date phrase against the publication date.

    Parameters
    ----------
    phrase : str
        A phrase as :func:`find_date_phrases` returns it ("on Sunday" works too).
    published : str or date or None
        The publication date. Without it only absolute phrases ("March 3, 2022",
        "the 12th day of the invasion") resolve.
    anchor : str or date, optional
        The date "a day earlier" counts from (the previous event's); defaults to ``published``.
    future : bool
        Read a bare weekday forward ("talks will resume on Monday").

    Returns
    -------
    DateValue or None
        ``None`` when the phrase cannot be resolved.
    """
    words = " ".join(phrase.lower().replace("’", "'").split())
    words = re.sub(r"^(?:on|early on|late on|by|in the)\s+", "", words)
    base = to_date(published)
    invasion = _invasion_day(words)
    if invasion is not None:
        return invasion
    if base is None:
        return _absolute(words)
    since = words.startswith("since ")
    if since:
        words = words[len("since ") :]
    value = _relative(words, base, to_date(anchor) or base, future)
    if value is None:
        value = _calendar(words, base, future)
    if value is not None and since:
        # A running total "since March 14": dated, as ACLED does, by its last day (the publication).
        value = DateValue(base.isoformat(), 2, value.first, base.isoformat())
    return value


@lru_cache(maxsize=4096)
def _resolved(phrase: str, published: str | date | None, anchor: str | date | None, future: bool) -> DateValue | None:
    """:func:`resolve_date`, remembered: every event word of a sentence reads the same phrases (a
    pure function of its arguments, so the cache cannot go stale)."""
    return resolve_date(phrase, published, anchor=anchor, future=future)


def _day(day: date, precision: int = 1) -> DateValue:
    iso = day.isoformat()
    return DateValue(iso, precision, iso, iso)


def _span(first: date | str, last: date | str, precision: int) -> DateValue:
    first_iso = first if isinstance(first, str) else first.isoformat()
    last_iso = last if isinstance(last, str) else last.isoformat()
    return DateValue(first_iso, precision, first_iso, last_iso)


def _invasion_day(words: str) -> DateValue | None:
    match = re.search(r"(\d{1,3})(?:st|nd|rd|th)? day of|day (\d{1,3}) of", words)
    if match is None:
        return None
    number = int(match.group(1) or match.group(2))
    return _day(INVASION_START + relativedelta(days=number - 1)) if number >= 1 else None


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS.get(word, 1)


def _relative(words: str, base: date, anchor: date, future: bool) -> DateValue | None:
    """Phrases counted from the publication date (or the anchor)."""
    fixed = {"today": 0, "tonight": 0, "this morning": 0, "this afternoon": 0, "this evening": 0}
    if words in fixed:
        return _day(base)
    if words in ("yesterday", "last night"):
        return _day(base - relativedelta(days=1))
    if words == "overnight":
        return _day(base, 2)
    if re.fullmatch(r"(a day|two days) (earlier|before)|the (previous|preceding) day|the day before", words):
        return _day(anchor - relativedelta(days=2 if words.startswith("two") else 1))
    if re.fullmatch(r"a day later|the (next|following) day|the day after", words):
        return _day(anchor + relativedelta(days=1))
    return _weekday(words, base, future) or _period(words, base)


def _weekday(words: str, base: date, future: bool) -> DateValue | None:
    match = re.fullmatch(r"(?:(last|next|this|early|late) )?(\w+day)(?: (?:morning|afternoon|evening|night))?", words)
    if match is None or match.group(2) not in _WEEKDAYS:
        return None
    weekday = _WEEKDAYS[match.group(2)]
    if match.group(1) == "next":
        return _day(base + relativedelta(days=1, weekday=weekday(+1)))
    if future and match.group(1) != "last":
        return _day(base + relativedelta(weekday=weekday(+1)))
    if match.group(1) == "last":
        return _day(base + relativedelta(days=-1, weekday=weekday(-1)))
    return _day(base + relativedelta(weekday=weekday(-1)))


def _period(words: str, base: date) -> DateValue | None:
    monday = base + relativedelta(weekday=MO(-1))
    if re.fullmatch(r"(earlier |later )?this week|(earlier|later) in the week", words):
        return _span(monday, monday + timedelta(days=6), 2)
    if words in ("last week", "next week"):
        start = monday + timedelta(days=-7 if words == "last week" else 7)
        return _span(start, start + timedelta(days=6), 2)
    if re.fullmatch(r"(earlier |later )?this month|(earlier|later) in the month", words):
        return _month(base)
    if words in ("last weekend", "this weekend", "next weekend"):
        saturday = monday + timedelta(days={"last weekend": -2, "this weekend": 5, "next weekend": 12}[words])
        return _span(saturday, saturday + timedelta(days=1), 2)
    if words in ("last month", "next month"):
        return _month(base + relativedelta(months=-1 if words == "last month" else 1))
    if words == "in recent days":
        return _span(base - timedelta(days=6), base, 2)
    match = re.fullmatch(r"(?:over |in |during )?the (?:past|last) (\w+) days", words)
    if match:
        return _span(base - timedelta(days=_count(match.group(1)) - 1), base, 2)
    match = re.fullmatch(r"(\w+) days? ago", words)
    if match:
        return _day(base - timedelta(days=_count(match.group(1))))
    return None


def _month(day: date) -> DateValue:
    first = day.replace(day=1)
    return _span(first, first + relativedelta(months=1, days=-1), 3)


def _calendar(words: str, base: date, future: bool) -> DateValue | None:
    """Month names ("March 3", "3 March 2022", "in March"), read by dateutil."""
    month_only = _MONTH_ONLY_RE.match(words)
    text = month_only.group(1) if month_only else words
    try:
        parsed = date_parser.parse(text, default=datetime(base.year, base.month, 1), fuzzy=False).date()
    except (ValueError, OverflowError):
        return None
    explicit_year = re.search(r"\b\d{4}\b", words) is not None
    if not explicit_year and not future and parsed > base + timedelta(days=1):
        parsed -= relativedelta(years=1)
    elif not explicit_year and future and parsed < (base.replace(day=1) if month_only else base):
        parsed += relativedelta(years=1)  # "will meet again in January", written in December
    return _month(parsed) if month_only else _day(parsed)


def _absolute(words: str) -> DateValue | None:
    if re.search(r"\b\d{4}\b", words) is None:
        return None
    try:
        return _day(date_parser.parse(words.replace("since ", ""), fuzzy=False).date())
    except (ValueError, OverflowError):
        return None


def sentence_date(
    sentence: str,
    published: str | date | None,
    *,
    anchor: str | date | None = None,
    near: int | None = None,
) -> tuple[str | None, int]:
    """The date of an event stated in ``sentence``, as ``(ISO date or None, precision)``.

    The phrase nearest to character ``near`` (or the first) that resolves wins; without one
    the publication date with precision 1; without that ``(None, 3)``.

    >>> sentence_date("Shells hit the city on Sunday, officials said.", "2022-03-07")
    ('2022-03-06', 1)
    >>> sentence_date("Shells hit the city.", None)
    (None, 3)
    """
    phrases = find_date_phrases(sentence)
    if near is not None:
        phrases.sort(key=lambda p: min(abs(p.start - near), abs(p.end - near)))
    for phrase in phrases:
        value = resolve_date(phrase.text, published, anchor=anchor)
        if value is not None:
            return value.iso, value.precision
    base = to_date(published)
    return (base.isoformat(), 1) if base is not None else (None, 3)


def event_date(
    phrases: Iterable[tuple[int, str]],
    published: str | date | None,
    *,
    near: int,
    own: Container[int] = frozenset(),
    outside: bool = True,
    anchor: str | date | None = None,
    future: bool = False,
    perfect: bool = False,
    undated: bool = False,
) -> tuple[DateValue | None, int]:
    """Choose and resolve the date of one event among the date phrases of its sentence.

    Parameters
    ----------
    phrases : iterable of (int, str)
        Position (e.g. a token index) and text of each date phrase in the event's sentence.
    published : str or date or None
        The publication date.
    near : int
        The position of the event's trigger: of two phrases the nearer wins.
    own : container of int
        Positions inside the event's own clause; a phrase there beats any other.
    outside : bool
        Whether phrases elsewhere in the sentence count ("after an air strike hit the building"
        says nothing of the main clause's "on Thursday").
    anchor, future
        As for :func:`resolve_date`.
    perfect : bool
        Without a phrase, give the publication date precision 2 ("have crossed": a running total).
    undated : bool
        Without a phrase, give no date rather than the publication date (a narrative pluperfect).

    Returns
    -------
    (DateValue or None, int)
        The date and its strength: 2 from the event's clause, 1 from its sentence, 0 the publication date.
    """
    ranked = []
    for position, text in phrases:
        strength = 2 if position in own else 1
        if strength == 2 or outside:
            value = _resolved(text, published, anchor, future)
            if value is not None:
                ranked.append((-strength, abs(position - near), value))
    if ranked:
        strength, _, value = min(ranked, key=lambda r: (r[0], r[1]))
        return value, -strength
    base = to_date(published)
    if base is None or undated:
        return None, 0
    iso = base.isoformat()
    return DateValue(iso, 2 if perfect else 1, iso, iso), 0


def phrase_positions(doc: Any, text: str) -> list[tuple[int, str]]:
    """(root token index, text) of each date phrase of a parsed one-sentence ``doc`` of ``text``."""
    positions = []
    for phrase in find_date_phrases(text):
        span = doc.char_span(phrase.start, phrase.end, alignment_mode="expand")
        if span is not None:
            positions.append((span.root.i, phrase.text))
    return positions


_SINCE = frozenset({"since"})
#: "hopes to reconvene the talks in November": the date of a plan lies ahead.
_PLAN_VERBS = frozenset(
    "hope hopes hoped plan plans planned intend intends intended aim aims aimed "
    "prepare prepares prepared preparing".split()
)
_DURATION_DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7}


def _offset_clause(head: Any, is_clause_head: Callable[[Any], bool]) -> tuple[Any, int] | None:
    """The clause an "N days after ..." clause is counted from, and the days to add to its date:
    "took Inda Selassie on Tuesday, a day after capturing Alamata" -> (took, -1)."""
    if head.dep_ == "advcl":  # "three days after their fighters took the stadium"
        marks = [c for c in head.children if c.dep_ == "mark" and c.lower_ in ("after", "before")]
        durations = [c for c in head.children if c.dep_ == "npadvmod" and c.lower_ in _DURATION_DAYS]
        governing = head.head
    elif head.dep_ == "pcomp" and head.head.lower_ in ("after", "before"):  # "a day after capturing Alamata"
        marks, durations = [head.head], [head.head.head] if head.head.head.lower_ in _DURATION_DAYS else []
        governing = durations[0].head if durations else None
        while governing is not None and not is_clause_head(governing) and governing.head.i != governing.i:
            governing = governing.head  # "an offensive ..., a day after retaking Tarhuna": the clause's verb
    else:
        return None
    if not marks or not durations or governing is None or governing.i == head.i:
        return None
    duration = durations[0]
    counts = [c for c in duration.children if c.dep_ in ("nummod", "det")]
    number = _count(counts[0].lower_) if counts else 1
    days = number * _DURATION_DAYS[duration.lower_]
    return governing, -days if marks[0].lower_ == "after" else days


def trigger_date(
    trigger: Any, phrases: list[tuple[int, str]], published: str | date | None, *, anchor: str | None, counted: bool
) -> tuple[DateValue | None, int]:
    """:func:`event_date` for an event word of a parse: its clause's phrase, else its sentence's
    (not for an "after ..." clause), else the publication date: precision 2 for a perfect ("have
    crossed") or a ``counted`` running total, none for a narrative pluperfect ("had urged"); an
    "N days after ..." clause is counted from its main clause's date; an event hoped or planned
    for reads its date forward ("hopes to reconvene the talks in November")."""
    from .triggers import TEMPORAL_MARKS, clause_head, is_clause_head, subordinate

    head = clause_head(trigger)
    offset = _offset_clause(head, is_clause_head)
    if offset is not None and not any(position in {t.i for t in head.subtree} for position, _ in phrases):
        governing, days = offset
        value, strength = trigger_date(governing, phrases, published, anchor=anchor, counted=False)
        if value is not None:
            return _day(to_date(value.first) + timedelta(days=days)), max(strength, 1)
    # "have fled since the fighting began on Nov 4": a running total since that day
    since = {t.i for c in head.children if c.dep_ == "advcl" and subordinate(c, _SINCE) for t in c.subtree}
    phrases = [(p, f"since {text}" if p in since and not text.lower().startswith("since") else text)
               for p, text in phrases]  # fmt: skip
    auxiliaries = {c.lower_ for c in head.children if c.dep_ in ("aux", "auxpass")}
    root = trigger
    while root.head.i != root.i:
        root = root.head
    return event_date(
        phrases, published, near=trigger.i, own={t.i for t in head.subtree},
        outside=not subordinate(head, TEMPORAL_MARKS), anchor=anchor,
        future=bool(auxiliaries & {"will", "'ll"}) or any(c.lower_ == "due" for c in head.head.children)
        or (head.dep_ == "xcomp" and head.head.lower_ in _PLAN_VERBS),
        perfect=bool(auxiliaries & {"have", "has", "had"}) or counted,
        undated=any(c.dep_ == "aux" and c.lower_ == "had" for c in root.children),
    )  # fmt: skip
