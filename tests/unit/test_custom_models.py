"""Replacing a default model through settings, with a tiny model the test builds itself."""

from pathlib import Path

import pytest
import torch

from analysis.models import load_sentiment_model
from analysis.service import Analyzer
from core.errors import ModelLoadError
from core.settings import Settings
from tests.fakes import HashEmbedder

WORDS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "bread", "is", "great", "awful"]


def _tiny_sentiment_model(path: Path, labels: dict[int, str]) -> Path:
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
        num_labels=3,
        id2label=labels,
        label2id={v: k for k, v in labels.items()},
    )
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    with torch.no_grad():  # a model that always says the third label, so the test can tell
        model.classifier.weight.zero_()
        model.classifier.bias.copy_(torch.tensor([0.0, 0.0, 5.0]))
    model.save_pretrained(path)
    return path


def test_a_local_sentiment_model_replaces_the_head(tmp_path: Path) -> None:
    path = _tiny_sentiment_model(
        tmp_path / "tiny-sentiment", {0: "negative", 1: "neutral", 2: "positive"}
    )
    model = load_sentiment_model(Settings(_env_file=None, sentiment_model=str(path)))
    analyzer = Analyzer(HashEmbedder(), heads=None, sentiment_model=model)
    readings = analyzer.read(["the bread is awful", "the bread is great"])
    assert [r.sentiment for r in readings] == ["positive", "positive"]
    assert readings[0].sentiment_scores["positive"] > 0.9
    assert analyzer.model_version.endswith("+sentiment:tiny-sentiment")


def test_label_names_in_another_order_are_mapped(tmp_path: Path) -> None:
    path = _tiny_sentiment_model(
        tmp_path / "reordered", {0: "Positive", 1: "Negative", 2: "Neutral"}
    )
    model = load_sentiment_model(Settings(_env_file=None, sentiment_model=str(path)))
    reading = Analyzer(HashEmbedder(), heads=None, sentiment_model=model).read(["great"])[0]
    assert reading.sentiment == "neutral"  # the third output is named Neutral


def test_a_missing_model_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="local path or the local model cache"):
        load_sentiment_model(Settings(_env_file=None, sentiment_model=str(tmp_path / "nope")))
