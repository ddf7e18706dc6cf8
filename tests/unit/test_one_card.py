"""One card per person a day: help first, good news folded in, an outcome ends the question."""

from datetime import UTC, datetime, timedelta

from core.models import Occasion, Platform
from suggest.need import read_need
from suggest.schemas import Candidate
from suggest.selection import Plan
from suggest.service import _one_card
from suggest.timeline import Moment

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _plan(text: str, occasion: Occasion, hours: float, score: float) -> Plan:
    post = Candidate(
        external_id=text[:8],
        platform=Platform.MASTODON,
        url=None,
        text=text,
        posted_at=T0 + timedelta(hours=hours),
        summons_business=False,
        display_name="Maria",
        handle="maria@example.social",
        intent="question",
        sentiment="neutral",
        language="en",
        flags=[],
        has_question="?" in text,
        keyphrases=[],
        embedding=[],
    )
    return Plan(Moment(post), occasion, score, read_need(text))


def test_good_news_is_folded_into_an_answer_to_an_unrelated_question() -> None:
    route = _plan("Anyone know a flat route for an easy 5k?", Occasion.RECOMMEND, 0, 0.5)
    run = _plan("First 16 km run without stopping!!", Occasion.CONGRATULATE, 20, 0.7)
    card = _one_card([route, run])
    assert card.post is route.post and card.also is run and card.score == 0.7


def test_an_outcome_after_the_question_ends_it() -> None:
    question = _plan("How do you know when dough is proofed?", Occasion.ANSWER, 0, 0.6)
    rose = _plan("ok the loaf rose. it actually rose.", Occasion.CELEBRATE_OUTCOME, 20, 0.5)
    assert _one_card([question, rose]) is rose


def test_a_card_for_a_person_always_wins() -> None:
    grief = _plan("Made Dad's shortbread.", Occasion.PERSONAL_NOTE, 0, 2.0)
    question = _plan("Where can I buy rye flour?", Occasion.ANSWER, 5, 0.9)
    assert _one_card([grief, question]) is grief
