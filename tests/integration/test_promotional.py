"""The shipped promotional classifier on the real embedder."""

import pytest

from suggest.promotional import PromotionalClassifier

pytestmark = pytest.mark.model


def test_spam_scores_high_and_a_helpful_reply_low(embedder) -> None:  # noqa: ANN001
    classifier = PromotionalClassifier(embedder)
    spam, helpful = classifier.probabilities(
        [
            "Check out my channel and subscribe!!! Free gift card for the first 100, link in bio",
            "Sorry to hear that, Jo. What temperature are you baking at?",
        ]
    )
    assert spam > 0.9
    assert helpful < 0.5
