"""One post that asks two things gets the snippet for each (a price and how to book)."""

from pathlib import Path

import pytest

from ingest import workspaces as workspace_files
from suggest.knowledge import KnowledgeBase
from suggest.need import read_need

pytestmark = pytest.mark.model

SNIPPETS = [
    {
        "title": "Repair prices",
        "text": "A puncture repair is £12 and a brake adjustment £15. Parts are extra.",
    },
    {
        "title": "Booking a repair",
        "text": "Repairs are booked by phone. Bring the bike in before 10:00.",
    },
    {"title": "Winter tyres", "text": "Studded tyres grip on ice; fit them in December."},
]


def _titles(embedder: object, post: str) -> list[str]:
    kb = KnowledgeBase(SNIPPETS, [], embedder)  # type: ignore[arg-type]
    need = read_need(post)
    embedding = embedder.embed([post])[0]  # type: ignore[attr-defined]
    scores = kb.scores(need, embedding)
    return [m.snippet.title for m in kb.answer(scores, need, embedding, may_mention_us=True)]


def _workshop(embedder: object) -> KnowledgeBase:
    """The bike workshop's knowledge, as the labelled drafting set has it."""
    path = Path(__file__).parents[2] / "bench/data/drafting/northside-cycles.workspace.yaml"
    workshop = workspace_files.parse(path.read_text(encoding="utf-8"))
    return KnowledgeBase(
        [k.model_dump() for k in workshop.knowledge],
        workshop.helps_with,
        embedder,  # type: ignore[arg-type]
    )


def test_both_questions_are_answered(embedder: object) -> None:
    titles = _titles(embedder, "what does a puncture repair cost, and do I need to book?")
    assert sorted(titles) == ["Booking a repair", "Repair prices"]


def test_a_second_question_that_names_nothing_adds_nothing(embedder: object) -> None:
    titles = _titles(embedder, "what does a puncture repair cost? do you?")
    assert titles == ["Repair prices"]


def test_two_things_asked_are_answered_each_on_its_own_when_the_post_is_near_neither(
    embedder: object,
) -> None:
    post = (
        "first winter commuting by bike (Leith to Canonmills). two questions from a total "
        "novice: what am i meant to do about all the salt on the roads, and what lights do i "
        "legally need? don't want to get pulled over or watch the bike rust"
    )
    kb = _workshop(embedder)
    need = read_need(post)
    embedding = embedder.embed([post])[0]  # type: ignore[attr-defined]
    scores = kb.scores(need, embedding)
    titles = [m.snippet.title for m in kb.answer(scores, need, embedding, may_mention_us=True)]
    assert sorted(titles) == ["Gritted roads and salt", "Lights for dark evenings"]
    # the whole post is near no snippet enough for an answer of its own
    assert max(scores) < 0.5


def test_a_question_naming_what_the_business_helps_with_is_in_its_scope(embedder: object) -> None:
    kb = _workshop(embedder)
    pads = "how often should I be changing the brake pads?"
    post = f"commute 20 miles a day on a hybrid, rim brakes. {pads} grinding noise in the wet"
    embedding = embedder.embed([post])[0]  # type: ignore[attr-defined]
    # "chain, gear and brake care at home": the embedding alone puts it at 0.33
    assert kb.in_scope(embedding, question=pads) >= 0.38
    # a place it names ("north Edinburgh") or a word as general as "home" does not
    dentist = "anyone know a good dentist in north Edinburgh, near home?"
    embedding = embedder.embed([dentist])[0]  # type: ignore[attr-defined]
    assert kb.in_scope(embedding, question=dentist) < 0.38
    # a post that names two of those things, whatever its question names
    tyres = (
        "Replacing the tyres on my commuter before winter. Currently 28mm slicks. Would 32 or "
        "35mm be comfier, and would they even fit?"
    )
    embedding = embedder.embed([tyres])[0]  # type: ignore[attr-defined]
    fit = "Would 32 or 35mm be comfier, and would they even fit?"
    assert kb.in_scope(embedding, question=fit, text=tyres) >= 0.38
    assert kb.in_scope(embedding, question=fit, text=dentist) < 0.38


def test_the_workshop_is_the_business_speaking_of_itself(embedder: object) -> None:
    kb = _workshop(embedder)
    where = next(s for s in kb.snippets if s.title == "Where we are and access")
    assert where.about_us  # "The workshop is in Arch 7 …"
    # so "where is the frame number?", asked of nobody, is not answered with its address
    post = (
        "Everyone keeps telling me to 'register the frame number' on the bike I just bought "
        "second hand. Where even IS the frame number and where do I register it."
    )
    need = read_need(post)
    embedding = embedder.embed([post])[0]  # type: ignore[attr-defined]
    titles = [
        m.snippet.title
        for m in kb.answer(kb.scores(need, embedding), need, embedding, may_mention_us=False)
    ]
    assert titles == ["Locking a bike"]


def test_how_they_will_pay_is_answered_by_the_sentence_that_says_it(embedder: object) -> None:
    # The payment snippet is far from a flat tyre as a whole post; the sentence that says
    # "I'll bring cash" is what it answers.
    kb = _workshop(embedder)
    post = (
        "Back tyre on my Dutch bike is flat AGAIN (the big heavy thing with 3 gears in the hub). "
        "Can I just walk in with it tomorrow? How long would I be waiting and roughly how much, "
        "I'll bring cash"
    )
    need = read_need(post)
    embedding = embedder.embed([post])[0]  # type: ignore[attr-defined]
    matches = kb.answer(kb.scores(need, embedding), need, embedding, may_mention_us=True)
    assert sorted(m.snippet.title for m in matches) == ["Payment", "Punctures while you wait"]
