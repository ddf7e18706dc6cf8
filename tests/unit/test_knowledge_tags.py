"""A snippet's tags: words it can be found by (the lexical half of retrieval reads them), and
"about-us", which keeps what the business says about itself for people who ask."""

import numpy as np

from suggest.knowledge import KnowledgeBase
from suggest.need import read_need
from tests.fakes import HashEmbedder

SNIPPETS = [
    {"title": "Step-free access", "text": "The café is on the ground floor.", "tags": []},
    {"title": "Opening hours", "text": "Open 8 to 4 every day.", "tags": []},
]


def test_a_tag_makes_its_snippet_score_higher_for_that_word() -> None:
    need = read_need("Can I get in with a wheelchair?")
    embedder = HashEmbedder()
    vector = embedder.embed(["Can I get in with a wheelchair?"])[0]
    untagged = KnowledgeBase(SNIPPETS, [], embedder).scores(need, vector)
    tagged = [dict(SNIPPETS[0], tags=["wheelchair"]), SNIPPETS[1]]
    with_tag = KnowledgeBase(tagged, [], embedder).scores(need, vector)
    assert with_tag[0] > untagged[0]
    assert with_tag[1] == untagged[1]


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
