"""Who a post speaks to, and what it needs, with the real embedder: a tag in a listing is no
word to the business, someone who found the door shut is told the real hours, a question asked
as "genuine q" is a question, a private sale is nobody's to answer, a lost dog found is good
news, and a part of the post another snippet answers far better brings that snippet in."""

import pytest

from core.models import Occasion
from tests.integration.test_drafting_decisions import _draft, _drafts, _post, _to_us, _workshop

pytestmark = pytest.mark.model


def test_a_tag_in_a_post_about_something_else_gets_nothing(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "Sunday sorted: long walk along the river with the camera, then Crumb & Kettle for the "
        "biggest cinnamon knot in Leith. Heron count so far: three 📷",
    )
    assert result.occasion is None and not result.draft
    # …but the same tag with a word to them is theirs to answer
    spoken = _to_us(analyzer, "Crumb & Kettle your cinnamon knots got me through the week, ta")
    assert spoken.occasion is not None


def test_someone_who_found_the_door_shut_is_told_the_real_hours(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "@crumbandkettle cycled over from Stockbridge with my wee boy for a hot chocolate and "
        "got there and it was shut. a monday, apparently. would have been nice to know.",
    )
    assert result.occasion == Occasion.COMPLAINT and result.draft
    assert result.knowledge_used == ["Opening hours"]
    assert "sorry" in result.draft and "closed on Mondays" in result.draft
    # Hours they quote back are not told to them again.
    quoted = _to_us(
        analyzer,
        "@crumbandkettle your sign says open till 4. we got there at 3.30 and it was locked. "
        "not impressed.",
    )
    assert quoted.occasion == Occasion.COMPLAINT and quoted.knowledge_used == []


def test_a_genuine_q_without_a_question_mark_is_answered(analyzer) -> None:  # noqa: ANN001
    result = _draft(
        analyzer,
        _post(
            "genuine q for the bread folk, does a starter need fed every day if you only bake "
            "on a sunday, or is there a way round it. my flour bill is getting silly"
        ),
    )
    assert result.occasion in (Occasion.ANSWER, Occasion.HELP) and result.draft
    assert result.knowledge_used == ["Feeding a starter for weekly baking"]


def test_a_private_sale_that_names_the_workshop_gets_nothing(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "FOR SALE: kids' Islabike Beinn 20, blue, outgrown, £180 ono. Serviced at Northside "
        "Cycles in the spring. Collection from Trinity.",
        workspace=_workshop(),
    )
    assert result.occasion is None and not result.draft


def test_a_lost_dog_found_is_good_news_after_the_worry(analyzer) -> None:  # noqa: ANN001
    lost = _post(
        "Our collie Meg has run off on the Links after a squirrel, black and white, red collar. "
        "Please share if you're in Leith 🙏",
        hours_ago=5,
    )
    found = _post(
        "FOUND HER. a lady at the bus stop on Duke Street had her on a scarf. soaking, filthy, "
        "completely fine. thank you all for sharing",
        hours_ago=2,
    )
    result = _drafts(analyzer, lost, found)[-1]
    assert result.occasion == Occasion.CELEBRATE_OUTCOME and result.draft
    assert "Dogs welcome" not in result.knowledge_used


def test_a_part_answered_far_better_by_another_snippet_brings_it_in(analyzer) -> None:  # noqa: ANN001
    # The lights are what the post as a whole is about; the dark path home is a part of it
    # the paths snippet answers far better.
    result = _drafts(
        analyzer,
        _post(
            "Clocks change on Sunday so it's dark by 5 again. I ride home from Canonmills along "
            "the Warriston path every night after work and my only light is a wee flashing "
            "thing on the back. Is that enough?"
        ),
        workspace=_workshop(),
    )[-1]
    assert result.draft
    assert set(result.knowledge_used) == {"Lights for dark evenings", "Warriston and Trinity paths"}
    assert "unlit after dark" in result.draft


def test_a_question_answered_by_another_and_thanked_for_is_over(analyzer) -> None:  # noqa: ANN001
    # A question with a grumble in it (the intent reader calls it a complaint) is still put to
    # everyone: once someone else answers it, and they thank them, nothing is left to do.
    asked = _post(
        "any bike shop open today near Inverleith?? chain's come off and wedged itself behind "
        "the gears and I am useless",
        who="Ruth McGinley",
        hours_ago=20,
    )
    answered = _post(
        "@ruth the one on Leith Walk does Sundays I think", who="Callum Boyd", hours_ago=19
    )
    thanked = _post(
        "@callum got there, sorted in 10 mins, thank you!!", who="Ruth McGinley", hours_ago=16
    )
    results = _drafts(analyzer, asked, answered, thanked, workspace=_workshop())
    first = next(r for r in results if r.post_id == asked.external_id)
    assert first.occasion is None and "answered" in (first.no_reply_because or "")
    assert all(not r.draft for r in results)


def test_harm_named_by_a_doctor_is_no_harm_done_by_the_business(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "Hi, my son Rory is 6 next Friday and he can't have wheat (the hospital said an "
        "intolerance). Could you do a birthday cake without wheat, and how much notice do "
        "you need?",
    )
    assert result.occasion == Occasion.ANSWER and result.draft
    assert "Celebration cakes" in result.knowledge_used


def test_a_question_in_chinese_to_the_workshop_is_a_card_naming_the_language(analyzer) -> None:  # noqa: ANN001
    # (its question mark is the full-width one Chinese writes)
    result = _to_us(
        analyzer,
        "你好！我住在Leith附近，我的自行车链条断了，请问今天可以修吗？谢谢！",
        workspace=_workshop(),
    )
    assert result.occasion == Occasion.OTHER_LANGUAGE and not result.draft


def test_the_business_named_only_to_say_it_is_not_them_gets_nothing(analyzer) -> None:  # noqa: ANN001
    result = _draft(
        analyzer,
        _post(
            "£5 for a cinnamon bun in leith now. not at crumb & kettle, to be fair, the new "
            "place by the bridge. what is the world coming to"
        ),
    )
    assert result.occasion is None and not result.draft


@pytest.mark.parametrize(
    "post",
    [
        # a supply order: quantities, price and whether at all are the owner's
        "@crumbandkettle we've a wee guesthouse on Restalrig Road and our guests love good "
        "bread. Would you ever supply a couple of sourdoughs each morning? We'd collect.",
        # harm after what the counter said
        "I asked at your counter if the scones were nut free and was told yes. My son came up "
        "in hives half an hour later. I'm really upset and I want to know what's in them.",
    ],
    ids=["supply-a-guesthouse", "came-up-in-hives"],
)
def test_what_only_the_owner_can_settle_is_a_card(analyzer, post: str) -> None:  # noqa: ANN001
    result = _to_us(analyzer, post)
    assert result.occasion == Occasion.NEEDS_PERSON and not result.draft


def test_a_home_lost_to_fire_is_for_a_person_however_it_thanks(analyzer) -> None:  # noqa: ANN001
    result = _to_us(
        analyzer,
        "Our house on Lochend Road burned down on Sunday night. We all got out, dog too. "
        "Everything else is gone. Thank you @crumbandkettle for the soup and rolls you sent "
        "round to the neighbours' where we're staying.",
    )
    assert result.occasion == Occasion.PERSONAL_NOTE and not result.draft


def test_lessons_in_something_the_business_never_speaks_of_get_nothing(analyzer) -> None:  # noqa: ANN001
    result = _drafts(
        analyzer,
        _post("does anyone know where does saturday tennis lessons for an 8yo in north edinburgh"),
        workspace=_workshop(),
    )[-1]
    assert result.occasion is None and not result.draft
