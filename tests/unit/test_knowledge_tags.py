"""A snippet's tags are words it can be found by: the lexical half of retrieval reads them."""

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
