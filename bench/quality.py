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
from analysis.models import PrototypeClassifier, load_embedder, load_heads
from analysis.service import Analyzer
from analysis.training import _topics_at, load_topics, load_tweeteval
from core.settings import Settings

EMOTION_EXAMPLES = {
    "anger": ["This makes me so angry.", "Furious with the council right now."],
    "joy": ["Best day ever, so happy!", "Laughing so hard with friends tonight."],
    "optimism": ["Tomorrow will be better, I can feel it.", "Things are looking up."],
    "sadness": ["Feeling really low today.", "I miss her so much."],
}


INTENTS_SET = Path(__file__).parent / "data" / "labelled_posts.jsonl"


def intent_report(analyzer: Analyzer) -> None:
    """Per-class intent precision/recall/F1 and topic micro-F1 on the project's labelled set."""
    rows = [json.loads(line) for line in INTENTS_SET.read_text(encoding="utf-8").splitlines()]
    texts, gold = [r["text"] for r in rows], [r["intent"] for r in rows]
    predicted = [r.intent for r in analyzer.read(texts)]
    x = analyzer.embedder.embed(texts)
    raw = [analyzer.intents.labels[i] for i in analyzer.intents.predict_proba(x).argmax(1)]
    print(
        f"\nIntents (bench/data/labelled_posts.jsonl, {len(rows)} posts): macro-F1 "
        f"{f1_score(gold, predicted, average='macro'):.3f} with cues, "
        f"{f1_score(gold, raw, average='macro'):.3f} prototypes alone (target 0.80)"
    )
    print(classification_report(gold, predicted, digits=3, zero_division=0))
    readings = analyzer.read(texts)
    y_true = np.zeros((len(rows), len(TOPIC_LABELS)), dtype=int)
    y_pred = np.zeros_like(y_true)
    for i, (row, reading) in enumerate(zip(rows, readings, strict=True)):
        for label in row["topics"]:
            y_true[i, TOPIC_LABELS.index(label)] = 1
        for label in reading.topics:
            y_pred[i, TOPIC_LABELS.index(label)] = 1
    print(f"Topics on the same set: micro-F1 {f1_score(y_true, y_pred, average='micro'):.3f}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description="Analysis quality on public test splits.")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    embedder = load_embedder(Settings(_env_file=None))
    heads = load_heads(embedder)
    assert heads is not None, "no trained heads: run python -m analysis.training"

    intent_report(Analyzer(embedder))
    texts, gold = load_tweeteval(args.data, "sentiment", ["test"])
    x, features = embedder.encode(texts)
    trained = heads.softmax("sentiment", heads.inputs(texts, features)).argmax(axis=1)
    proto = PrototypeClassifier(SENTIMENTS, embedder)
    baseline = [SENTIMENT_LABELS.index(proto.labels[i]) for i in proto.predict_proba(x).argmax(1)]
    ours, base = (
        recall_score(gold, trained, average="macro"),
        recall_score(gold, baseline, average="macro"),
    )
    print(
        f"TweetEval sentiment  macro-recall  heads {ours:.3f}  prototypes {base:.3f}  (target 0.65)"
    )

    texts, gold = load_tweeteval(args.data, "emotion", ["test"])
    x, features = embedder.encode(texts)
    trained = heads.softmax("emotion", heads.inputs(texts, features)).argmax(axis=1)
    proto = PrototypeClassifier(EMOTION_EXAMPLES, embedder)
    baseline = [EMOTION_LABELS.index(proto.labels[i]) for i in proto.predict_proba(x).argmax(1)]
    print(
        f"TweetEval emotion    macro-F1      heads {f1_score(gold, trained, average='macro'):.3f}"
        f"  prototypes {f1_score(gold, baseline, average='macro'):.3f}  (target 0.72)"
    )

    texts, y = load_topics(args.data, ["test"])
    x, features = embedder.encode(texts)
    probs = heads.sigmoid("topic", heads.inputs(texts, features))
    trained = _topics_at(probs, heads.topic_threshold)
    proto = PrototypeClassifier(TOPICS, embedder)
    p = proto.predict_proba(x)
    baseline = np.zeros_like(y)
    for i, row in enumerate(p):
        for j in np.argsort(-row)[:2]:
            if row[j] >= 0.15 or j == row.argmax():
                baseline[i, TOPIC_LABELS.index(proto.labels[j])] = 1
    print(
        f"TweetTopicXL topics  micro-F1      heads {f1_score(y, trained, average='micro'):.3f}"
        f"  prototypes {f1_score(y, baseline, average='micro'):.3f}  (target 0.60)"
    )


if __name__ == "__main__":
    main()
