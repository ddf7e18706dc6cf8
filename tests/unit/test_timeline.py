"""What a person posted since decides what is still current."""

from datetime import UTC, datetime, timedelta

from core.models import Platform
from suggest.schemas import Candidate
from suggest.timeline import current_moments

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _post(text: str, hours: float, **overrides: object) -> Candidate:
    values: dict[str, object] = {
        "external_id": f"{hours}",
        "platform": Platform.MASTODON,
        "url": None,
        "text": text,
        "posted_at": T0 + timedelta(hours=hours),
        "summons_business": False,
        "display_name": "Morag",
        "handle": "morag@example.social",
        "intent": "experience",
        "sentiment": "neutral",
        "language": "en",
        "flags": [],
        "has_question": "?" in text,
        "keyphrases": [],
        "embedding": [],
    }
    values.update(overrides)
    return Candidate.model_validate(values)


def test_good_news_after_a_worry_is_the_moment_and_the_worry_is_over() -> None:
    worry = _post("Knee replacement surgery next week. Bit scared.", 0, sentiment="negative")
    news = _post("Surgery went well. Home and bored already.", 48, sentiment="positive")
    [moment] = current_moments([worry, news])
    assert moment.post is news and moment.earlier is worry and moment.overtaken == [worry]
    # a worry told without a worried word, read as neutral: results due, no sleep
    results = _post("Mum's biopsy results tomorrow. Can't sleep.", 0)
    clear = _post("All clear. ALL CLEAR. Going round to hug her now", 16, sentiment="positive")
    [moment] = current_moments([results, clear])
    assert moment.post is clear and moment.earlier is results
    # joy in other words: a verdict, a beaming child, being back in business
    sunk = _post("well it's sunk in the middle. the cake is a crater now", 0, sentiment="negative")
    for text in (
        "Granny says it's the best cake she's ever had. The 5yo has not stopped beaming.",
        "First loaf out the oven tonight. She had two slices. Back in business",
    ):
        [moment] = current_moments([sunk, _post(text, 26, sentiment="positive")])
        assert moment.post.text == text and moment.earlier is sunk, text


def test_a_question_settled_by_a_later_post_is_dropped() -> None:
    question = _post("Need ideas for a wheat-free birthday cake for a 3-year-old?", 0)
    later = _post("She turned three! The cake collapsed but she loved it.", 20)
    moments = current_moments([question, later])
    assert [m.post for m in moments] == [later]


def test_an_unrelated_later_post_leaves_the_question_standing() -> None:
    question = _post("How often should I feed my starter?", 0)
    later = _post("Rainy day, soup and a film.", 5)
    assert {m.post.text for m in current_moments([question, later])} == {
        question.text,
        later.text,
    }


def test_a_possible_crisis_is_never_overtaken() -> None:
    crisis = _post("I don't see the point any more.", 0, flags=["crisis", "sensitive"])
    later = _post("I don't see the point of this weather either.", 3)
    assert crisis in [m.post for m in current_moments([crisis, later])]


def test_history_gives_context_but_only_candidates_become_moments() -> None:
    said = _post("Taking my dad out on Sunday, he's in a wheelchair.", 0)
    asks = _post("Where can we get coffee and cake on Sunday?", 20)
    [moment] = current_moments([asks], history=[said])
    assert moment.post is asks and said in moment.context


def test_trying_again_in_other_words_settles_the_question() -> None:
    # Jo asked about a crust too thick to cut; two days on she is "trying a lower oven": an
    # answer to the question now would talk past what she is doing. The vectors stand for the
    # embedder's: close in meaning (0.36 with the real model) though no word is shared.
    crust, oven = [1.0, 0.0], [0.36, (1 - 0.36**2) ** 0.5]
    question = _post("Anyone else's crust way too thick and hard? I can barely cut it.", 0)
    attempt = _post("Trying a lower oven temperature this time. Fingers crossed.", 44)
    moments = current_moments(
        [
            question.model_copy(update={"embedding": crust}),
            attempt.model_copy(update={"embedding": oven}),
        ]
    )
    assert [m.post.text for m in moments] == [attempt.text]
    # The same words about something else leave the question standing.
    walk = _post("Trying a new walk this time. Fingers crossed for no rain.", 44)
    moments = current_moments(
        [
            question.model_copy(update={"embedding": crust}),
            walk.model_copy(update={"embedding": [0.0, 1.0]}),
        ]
    )
    assert {m.post.text for m in moments} == {question.text, walk.text}


def test_calling_off_a_question_in_other_words_settles_it() -> None:
    # No word shared with the question: "ignore me" is what says it no longer stands.
    question = _post("@shoresidecafe do you open at 7 on weekdays?", 0, summons_business=True)
    later = _post("ignore me, I'm at the door and the lights are on 😅", 0.3)
    [moment] = current_moments([question, later])
    assert moment.post is later and moment.overtaken == [question]
    for words in ("never mind, found a place", "Sorted now, thanks anyway folks"):
        asked = _post("Anywhere near Portobello doing oat milk flat whites?", 0)
        assert [m.post.text for m in current_moments([asked, _post(words, 5)])] == [words]


def test_calling_off_settles_only_the_last_question_and_only_soon_after() -> None:
    starter = _post("How often should a rye starter get fed?", 0)
    parking = _post("Where can you park near the Shore?", 2)
    never_mind = _post("never mind, worked it out", 3)
    assert {m.post.text for m in current_moments([starter, parking, never_mind])} == {
        starter.text,
        never_mind.text,
    }
    days_later = _post("never mind", 24 * 4)
    assert {m.post.text for m in current_moments([starter, days_later])} == {
        starter.text,
        days_later.text,
    }


def test_a_complaint_is_not_called_off_by_never_mind() -> None:
    complaint = _post(
        "@shoresidecafe waited half an hour for a cold toastie?",
        0,
        summons_business=True,
        intent="complaint",
        sentiment="negative",
    )
    later = _post("never mind, I've left", 1)
    assert complaint in [m.post for m in current_moments([complaint, later])]


def test_a_new_question_on_the_same_topic_leaves_the_first_one_open() -> None:
    # Unit vectors stand in for the embedder: cosine 0.3 (a different ask), 0.9 (the same).
    feed = _post("How often should I feed my starter if I bake weekly?", 0, embedding=[1.0, 0.0])
    warm = _post("Any tips for keeping a starter warm?", 20, embedding=[0.3, 0.954])
    assert {m.post.text for m in current_moments([feed, warm])} == {feed.text, warm.text}
    again = _post("Seriously, how often should a starter be fed?", 20, embedding=[0.9, 0.436])
    assert [m.post for m in current_moments([feed, again])] == [again]


def test_good_news_on_the_topic_does_not_answer_a_how_to_question() -> None:
    feed = _post("How often should I feed my starter if I bake weekly?", 0, embedding=[1.0, 0.0])
    bake = _post(
        "Finally did it: first bake with my starter, open crumb!",
        40,
        embedding=[0.3, 0.954],
        sentiment="positive",
    )
    assert {m.post.text for m in current_moments([feed, bake])} == {feed.text, bake.text}
    # a worry on the same topic is what good news settles
    worry = _post("Starter sulking and flat, is it dead?", 0, embedding=[1.0, 0.0])
    assert [m.post for m in current_moments([worry, bake])] == [bake]


def test_a_post_that_celebrates_is_read_with_the_news_it_celebrates() -> None:
    news = _post("Got the job!!! Starting in March.", 0, sentiment="positive")
    chatter = _post("Rainy day, soup and a film.", 20)
    cake = _post("Treating myself to a big slice of cake to celebrate. Where's good?", 40)
    moment = next(m for m in current_moments([news, chatter, cake]) if m.post is cake)
    assert moment.celebrating is news
    # a week on, the news is not what a celebration is about
    late = _post("Time to celebrate something, anything. Cake ideas?", 24 * 9)
    moment = next(m for m in current_moments([news, late]) if m.post is late)
    assert moment.celebrating is None


def test_a_post_about_grief_knows_the_earlier_one_that_says_what_happened() -> None:
    died = _post("My dad passed away on Sunday. Still doesn't feel real.", 0, flags=["sensitive"])
    baked = _post("Going to try to bake his shortbread this weekend.", 70)
    today = _post(
        "Made Dad's shortbread. It wasn't quite his, but the kitchen smelled like him.",
        120,
        flags=["sensitive"],
    )
    moment = next(m for m in current_moments([baked, today], [died]) if m.post is today)
    assert moment.what_happened is died
    # an everyday post has none
    plain = next(m for m in current_moments([baked], [died]) if m.post is baked)
    assert plain.what_happened is None


def test_a_question_solved_by_what_they_did_since_is_over() -> None:
    beans = _post(
        "Coffee at home tastes nothing like café coffee. Is it the beans or is it me?",
        0,
        intent="question",
        embedding=[1.0, 0.0],
    )
    # (near in meaning, but not so near that it reads as the same topic carried on)
    grinder = _post(
        "Bought a grinder. Life changed. Why did nobody tell me.", 43, embedding=[0.3, 0.954]
    )
    moments = current_moments([beans, grinder])
    assert [m.post for m in moments] == [grinder] and moments[0].overtaken == [beans]
    # unrelated news solves nothing
    gig = _post("Saw the band last night. Life changed.", 43, embedding=[0.0, 1.0])
    assert {m.post.text for m in current_moments([beans, gig])} == {beans.text, gig.text}


def test_a_reply_naming_them_answers_a_question_put_to_everyone() -> None:
    asked = _post("anyone know if the café on the Shore opens Mondays?", 0, intent="question")
    answer = _post("@morag nope, shut Mondays. Tue to Sun!", 1, handle="shona@example.social")
    late = _post("@morag. shut Mondays", 72, handle="iain@example.social")
    other_site = _post(
        "@morag they're shut Mondays", 1, handle="ali.bsky.social", platform=Platform.BLUESKY
    )
    moments = {m.post.external_id: m for m in current_moments([asked, answer])}
    assert moments["0"].answered_by is answer
    # two days later is no answer to it, nor a reply on another platform
    for reply in (late, other_site):
        moments = {m.post.external_id: m for m in current_moments([asked, reply])}
        assert moments["0"].answered_by is None
    # asked of the business, it is the business's to answer whoever chipped in
    to_us = asked.model_copy(update={"summons_business": True})
    moments = {m.post.external_id: m for m in current_moments([to_us, answer])}
    assert moments["0"].answered_by is None
