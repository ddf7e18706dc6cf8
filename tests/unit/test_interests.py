"""What a person cares about, from their posts' readings: the things they name more than once,
whole ("food bank"), not the words around them ("running a small business", "winter's
coming"), and not the topic every post has."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from analysis.service import build_interests

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def _row(i: int, text: str, keyphrases: list[str], topics: dict[str, float]) -> SimpleNamespace:
    return SimpleNamespace(
        id=i,
        text=text,
        keyphrases=keyphrases,
        topics=topics,
        intent="experience",
        posted_at=NOW - timedelta(days=i),
    )


def _labels(rows: list[SimpleNamespace]) -> list[str]:
    return [i["label"] for i in build_interests(rows, now=NOW)]


def test_things_named_twice_are_kept_whole() -> None:
    labels = _labels(
        [
            _row(1, "Volunteering at the food bank this weekend.", ["food bank", "weekend"], {}),
            _row(2, "Food banks need more than tins.", ["food banks", "tins"], {}),
            _row(3, "Organising a winter coat drive at work.", ["winter coat drive", "work"], {}),
            _row(4, "Coat drive collected 60 coats.", ["coat drive collected", "coats"], {}),
        ]
    )
    assert "food bank" in labels and "coat drive" in labels
    assert not {"food", "bank", "drive", "work"} & set(labels)


def test_what_they_did_or_said_in_passing_is_no_interest() -> None:
    daily = {"diaries_&_daily_life": 0.9}
    labels = _labels(
        [
            _row(1, "Running a kiln at 3am again.", ["running", "kiln"], daily),
            _row(2, "Anyone else running a small business?", ["small business", "running"], daily),
            _row(3, "Small business owners: quiet weeks?", ["small business owners"], daily),
            _row(6, "Winter's coming.", ["coming"], daily),
            _row(4, "My grandson is coming to stay.", ["grandson", "coming"], daily),
            _row(5, "Took the grandson to the playground.", ["grandson", "playground"], daily),
        ]
    )
    assert "grandson" in labels and "business" in labels
    assert not {"running", "small", "coming", "diaries_&_daily_life"} & set(labels)
    # …while a pastime named twice stays
    assert "cycling" in _labels(
        [
            _row(1, "Started cycling to work.", ["started cycling"], {}),
            _row(2, "Got my cycling proficiency badge.", ["cycling proficiency badge"], {}),
        ]
    )
