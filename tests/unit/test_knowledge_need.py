"""Retrieval reads what the post needs: not what it says is fine, and the need in the
knowledge's own words when people ask for it in others ("now what", "take one somewhere")."""

import dataclasses

import numpy as np
import pytest

from suggest.knowledge import IN_SCOPE, KnowledgeBase
from suggest.need import read_need

pytestmark = pytest.mark.model

BAKERY = [
    {
        "title": "Hard crust",
        "text": "A crust that is too hard to cut has baked too long: lower the oven to 220°C and "
        "take the lid off only for the last 15 minutes.",
    },
    {
        "title": "Keeping bread",
        "text": "Keep a loaf cut side down on a wooden board or in a linen bag, never in the "
        "fridge; slice and freeze what you won't eat in two days.",
    },
    {
        "title": "Baking surgery",
        "text": "Every second Sunday at 9:00 we run a free baking surgery: bring your bread, ask "
        "anything, no need to book.",
    },
    {
        "title": "Beginner's loaf",
        "text": "For a first loaf, try a simple no-knead bread: 500 g strong flour, 350 g water, "
        "7 g yeast and 10 g salt, left overnight.",
    },
    {
        "title": "Choosing flour",
        "text": "Bread needs strong flour with 12% protein or more; plain flour is for cakes and "
        "scones.",
    },
    {
        "title": "Shaping",
        "text": "Flat loaves are usually under-shaped: tighten the surface by dragging the dough "
        "towards you on the bench.",
    },
]


def _answer(embedder: object, post: str) -> list[str]:
    kb = KnowledgeBase(BAKERY, ["baking bread at home"], embedder)  # type: ignore[arg-type]
    need = read_need(post)
    embedding = embedder.embed([post])[0]  # type: ignore[attr-defined]
    scores = kb.scores(need, embedding)
    matches = kb.answer(scores, need, embedding, may_mention_us=True, prefer_us=need.asks_for_place)
    return [m.snippet.title for m in matches]


def test_what_they_say_is_fine_is_not_what_they_are_answered_about(embedder: object) -> None:
    post = (
        "My rye loaf is like a brick by the third day. The crust is fine, it's the inside that "
        "dries out. Why?"
    )
    kb = KnowledgeBase(BAKERY, [], embedder)  # type: ignore[arg-type]
    need = read_need(post)
    embedding = embedder.embed([post])[0]  # type: ignore[attr-defined]
    # Read whole, the crust they said is fine wins; set aside, it no longer does.
    whole = dataclasses.replace(need, focus=post, ruled_out=[], query=post)
    assert BAKERY[int(np.argmax(kb.scores(whole, embedding)))]["title"] == "Hard crust"
    assert "Hard crust" not in _answer(embedder, post)


def test_a_beginner_s_now_what_gets_the_first_step(embedder: object) -> None:
    post = "Never baked anything in my life. Got strong flour and yeast in the cupboard. Now what"
    assert _answer(embedder, post) == ["Beginner's loaf"]


def test_where_to_take_a_loaf_to_be_looked_at_gets_the_place_to_bring_it(
    embedder: object,
) -> None:
    post = (
        "My bread keeps coming out flat. Anywhere in town I could bring one to get somebody to "
        "have a look?"
    )
    assert _answer(embedder, post) == ["Baking surgery"]


def test_the_question_alone_can_be_the_business_s_kind_of_question(embedder: object) -> None:
    kb = KnowledgeBase(
        [{"title": "Punctures", "text": "Puncture repairs are walk-in: done in 20 minutes."}],
        ["punctures, tyres and tyre pressure", "riding through winter: salt, rain and lights"],
        embedder,  # type: ignore[arg-type]
    )
    post = (
        "Tubeless or inner tubes for riding to work through the winter? My brother-in-law won't "
        "shut up about it at family dinners"
    )
    embedding = embedder.embed([post])[0]  # type: ignore[attr-defined]
    question = read_need(post).question
    assert kb.in_scope(embedding) < IN_SCOPE <= kb.in_scope(embedding, question=question)


def test_a_request_for_a_class_gets_the_session_where_someone_shows_you(
    embedder: object,
) -> None:
    post = (
        "Any classes in Edinburgh for learning to bake bread? Prefer something small and friendly."
    )
    assert read_need(post).asks_for_place
    assert _answer(embedder, post) == ["Baking surgery"]
    # Learning it at home is not asking where to be taught.
    assert not read_need("Learning to bake bread this winter. Where do I start?").asks_for_place


def test_words_are_matched_as_people_type_them_without_accents(embedder: object) -> None:
    kb = KnowledgeBase(
        [{"title": "Coffee", "text": "For a cafetière use 60 g of coffee per litre."}],
        [],
        embedder,  # type: ignore[arg-type]
    )
    assert kb.names(kb.snippets[0], "cafetiere")


def test_advice_that_ends_with_what_we_do_is_advice_for_anyone(embedder: object) -> None:
    snippets = [
        {
            "title": "Chain wear",
            "text": "A worn chain wears out the cassette and chainrings with it. Replace the chain "
            "when a chain checker reads 0.5%; we check chains for free in a minute, no booking.",
        },
        {"title": "Opening hours", "text": "We're open Tuesday to Saturday, 9:00 to 18:00."},
    ]
    kb = KnowledgeBase(snippets, [], embedder)  # type: ignore[arg-type]
    post = "how do you actually know when a chain is worn out? about 4000 miles on mine"
    need = read_need(post)
    embedding = embedder.embed([post])[0]  # type: ignore[attr-defined]
    scores = kb.scores(need, embedding)
    [anyone] = kb.answer(scores, need, embedding, may_mention_us=False)
    assert anyone.snippet.title == "Chain wear"
    said = " ".join(anyone.sentences)
    assert "0.5%" in said and "we check" not in said
    [asked_us] = kb.answer(scores, need, embedding, may_mention_us=True)
    assert "we check chains for free" in " ".join(asked_us.sentences)
