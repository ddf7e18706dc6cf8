"""The trained heads' arithmetic: folding the feature scaling into the weights changes nothing."""

from pathlib import Path

import numpy as np
import pytest

from analysis.models import TrainedHeads, pick_topics
from analysis.training import _columns, _fold, _pipeline, _topic_candidates, export_topics


def test_a_folded_head_predicts_what_the_fitted_pipeline_predicts() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(3.0, 2.0, size=(120, 2 * 8 + 4))  # two "layers" of 8, four lexicon scores
    y = (x[:, 3] + x[:, -1] > 6).astype(int) + (x[:, 10] > 4).astype(int)
    columns = _columns([-1], n_layers=2, dim=8, lexicon=4)
    assert columns.tolist() == [*range(8, 16), 16, 17, 18, 19]
    pipeline = _pipeline(0.5).fit(x[:, columns], y)

    weights, bias = _fold(pipeline, columns, x.shape[1])
    logits = x @ weights + bias
    folded = np.exp(logits - logits.max(1, keepdims=True))
    folded /= folded.sum(1, keepdims=True)

    assert np.allclose(folded, pipeline.predict_proba(x[:, columns]), atol=1e-8)
    assert not weights[:8].any()  # the layer the head does not read gets no weight


# The network may stop at its iteration limit on this random data; the test is about the export.
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_exported_topic_models_predict_what_the_fitted_models_predict(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    x = rng.normal(1.0, 3.0, size=(150, 2 * 8 + 4))
    y = np.stack([x[:, 9] > 1, x[:, 12] + x[:, -2] > 2, x[:, 15] < 0], axis=1).astype(int)
    columns = _columns(None, n_layers=2, dim=8, lexicon=4)
    for name, make in _topic_candidates(cs=[0.3], alphas=[1.0]):
        model = make().fit(x[:, columns], y)
        arrays = export_topics(model, columns, x.shape[1])
        np.savez(tmp_path / "heads.npz", embedder=np.asarray("e"), **arrays)
        heads = TrainedHeads(tmp_path / "heads.npz")
        assert np.allclose(
            heads.sigmoid("topic", x.astype(np.float32)),
            model.predict_proba(x[:, columns]),
            atol=1e-4,
        ), name


def test_a_post_gets_its_likeliest_topics_above_the_floor_and_always_one() -> None:
    probs = np.array(
        [
            [0.9, 0.8, 0.7, 0.6, 0.1],  # four above the floor: the three likeliest
            [0.1, 0.2, 0.3, 0.05, 0.0],  # none above the floor: the likeliest alone
            [0.1, 0.6, 0.1, 0.1, 0.5],
        ]
    )
    chosen = pick_topics(probs, floor=0.4)
    assert [np.flatnonzero(row).tolist() for row in chosen] == [[0, 1, 2], [2], [1, 4]]
