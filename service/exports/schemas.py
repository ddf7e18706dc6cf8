"""What can be exported, in which formats, over which period."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from core.errors import InvalidInput


class ExportKind(enum.StrEnum):
    SUGGESTIONS = "suggestions"
    PEOPLE = "people"
    POSTS = "posts"
    DAILY = "daily"

    @classmethod
    def parse(cls, value: str) -> ExportKind:
        try:
            return cls(value.strip().lower())
        except ValueError:
            raise InvalidInput(f"Unknown export '{value}': use {_choices(cls)}.") from None


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    PARQUET = "parquet"

    @classmethod
    def parse(cls, value: str) -> ExportFormat:
        try:
            return cls(value.strip().lower())
        except ValueError:
            raise InvalidInput(f"Unknown format '{value}': use {_choices(cls)}.") from None

    @property
    def media_type(self) -> str:
        return {
            ExportFormat.CSV: "text/csv; charset=utf-8",
            ExportFormat.JSONL: "application/jsonl; charset=utf-8",
            ExportFormat.PARQUET: "application/vnd.apache.parquet",
        }[self]

    @property
    def is_binary(self) -> bool:
        return self is ExportFormat.PARQUET


def _choices(enum_cls: type[enum.StrEnum]) -> str:
    values = [m.value for m in enum_cls]
    return ", ".join(values[:-1]) + " or " + values[-1]


@dataclass(frozen=True)
class Period:
    """[since, until) in UTC; None is open-ended."""

    since: datetime | None = None
    until: datetime | None = None

    @classmethod
    def parse(cls, since: str | None, until: str | None) -> Period:
        """From the user's words: a date (YYYY-MM-DD) or an ISO time; a bare `until` date
        includes that whole day."""
        start = _moment(since, "since", end_of_day=False)
        end = _moment(until, "until", end_of_day=True)
        if start is not None and end is not None and end <= start:
            raise InvalidInput(f"until ({until}) must come after since ({since}).")
        return cls(start, end)

    def slug(self) -> str:
        """A part of a file name: 2026-11-01_2026-11-30, 2026-11-01_now, all."""
        if self.since is None and self.until is None:
            return "all"
        first = self.since.date().isoformat() if self.since else "start"
        last = (self.until - timedelta(microseconds=1)).date().isoformat() if self.until else "now"
        return f"{first}_{last}"


def _moment(value: str | None, name: str, *, end_of_day: bool) -> datetime | None:
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day, time.min, tzinfo=UTC)
            return moment + timedelta(days=1) if end_of_day else moment  # may overflow
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        raise InvalidInput(
            f"{name} '{value}' is not a date: use YYYY-MM-DD (e.g. 2026-11-01) "
            "or an ISO time (2026-11-01T08:00:00Z)."
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
