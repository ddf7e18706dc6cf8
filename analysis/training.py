"""Train the classifier heads that sit on the sentence embeddings (reproducible).

Heads are multinomial logistic regressions (sentiment, emotion) and, for topics (multi-label),
one logistic regression per topic or one small network with a hidden layer, whichever
cross-validates better; they read all-MiniLM-L6-v2's mean-pooled layers plus the VADER
lexicon's scores (see analysis.models.HEAD_INPUTS). Which layers, the regularisation C and the
topic threshold are chosen by 5-fold cross-validation for each task's own metric. They are
trained only on the train/validation splits of the public datasets (test splits are for
bench/quality.py) plus the project's own example posts in analysis/labels.py, and saved as plain
arrays (feature scaling folded into the weights), so inference needs only numpy.

    .venv/bin/python -m analysis.training --data ../shared/data
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from analysis.labels import SENTIMENT_LABELS, SENTIMENTS, TOPIC_LABELS, TOPICS
from analysis.models import (
    HEAD_INPUTS,
    HEADS,
    Lexicon,
    TransformerEmbedder,
    load_embedder,
    pick_topics,
)
from core.settings import Settings

TOPIC_POSTS = Path(__file__).parent / "data" / "topic_posts.jsonl"


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


# Which of the embedder's layers a head reads, tried in turn; cross-validation picks one.
LAYER_CHOICES = {"last layer": [-1], "last three layers": [-3, -2, -1], "all layers": None}


def _columns(choice: list[int] | None, n_layers: int, dim: int, lexicon: int) -> np.ndarray:
    """Column indices of the chosen layers' blocks, plus the lexicon scores at the end."""
    layers = range(n_layers) if choice is None else [n_layers + i for i in choice]
    blocks = [np.arange(layer * dim, (layer + 1) * dim) for layer in layers]
    return np.concatenate([*blocks, np.arange(n_layers * dim, n_layers * dim + lexicon)])


def _fold(pipeline: Any, columns: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """A scaler + logistic regression pipeline as one linear map over the full inputs."""
    scaler, model = pipeline.named_steps["scale"], pipeline.named_steps["model"]
    coef = model.coef_.T / scaler.scale_[:, None]  # (chosen features, classes)
    bias = model.intercept_ - scaler.mean_ @ coef
    weights = np.zeros((width, coef.shape[1]))
    weights[columns] = coef
    return weights, bias


def _scaled(model: Any) -> Any:
    """Standardised features, then the model (the scaling is folded into the saved weights)."""
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import StandardScaler

    return Pipeline([("scale", StandardScaler()), ("model", model)])


def _pipeline(c: float = 1.0) -> Any:
    from sklearn.linear_model import LogisticRegression

    return _scaled(LogisticRegression(C=c, max_iter=3000, class_weight="balanced"))


def fit_head(
    x: np.ndarray, labels: list[int], *, shape: tuple[int, int, int], cs: list[float], scoring: str
) -> tuple[np.ndarray, np.ndarray, str]:
    """Layers and C by 5-fold cross-validation for the task's metric, then fit on all of x."""
    from sklearn.model_selection import GridSearchCV, StratifiedKFold

    n_layers, dim, lexicon = shape
    best: tuple[float, str, Any, np.ndarray] | None = None
    for name, choice in LAYER_CHOICES.items():
        columns = _columns(choice, n_layers, dim, lexicon)
        search = GridSearchCV(
            _pipeline(),
            {"model__C": cs},
            cv=StratifiedKFold(5, shuffle=True, random_state=0),
            scoring=scoring,
            n_jobs=2,
        ).fit(x[:, columns], labels)
        summary = f"{name}, C={search.best_params_['model__C']}"
        print(f"  {summary}: cv {scoring} {search.best_score_:.3f}")  # noqa: T201
        if best is None or search.best_score_ > best[0]:
            best = (search.best_score_, summary, search.best_estimator_, columns)
    assert best is not None
    weights, bias = _fold(best[2], best[3], x.shape[1])
    return weights, bias, f"{best[1]} (cv {best[0]:.3f})"


def _topic_candidates(cs: list[float], alphas: list[float]) -> Iterator[tuple[str, Any]]:
    """Topic models to compare: a logistic regression per topic, or one small network for all."""
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.neural_network import MLPClassifier

    for c in cs:
        yield f"logistic regression per topic, C={c}", lambda c=c: OneVsRestClassifier(_pipeline(c))
    for alpha in alphas:
        network = partial(MLPClassifier, (128,), alpha=alpha, max_iter=500, random_state=0)
        yield f"one hidden layer of 128, alpha={alpha}", lambda n=network: _scaled(n())


def export_topics(model: Any, columns: np.ndarray, width: int) -> dict[str, np.ndarray]:
    """A fitted topic model as arrays over the full inputs (scaling folded into the first layer)."""
    if hasattr(model, "estimators_"):  # one logistic regression per topic
        pairs = [_fold(estimator, columns, width) for estimator in model.estimators_]
        return {
            "topic_W": np.stack([w[:, 0] for w, _ in pairs], axis=1),
            "topic_b": np.asarray([b[0] for _, b in pairs]),
        }
    scaler, network = model.named_steps["scale"], model.named_steps["model"]
    first = network.coefs_[0] / scaler.scale_[:, None]
    weights = np.zeros((width, first.shape[1]))
    weights[columns] = first
    return {
        "topic_W1": weights,
        "topic_b1": network.intercepts_[0] - scaler.mean_ @ first,
        "topic_W2": network.coefs_[1],
        "topic_b2": network.intercepts_[1],
    }


def fit_topics(
    x: np.ndarray,
    y: np.ndarray,
    extra: tuple[np.ndarray, np.ndarray],
    *,
    shape: tuple[int, int, int],
    cs: list[float],
    alphas: list[float],
) -> tuple[dict[str, np.ndarray], float, str]:
    """Model, layers and one threshold for all topics, by out-of-fold micro-F1.

    The folds score the public posts only; the project's own posts (`extra`) join every
    training fold.
    """
    from sklearn.metrics import f1_score
    from sklearn.model_selection import KFold

    n_layers, dim, lexicon = shape
    folds = list(KFold(5, shuffle=True, random_state=0).split(x))
    best: tuple[float, str, Any, float, np.ndarray] | None = None
    for name, choice in LAYER_CHOICES.items():
        columns = _columns(choice, n_layers, dim, lexicon)
        for summary, make in _topic_candidates(cs, alphas):
            probs = np.zeros(y.shape)
            for train_rows, test_rows in folds:
                model = make().fit(
                    np.vstack([x[train_rows], extra[0]])[:, columns],
                    np.vstack([y[train_rows], extra[1]]),
                )
                probs[test_rows] = model.predict_proba(x[test_rows][:, columns])
            score, threshold = max(
                (float(f1_score(y, pick_topics(probs, t), average="micro")), float(t))
                for t in np.arange(0.1, 0.85, 0.05)
            )
            print(f"  {name}, {summary}: cv micro-F1 {score:.3f} at {threshold:.2f}")  # noqa: T201
            if best is None or score > best[0]:
                best = (score, f"{name}, {summary}", make, threshold, columns)
    assert best is not None
    score, summary, make, threshold, columns = best
    model = make().fit(np.vstack([x, extra[0]])[:, columns], np.vstack([y, extra[1]]))
    arrays = export_topics(model, columns, x.shape[1])
    return arrays, threshold, f"{summary}, threshold {threshold:.2f} (cv micro-F1 {score:.3f})"


def project_topic_posts() -> tuple[list[str], np.ndarray]:
    """The project's own labelled posts: analysis/data/topic_posts.jsonl and the label examples."""
    texts, rows = [], []
    for line in _lines(TOPIC_POSTS):
        record = json.loads(line)
        texts.append(record["text"])
        rows.append([int(label in record["topics"]) for label in TOPIC_LABELS])
    for label, examples in TOPICS.items():
        texts += examples
        rows += [[int(label == other) for other in TOPIC_LABELS] for _ in examples]
    return texts, np.asarray(rows, dtype=np.int64)


def head_inputs(texts: list[str], embedder: TransformerEmbedder, lexicon: Lexicon) -> np.ndarray:
    features = embedder.encode(texts)[1]
    return np.hstack([features, lexicon.scores(texts)])


def train(data: Path, out: Path) -> None:
    embedder = load_embedder(Settings(_env_file=None))
    lexicon = Lexicon()
    shape = (int(embedder.model.config.num_hidden_layers), embedder.dim, Lexicon.dim)
    arrays: dict[str, np.ndarray] = {
        "embedder": np.asarray(embedder.model_id),
        "inputs": np.asarray(HEAD_INPUTS),
    }

    # sentiment: TweetEval has no usable train text here, so its validation split + our examples
    texts, labels = load_tweeteval(data, "sentiment", ["val"])
    for label, examples in SENTIMENTS.items():
        texts += examples
        labels += [SENTIMENT_LABELS.index(label)] * len(examples)
    print("sentiment")  # noqa: T201
    w, b, summary = fit_head(
        head_inputs(texts, embedder, lexicon),
        labels,
        shape=shape,
        cs=[0.0005, 0.001, 0.002, 0.005],
        scoring="recall_macro",
    )
    arrays |= {"sentiment_W": w, "sentiment_b": b}
    print(f"sentiment: {summary}")  # noqa: T201

    texts, labels = load_tweeteval(data, "emotion", ["train", "val"])
    print("emotion")  # noqa: T201
    w, b, summary = fit_head(
        head_inputs(texts, embedder, lexicon),
        labels,
        shape=shape,
        cs=[0.002, 0.005, 0.01],
        scoring="f1_macro",
    )
    arrays |= {"emotion_W": w, "emotion_b": b}
    print(f"emotion: {summary}")  # noqa: T201

    texts, y = load_topics(data, ["train", "validation"])
    own_texts, own_y = project_topic_posts()
    print("topics")  # noqa: T201
    topic_arrays, threshold, summary = fit_topics(
        head_inputs(texts, embedder, lexicon),
        y,
        (head_inputs(own_texts, embedder, lexicon), own_y),
        shape=shape,
        cs=[0.003, 0.01, 0.03],
        alphas=[10.0, 20.0],
    )
    arrays |= topic_arrays | {"topic_threshold": np.asarray(threshold)}
    print(f"topics: {summary}")  # noqa: T201

    np.savez_compressed(
        out,
        **{  # type: ignore[arg-type]
            k: np.asarray(v, dtype=np.float32) if np.asarray(v).dtype.kind == "f" else v
            for k, v in arrays.items()
        },
    )
    print(f"saved {out} ({out.stat().st_size // 1024} KiB)")  # noqa: T201


def main() -> None:
    parser = argparse.ArgumentParser(description="Train the analysis heads.")
    parser.add_argument("--data", type=Path, default=Path("../shared/data"))
    parser.add_argument("--out", type=Path, default=HEADS)
    args = parser.parse_args()
    train(args.data, args.out)


if __name__ == "__main__":
    main()
