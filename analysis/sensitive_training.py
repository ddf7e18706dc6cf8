"""Train the readers of posts that must reach a person: possible crisis, and grief or illness.

Two logistic regressions on the same inputs as the other heads (all-MiniLM-L6-v2's mean-pooled
layers plus the VADER scores, see analysis.models.HEAD_INPUTS), trained on the project's own
labelled posts, `analysis/data/sensitive_posts.jsonl` (the train part of a 70/30 split made
before any training; the held-out part is bench/data/sensitive_posts_test.jsonl, read only by
bench/sensitive.py), and the posts of the drafting set's tune splits
(bench/data/drafting/tune*.jsonl: what people write to and near the businesses, each target
labelled by what should happen to it; never the held-out `test*` splits; the shipped readers
learnt tune to tune_l, the splits there when they were trained):

- "crisis": possible self-harm or suicidal thoughts against everything else (grief included,
  since a grief post wants a different card);
- "sensitive": grief, bereavement or serious illness against everyday posts. Crisis posts are
  left out of its training: taught them as its own, it learnt sadness in general and flagged
  one post in six addressed to a business (the drafting set's tune split); taught them as
  everyday posts, it would learn to miss them. A crisis is the crisis head's to find.

Which layers and the regularisation C are chosen by 5-fold cross-validation on average
precision (the count of other posts flagged at the threshold swung by a few posts between
neighbouring choices: too noisy to choose by), and the threshold is the highest at which the
head alone finds RECALL of the train split's positives out of fold. A missed crisis
is far worse than a card a person dismisses, but a queue of false alarms stops being read and a
post that becomes a card gets no draft: at 0.85 for crisis and 0.8 for a sensitive head that also
learnt crises, the drafting set's tune split fell from 0.850 to 0.699 handled as expected (posts
to the business read as grief or crisis).

The tune splits' posts are what the readers lacked: trained on the short posts alone, the crisis
head flagged 16 of 180 fresh posts to the businesses as a possible crisis (a flat loaf "starting
to take it personally", a stolen bike, thanks for a returned purse), at probabilities of 0.8 to
0.96, far above any threshold. With them it tells those apart well enough to find more crises
at fewer false alarms. At RECALL, out of fold, the crisis head flags 55 of 2,080 other posts
(trained on the short posts alone, 57 of 949 at recall 0.7) and the sensitive head 33 of its
1,769 everyday posts (at recall 0.6 the grief head's bar rose over three long grief posts of the
tune splits, one of them then drafted a congratulation to a widower). Every post of a tune
item is an everyday post ("none"), except the target of an item whose card is "crisis" or
"sensitive" (its other posts are left out: the last of a timeline is the one labelled).

The analysis flags a post when the head or the phrase lists (analysis.text) find it. Saved as
plain arrays, feature scaling folded in, with the thresholds, like analysis/heads.npz.

    PYTHONPATH=. .venv/bin/python -m analysis.sensitive_training
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np

from analysis.models import HEAD_INPUTS, SENSITIVE_HEADS, Lexicon, load_embedder
from analysis.training import LAYER_CHOICES, _columns, _fold, _pipeline, head_inputs
from core.settings import Settings

POSTS = Path(__file__).parent / "data" / "sensitive_posts.jsonl"
DRAFTING = Path(__file__).parents[1] / "bench" / "data" / "drafting"
# What each head is taught to find, and what it is taught to tell apart from it.
POSITIVES = {"crisis": {"crisis"}, "sensitive": {"sensitive"}}
NEGATIVES = {"crisis": {"sensitive", "none"}, "sensitive": {"none"}}
RECALL = {"crisis": 0.8, "sensitive": 0.7}
CS = [0.0003, 0.001, 0.003, 0.01, 0.03]


def load_posts(path: Path = POSTS) -> tuple[list[str], list[str]]:
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r["text"] for r in records], [r["label"] for r in records]


def drafting_posts(folder: Path = DRAFTING) -> tuple[list[str], list[str]]:
    """The tune splits' posts, each once: a crisis or sensitive card's target as such, every
    other post as everyday."""
    labelled: dict[str, str] = {}
    for path in sorted(folder.glob("tune*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            card = item["card"] if item["card"] in POSITIVES else None
            for post in item["posts"]:
                if card is None:
                    labelled.setdefault(post["text"], "none")
                elif post["post_id"] == item["target"]:
                    labelled[post["text"]] = card
    return list(labelled), list(labelled.values())


def out_of_fold(x: np.ndarray, y: np.ndarray, columns: np.ndarray, c: float) -> np.ndarray:
    """Each post's probability from a head trained on the other four folds."""
    from sklearn.model_selection import StratifiedKFold

    probs = np.zeros(len(y))
    for train_rows, test_rows in StratifiedKFold(5, shuffle=True, random_state=0).split(x, y):
        model = _pipeline(c).fit(x[train_rows][:, columns], y[train_rows])
        probs[test_rows] = model.predict_proba(x[test_rows][:, columns])[:, 1]
    return probs


def recall_threshold(probs: np.ndarray, y: np.ndarray, recall: float) -> float:
    """The highest threshold at which at least `recall` of the positives score at or above it."""
    positives = np.sort(probs[y == 1])[::-1]
    return float(positives[int(np.ceil(recall * len(positives))) - 1])


def fit_reader(
    x: np.ndarray, y: np.ndarray, *, shape: tuple[int, int, int], recall: float
) -> tuple[np.ndarray, np.ndarray, float, str]:
    """Layers, C and threshold by cross-validation, then the head fitted on all of x."""
    from sklearn.metrics import average_precision_score

    n_layers, dim, lexicon = shape
    best: tuple[tuple[float, int], str, float, np.ndarray, float] | None = None
    for name, choice in LAYER_CHOICES.items():
        columns = _columns(choice, n_layers, dim, lexicon)
        for c in CS:
            probs = out_of_fold(x, y, columns, c)
            threshold = recall_threshold(probs, y, recall)
            flagged = probs >= threshold
            precision = float(average_precision_score(y, probs))
            summary = (
                f"{name}, C={c}: at {threshold:.3f} recall {flagged[y == 1].mean():.3f}, other "
                f"posts flagged {flagged[y == 0].sum()}/{(y == 0).sum()} "
                f"(cv average precision {precision:.3f})"
            )
            print(f"  {summary}")  # noqa: T201
            score = (-precision, int(flagged[y == 0].sum()))
            if best is None or score < best[0]:
                best = (score, summary, c, columns, threshold)
    assert best is not None
    _, summary, c, columns, threshold = best
    weights, bias = _fold(_pipeline(c).fit(x[:, columns], y), columns, x.shape[1])
    return weights, bias, threshold, summary


def train(posts: Path, out: Path, drafting: Path | None = DRAFTING) -> dict[str, Any]:
    embedder = load_embedder(Settings(_env_file=None))
    texts, labels = load_posts(posts)
    if drafting is not None:
        more_texts, more_labels = drafting_posts(drafting)
        texts, labels = texts + more_texts, labels + more_labels
    x = head_inputs(texts, embedder, Lexicon())
    shape = (int(embedder.model.config.num_hidden_layers), embedder.dim, Lexicon.dim)
    arrays: dict[str, Any] = {
        "embedder": np.asarray(embedder.model_id),
        "inputs": np.asarray(HEAD_INPUTS),
    }
    for reader, positive in POSITIVES.items():
        rows = np.asarray([label in (positive | NEGATIVES[reader]) for label in labels])
        y = np.asarray([int(label in positive) for label in labels])[rows]
        print(f"{reader}: {y.sum()} of {len(y)} posts")  # noqa: T201
        weights, bias, threshold, summary = fit_reader(
            x[rows], y, shape=shape, recall=RECALL[reader]
        )
        arrays |= {
            f"{reader}_W": weights.astype(np.float32),
            f"{reader}_b": bias.astype(np.float32),
            f"{reader}_threshold": np.asarray(threshold, dtype=np.float32),
        }
        print(f"{reader}: {summary}")  # noqa: T201
    np.savez_compressed(out, **arrays)
    print(f"saved {out} ({out.stat().st_size // 1024} KiB)")  # noqa: T201
    return arrays


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=Path, default=POSTS)
    parser.add_argument("--out", type=Path, default=SENSITIVE_HEADS)
    args = parser.parse_args()
    train(args.posts, args.out)


if __name__ == "__main__":
    main()
