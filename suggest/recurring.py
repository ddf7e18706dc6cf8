"""When a monthly event in the knowledge happens next ("the first Saturday of each month"):
the date a person needs, worked out for today, so a draft can say it and the guard knows it."""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

WEEKDAYS = [d.lower() for d in calendar.day_name]
ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4
}  # fmt: skip
MONTHLY = re.compile(
    r"\b(?P<nth>first|1st|second|2nd|third|3rd|fourth|4th|last) "
    r"(?P<day>monday|tuesday|wednesday|thursday|friday|saturday|sunday) "
    r"of (?:each|every|the) month\b",
    re.I,
)

# Days when a monthly event may well not run, whatever the knowledge says of it: a draft that
# says "the next one is on Wednesday 25 December" states what nobody knows.
HOLIDAYS = {(12, 25): "Christmas Day", (12, 26): "Boxing Day", (1, 1): "New Year's Day"}


def today_in(timezone: str | None, now: datetime | None = None) -> date:
    """The workspace's date now (or at `now`), in its own time zone."""
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(timezone or "UTC")).date()


def _in_month(year: int, month: int, nth: str, weekday: int) -> date:
    days = [
        date(year, month, d)
        for d in range(1, calendar.monthrange(year, month)[1] + 1)
        if date(year, month, d).weekday() == weekday
    ]
    return days[-1] if nth == "last" else days[ORDINALS[nth] - 1]


def next_on(text: str, today: date) -> date | None:
    """The next day (today included) of the monthly event the text names, or None."""
    found = MONTHLY.search(text)
    if not found:
        return None
    nth, weekday = found["nth"].lower(), WEEKDAYS.index(found["day"].lower())
    year, month = today.year, today.month
    for _ in range(2):
        day = _in_month(year, month, nth, weekday)
        if day >= today:
            return day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def said(day: date, today: date) -> str:
    """ "today", "tomorrow" or "on Saturday 5 December"."""
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    return f"on {calendar.day_name[day.weekday()]} {day.day} {calendar.month_name[day.month]}"


def next_one(text: str, today: date) -> str:
    """ "The next one is on Saturday 5 December." for a text naming a monthly event, else ''."""
    day = next_on(text, today)
    if day is None:
        return ""
    return f"The next one is {said(day, today)}."


def with_next_ones(sentences: Sequence[str], today: date) -> list[str]:
    """The sentences, each monthly event followed by when it is next."""
    out: list[str] = []
    for sentence in sentences:
        out.append(sentence)
        if nxt := next_one(sentence, today):
            out.append(nxt)
    return out


def on_a_holiday(texts: Sequence[str], today: date) -> str:
    """ "Christmas Day (Wednesday 25 December)" when the next of a monthly event the texts name
    falls on a holiday, else ''."""
    for text in texts:
        day = next_on(text, today)
        if day is not None and (name := HOLIDAYS.get((day.month, day.day))):
            return f"{name} ({said(day, today).removeprefix('on ')})"
    return ""


def next_ones(texts: Sequence[str], today: date) -> list[str]:
    """When each monthly event in the texts is next: facts a draft's date is grounded on."""
    return [nxt for text in texts if (nxt := next_one(text, today))]
