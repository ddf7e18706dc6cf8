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

from analysis.labels import SENTIMENT_LABELS, SENTIMENTS, TOPIC_LABELS, TOPICS
from analysis.models import load_embedder
from core.settings import Settings

HEADS = Path(__file__).parent / "heads.npz"


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
    from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
    from sklearn.metrics import f1_score
    from sklearn.model_selection import cross_val_predict

    embedder = load_embedder(Settings(_env_file=None))
    arrays: dict[str, np.ndarray] = {"embedder": np.asarray(embedder.model_id)}

    # sentiment: TweetEval has no usable train text here, so its validation split + our examples
    texts, labels = load_tweeteval(data, "sentiment", ["val"])
    for label, examples in SENTIMENTS.items():
        texts += examples
        labels += [SENTIMENT_LABELS.index(label)] * len(examples)
    # C is chosen by 5-fold cross-validation on the training data, for the task's own metric.
    model = LogisticRegressionCV(
        Cs=[0.25, 0.5, 1, 2, 4, 8],
        cv=5,
        max_iter=3000,
        class_weight="balanced",
        scoring="recall_macro",
    )
    model.fit(embedder.embed(texts), labels)
    arrays |= {"sentiment_W": model.coef_.T, "sentiment_b": model.intercept_}
    print(f"sentiment C={model.C_[0]}")  # noqa: T201

    texts, labels = load_tweeteval(data, "emotion", ["train", "val"])
    model = LogisticRegressionCV(
        Cs=[0.5, 1, 2, 4, 8, 16], cv=5, max_iter=3000, class_weight="balanced", scoring="f1_macro"
    )
    model.fit(embedder.embed(texts), labels)
    arrays |= {"emotion_W": model.coef_.T, "emotion_b": model.intercept_}
    print(f"emotion C={model.C_[0]}")  # noqa: T201

    texts, y = load_topics(data, ["train", "validation"])
    for label, examples in TOPICS.items():
        texts += examples
        extra = np.zeros((len(examples), len(TOPIC_LABELS)), dtype=np.int64)
        extra[:, TOPIC_LABELS.index(label)] = 1
        y = np.vstack([y, extra])
    x = embedder.embed(texts)
    # One threshold for all topics, chosen on out-of-fold predictions for micro-F1.
    best = (0.0, 4.0, 0.5)
    for c in (1.0, 4.0, 16.0):
        probs = np.zeros(y.shape, dtype=np.float64)
        for j in range(len(TOPIC_LABELS)):
            head = LogisticRegression(max_iter=2000, C=c, class_weight="balanced")
            probs[:, j] = cross_val_predict(head, x, y[:, j], cv=5, method="predict_proba")[:, 1]
        for threshold in np.arange(0.3, 0.85, 0.05):
            predicted = (probs >= threshold).astype(int)
            predicted[np.arange(len(x)), probs.argmax(1)] = 1
            score = f1_score(y, predicted, average="micro")
            if score > best[0]:
                best = (score, c, float(threshold))
    print(f"topics C={best[1]} threshold={best[2]:.2f} (cv micro-F1 {best[0]:.3f})")  # noqa: T201
    weights, biases = [], []
    for j in range(len(TOPIC_LABELS)):
        head = LogisticRegression(max_iter=2000, C=best[1], class_weight="balanced")
        head.fit(x, y[:, j])
        weights.append(head.coef_[0])
        biases.append(head.intercept_[0])
    arrays |= {
        "topic_W": np.stack(weights, axis=1),
        "topic_b": np.asarray(biases),
        "topic_threshold": np.asarray(best[2]),
    }

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
