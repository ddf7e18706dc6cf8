"""A request for a time that is over gets nothing; one whose time is still ahead is kept."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.models import Occasion, Platform
from suggest.knowledge import KnowledgeBase
from suggest.lapse import wanted_until
from suggest.schemas import Candidate
from suggest.selection import Plan, plan
from suggest.timeline import Moment
from tests.fakes import HashEmbedder

LONDON = ZoneInfo("Europe/London")
# Thursday 19 November 2026, 10:00 in Edinburgh (GMT: the same as UTC).
THURSDAY = datetime(2026, 11, 19, 10, 0, tzinfo=UTC)
EMBEDDER = HashEmbedder()
KNOWLEDGE = KnowledgeBase(
    [
        {"title": "Opening hours", "text": "We open 8:00 to 16:00, Tuesday to Sunday."},
        {"title": "Walks", "text": "The shore path is flat and step-free, about 3 km."},
    ],
    ["coffee", "bread", "walks nearby"],
    EMBEDDER,
)


def _post(text: str, posted_at: datetime = THURSDAY, **overrides: object) -> Candidate:
    values: dict[str, object] = {
        "external_id": "1",
        "platform": Platform.MASTODON,
        "url": None,
        "text": text,
        "posted_at": posted_at,
        "summons_business": False,
        "display_name": "Ailsa",
        "handle": "ailsa@example.social",
        "intent": "question" if "?" in text else "experience",
        "sentiment": "neutral",
        "language": "en",
        "flags": [],
        "has_question": "?" in text,
        "keyphrases": [],
        "embedding": [float(x) for x in EMBEDDER.embed([text])[0]],
    }
    values.update(overrides)
    return Candidate.model_validate(values)


def _plan(post: Candidate, *, now: datetime, timezone: str = "Europe/London") -> Plan | str:
    return plan(
        Moment(post=post),
        knowledge=KNOWLEDGE,
        languages=["en"],
        business_names=["Shoreside Café"],
        now=now,
        timezone=timezone,
    )


def _too_late(outcome: Plan | str) -> bool:
    return isinstance(outcome, str) and "time it asked about has passed" in outcome


def _until(text: str, posted_at: datetime = THURSDAY) -> datetime | None:
    return wanted_until(text, posted_at=posted_at, zone=LONDON)


@pytest.mark.parametrize(
    ("text", "over_at"),
    [
        ("Anywhere for a quiet lunch this afternoon?", datetime(2026, 11, 19, 18, 0)),
        ("Need a birthday candle tonight, who's open late?", datetime(2026, 11, 20, 0, 0)),
        ("Any flat route for a run tomorrow morning?", datetime(2026, 11, 20, 12, 0)),
        ("Ideas for a rainy day with a 6-year-old this weekend?", datetime(2026, 11, 23, 0, 0)),
        ("Looking for somewhere to watch the match on Saturday", datetime(2026, 11, 22, 0, 0)),
        # Said on a Thursday, "Thursday" is next week's: kept the longer of two readings.
        ("Where's good for brunch on Thursday?", datetime(2026, 11, 27, 0, 0)),
        ("Any cake shops open next Saturday?", datetime(2026, 11, 29, 0, 0)),
        # Two times named: the later one counts.
        ("Anywhere open tonight or on Sunday afternoon?", datetime(2026, 11, 22, 18, 0)),
    ],
)
def test_the_time_a_request_is_for_ends_in_local_time(text: str, over_at: datetime) -> None:
    assert _until(text) == over_at.replace(tzinfo=LONDON)


def test_the_day_is_the_workspace_s_day_not_utc_s() -> None:
    # 02:00 UTC on Friday is still Thursday evening in New York: "tomorrow" is Friday there.
    posted = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    zone = ZoneInfo("America/New_York")
    until = wanted_until("Any bagel place open early tomorrow?", posted_at=posted, zone=zone)
    assert until == datetime(2026, 11, 21, 0, 0, tzinfo=zone)


@pytest.mark.parametrize(
    "text",
    [
        "How do I keep a sourdough starter alive while I'm away?",
        # What happened today is not what they ask for.
        "Bought my first bag of rye flour today. What do I make with it?",
        "My loaf collapsed in the oven this morning, what went wrong?",
        # Days said of a habit or of the past name no moment that could pass.
        "Is anywhere open on a Monday for breakfast?",
        "Do you do the cinnamon buns on Saturdays?",
        "Is the rye a Friday thing or every day?",
        "Brakes squealing since the weekend, any idea why?",
        "Who does the best Sunday roast in town?",
        "Anywhere doing a proper Sunday lunch near the Shore?",
        # Thanks for this morning asks for nothing.
        "A massive thank you to the lovely barista this morning. Honestly, what a star?",
        # What is wrong now, not what is wanted then
        "Cleaned the whole bike. Today the brakes howl every time I touch them. What have I done",
        "today's loaf is LOAF SHAPED but do I really have to feed the starter every day?",
    ],
)
def test_no_time_that_could_pass(text: str) -> None:
    assert _until(text) is None


def test_a_request_for_an_afternoon_already_over_gets_nothing() -> None:
    post = _post(
        "Looking for a flat walk with my gran this afternoon, she uses a walker now",
        intent="recommendation",
    )
    assert not _too_late(_plan(post, now=THURSDAY + timedelta(hours=4)))
    assert _too_late(_plan(post, now=THURSDAY + timedelta(hours=22)))


def test_grief_or_illness_reaches_a_person_even_when_the_day_it_named_is_over() -> None:
    post = _post(
        "Any step-free café for Mum tonight? She's just out of hospital.", flags=["sensitive"]
    )
    for later in (timedelta(hours=2), timedelta(days=1)):
        outcome = _plan(post, now=THURSDAY + later)
        assert isinstance(outcome, Plan) and outcome.occasion == Occasion.PERSONAL_NOTE


def test_a_possible_crisis_stays_a_card_whatever_day_it_names() -> None:
    post = _post(
        "Anyone around tonight? I don't think I can get through another night like this",
        flags=["crisis", "sensitive"],
    )
    outcome = _plan(post, now=THURSDAY + timedelta(days=2))
    assert isinstance(outcome, Plan) and outcome.occasion == Occasion.CRISIS


def test_a_mention_about_a_day_still_ahead_is_kept() -> None:
    post = _post("@shoresidecafe are you open on Sunday morning?", summons_business=True)
    friday = THURSDAY + timedelta(days=1)
    outcome = _plan(post, now=friday)
    assert isinstance(outcome, Plan) and outcome.occasion.value in ("answer", "knowledge_gap")
    # Once that Sunday morning is over, the answer would come too late.
    assert _too_late(_plan(post, now=datetime(2026, 11, 22, 12, 30, tzinfo=UTC)))


def test_a_question_to_the_business_that_asks_more_than_the_day_is_kept() -> None:
    post = _post(
        "@shoresidecafe can I come by this afternoon or do I need to book? and what does a "
        "table for six cost",
        summons_business=True,
    )
    assert not _too_late(_plan(post, now=THURSDAY + timedelta(days=1)))


def test_an_old_question_without_a_time_is_kept() -> None:
    post = _post("@shoresidecafe what time do you open?", summons_business=True)
    assert isinstance(_plan(post, now=THURSDAY + timedelta(days=3)), Plan)


def test_complaints_and_orders_stay_open_after_the_day_they_name() -> None:
    complaint = _post(
        "@shoresidecafe your coffee was cold today and nobody came to clear the tables",
        summons_business=True,
        intent="complaint",
        sentiment="negative",
    )
    outcome = _plan(complaint, now=THURSDAY + timedelta(days=1))
    assert isinstance(outcome, Plan) and outcome.occasion == Occasion.COMPLAINT
    order = _post("@shoresidecafe can I collect my order tomorrow instead?", summons_business=True)
    outcome = _plan(order, now=THURSDAY + timedelta(days=3))
    assert isinstance(outcome, Plan) and outcome.occasion == Occasion.NEEDS_PERSON
