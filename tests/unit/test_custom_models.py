"""Replacing a default model through settings, with a tiny model the test builds itself."""

from pathlib import Path

import pytest
import torch

from analysis.labels import TOPIC_LABELS
from analysis.models import TransformersClassifier, load_replacement_models
from analysis.service import Analyzer
from core.errors import ModelLoadError
from core.settings import Settings
from tests.fakes import HashEmbedder

WORDS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "bread", "is", "great", "awful"]


def _tiny_model(
    path: Path, labels: dict[int, str], bias: list[float] | None = None, **config: str
) -> Path:
    """A one-layer BERT whose outputs are its bias alone, so that the test knows the answer."""
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast

    path.mkdir()
    (path / "vocab.txt").write_text("\n".join(WORDS), encoding="utf-8")
    BertTokenizerFast(vocab_file=str(path / "vocab.txt")).save_pretrained(path)
    config = BertConfig(
        vocab_size=len(WORDS),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        num_labels=len(labels),
        id2label=labels,
        label2id={v: k for k, v in labels.items()},
        **config,
    )
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    with torch.no_grad():  # by default a model that always says the third label
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor(bias or [0.0, 0.0, 5.0]))
    model.save_pretrained(path)
    return path


def test_a_local_sentiment_model_replaces_the_head(tmp_path: Path) -> None:
    path = _tiny_model(tmp_path / "tiny-sentiment", {0: "negative", 1: "neutral", 2: "positive"})
    models = load_replacement_models(Settings(_env_file=None, sentiment_model=str(path)))
    assert list(models) == ["sentiment"]
    analyzer = Analyzer(HashEmbedder(), heads=None, replacements=models)
    readings = analyzer.read(["the bread is awful", "the bread is great"])
    assert [r.sentiment for r in readings] == ["positive", "positive"]
    assert readings[0].sentiment_scores["positive"] > 0.9
    assert analyzer.model_version.endswith("+sentiment:tiny-sentiment")


def test_label_names_in_another_order_are_mapped(tmp_path: Path) -> None:
    path = _tiny_model(tmp_path / "reordered", {0: "Positive", 1: "Negative", 2: "Neutral"})
    models = load_replacement_models(Settings(_env_file=None, sentiment_model=str(path)))
    reading = Analyzer(HashEmbedder(), heads=None, replacements=models).read(["great"])[0]
    assert reading.sentiment == "neutral"  # the third output is named Neutral


def test_a_missing_model_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="local path or the local model cache"):
        load_replacement_models(Settings(_env_file=None, topic_model=str(tmp_path / "nope")))


def test_emotion_and_multi_label_topic_models_replace_their_readers(tmp_path: Path) -> None:
    emotion = _tiny_model(
        tmp_path / "tiny-emotion",
        {0: "anger", 1: "joy", 2: "optimism", 3: "sadness"},
        bias=[0.0, 0.0, 0.0, 5.0],
    )
    wanted = {"family", "food_&_dining"}
    topic = _tiny_model(
        tmp_path / "tiny-topic",
        dict(enumerate(TOPIC_LABELS)),
        bias=[5.0 if label in wanted else -5.0 for label in TOPIC_LABELS],
        problem_type="multi_label_classification",
    )
    settings = Settings(_env_file=None, emotion_model=str(emotion), topic_model=str(topic))
    models = load_replacement_models(settings)
    assert isinstance(models["topic"], TransformersClassifier) and models["topic"].multi_label

    analyzer = Analyzer(HashEmbedder(), heads=None, replacements=models)
    reading = analyzer.read(["the bread is great"])[0]

    assert reading.emotion == "sadness"
    assert set(reading.topics) == wanted  # both labels, each scored on its own (sigmoid)
    assert all(score > 0.99 for score in reading.topics.values())
    assert analyzer.model_version.endswith("+emotion:tiny-emotion+topic:tiny-topic")
