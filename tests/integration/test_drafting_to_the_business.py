"""Posts that speak to the business, or only name it, decided with the real embedder and the
sample workspace: a calm complaint is owned, a name said in passing gets nothing, a request
called off is over, news told before thanks is congratulated."""

import pytest

from core.models import Occasion
from tests.integration.test_drafting_decisions import _draft, _drafts, _post, _to_us, _workshop

pytestmark = pytest.mark.model


def test_a_calm_complaint_is_owned_never_thanked(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "Bit disappointed today. Came in at half three with my two kids after the Links, your "
        "sign says open till 4. Chairs were already going up on the tables round us, the mop "
        "was out. Felt like we were in the way. Used to love coming here on a Sunday.",
    )
    assert result.occasion == Occasion.COMPLAINT and result.draft
    assert "early pack-up" in result.draft
    assert "thank" not in result.draft.lower()


def test_a_business_named_in_passing_gets_nothing(analyzer) -> None:  # noqa: ANN001
    result = _draft(
        analyzer,
        _post(
            "Morning routine since moving to Leith: run along the Water of Leith, flat white "
            "from Crumb & Kettle, sit on the bench at the Shore watching two swans fight over "
            "someone's dropped roll. Then 8 hours of spreadsheets. Balance."
        ),
    )
    assert result.occasion is None and not result.draft


def test_a_request_called_off_is_over_but_good_news_is_not(analyzer) -> None:  # noqa: ANN001
    lost, found = _drafts(
        analyzer,
        _post(
            "did I leave a green tartan scarf on the back of a chair at yours at lunchtime? "
            "My gran knitted it, bit gutted",
            hours_ago=20,
            summons_business=True,
        ),
        _post(
            "false alarm!! it was in my rucksack the whole time wrapped round my lunchbox. "
            "sorry, idiot here",
            hours_ago=18,
            summons_business=True,
        ),
    )
    assert lost.occasion is None and found.occasion is None
    assert "called off" in (found.no_reply_because or "")


def test_news_told_before_thanks_is_congratulated_and_the_thanks_taken(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "Wee bit of news 🏆 My sourdough got FIRST in the bread class at the Balerno village "
        "show on Saturday!! Huge thanks to the folk at Crumb & Kettle whose bread clinic I've "
        "been haunting every month. I may frame the rosette.",
    )
    assert result.occasion == Occasion.CONGRATULATE and result.draft
    assert result.draft.startswith("Your sourdough got first in the bread class!")
    assert "thank you" in result.draft


def test_a_customer_question_is_a_card_even_when_read_as_selling(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "@northsidecycles do you take Cycle to Work vouchers? Work's just signed up to the "
        "scheme and I'd rather spend it locally on one of your refurbs than at a big chain",
        workspace=_workshop(),
    )
    assert result.occasion == Occasion.KNOWLEDGE_GAP


def test_a_closed_day_they_mean_to_come_is_said_with_the_answer(analyzer) -> None:  # noqa: ANN001
    # Written on a Wednesday: "on Monday" is the café's closed day.
    result = _to_us(
        analyzer,
        "hiya, coming through from Glasgow for the day on Monday with my pal and her spaniel "
        "Rufus. Any chance we could come in for breakfast with him? He's well behaved (ish)",
    )
    assert result.occasion == Occasion.ANSWER and result.draft
    assert "closed on Mondays" in result.draft and "welcome inside" in result.draft


def test_the_late_night_is_given_to_someone_coming_after_work(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "@northsidecycles rear tyre on my e-bike has gone flat AGAIN. I finish work at 6 on "
        "Thursday, any chance I could bring it in after that or do I need to book?",
        workspace=_workshop(),
    )
    assert result.draft and "Thursday until 20:00" in result.draft
    assert "walk-in" in result.draft
    # only the hours of their day, not the days they will not come
    assert "closed on Sundays" not in result.draft


def test_a_cold_kitchen_gets_the_warm_spot_and_a_cold_flat_only_the_laptop_rule(analyzer) -> None:  # noqa: ANN001
    starter = _draft(
        analyzer,
        _post(
            "where do folk keep their sourdough starter in winter? mine lives on the windowsill "
            "by the back door and has done precisely nothing since last Tuesday. not dead. just "
            "sulking."
        ),
    )
    assert starter.knowledge_used == ["Keeping a starter warm in winter"]
    laptop = _to_us(
        analyzer,
        "heating's off in our flat till Monday (thanks boiler) so I'm planning to decamp to "
        "yours on Saturday with the laptop, from when you open till probably 3ish. that ok?",
    )
    assert "Laptops" in laptop.knowledge_used
    assert "Keeping a starter warm in winter" not in laptop.knowledge_used


def test_a_congratulation_remembers_what_stood_in_their_way(analyzer) -> None:  # noqa: ANN001
    result = _drafts(
        analyzer,
        _post(
            "Started cycling to work. Leith Walk hill is not my friend.",
            who="Ravi Sharma",
            hours_ago=200,
        ),
        _post(
            "Just got my cycling proficiency badge at 41. Better late than never.",
            who="Ravi Sharma",
            hours_ago=3,
        ),
    )[-1]
    assert result.occasion in (Occasion.CONGRATULATE, Occasion.CELEBRATE_OUTCOME)
    assert result.draft and "Leith Walk hill doesn't stand a chance now" in result.draft
    assert "never too late" not in result.draft


def test_a_pitch_that_asks_is_still_spam(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "@northsidecycles Want more bookings? Our AI chatbot answers your customers 24/7! "
        "Trusted by 3,000+ bike shops. Reply YES for a free demo",
        workspace=_workshop(),
    )
    assert result.occasion is None
