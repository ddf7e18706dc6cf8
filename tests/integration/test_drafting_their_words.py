"""The words people use find what the business knows, with the real embedder: bread is what a
loaf is, "ebike" is an e-bike, two things asked get an answer each, and "where would you take
them?" asks for a place, not a favour."""

import pytest

from core.models import Occasion
from tests.integration.test_drafting_decisions import _drafts, _post, _to_us, _workshop

pytestmark = pytest.mark.model


def test_bread_without_wheat_is_answered_by_the_wheat_free_loaf(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "do you ever do bread with no wheat in it? my husband isn't coeliac but wheat really "
        "doesn't agree with him and he misses a proper bacon roll",
    )
    assert result.occasion == Occasion.ANSWER and result.draft
    assert result.knowledge_used == ["Wheat-free and gluten-free"]
    # what he can have first; the warning for coeliacs (which he said he isn't) after it
    assert result.draft.index("buckwheat") < result.draft.index("coeliac")


def test_two_things_asked_get_an_answer_each(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "@crumbandkettle my in-laws are visiting from Cardiff next month and my father-in-law "
        "uses a walking frame. is there a flat stretch along the river we could stroll starting "
        "near you? and can he get in the door with no steps? don't want a repeat of Arthur's Seat",
    )
    assert result.occasion == Occasion.ANSWER and result.draft
    # (not the playground on the Links the post as a whole is nearest)
    assert set(result.knowledge_used) == {"Water of Leith walkway", "Step-free access"}


def test_an_ebike_is_named_by_what_the_workshop_says_of_e_bikes(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "@northsidecycles ebike back tyre's flat again 🙄 can I just walk in on saturday or do "
        "I need to book? and is it dearer for an ebike?",
        workspace=_workshop(),
    )
    assert result.occasion == Occasion.ANSWER and result.draft
    assert "Punctures while you wait" in result.knowledge_used
    # the e-bike price comes first: it is what they asked that others don't
    assert result.draft.index("£20") < result.draft.index("£12")


def test_where_would_you_take_them_asks_for_a_place_not_a_favour(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "Hi Northside! Our two just got their stabilisers off 🎉 where would you take them for "
        "their first proper ride? flat, no traffic, and loos nearby would be a bonus",
        workspace=_workshop(),
    )
    assert result.occasion in (Occasion.ANSWER, Occasion.RECOMMEND) and result.draft
    assert result.knowledge_used == ["Silverknowes to Cramond"]


def test_a_dog_named_with_its_breed_is_a_dog_they_bring(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "Hello! Dad's in a wheelchair since his stroke, can he get in the door ok? He won't go "
        "anywhere without Skye (old collie, very polite) so is she allowed in too?",
    )
    assert result.occasion == Occasion.ANSWER and result.draft
    assert set(result.knowledge_used) == {"Step-free access", "Dogs welcome"}


def test_the_closed_day_they_mean_to_bring_someone_is_said(analyzer) -> None:  # noqa: ANN001
    # Monday is the café's closed day.
    result = _to_us(
        analyzer,
        "my gran's 90 and uses a wheelchair now. I'm thinking of bringing her down on Monday "
        "for a scone and a blether, can we get in the door ok?",
    )
    assert result.occasion == Occasion.ANSWER and result.draft
    assert set(result.knowledge_used) == {"Step-free access", "Opening hours"}
    assert "closed on Mondays" in result.draft


def test_somewhere_flat_with_no_cars_finds_the_traffic_free_ride(analyzer) -> None:  # noqa: ANN001
    result = _drafts(
        analyzer,
        _post(
            "Grandad's 79 and has just bought himself a trike 😂 Looking for somewhere completely "
            "flat with no cars at all, and a loo not too far away. We're out in Davidson's "
            "Mains. Any ideas?"
        ),
        workspace=_workshop(),
    )[-1]
    assert result.occasion in (Occasion.ANSWER, Occasion.RECOMMEND) and result.draft
    assert result.knowledge_used == ["Silverknowes to Cramond"]


def test_bread_for_someone_off_wheat_is_never_flour_advice(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "@crumbandkettle my mum's visiting next weekend and she's been off wheat for a couple of "
        "years (not coeliac, her stomach's just happier without it). Do you do ANY bread she "
        "could have? She misses toast more than anything",
    )
    assert result.occasion == Occasion.ANSWER and result.draft
    # (flour advice names gluten as what holds the rise, not as what is left out)
    assert result.knowledge_used == ["Wheat-free and gluten-free"]
    assert "wheat allergy" in result.draft
