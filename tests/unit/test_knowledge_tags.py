"""What the owner marks as about the business is only offered to people who ask about it."""

import numpy as np

from suggest.knowledge import KnowledgeBase
from suggest.need import read_need
from tests.fakes import HashEmbedder

CAKES = "Celebration cakes need five days' notice; a wheat-free sponge is possible."


def _answer(tags: list[str], *, may_mention_us: bool) -> list[str]:
    embedder = HashEmbedder()
    kb = KnowledgeBase([{"title": "Celebration cakes", "text": CAKES, "tags": tags}], [], embedder)
    post = "Celebration cakes: how many days' notice? A wheat-free sponge possible?"
    need = read_need(post)
    embedding = embedder.embed([post])[0]
    scores = kb.scores(need, embedding)
    assert float(np.max(scores)) > 0.5  # the snippet does answer this post
    matches = kb.answer(scores, need, embedding, may_mention_us=may_mention_us)
    return [m.snippet.title for m in matches]


def test_a_snippet_tagged_about_us_waits_to_be_asked() -> None:
    # Its wording has no "we" or "our", so only the tag says it describes the business.
    assert _answer([], may_mention_us=False) == ["Celebration cakes"]
    assert _answer(["about-us"], may_mention_us=False) == []
    assert _answer(["about-us"], may_mention_us=True) == ["Celebration cakes"]
