"""What a user may type for an export's period, kind and format."""

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import InvalidInput
from service.exports import service as export_service
from service.exports.schemas import ExportFormat, ExportKind, Period


def test_a_day_starts_at_midnight_utc_and_until_includes_its_day() -> None:
    period = Period.parse("2026-11-01", "2026-11-30")
    assert period.since == datetime(2026, 11, 1, tzinfo=UTC)
    assert period.until == datetime(2026, 12, 1, tzinfo=UTC)
    assert period.slug() == "2026-11-01_2026-11-30"


def test_an_iso_time_is_taken_as_given_and_without_a_zone_as_utc() -> None:
    period = Period.parse("2026-11-01T08:30:00+01:00", "2026-11-02T12:00:00")
    assert period.since == datetime(2026, 11, 1, 7, 30, tzinfo=UTC)
    assert period.until == datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
    assert Period.parse("2026-11-01T08:00:00Z", None).since == datetime(2026, 11, 1, 8, tzinfo=UTC)


def test_the_download_is_named_after_workspace_kind_and_period() -> None:
    name = export_service.filename(
        workspace="crumb-and-kettle",
        kind=ExportKind.SUGGESTIONS,
        fmt=ExportFormat.PARQUET,
        period=Period.parse("2026-11-01", None),
    )
    assert name == "crumb-and-kettle-suggestions-2026-11-01_now.parquet"
    assert Period().slug() == "all"


def test_kind_and_format_are_read_loosely_and_refused_clearly() -> None:
    assert ExportKind.parse(" People ") is ExportKind.PEOPLE
    assert ExportFormat.parse("PARQUET") is ExportFormat.PARQUET
    with pytest.raises(InvalidInput, match="use suggestions, people, posts or daily"):
        ExportKind.parse("replies")


@given(st.text(max_size=30), st.booleans())
def test_any_text_is_a_period_or_a_clear_error(text: str, as_until: bool) -> None:
    message = ""
    try:
        period = Period.parse(None, text) if as_until else Period.parse(text, None)
    except InvalidInput as exc:
        message = exc.message
    if message:
        assert "is not a date" in message
    else:
        moment = period.until if as_until else period.since
        assert moment is None or moment.tzinfo is not None


def test_the_last_day_of_the_calendar_is_refused_not_a_crash() -> None:
    with pytest.raises(InvalidInput, match="is not a date"):
        Period.parse(None, "9999-12-31")
