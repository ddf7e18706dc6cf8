"""The crisis reading by similarity with the real all-MiniLM-L6-v2: indirect wording that no
phrase list foresees reaches a person, and everyday posts do not."""

import json
from pathlib import Path

import pytest

from analysis.service import Analyzer

pytestmark = pytest.mark.model

# Written apart from the examples the reader compares with, and missed by the phrase lists.
INDIRECT_CRISIS = [
    "Everyone's lives would be easier without me in them",
    "Can't stop thinking about dying",
    "I hate myself so much. I can't keep doing this.",
    "I'm so tired of everything. I just want to sleep and not wake up",
]
EVERYDAY = [
    "What's even the point of Mondays",
    "Made a plan for the weekend: sleep, bake, repeat",
    "This exam is going to kill me",
    "Disappearing for a week, phone off, see you all soon",
    "My dad passed away on Sunday. Still doesn't feel real.",
]


def test_indirect_crisis_posts_are_flagged_for_a_person(analyzer: Analyzer) -> None:
    for reading in analyzer.read(INDIRECT_CRISIS):
        assert {"crisis", "sensitive"} <= set(reading.flags)


def test_everyday_and_grief_posts_are_not_read_as_a_crisis(analyzer: Analyzer) -> None:
    for post, reading in zip(EVERYDAY, analyzer.read(EVERYDAY), strict=True):
        assert "crisis" not in reading.flags, post


def test_no_sample_post_is_read_as_a_crisis(analyzer: Analyzer, sample_path: Path) -> None:
    posts = [json.loads(line) for line in sample_path.read_text(encoding="utf-8").splitlines()]
    readings = analyzer.read([p["text"] for p in posts], [p.get("lang") for p in posts])
    assert not [p["text"] for p, r in zip(posts, readings, strict=True) if "crisis" in r.flags]
