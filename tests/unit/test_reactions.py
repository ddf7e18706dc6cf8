"""Good news is answered by the detail that shows it was read, never by reading the post back."""

import pytest

from core.models import Occasion
from suggest import guard, reactions
from suggest.composer import DraftRequest, compose
from suggest.reactions import DetailKind, achievement, asked_back, find_detail, relief
from suggest.selection import distressed


def _first_draft(text: str, occasion: Occasion = Occasion.CONGRATULATE, **extra: object) -> str:
    request = DraftRequest.model_validate(
        {
            "occasion": occasion,
            "post_external_id": "1",
            "person_name": "Ailsa",
            "post_text": text,
            **extra,
        }
    )
    drafts = compose(request, max_chars=280)
    assert drafts
    return drafts[0]


def _passes_guard(draft: str, post: str) -> bool:
    """What the queue itself asks of a draft: the guard, with the post as its only source."""
    return guard.check(draft, guard.GuardContext(post_text=post, person_names=["Ailsa"])).passed


def test_someone_elses_verdict_is_the_detail_said_back_to_them() -> None:
    post = "Made my first pavlova. Husband says it's better than his mother's."
    assert find_detail(post) == reactions.Detail(DetailKind.VERDICT, "your husband")
    draft = _first_draft(post)
    # whose verdict it was, after the congratulation, not their words read back: "Better than
    # his mother's, says your husband!" is a parrot
    assert draft == "Congratulations on your first pavlova, Ailsa! High praise from your husband."
    assert "mother" not in draft and _passes_guard(draft, post)
    # …and the years that make the verdict worth having
    post = "Baked my first loaf. Wife says it's the best thing I've made in 40 years of marriage."
    draft = _first_draft(post)
    assert draft.endswith("High praise from your wife, and after 40 years of marriage she'd know.")
    assert "best thing" not in draft and _passes_guard(draft, post)
    # what they ate is said back, as it is no verdict of theirs in words
    eaten = find_detail("Made my first pavlova. The kids devoured it.")
    assert eaten and eaten.kind is DetailKind.REVIEW


def test_the_good_turn_after_a_mishap_is_named_not_the_mishap() -> None:
    post = (
        "Made croissants for the first time. They look like bread rolls but the kids ate them all."
    )
    draft = _first_draft(post)
    assert draft.startswith("The kids ate them all")
    assert "rolls" not in draft


def test_a_few_goes_and_long_service_are_recognised() -> None:
    assert _first_draft("Passed my driving test on the fourth attempt!").startswith("Fourth time")
    draft = _first_draft("Retired today after 31 years at the council.")
    assert "31 years at the council" in draft and "retiring" in draft


def test_a_grown_ups_first_is_met_with_a_word_on_the_age_not_their_words_back() -> None:
    post = "Got my swimming certificate at 56. Took long enough."
    draft = _first_draft(post)
    assert draft == "Proof it's never too late, Ailsa. Well done on your swimming certificate!"
    assert _passes_guard(draft, post)
    # a teenager's first is simply congratulated
    young = _first_draft("Got my swimming certificate at 15!")
    assert "too late" not in young and "swimming certificate" in young


def test_news_about_someone_close_congratulates_that_person() -> None:
    draft = _first_draft("My son graduated today. So proud.")
    assert "to your son" in draft
    assert "on graduating" not in draft


def test_a_wedding_names_the_place_not_the_day() -> None:
    draft = _first_draft("We got married on Saturday at Portobello Town Hall!")
    assert "to you both" in draft and "wedding" in draft
    assert "Portobello Town Hall" in draft and "Saturday is" not in draft


@pytest.mark.parametrize(
    "post",
    [
        "Finished my first marathon today! Legs are jelly.",
        "Never baked bread in my life. 34 years old. Bought a bag of flour today. Now what",
    ],
)
def test_asides_about_themselves_are_not_said_back(post: str) -> None:
    # "Legs are jelly!" or "Now what!" said back to them reads as mockery.
    assert find_detail(post) is None
    assert "your life" not in achievement(post)


def test_good_news_after_a_worry_speaks_to_the_worry() -> None:
    assert relief("Third flat loaf this week. About to give up on baking.") == [
        "Good thing you stuck with baking.",
        "So glad you didn't give up on baking.",
    ]
    draft = _first_draft(
        "Hip op went fine. Walking with a stick already.",
        Occasion.CELEBRATE_OUTCOME,
        earlier_post="Hip operation on Thursday. Really nervous.",
    )
    assert "relief" in draft and "that hip" in draft and "Ailsa" in draft


def test_a_birthday_is_wished_not_congratulated() -> None:
    draft = _first_draft("He turned five! The candles wouldn't light but he loved it anyway.")
    assert "birthday to him" in draft
    assert "Congratulations" not in draft


def test_an_answer_ends_with_a_word_about_what_else_they_said() -> None:
    knowledge = ["The canal towpath is flat and traffic-free for 6 km."]
    drafts = compose(
        DraftRequest(
            occasion=Occasion.RECOMMEND,
            post_external_id="1",
            person_name="Ailsa",
            post_text="Flat walk near Fountainbridge? My ankle is still sore after the fall.",
            knowledge=knowledge,
        ),
        max_chars=280,
    )
    assert any(d.endswith("Go easy on that ankle.") for d in drafts)
    assert not any("settle down" in d and "settles" not in d for d in drafts)
    assert all("?" not in d for d in drafts)


def test_good_news_after_trying_something_asks_about_it() -> None:
    post = "The scones finally rose properly!"
    earlier = "Scones flat as pancakes again. Honestly about to give up on baking."
    tried = ["Ordered a new oven thermometer. Fingers crossed.", earlier]
    draft = _first_draft(post, Occasion.CELEBRATE_OUTCOME, earlier_post=earlier, recent_posts=tried)
    assert draft.endswith("Was it the oven thermometer that did it?")
    assert _passes_guard(draft, " ".join([post, *tried]))
    # tried before the worry, it is not what settled it
    before = [earlier, "Ordered a new oven thermometer. Fingers crossed."]
    assert "?" not in _first_draft(
        post, Occasion.CELEBRATE_OUTCOME, earlier_post=earlier, recent_posts=before
    )
    # what they bought is not a thing tried unless they waited to see if it helped
    assert asked_back(["Bought some flour today, fingers crossed"], None) is None
    # nothing tried, nothing asked
    plain = _first_draft(post, Occasion.CELEBRATE_OUTCOME, earlier_post=earlier)
    assert "?" not in plain


def test_short_good_news_leads_the_reply_to_what_it_settles() -> None:
    drafts = reactions.good_news(
        post_text="ok the loaf rose. it actually rose. I may cry.",
        thing="the loaf rose",
        name="Tam",
        outcome=True,
        earlier_post="Third flat loaf in a row. Thinking of giving up on sourdough.",
    )
    assert drafts[0] == "The loaf rose! Good thing you stuck with sourdough, Tam."
    # when another card of the morning already opens with their words: the news last
    after = "Good thing you stuck with sourdough, Tam. The loaf rose!"
    assert drafts.index(after) < drafts.index("Good thing you stuck with sourdough, Tam.")


def test_good_news_after_something_made_no_sense_asks_if_it_clicked() -> None:
    post = "ok the loaf rose. it actually rose."
    earlier = "Another pancake of a loaf. Honestly about to give up on sourdough."
    puzzled = ["How do you know when dough is proofed? The poke test makes no sense to me."]
    draft = _first_draft(
        post, Occasion.CELEBRATE_OUTCOME, earlier_post=earlier, recent_posts=[*puzzled, earlier]
    )
    assert draft.endswith("Did the poke test finally click?")
    assert _passes_guard(draft, " ".join([post, *puzzled, earlier]))
    # puzzled before the worry: not what settled it
    before = [earlier, *puzzled]
    assert "?" not in _first_draft(
        post, Occasion.CELEBRATE_OUTCOME, earlier_post=earlier, recent_posts=before
    )


def test_longer_good_news_is_not_read_back_first() -> None:
    drafts = reactions.good_news(
        post_text="First bake with Doughlene. Open crumb. I'm unbearable now.",
        thing="first bake with Doughlene, open crumb",
        name="Sam",
        outcome=True,
        earlier_post="Doughlene is finally bubbling. First bake tomorrow, wish me luck.",
    )
    assert drafts and not drafts[0].startswith("First bake with Doughlene")
    assert "unbearable" in drafts[0]


def test_a_pothole_that_is_the_worst_one_is_no_hard_moment() -> None:
    assert not distressed("I know every pothole on Leith Walk (Gary is the worst one)")
    assert distressed("Worst week of my life, honestly")


def test_good_news_after_a_sulk_says_the_sulk_is_over_with_their_detail() -> None:
    drafts = reactions.good_news(
        post_text="First bake with Doughlene. Open crumb. I'm unbearable now.",
        thing="first bake with Doughlene",
        name="Sam",
        outcome=True,
        earlier_post="Doughlene is sulking in the cold kitchen. Any tips for keeping a starter "
        "warm in winter?",
    )
    assert drafts[0] == (
        "Glad Doughlene has stopped sulking, Sam. You've earned the right to be unbearable."
    )
    assert relief("my oven is playing up again, third flat loaf") == [
        "Glad your oven is behaving again.",
        "Sounds like your oven is behaving again.",
    ]


def test_progress_they_say_is_paying_off_is_the_detail() -> None:
    post = "First 16 km run without stopping!! Half-marathon training is actually working."
    assert find_detail(post) == reactions.Detail(
        DetailKind.WORKING, "all that half-marathon training"
    )
    draft = _first_draft(post)
    # how it was done is the point of it
    assert draft.startswith("Well done on the 16 km without stopping, Ailsa!")
    # …and what the training brings within reach, not her own words said back
    assert "The half-marathon is looking very doable now." in draft
    assert "training" not in draft
    assert "What lovely news" not in draft and _passes_guard(draft, post)


def test_a_cry_of_joy_is_not_said_back_when_there_is_a_detail() -> None:
    drafts = reactions.good_news(
        post_text="We made pancakes together and she ate five. Result.",
        thing="Result",
        name="Moira",
        outcome=True,
    )
    assert drafts and not any(d.startswith("Result") for d in drafts)
    assert drafts[0].startswith("She ate five")
