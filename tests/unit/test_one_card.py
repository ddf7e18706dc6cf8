"""One card per person a day: good news ends an earlier question, news told before a question
follows its answer, a card for a person always wins."""

from datetime import UTC, datetime, timedelta

import pytest

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


def test_good_news_after_a_question_ends_it_and_news_before_one_follows_the_answer() -> None:
    route = _plan("Anyone know a flat route for an easy 5k?", Occasion.RECOMMEND, 0, 0.5)
    run = _plan("First 16 km run without stopping!!", Occasion.CONGRATULATE, 20, 0.7)
    card = _one_card([route, run])
    # the 16 km run needs no 5k route: glad with them, nothing taught
    assert card is not None and card.post is run.post and card.also is None
    badge = _plan("Got my cycling badge at 41!", Occasion.CONGRATULATE, 80, 0.4)
    flour = _plan("Does strong flour matter for bread?", Occasion.ANSWER, 0, 0.6)
    card = _one_card([flour, badge])
    assert card is not None and card.post is badge.post and card.also is None
    # news told before the question: the answer leads and the news follows it
    earlier_run = _plan("First 16 km run without stopping!!", Occasion.CONGRATULATE, 0, 0.7)
    later_route = _plan("Anyone know a flat route for an easy 5k?", Occasion.RECOMMEND, 20, 0.5)
    card = _one_card([earlier_run, later_route])
    assert card is not None and card.post is later_route.post and card.also is earlier_run


def test_an_outcome_after_the_question_ends_it() -> None:
    question = _plan("How do you know when dough is proofed?", Occasion.ANSWER, 0, 0.6)
    rose = _plan("ok the loaf rose. it actually rose.", Occasion.CELEBRATE_OUTCOME, 20, 0.5)
    assert _one_card([question, rose]) is rose


def test_a_card_for_a_person_always_wins() -> None:
    grief = _plan("Made Dad's shortbread.", Occasion.PERSONAL_NOTE, 0, 2.0)
    question = _plan("Where can I buy rye flour?", Occasion.ANSWER, 5, 0.9)
    assert _one_card([grief, question]) is grief


@pytest.mark.parametrize(
    ("gap_score", "wins", "named"),
    [
        # the good news wins: the question the knowledge cannot answer is named on it
        (0.3, "loaf", "They also asked “Any small friendly bread classes nearby?”"),
        # the question wins: the good news is named on its card
        (0.9, "classes", "Their news: “Baked my first loaf!”"),
    ],
)
def test_a_gap_and_good_news_whichever_wins_names_the_other(
    gap_score: float, wins: str, named: str
) -> None:
    classes = _plan(
        "Any small friendly bread classes nearby?", Occasion.KNOWLEDGE_GAP, 0, gap_score
    )
    loaf = _plan("Baked my first loaf!", Occasion.CONGRATULATE, 40, 0.5)
    card = _one_card([classes, loaf])
    assert card is not None and card.post is {"loaf": loaf, "classes": classes}[wins].post
    assert named in card.note
