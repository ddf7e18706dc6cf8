"""How the analysis reads posts that must reach a person: grief is not a celebration, and what
the trained readers of crisis and grief find reaches a person, in the language they know."""

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from analysis.models import HEAD_INPUTS, Lexicon, TrainedHeads
from analysis.sensitive_training import precision_threshold, recall_threshold
from analysis.service import Analyzer
from analysis.text import FOR_A_PERSON
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


# Posts the phrase lists do not read, for readers trained (below) to find them.
QUIET_CRISIS = "Made a plan. Just waiting now."
QUIET_CRISIS_ES = "Hice un plan y ahora solo estoy esperando."
QUIET_GRIEF = "The kettle still whistles the way she liked it."
# …and a post to the business only someone there can settle, in words no phrase list reads.
QUIET_ASK = "Could you keep the green one back for me until payday?"


def _readers(tmp_path: Path, *, person: bool = True) -> TrainedHeads:
    """Crisis, sensitive and person readers for the hash embedder that find exactly the posts
    above (without the person reader: a file from before there was one)."""
    embedder = HashEmbedder()
    width = embedder.dim + Lexicon.dim

    def head(*posts: str) -> np.ndarray:
        weights = np.zeros((width, 1), dtype=np.float32)
        weights[: embedder.dim, 0] = 12.0 * embedder.embed(list(posts)).sum(axis=0)
        return weights

    path = tmp_path / "sensitive_heads.npz"
    arrays = {
        "crisis_W": head(QUIET_CRISIS, QUIET_CRISIS_ES),
        "crisis_b": np.asarray([-6.0]),
        "crisis_threshold": np.asarray(0.5),
        "sensitive_W": head(QUIET_GRIEF),
        "sensitive_b": np.asarray([-6.0]),
        "sensitive_threshold": np.asarray(0.5),
    }
    if person:
        arrays |= {
            "person_W": head(QUIET_ASK),
            "person_b": np.asarray([-6.0]),
            "person_threshold": np.asarray(0.5),
        }
    np.savez(path, embedder=np.asarray(embedder.model_id), inputs=np.asarray(HEAD_INPUTS), **arrays)
    return TrainedHeads(path)


def test_what_the_trained_readers_find_reaches_a_person(tmp_path: Path) -> None:
    analyzer = Analyzer(HashEmbedder(), heads=None, sensitive_heads=_readers(tmp_path))
    crisis, grief, everyday = analyzer.read([QUIET_CRISIS, QUIET_GRIEF, "Lovely walk today."])
    assert {"crisis", "sensitive"} <= set(crisis.flags)
    assert "sensitive" in grief.flags and "crisis" not in grief.flags
    assert not {"crisis", "sensitive"} & set(everyday.flags)


def test_what_only_a_person_can_settle_is_read_by_its_own_reader(tmp_path: Path) -> None:
    analyzer = Analyzer(HashEmbedder(), heads=None, sensitive_heads=_readers(tmp_path))
    ask, everyday, grief = analyzer.read([QUIET_ASK, "Lovely walk today.", QUIET_GRIEF])
    assert FOR_A_PERSON in ask.flags and not {"crisis", "sensitive"} & set(ask.flags)
    assert FOR_A_PERSON not in everyday.flags and FOR_A_PERSON not in grief.flags
    # Readers saved before there was a person reader still load, and read as they did.
    older = Analyzer(HashEmbedder(), heads=None, sensitive_heads=_readers(tmp_path, person=False))
    ask, grief = older.read([QUIET_ASK, QUIET_GRIEF])
    assert FOR_A_PERSON not in ask.flags and "sensitive" in grief.flags


def test_a_reader_threshold_meets_the_precision_asked() -> None:
    probs = np.asarray([0.95, 0.9, 0.8, 0.7, 0.6, 0.4, 0.3])
    truth = np.asarray([1, 1, 0, 1, 1, 0, 0])
    # 4 of the 5 at 0.6 or above are right (0.8); 3 of 4 at 0.7 (0.75); 2 of 2 at 0.9
    assert precision_threshold(probs, truth, 0.8) == 0.6
    assert precision_threshold(probs, truth, 0.95) == 0.9
    assert recall_threshold(probs, truth, 0.5) == 0.9


def test_the_trained_readers_read_english_only(tmp_path: Path) -> None:
    analyzer = Analyzer(HashEmbedder(), heads=None, sensitive_heads=_readers(tmp_path))
    reading = analyzer.read([QUIET_CRISIS_ES], ["es"])[0]
    assert reading.language == "es" and "crisis" not in reading.flags


def test_new_readers_mean_every_post_is_read_again(tmp_path: Path) -> None:
    without = Analyzer(HashEmbedder(), heads=None)
    with_readers = Analyzer(HashEmbedder(), heads=None, sensitive_heads=_readers(tmp_path))
    assert without.sensitive_heads is None  # the shipped readers are for all-MiniLM-L6-v2 only
    assert with_readers.model_version != without.model_version


class CheerfulSentimentModel:
    """A sentiment model that reads every post as positive."""

    model_id = "always-positive"

    def predict_proba(self, texts: Sequence[str]) -> tuple[list[str], np.ndarray]:
        scores = np.tile(np.array([0.1, 0.1, 0.8], dtype=np.float32), (len(texts), 1))
        return ["negative", "neutral", "positive"], scores


def test_a_joyful_post_only_the_grief_reader_finds_is_not_grief_but_a_crisis_still_is(
    tmp_path: Path,
) -> None:
    """“My mum turned 60 and cried at the cake. Best day” is a family day, not a loss."""
    joyful = {"emotion": JoyfulEmotionModel(), "sentiment": CheerfulSentimentModel()}
    analyzer = Analyzer(
        HashEmbedder(),
        heads=None,
        replacements=joyful,  # type: ignore[arg-type]
        sensitive_heads=_readers(tmp_path),
    )
    crisis, grief, phrase_listed = analyzer.read([QUIET_CRISIS, QUIET_GRIEF, GRIEF])
    assert grief.sentiment == "positive" and "sensitive" not in grief.flags
    assert {"crisis", "sensitive"} <= set(crisis.flags)
    assert "sensitive" in phrase_listed.flags  # the phrase lists are never overruled
