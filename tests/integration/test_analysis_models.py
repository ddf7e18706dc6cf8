"""The real analysis models: emoji are read, and heads trained for other inputs are refused."""

from pathlib import Path

import numpy as np
import pytest

from analysis.models import HEAD_INPUTS, HEADS, load_heads, spell_out_emoji
from analysis.service import Analyzer

pytestmark = pytest.mark.model


def test_emoji_are_spelled_out_and_the_rest_is_kept() -> None:
    assert spell_out_emoji("so proud of @jo_bakes 🎉") == "so proud of @jo_bakes  party popper "


def test_posts_that_say_it_with_emoji_are_read_by_their_emoji(analyzer: Analyzer) -> None:
    angry, loving = analyzer.read(["😡😡😡", "🥰🥰🥰"])
    assert angry.sentiment == "negative"
    assert loving.sentiment == "positive"
    assert angry.emotion == "anger"


def test_encode_gives_the_embedding_and_every_layer(analyzer: Analyzer) -> None:
    texts = ["Fresh bread at 8!", "Is the café open on Sundays?"]
    vectors, features = analyzer.embedder.encode(texts)
    assert np.allclose(vectors, analyzer.embedder.embed(texts), atol=1e-6)
    assert features.shape == (2, 6 * analyzer.embedder.dim)
    assert np.allclose(features[:, -analyzer.embedder.dim :], vectors, atol=1e-6)


def test_heads_trained_on_other_inputs_are_not_used(analyzer: Analyzer, tmp_path: Path) -> None:
    shipped = np.load(HEADS)
    assert str(shipped["inputs"]) == HEAD_INPUTS
    old = tmp_path / "old-heads.npz"
    np.savez(old, **{k: shipped[k] for k in shipped.files if k != "inputs"})
    assert load_heads(analyzer.embedder, old) is None
    assert load_heads(analyzer.embedder) is not None
