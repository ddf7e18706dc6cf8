"""Train the readers of posts that must reach a person: possible crisis, grief or illness, and
what only a person at the business can settle.

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

A third reader, "person", reads posts addressed to the business for what only someone there can
settle: an order, a booking moved, something left behind, a bike to hold till payday ("could we
order about 40 cinnamon knots to collect this Friday at 8am?", "think my daughter left her
knitted rabbit under one of your window tables… any chance someone spotted him?"). The phrase
lists of suggest.mentions find most; they miss wording nobody foresaw. It learns from the tune
splits' posts to the business (a "needs_person" card's target against every other target
addressed to the business, posts in other languages aside), layers and C chosen by average
precision with the tune splits as the folds (a split's posts never in its own training), and
its threshold is the lowest at which PRECISION of what it flags out of fold was right: a
question the knowledge answers, turned into a card, is a draft lost.

    PYTHONPATH=. .venv/bin/python -m analysis.sensitive_training            # every reader
    PYTHONPATH=. .venv/bin/python -m analysis.sensitive_training --readers person
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
# The person reader's threshold: this share of what it flags out of fold was right.
PRECISION = 0.9
READERS = ("crisis", "sensitive", "person")
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


def addressed_posts(folder: Path = DRAFTING) -> tuple[list[str], list[int], list[str]]:
    """The tune splits' targets addressed to the business, in a language the drafts are
    written in: 1 where only a person can settle it (a "needs_person" card), 0 otherwise; and
    each one's split."""
    texts, labels, splits = [], [], []
    for path in sorted(folder.glob("tune*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            target = next(p for p in item["posts"] if p["post_id"] == item["target"])
            if not target["mentions_business"] or item["card"] == "other_language":
                continue
            texts.append(target["text"])
            labels.append(int(item["card"] == "needs_person"))
            splits.append(path.stem)
    return texts, labels, splits


def out_of_fold(
    x: np.ndarray, y: np.ndarray, columns: np.ndarray, c: float, groups: np.ndarray | None = None
) -> np.ndarray:
    """Each post's probability from a head trained on the other four folds (or, with groups,
    on the other groups)."""
    from sklearn.model_selection import LeaveOneGroupOut, StratifiedKFold

    probs = np.zeros(len(y))
    folds = (
        LeaveOneGroupOut().split(x, y, groups)
        if groups is not None
        else StratifiedKFold(5, shuffle=True, random_state=0).split(x, y)
    )
    for train_rows, test_rows in folds:
        model = _pipeline(c).fit(x[train_rows][:, columns], y[train_rows])
        probs[test_rows] = model.predict_proba(x[test_rows][:, columns])[:, 1]
    return probs


def recall_threshold(probs: np.ndarray, y: np.ndarray, recall: float) -> float:
    """The highest threshold at which at least `recall` of the positives score at or above it."""
    positives = np.sort(probs[y == 1])[::-1]
    return float(positives[int(np.ceil(recall * len(positives))) - 1])


def precision_threshold(probs: np.ndarray, y: np.ndarray, precision: float) -> float:
    """The lowest threshold at which at least `precision` of what scores at or above it are
    positives (the highest score, when none is)."""
    order = np.argsort(-probs)
    right = np.cumsum(y[order]) / np.arange(1, len(y) + 1)
    meets = np.nonzero(right >= precision)[0]
    return float(probs[order][meets.max()] if len(meets) else probs.max())


def fit_reader(
    x: np.ndarray,
    y: np.ndarray,
    *,
    shape: tuple[int, int, int],
    recall: float | None = None,
    precision: float | None = None,
    groups: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, float, str]:
    """Layers, C and threshold by cross-validation, then the head fitted on all of x. The
    threshold finds `recall` of the positives, or flags at `precision`."""
    from sklearn.metrics import average_precision_score

    n_layers, dim, lexicon = shape
    best: tuple[tuple[float, int], str, float, np.ndarray, float] | None = None
    for name, choice in LAYER_CHOICES.items():
        columns = _columns(choice, n_layers, dim, lexicon)
        for c in CS:
            probs = out_of_fold(x, y, columns, c, groups)
            threshold = (
                recall_threshold(probs, y, recall)
                if recall is not None
                else precision_threshold(probs, y, precision or 1.0)
            )
            flagged = probs >= threshold
            average = float(average_precision_score(y, probs))
            summary = (
                f"{name}, C={c}: at {threshold:.3f} recall {flagged[y == 1].mean():.3f}, other "
                f"posts flagged {flagged[y == 0].sum()}/{(y == 0).sum()} "
                f"(cv average precision {average:.3f})"
            )
            print(f"  {summary}")  # noqa: T201
            score = (-average, int(flagged[y == 0].sum()))
            if best is None or score < best[0]:
                best = (score, summary, c, columns, threshold)
    assert best is not None
    _, summary, c, columns, threshold = best
    weights, bias = _fold(_pipeline(c).fit(x[:, columns], y), columns, x.shape[1])
    return weights, bias, threshold, summary


def train(
    posts: Path,
    out: Path,
    drafting: Path | None = DRAFTING,
    readers: tuple[str, ...] = READERS,
) -> dict[str, Any]:
    """Train `readers` and save them to `out` with the readers already there that were not
    retrained (so one can be retrained without moving the others)."""
    embedder = load_embedder(Settings(_env_file=None))
    shape = (int(embedder.model.config.num_hidden_layers), embedder.dim, Lexicon.dim)
    arrays: dict[str, Any] = {}
    if out.is_file():
        with np.load(out) as kept:
            arrays = {k: kept[k] for k in kept.files if k.split("_")[0] not in readers}
    arrays |= {"embedder": np.asarray(embedder.model_id), "inputs": np.asarray(HEAD_INPUTS)}
    if "person" in readers and drafting is not None:
        asked, settled, splits = addressed_posts(drafting)
        y = np.asarray(settled)
        print(f"person: {y.sum()} of {len(y)} posts to the business")  # noqa: T201
        weights, bias, threshold, summary = fit_reader(
            head_inputs(asked, embedder, Lexicon()),
            y,
            shape=shape,
            precision=PRECISION,
            groups=np.asarray(splits),
        )
        arrays |= _saved("person", weights, bias, threshold)
        print(f"person: {summary}")  # noqa: T201
    texts, labels = load_posts(posts)
    if drafting is not None:
        more_texts, more_labels = drafting_posts(drafting)
        texts, labels = texts + more_texts, labels + more_labels
    x = head_inputs(texts, embedder, Lexicon()) if set(readers) & set(POSITIVES) else None
    for reader, positive in POSITIVES.items():
        if reader not in readers or x is None:
            continue
        rows = np.asarray([label in (positive | NEGATIVES[reader]) for label in labels])
        y = np.asarray([int(label in positive) for label in labels])[rows]
        print(f"{reader}: {y.sum()} of {len(y)} posts")  # noqa: T201
        weights, bias, threshold, summary = fit_reader(
            x[rows], y, shape=shape, recall=RECALL[reader]
        )
        arrays |= _saved(reader, weights, bias, threshold)
        print(f"{reader}: {summary}")  # noqa: T201
    np.savez_compressed(out, **arrays)
    print(f"saved {out} ({out.stat().st_size // 1024} KiB)")  # noqa: T201
    return arrays


def _saved(reader: str, weights: np.ndarray, bias: np.ndarray, threshold: float) -> dict[str, Any]:
    return {
        f"{reader}_W": weights.astype(np.float32),
        f"{reader}_b": bias.astype(np.float32),
        f"{reader}_threshold": np.asarray(threshold, dtype=np.float32),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=Path, default=POSTS)
    parser.add_argument("--out", type=Path, default=SENSITIVE_HEADS)
    parser.add_argument(
        "--readers", nargs="+", choices=READERS, default=list(READERS), help="train only these"
    )
    args = parser.parse_args()
    train(args.posts, args.out, readers=tuple(args.readers))


if __name__ == "__main__":
    main()
