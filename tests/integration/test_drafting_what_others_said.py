"""What else was said decides the reply, with the real embedder and the sample workspace: a
question someone else has answered since is over, good news that ends with a new trouble gets
help with the trouble, and a question put to a crowd by name is answered."""

import pytest

from core.models import Occasion
from tests.integration.test_drafting_decisions import _draft, _drafts, _post

pytestmark = pytest.mark.model


def test_a_question_someone_else_has_answered_is_over(analyzer) -> None:  # noqa: ANN001
    asked, answered = _drafts(
        analyzer,
        _post(
            "anyone know if Crumb & Kettle is open on a Monday? want to take my gran for a scone",
            who="Lewis Bain",
            hours_ago=5,
        ),
        _post(
            "@lewis no, they're shut Mondays! Tue to Sun, half 7 til 4. Get the cinnamon knots",
            who="Shona Petrie",
            hours_ago=4,
        ),
    )
    assert asked.occasion is None and not asked.draft
    assert "someone else has answered them" in (asked.no_reply_because or "")
    assert answered.occasion is None


def test_a_shrug_from_someone_else_leaves_the_question_open(analyzer) -> None:  # noqa: ANN001
    asked, _ = _drafts(
        analyzer,
        _post(
            "anyone know if Crumb & Kettle is open on a Monday? want to take my gran for a scone",
            who="Lewis Bain",
            hours_ago=5,
        ),
        _post("@lewis no idea sorry! ask them?", who="Shona Petrie", hours_ago=4),
    )
    assert asked.occasion == Occasion.ANSWER
    assert asked.knowledge_used == ["Opening hours"]


def test_good_news_that_ends_with_a_new_trouble_gets_help_with_the_trouble(analyzer) -> None:  # noqa: ANN001
    flat, update = _drafts(
        analyzer,
        _post(
            "Loaf five. Flat again. It rises like mad all afternoon then spreads out like a "
            "pizza the second it hits the oven. Why",
            who="Kwame Asante",
            hours_ago=80,
        ),
        _post(
            "Update: did the poke test and shaped it tighter like you lot said and it has "
            "actual HEIGHT 🎉 New problem: the crust is like armour, nearly took my thumb off "
            "cutting it. 55 min with no lid at 230 and cut it straight away.",
            who="Kwame Asante",
            hours_ago=2,
        ),
    )
    assert flat.occasion is None
    assert update.occasion == Occasion.HELP and update.draft
    assert update.knowledge_used == ["Thick, hard crust"]
    assert "lid on for 20 minutes" in update.draft


def test_a_question_put_to_a_crowd_by_name_is_answered(analyzer) -> None:  # noqa: ANN001
    result = _draft(
        analyzer,
        _post(
            "my brother got me a cafetière and every cup tastes like dishwater. one scoop, fill "
            "it up, plunge right away. coffee people, what am I doing wrong 😭"
        ),
    )
    assert result.occasion == Occasion.HELP and result.draft
    assert result.knowledge_used == ["Coffee ratio for a cafetière"]


def test_a_loaf_with_an_ear_after_giving_up_is_celebrated(analyzer) -> None:  # noqa: ANN001
    _, ear = _drafts(
        analyzer,
        _post(
            "Loaf number 19. Flat. Again. That's it, I'm buying bread like a normal person",
            who="Jen Oduya",
            hours_ago=22,
        ),
        _post(
            "ok fine I tried one more. IT HAS AN EAR. A real one. sat on the kitchen floor "
            "staring at it through the oven door 😭🍞",
            who="Jen Oduya",
            hours_ago=2,
        ),
    )
    assert ear.occasion == Occasion.CELEBRATE_OUTCOME and ear.draft
    assert ear.draft.startswith("It has an ear!")


def test_a_starter_back_from_the_dead_is_celebrated(analyzer) -> None:  # noqa: ANN001
    _, back = _drafts(
        analyzer,
        _post(
            "Opened the fridge and Dougal smells EXACTLY like nail varnish. Is he dead?? Had "
            "him three years 😭",
            who="Carol Sinclair",
            hours_ago=50,
        ),
        _post(
            "DOUGAL LIVES. Fed him twice a day, put him in the airing cupboard and tonight he "
            "doubled in four hours. Pancakes with the discard tomorrow.",
            who="Carol Sinclair",
            hours_ago=2,
        ),
    )
    assert back.occasion == Occasion.CELEBRATE_OUTCOME and back.draft
    assert "Dougal lives" in back.draft
