"""The trained heads' arithmetic: folding the feature scaling into the weights changes nothing."""

import numpy as np

from analysis.training import _columns, _fold, _pipeline


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
