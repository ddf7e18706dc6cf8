"""A learned promotional-text classifier: a logistic-regression head on sentence embeddings.

Trained by `python -m suggest.promotional --data ../shared/data` on self-promotion and spam
comments (YouTube Spam Collection, SMS Spam Collection) and on the sales-like and helpful
replies in analysis/labels.py and below; saved as plain arrays in suggest/promotional.npz. It is
a second opinion next to the guard's rules, which stay the first line.
"""

from __future__ import annotations

import argparse
import csv
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from analysis.models import Embedder, file_sha256

WEIGHTS = Path(__file__).parent / "promotional.npz"

# Replies in the product's own register, written by the project (not the evaluation set).
PROJECT_PROMOTIONAL = [
    "Come and try our new seasonal menu, you won't regret it!",
    "Treat yourself this weekend at our café, everything is freshly baked.",
    "Our loaves are the best in town, grab one before they sell out.",
    "Perfect excuse to visit us this Saturday!",
    "You'd love our new range, have a look next time you're passing.",
    "We have just the thing for that, ask at the counter.",
    "Don't forget we deliver, order through our website.",
    "That's why we bake fresh every morning, see you soon!",
]
PROJECT_HELPFUL = [
    "That sounds frustrating. What have you tried so far?",
    "Congratulations! How are you going to celebrate?",
    "Keep it somewhere warm and feed it twice a day; how does it smell now?",
    "Sorry to hear that, hope the week gets easier for you.",
    "Good question! It depends a bit on your oven: what temperature do you bake at?",
    "What a lovely thing to do for your mum. What does she enjoy most?",
    "Try the poke test: if the dent springs back slowly, it's ready.",
    "Welcome to the neighbourhood! What are you hoping to find nearby?",
]


class PromotionalClassifier:
    """P(promotional) for texts; needs the embedder the head was trained on."""

    def __init__(self, embedder: Embedder, path: Path = WEIGHTS) -> None:
        data = np.load(path)
        if str(data["embedder"]) != embedder.model_id:
            raise ValueError(
                f"{path.name} was trained on {data['embedder']}, not "
                f"{embedder.model_id}; retrain with python -m suggest.promotional"
            )
        self.embedder = embedder
        self.w = data["W"].astype(np.float32)
        self.b = float(data["b"])
        self.version = "promo-" + file_sha256(path)[:8]

    def probabilities(self, texts: Sequence[str]) -> list[float]:
        if not texts:
            return []
        logits = self.embedder.embed(texts) @ self.w + self.b
        return [float(p) for p in 1.0 / (1.0 + np.exp(-logits))]


def _training_data(data: Path) -> tuple[list[str], list[int]]:
    texts: list[str] = []
    labels: list[int] = []
    for path in sorted((data / "youtube_spam").glob("Youtube0*.csv")):
        with path.open(encoding="utf-8", errors="replace") as f:
            for row in csv.DictReader(f):
                texts.append(row["CONTENT"])
                labels.append(int(row["CLASS"]))
    with (data / "sms_spam" / "SMSSpamCollection").open(encoding="utf-8", errors="replace") as f:
        next(f)  # header
        for line in f:
            label, _, text = line.rstrip("\n").partition("\t")
            texts.append(text)
            labels.append(1 if label == "spam" else 0)
    # the project's own register counts more than SMS from the 2000s
    for _ in range(5):
        texts += PROJECT_PROMOTIONAL + PROJECT_HELPFUL
        labels += [1] * len(PROJECT_PROMOTIONAL) + [0] * len(PROJECT_HELPFUL)
    return texts, labels


def train(data: Path, out: Path = WEIGHTS) -> None:
    from sklearn.linear_model import LogisticRegression

    from analysis.models import load_embedder
    from core.settings import Settings

    embedder = load_embedder(Settings(_env_file=None))
    texts, labels = _training_data(data)
    model = LogisticRegression(max_iter=3000, C=2.0, class_weight="balanced")
    model.fit(embedder.embed(texts), labels)
    np.savez_compressed(
        out, W=model.coef_[0], b=model.intercept_[0], embedder=np.asarray(embedder.model_id)
    )
    print(f"saved {out} from {len(texts)} texts")  # noqa: T201


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Train the promotional-text classifier.")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    train(parser.parse_args().data)
