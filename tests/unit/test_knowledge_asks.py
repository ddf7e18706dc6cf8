"""One post that asks two things gets the snippet for each (a price and how to book)."""

import pytest

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


def test_both_questions_are_answered(embedder: object) -> None:
    titles = _titles(embedder, "what does a puncture repair cost, and do I need to book?")
    assert sorted(titles) == ["Booking a repair", "Repair prices"]


def test_a_second_question_that_names_nothing_adds_nothing(embedder: object) -> None:
    titles = _titles(embedder, "what does a puncture repair cost? do you?")
    assert titles == ["Repair prices"]
