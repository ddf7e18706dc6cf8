"""Places and days a post names: the business's own places told apart from others of the same
name, and the day someone means to come when the business is closed that day."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from analysis import text as text_signals
from suggest import grounding
from suggest.knowledge import KnowledgeBase
from suggest.need import COMING_IN
from suggest.schemas import Candidate


def shut_when_they_come(post: Candidate, knowledge: KnowledgeBase, timezone: str) -> str:
    """The day they say they will come ("tomorrow", written on a Sunday), when the knowledge
    says the business is closed that day; else ''."""
    if not COMING_IN.search(post.text):
        return ""
    closed = grounding.closed_days(tuple(s.text for s in knowledge.snippets))
    # "coming through from Glasgow for the day on Monday": a day named outright
    if (named := ON_A_DAY.search(post.text)) and named[1].lower() in closed:
        return str(named[1].lower())
    when = text_signals.RELATIVE_DAY.search(post.text)
    if when is None:
        return ""
    day = post.posted_at.astimezone(ZoneInfo(timezone)).date()
    if when[1].lower() == "tomorrow":
        day += timedelta(days=1)
    name = grounding.WEEK[day.weekday()]
    return name if name in closed else ""


# A day they will come on: "on Monday", "this Monday", "next Monday" (not "on Mondays").
ON_A_DAY = re.compile(
    r"\b(?:on|this|next|coming) (monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b(?!s)",
    re.I,
)


# Words they quote: "'puncture repairs while you wait, usually 20 minutes' - waited 55 minutes"
QUOTED = re.compile(r"(?:^|\s)['‘\"“]([^'’\"”]{8,}?)['’\"”](?=[\s.,!?;:—-]|$)")


def quotes(text: str, title: str) -> bool:
    """Do they quote back what the snippet says (its title named inside quotation marks)?"""
    return any(names_title(q, title, singular=True) for q in QUOTED.findall(text))


# Said of a place they have had enough of: "I am NOT doing another lap of the Links, we've done
# the Links to death", "the dog is sick of the Links" (not "we never go to Leith Links, is it
# nice?").
HAD_ENOUGH = re.compile(
    r"\b(?:not (?:doing|going|walking)|never again|no more|sick of|fed up (?:of|with)|"
    r"bored (?:of|with)|enough of|another lap of|done)\b[^.!?]{0,40}$",
    re.I,
)


def ruled_out(text: str, title: str) -> bool:
    """Do they name the place a snippet is titled by (its last word, with its capital: "the
    Links") as one they have had enough of?"""
    words = _place_words(title)
    if not words:
        return False
    for sentence in re.split(r"(?<=[.!?])\s+|,\s+", text):
        for found in re.finditer(rf"\b{re.escape(words[-1])}\b", sentence):
            before, after = sentence[: found.start()], sentence[found.end() :]
            if HAD_ENOUGH.search(before) and not re.match(r"\W*\w*\W*\?", after):
                return True
            if re.match(r"[^.!?]{0,20}\bto death\b", after, re.I):
                return True
    return False


def _place_words(title: str) -> list[str]:
    """The words of four letters or more of a title that names a place or an event ("Leith
    Links", "Fix-It Night": each has its capital); none for any other title."""
    words = [w for w in re.findall(r"[\w'-]+", title) if len(w) > 3]
    return words if all(w[0].isupper() for w in words) else []


def names_place(text: str, title: str) -> bool:
    """Does the post name the place or event a snippet is titled by ("Leith Links", "Fix-It
    Night"; a title whose every word of four letters or more has its capital)?"""
    return bool(_place_words(title)) and names_title(text, title)


def another_place(text: str, title: str) -> bool:
    """Does the post name another place of the same name as the snippet's ("Leith Library" to
    "Leith Market": the library's hours are not the market's)?"""
    words = _place_words(title)
    if not words:
        return False
    for name in text_signals.CAPITALISED.findall(text):
        # ("In Leith for the weekend": a sentence's first word is no part of a name)
        named = [w for w in name.split() if w.lower() not in text_signals.STOPWORDS["en"]]
        if (
            len(named) > 1
            and set(named) & set(words)
            and {w.lower() for w in set(named) - set(words)} & PLACE_NOUNS
        ):
            return True
    return False


# What a place's name says it is: "Leith Library" is not "Leith Market" ("Thinking
# Silverknowes" is a sentence's first words, not a place).
PLACE_NOUNS = frozenset(
    """library market links park gardens garden centre center hall street road station church
    school museum pool baths castle bridge harbour beach shore walk path surgery hospital
    cinema theatre""".split()
)


def names_title(question: str | None, title: str, *, singular: bool = False) -> bool:
    """Does the question name what the snippet is titled ("Leith Market", "Fix-It Night"; with
    `singular`, a plural as its singular: "puncture repairs while you wait" names "Punctures
    while you wait")?"""
    words = [
        w[:-1] if singular and w.endswith("s") and len(w) > 4 else w
        for w in re.findall(r"[\w'-]+", title.lower())
        if len(w) > 2
    ]
    if not question or not words:
        return False
    return all(re.search(rf"\b{re.escape(w)}", question, re.I) for w in words)
