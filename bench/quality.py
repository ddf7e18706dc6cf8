"""Analysis quality on public benchmarks (test splits) — trained heads vs the prototype baseline.

    .venv/bin/python -m bench.quality [--data ../shared/data]

Intents on the project's labelled set (bench/data/labelled_posts.jsonl: 306 posts, 34 per intent),
TweetEval sentiment (macro recall, the official metric), TweetEval emotion (macro F1) and
TweetTopicXL English test (micro F1, multi-label). Both systems read the same embeddings in the
same run; only the classifier on top differs.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.metrics import classification_report, f1_score, recall_score

from analysis.labels import EMOTION_LABELS, SENTIMENT_LABELS, SENTIMENTS, TOPIC_LABELS, TOPICS
from analysis.models import PrototypeClassifier, load_embedder, pick_topics
from analysis.schemas import PostReading
from analysis.service import Analyzer
from analysis.training import load_topics, load_tweeteval
from core.settings import Settings

EMOTION_EXAMPLES = {
    "anger": ["This makes me so angry.", "Furious with the council right now."],
    "joy": ["Best day ever, so happy!", "Laughing so hard with friends tonight."],
    "optimism": ["Tomorrow will be better, I can feel it.", "Things are looking up."],
    "sadness": ["Feeling really low today.", "I miss her so much."],
}


INTENTS_SET = Path(__file__).parent / "data" / "labelled_posts.jsonl"


def _embeddings(readings: list[PostReading]) -> np.ndarray:
    return np.asarray([r.embedding for r in readings], dtype=np.float32)


def _topic_matrix(topics: list[list[str]]) -> np.ndarray:
    out = np.zeros((len(topics), len(TOPIC_LABELS)), dtype=int)
    for i, labels in enumerate(topics):
        out[i, [TOPIC_LABELS.index(label) for label in labels]] = 1
    return out


def intent_report(analyzer: Analyzer) -> None:
    """Per-class intent precision/recall/F1 and topic micro-F1 on the project's labelled set."""
    rows = [json.loads(line) for line in INTENTS_SET.read_text(encoding="utf-8").splitlines()]
    texts, gold = [r["text"] for r in rows], [r["intent"] for r in rows]
    readings = analyzer.read(texts)
    predicted = [r.intent for r in readings]
    raw_scores = analyzer.intents.predict_proba(_embeddings(readings))
    raw = [analyzer.intents.labels[i] for i in raw_scores.argmax(1)]
    print(
        f"\nIntents (bench/data/labelled_posts.jsonl, {len(rows)} posts): macro-F1 "
        f"{f1_score(gold, predicted, average='macro'):.3f} with cues, "
        f"{f1_score(gold, raw, average='macro'):.3f} prototypes alone (target 0.80)"
    )
    print(classification_report(gold, predicted, digits=3, zero_division=0))
    y_true = _topic_matrix([row["topics"] for row in rows])
    y_pred = _topic_matrix([list(r.topics) for r in readings])
    print(f"Topics on the same set: micro-F1 {f1_score(y_true, y_pred, average='micro'):.3f}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description="Analysis quality on public test splits.")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    # The product's own reader: the same heads, inputs and topic choice as `rapport analyze`.
    analyzer = Analyzer(load_embedder(Settings(_env_file=None)))
    assert analyzer.heads is not None, "no trained heads: run python -m analysis.training"
    embedder = analyzer.embedder

    intent_report(analyzer)
    texts, gold = load_tweeteval(args.data, "sentiment", ["test"])
    readings = analyzer.read(texts)
    trained = [SENTIMENT_LABELS.index(r.sentiment) for r in readings]
    proto = PrototypeClassifier(SENTIMENTS, embedder)
    scores = proto.predict_proba(_embeddings(readings))
    baseline = [SENTIMENT_LABELS.index(proto.labels[i]) for i in scores.argmax(1)]
    ours, base = (
        recall_score(gold, trained, average="macro"),
        recall_score(gold, baseline, average="macro"),
    )
    print(
        f"TweetEval sentiment  macro-recall  heads {ours:.3f}  prototypes {base:.3f}  (target 0.65)"
    )

    texts, gold = load_tweeteval(args.data, "emotion", ["test"])
    readings = analyzer.read(texts)
    trained = [EMOTION_LABELS.index(r.emotion or "") for r in readings]
    proto = PrototypeClassifier(EMOTION_EXAMPLES, embedder)
    scores = proto.predict_proba(_embeddings(readings))
    baseline = [EMOTION_LABELS.index(proto.labels[i]) for i in scores.argmax(1)]
    print(
        f"TweetEval emotion    macro-F1      heads {f1_score(gold, trained, average='macro'):.3f}"
        f"  prototypes {f1_score(gold, baseline, average='macro'):.3f}  (target 0.72)"
    )

    texts, y = load_topics(args.data, ["test"])
    readings = analyzer.read(texts)
    trained = _topic_matrix([list(r.topics) for r in readings])
    proto = PrototypeClassifier(TOPICS, embedder)
    chosen = pick_topics(proto.predict_proba(_embeddings(readings)), 0.15, most=2)
    baseline = _topic_matrix([[proto.labels[j] for j in np.flatnonzero(row)] for row in chosen])
    print(
        f"TweetTopicXL topics  micro-F1      heads {f1_score(y, trained, average='micro'):.3f}"
        f"  prototypes {f1_score(y, baseline, average='micro'):.3f}  (target 0.60)"
    )


if __name__ == "__main__":
    main()
