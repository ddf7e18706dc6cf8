"""When a request is over: the time it asks about has passed.

"A flat walk for my dad's 80th this afternoon", read the next morning: the walk has happened
(or not) without us, and an answer now shows nobody read the post in time. Only the times a
request is *for* count: "bought flour today. now what" told of the past, and a day said of a
habit ("open on Sundays?", "a Friday thing") names no moment that could pass. When a post
names several times, the latest counts, and a weekday read two ways is read as the later one:
a request is dropped only once it is surely over.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from suggest.need import sentences

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# Not "lunch": "Sunday lunch" is a meal more often than a day.
PART = r"(?:\s+(morning|afternoon|evening|night))?"
# When each part of a day is over, in local time (None: at midnight).
PART_ENDS: dict[str, time | None] = {
    "morning": time(12),
    "lunchtime": time(14),
    "afternoon": time(18),
    "evening": None,
    "night": None,
}
TODAY = re.compile(
    r"\b(?:this\s+(morning|lunchtime|afternoon|evening)|tonight|tonite|today)\b(?!['’]s)", re.I
)
TOMORROW = re.compile(r"\b(?:tomorrow|tmrw|tomoz)\b" + PART, re.I)
# "This weekend", "for the weekend"; not "since the weekend", "at weekends", "a weekend away".
WEEKEND = re.compile(
    r"\b(?:this|this coming|for the|for this|on the|at the|over the|(next))\s+weekend\b(?!s)",
    re.I,
)
WEEKDAY = re.compile(
    r"(?:\b([\w']+)\s+)?\b(" + "|".join(WEEKDAYS) + r")(s)?\b" + PART + r"(\s*[?.,!]|\s*$)?",
    re.I,
)
# A weekday after these is a date ("on Saturday", "this Sunday morning").
DATE_WORDS = {"on", "for", "this", "till", "til", "until", "by", "before", "next", "coming"}
# A weekday after these is a habit or the past ("on a Monday", "every Friday", "last Sunday").
NOT_A_DATE = {"a", "every", "each", "last", "since", "most", "other", "past", "previous", "the"}
# A sentence telling what happened ("bought flour today", "my loaf collapsed this morning") is
# not what the request is for.
PAST = re.compile(
    r"\b(\w{3,}ed|bought|went|made|got|was|were|had|did|came|took|saw|found|left|gave|ran|"
    r"sold|ate|fed|broke|fell|lost|won|told|said|brought|caught|kept|met|paid|sent|spent|woke|"
    r"wrote|drove|rode|forgot|been|yesterday|ago|rose|sank|grew|burnt|bent|felt|knew|thought|"
    r"stood|sat|slept|spoke|heard|built|chose|blew|flew|threw|drew|wore|taught|stuck)\b",
    re.I,
)


# Nor a sentence of thanks ("a massive thank you to the lovely girl … this morning").
NOT_A_REQUEST = re.compile(r"\b(?:thank|thanks|cheers)\b", re.I)


FRAGMENT = 6
# A sentence that asks for something, or tells a plan it is for: "Looking for a flat walk for
# my dad's 80th this afternoon", "meeting a pal off the train at half 5 tonight".
ASKS_OR_PLANS = re.compile(
    r"\b(?:looking for|need|needs|want|wanting|hoping|anyone|any ?body|any ideas|recommend\w*|"
    r"suggest\w*|ideas|recs|where|anywhere|somewhere|plan|planning|going to|gonna|will|'ll|"
    r"meeting|heading|taking|bringing|coming|visiting|off to|trying to)\b",
    re.I,
)


def wanted_until(text: str, *, posted_at: datetime, zone: ZoneInfo) -> datetime | None:
    """When the latest time a request is for is over, or None if it names no such time."""
    day = posted_at.astimezone(zone).date()
    ends: list[datetime] = []
    for sentence in sentences(text):
        if PAST.search(sentence) or NOT_A_REQUEST.search(sentence):
            continue
        # (a fragment that goes with the question counts: "sunday afternoon, nothing too fancy")
        short = len(sentence.split()) <= FRAGMENT
        if not ("?" in sentence or short or ASKS_OR_PLANS.search(sentence)):
            continue  # "Today the disc brakes scream like a banshee": what is, not what is wanted
        for found in TODAY.finditer(sentence):
            ends.append(_end(day, _part(found.group(1)), zone))
        for found in TOMORROW.finditer(sentence):
            ends.append(_end(day + timedelta(days=1), _part(found.group(1)), zone))
        for found in WEEKEND.finditer(sentence):
            sunday = day + timedelta(days=(6 - day.weekday()) % 7)
            ends.append(_end(sunday + timedelta(days=7 if found.group(1) else 0), None, zone))
        for found in WEEKDAY.finditer(sentence):
            before, name, plural, part, closing = found.groups()
            before = (before or "").lower()
            if plural or before in NOT_A_DATE:
                continue
            if before not in DATE_WORDS and not part and closing is None:
                continue  # "any good Sunday roast": a kind of meal, not a day
            # "Saturday" said on a Saturday is read as the next one.
            ahead = (WEEKDAYS.index(name.lower()) - day.weekday() - 1) % 7 + 1
            ahead += 7 if before == "next" else 0
            ends.append(_end(day + timedelta(days=ahead), _part(part), zone))
    return max(ends, default=None)


def _part(word: str | None) -> str | None:
    return word.lower() if word else None


def _end(day: date, part: str | None, zone: ZoneInfo) -> datetime:
    """When `part` of `day` (the whole day if None) is over, in local time."""
    until = PART_ENDS.get(part) if part else None
    if until is None:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return datetime.combine(day, until, tzinfo=zone)
