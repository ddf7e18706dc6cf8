import pytest

from suggest import guard

CONTEXT = guard.GuardContext(
    post_text="My sourdough starter smells like nail polish remover. Is it dead?",
    recent_texts=["Long run along the Water of Leith today."],
    knowledge_texts=[
        "A starter that smells like nail polish remover is hungry: feed it twice a day "
        "for two days and keep it around 24°C.",
        "We are open Tuesday to Sunday, 7:30 to 16:00.",
    ],
    person_names=["Maria", "maria@mastodon.scot"],
    own_products=["Leith Loaf"],
    banned_phrases=["limited time"],
    max_chars=280,
)


def test_a_helpful_grounded_reply_passes() -> None:
    draft = (
        "Good question, Maria! A starter that smells like nail polish remover is hungry: "
        "feed it twice a day for two days and keep it around 24°C. How is it looking now?"
    )
    verdict = guard.check(draft, CONTEXT)
    assert verdict.passed, verdict.reasons


@pytest.mark.parametrize(
    ("draft", "reason"),
    [
        ("Maria, you should visit our shop! https://crumb.example/loaves", "link"),
        ("Maria, try our Leith Loaf instead, you'll love it.", "own product"),
        ("Sorry Maria! Use code SAVE10 for 10% off your next loaf.", "discount"),
        ("Maria, DM us and we will sort you out!", "call to action"),
        ("Hope you feel better, Maria #sourdough #bakery", "hashtag"),
        ("We think our bakery and our team and our flour are the best, Maria.", "talks about us"),
        ("Maria, a loaf is only £4 with us.", "price"),
        ("Hope it's going well with the starter. Limited time to save it!", "call to action"),
        ("I fed my starter and I think mine is fine now.", "speaks as the person"),
        ("So glad! We'd love to see you at the café sometime.", "call to action"),
        ("Maria, Jenny at Rua Augusta bakery can help you.", "ungrounded"),
        ("Maria, feed it 3 times a day at 30°C and you'll be fine.", "ungrounded number"),
        ("Maria " + "you " * 80, "too long"),
    ],
)
def test_promotional_or_ungrounded_drafts_are_blocked(draft: str, reason: str) -> None:
    verdict = guard.check(draft, CONTEXT)
    assert not verdict.passed
    assert any(reason in r for r in verdict.reasons), verdict.reasons


def test_a_price_is_fine_when_the_person_asked_about_it() -> None:
    context = CONTEXT.model_copy(
        update={
            "post_text": "How much is a loaf at your place?",
            "knowledge_texts": ["A sourdough loaf costs £4.50."],
        }
    )
    verdict = guard.check("Hi Maria! A sourdough loaf costs £4.50. Hope you enjoy it!", context)
    assert verdict.passed, verdict.reasons


def test_echoing_the_post_back_is_not_a_reply() -> None:
    draft = "Maria: my sourdough starter smells like nail polish remover. Is it dead? You decide."
    verdict = guard.check(draft, CONTEXT)
    assert "repeats the post instead of replying to it" in verdict.reasons


def test_talking_about_the_business_is_fine_when_the_person_asked_about_it() -> None:
    draft = "Hi! We are open Tuesday to Sunday, 7:30 to 16:00, and our kitchen is step-free."
    asked = guard.asked_about_business(
        "@crumbandkettle are you open on Sundays?", ["crumbandkettle"]
    )
    not_asked = guard.asked_about_business("Lovely walk by the sea today.", ["crumbandkettle"])
    assert asked and not not_asked
    context = CONTEXT.model_copy(update={"post_text": "@crumbandkettle open Sundays?"})
    assert guard.check(draft, context.model_copy(update={"asked_about_us": True})).passed
    blocked = guard.check(draft, context)
    assert any("talks about us" in r for r in blocked.reasons)


def test_the_learned_classifier_is_a_second_opinion_above_its_threshold() -> None:
    draft = "Good question, Maria! How is the starter looking today?"
    sure = CONTEXT.model_copy(update={"promotional_probability": 0.99})
    unsure = CONTEXT.model_copy(update={"promotional_probability": 0.6})
    assert "reads as promotional (classifier p=0.99)" in guard.check(draft, sure).reasons
    assert guard.check(draft, unsure).passed
