"""Train the classifier heads that sit on the sentence embeddings (reproducible).

Heads are multinomial logistic regressions (sentiment, emotion) and one-vs-rest logistic
regressions (topics, multi-label) on all-MiniLM-L6-v2 embeddings. They are trained only on the
train/validation splits of the public datasets (test splits are for bench/quality.py) plus the
project's own example posts in analysis/labels.py, and saved as plain arrays, so inference
needs only numpy.

    .venv/bin/python -m analysis.training --data ../shared/data
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from analysis.labels import EMOTION_LABELS, SENTIMENT_LABELS, SENTIMENTS, TOPIC_LABELS, TOPICS
from analysis.models import load_embedder
from core.settings import Settings

HEADS = Path(__file__).parent / "heads.npz"
__all__ = ["EMOTION_LABELS", "SENTIMENT_LABELS", "TOPIC_LABELS", "load_topics", "load_tweeteval"]


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def load_tweeteval(data: Path, task: str, splits: list[str]) -> tuple[list[str], list[int]]:
    texts: list[str] = []
    labels: list[int] = []
    for split in splits:
        texts += _lines(data / f"tweeteval_{task}" / f"{split}_text.txt")
        labels += [int(x) for x in _lines(data / f"tweeteval_{task}" / f"{split}_labels.txt")]
    return texts, labels


def load_topics(data: Path, splits: list[str]) -> tuple[list[str], np.ndarray]:
    texts, rows = [], []
    for split in splits:
        for line in _lines(data / "tweettopic_xl_en" / f"en_{split}.jsonl"):
            record = json.loads(line)
            texts.append(record["text"])
            rows.append([int(record[label]) for label in TOPIC_LABELS])
    return texts, np.asarray(rows, dtype=np.int64)


def train(data: Path, out: Path) -> None:
    from sklearn.linear_model import LogisticRegression

    embedder = load_embedder(Settings(_env_file=None))
    arrays: dict[str, np.ndarray] = {"embedder": np.asarray(embedder.model_id)}

    # sentiment: TweetEval has no usable train text here, so its validation split + our examples
    texts, labels = load_tweeteval(data, "sentiment", ["val"])
    for label, examples in SENTIMENTS.items():
        texts += examples
        labels += [SENTIMENT_LABELS.index(label)] * len(examples)
    model = LogisticRegression(max_iter=2000, C=1.0, class_weight="balanced")
    model.fit(embedder.embed(texts), labels)
    arrays |= {"sentiment_W": model.coef_.T, "sentiment_b": model.intercept_}

    texts, labels = load_tweeteval(data, "emotion", ["train", "val"])
    model = LogisticRegression(max_iter=2000, C=2.0, class_weight="balanced")
    model.fit(embedder.embed(texts), labels)
    arrays |= {"emotion_W": model.coef_.T, "emotion_b": model.intercept_}

    texts, y = load_topics(data, ["train", "validation"])
    for label, examples in TOPICS.items():
        texts += examples
        extra = np.zeros((len(examples), len(TOPIC_LABELS)), dtype=np.int64)
        extra[:, TOPIC_LABELS.index(label)] = 1
        y = np.vstack([y, extra])
    x = embedder.embed(texts)
    weights, biases = [], []
    for j in range(len(TOPIC_LABELS)):
        head = LogisticRegression(max_iter=2000, C=4.0, class_weight="balanced")
        head.fit(x, y[:, j])
        weights.append(head.coef_[0])
        biases.append(head.intercept_[0])
    arrays |= {"topic_W": np.stack(weights, axis=1), "topic_b": np.asarray(biases)}

    np.savez_compressed(out, **{k: np.asarray(v) for k, v in arrays.items()})  # type: ignore[arg-type]
    print(f"saved {out} ({out.stat().st_size // 1024} KiB)")  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser(description="Train the analysis heads.")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=HEADS)
    args = parser.parse_args()
    train(args.data, args.out)


if __name__ == "__main__":
    main()
