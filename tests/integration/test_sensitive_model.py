"""The trained readers of crisis and grief with the real all-MiniLM-L6-v2: wording that no phrase
list foresees reaches a person, and everyday posts that only sound like it do not."""

import json
from pathlib import Path

import pytest

from analysis import text
from analysis.service import Analyzer

pytestmark = pytest.mark.model


def _missed(post: str, why: str) -> object:
    """A post the readers were measured to get wrong; strict, so catching it fails the test."""
    return pytest.param(post, marks=pytest.mark.xfail(reason=why, strict=True))


# Written apart from the readers' training posts (analysis/data/sensitive_posts.jsonl) and
# before the readers were trained; the phrase lists miss all but the first. The misses are the
# readers' as measured when they were trained (bench/RESULTS.md has the rates).
QUIET_CRISIS = [
    "Everyone's lives would be easier without me in them",
    "Can't stop thinking about dying",
    "I hate myself so much. I can't keep doing this.",
    "I'm so tired of everything. I just want to sleep and not wake up",
    _missed(
        "keeping the tablets in my drawer in case tonight's the night",
        "under both thresholds (crisis 0.28, sensitive 0.10): stockpiled means in few words",
    ),
    "Honestly can't see myself still being here by the spring",
    "Stopped taking my meds and started writing notes to people",
]
QUIET_GRIEF = [
    "The vet phoned. Our Luna didn't make it through the operation.",
    _missed(
        "Sat in the car outside the crematorium for an hour before I could go in.",
        "under both thresholds (sensitive 0.32, crisis 0.25): grief told by a place alone",
    ),
    _missed(
        "Mum's memorial bench went in at the park today. She'd have liked the view.",
        "under the grief reader's bar at recall 0.6: a loss told by what was done for her",
    ),
    "My granda slipped away this morning, the best man I ever knew",
    "Results came back. It's in her bones now.",
]
NOT_A_CRISIS = [
    "Sat in the car outside the crematorium for an hour before I could go in.",
    "Mum's memorial bench went in at the park today. She'd have liked the view.",
    "My granda slipped away this morning, the best man I ever knew",
    "Results came back. It's in her bones now.",
    "My dad passed away on Sunday. Still doesn't feel real.",
]
EVERYDAY = [
    _missed(
        "What's even the point of Mondays",
        "crisis 0.78 over its 0.65 since the readers learnt short crises in everyday words",
    ),
    "Made a plan for the weekend: sleep, bake, repeat",
    "This exam is going to kill me",
    "Disappearing for a week, phone off, see you all soon",
    "the queue at the post office is going to be the death of me",
    "honestly I'm deceased 😂 the dog in the pumpkin costume",
    "kill me, it's the third all-hands this week",
    _missed(
        "could murder a fish supper right now",
        "crisis 0.71 over its 0.65 since the readers learnt short crises in everyday words",
    ),
    "Gary the sourdough starter has finally given up. Back to the shop loaf.",
    "Lost 4-0 at Easter Road. Long bus home.",
    "Scan results all clear, celebrating with a big fry-up",
]
# Written after the readers learnt the drafting set's tune posts, and apart from them: what
# people write to and near a bakery or a bike workshop, sounding cross or dramatic, and a
# crisis told there. The readers trained on short posts alone flagged the lock and the chips.
EVERYDAY_NEAR_A_BUSINESS = [
    "third flat focaccia in a row, I'm starting to think the yeast has it in for me personally",
    "gears slipping AGAIN on the way up Leith Walk, I swear this bike wants me dead",
    "that's me given up on the croissants, four hours of laminating for buttery hockey pucks",
    "someone nicked my saddle outside Waverley. just the saddle. who does that",
    "can't believe I cycled all the way to Cramond and forgot my lock, had to eat my chips "
    "holding the bike",
    "my starter's been sulking since the boiler died, no bubbles at all, is he gone for good",
]
CRISIS_NEAR_A_BUSINESS = [
    "cleaned and oiled the bike so it's nice for whoever gets it. I'm so tired of being here",
    "nobody would even notice if I didn't come in for my usual coffee ever again",
    _missed(
        "baked one last loaf for the neighbours. won't be needing the starter after this week",
        "under both thresholds (crisis 0.42, sensitive 0.09): a farewell told by a loaf",
    ),
]


def _flags(analyzer: Analyzer, post: str) -> list[str]:
    return analyzer.read([post], ["en"])[0].flags


def test_the_phrase_lists_alone_miss_these_posts() -> None:
    quiet = [str(p if isinstance(p, str) else p.values[0]) for p in QUIET_CRISIS + QUIET_GRIEF]
    found = [p for p in quiet if {"crisis", "sensitive"} & set(text.flags(p))]
    assert found == [QUIET_CRISIS[0]]


@pytest.mark.parametrize("post", QUIET_CRISIS)
def test_a_quiet_crisis_reaches_a_person_as_a_crisis(analyzer: Analyzer, post: str) -> None:
    # (found by the trained reader alone, most of them: marked so, and nothing else)
    assert [f for f in _flags(analyzer, post) if f != text.CRISIS_READER_ONLY] == [
        "crisis",
        "sensitive",
    ]


@pytest.mark.parametrize("post", QUIET_GRIEF)
def test_quiet_grief_reaches_a_person(analyzer: Analyzer, post: str) -> None:
    assert "sensitive" in _flags(analyzer, post)


@pytest.mark.parametrize("post", NOT_A_CRISIS)
def test_grief_is_not_read_as_a_crisis(analyzer: Analyzer, post: str) -> None:
    assert "crisis" not in _flags(analyzer, post)


@pytest.mark.parametrize("post", EVERYDAY)
def test_everyday_posts_that_only_sound_like_it_are_not_flagged(
    analyzer: Analyzer, post: str
) -> None:
    assert not {"crisis", "sensitive"} & set(_flags(analyzer, post))


@pytest.mark.parametrize("post", EVERYDAY_NEAR_A_BUSINESS)
def test_everyday_posts_near_a_business_are_not_flagged(analyzer: Analyzer, post: str) -> None:
    assert not {"crisis", "sensitive"} & set(_flags(analyzer, post))


@pytest.mark.parametrize("post", CRISIS_NEAR_A_BUSINESS)
def test_a_crisis_told_near_a_business_reaches_a_person(analyzer: Analyzer, post: str) -> None:
    assert "crisis" in _flags(analyzer, post)


def test_few_everyday_sample_posts_are_read_as_a_crisis(
    analyzer: Analyzer, sample_path: Path
) -> None:
    """A crisis card is worth a few false alarms, not a queue of them: at most 1 in 50."""
    posts = [json.loads(line) for line in sample_path.read_text(encoding="utf-8").splitlines()]
    readings = analyzer.read([p["text"] for p in posts], [p.get("lang") for p in posts])
    english = [r for r in readings if r.language == "en"]
    assert len(english) > 300
    assert sum("crisis" in r.flags for r in english) <= len(english) // 50
