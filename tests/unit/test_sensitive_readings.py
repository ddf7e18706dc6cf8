"""How the analysis reads posts that must reach a person: grief is not a celebration, and the
crisis reading by similarity runs only where it was measured."""

from collections.abc import Sequence

import numpy as np

from analysis import service as analysis_service
from analysis.service import Analyzer
from tests.fakes import HashEmbedder

GRIEF = "It would have been mum's 70th birthday today. Made her shortbread."


class JoyfulEmotionModel:
    """An emotion model that reads every post as joy, as a warm grief post can be."""

    model_id = "always-joy"

    def predict_proba(self, texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
        scores = np.tile(np.array([0.05, 0.7, 0.15, 0.1], dtype=np.float32), (len(texts), 1))
        return ["anger", "joy", "optimism", "sadness"], scores


def _analyzer() -> Analyzer:
    return Analyzer(HashEmbedder(), heads=None, replacements={"emotion": JoyfulEmotionModel()})  # type: ignore[dict-item]


def test_a_grief_post_is_not_read_as_joy_nor_as_a_milestone() -> None:
    grief, party = _analyzer().read([GRIEF, "Mum's 70th birthday today, cake at ours!!"])
    assert "sensitive" in grief.flags and "milestone_cue" not in grief.flags
    assert grief.emotion != "joy"
    assert grief.intent != "milestone" and grief.intents["milestone"] == 0.0
    assert grief.emotion_scores["joy"] == 0.7  # the model's own scores are kept as they were
    assert party.emotion == "joy" and "milestone_cue" in party.flags


def test_a_crisis_post_is_never_read_as_spam_nor_as_hopeful() -> None:
    reading = _analyzer().read(["Please dm me, I can't do this anymore"])[0]
    assert {"crisis", "sensitive"} <= set(reading.flags)
    assert reading.intent != "spam" and reading.intents["spam"] == 0.0
    assert reading.emotion == "sadness"  # neither joy nor optimism, the model's next two


def test_the_platform_tag_gives_way_to_a_confident_reading() -> None:
    posts = ["Primer mes en Leith y ya tengo cafetería favorita.", "🎉🎉", "Lovely day for it"]
    readings = _analyzer().read(posts, ["en", "pt", None])
    assert [r.language for r in readings] == ["es", "pt", "en"]


def test_the_similarity_reading_of_crisis_is_only_for_the_embedder_it_was_measured_on() -> None:
    assert _analyzer().crisis_examples is None
    assert "all-MiniLM-L6-v2" in analysis_service.CRISIS_SIMILARITY_EMBEDDERS
