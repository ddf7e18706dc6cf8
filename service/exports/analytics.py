"""The analytics page's figures: decisions, approval, what the audience cares about, needs met,
knowledge used, questions left unanswered."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from analysis.labels import label_name
from service.exports import repository
from service.exports.charts import Chart, grouped_bars, stacked_columns
from service.exports.schemas import Period
from suggest import queue as suggest_queue
from suggest.schemas import KnowledgeGap

# The decision series of the per-day chart, in stacking order: (name, css class, statuses).
DECISIONS = (
    ("approved", "approved", ("approved",)),
    ("edited", "edited", ("edited",)),
    ("skipped", "rejected", ("rejected",)),
    ("expired", "expired", ("expired",)),
    ("waiting", "waiting", ("pending", "snoozed")),
)


@dataclass
class Analytics:
    """Everything the analytics page shows for one workspace."""

    empty: bool
    days: int
    since: date
    suggestions: int = 0
    decided: int = 0
    approved: int = 0
    edited: int = 0
    approval_rate: float | None = None
    median_minutes_to_approve: float | None = None
    per_day: Chart | None = None
    audience: Chart | None = None
    this_month: str = ""
    last_month: str = ""
    needs: Chart | None = None
    knowledge: Chart | None = None
    unanswered: list[KnowledgeGap] = field(default_factory=list)


def _month_start(day: date) -> datetime:
    return datetime.combine(day.replace(day=1), time.min, tzinfo=UTC)


def analytics(
    session: Session, *, workspace_id: int, days: int = 30, now: datetime | None = None
) -> Analytics:
    """The figures for the last `days` days (and this month against last month)."""
    now = now or datetime.now(UTC)
    today = now.astimezone(UTC).date()
    first = today - timedelta(days=days - 1)
    if not repository.has_activity(session, workspace_id=workspace_id):
        return Analytics(empty=True, days=days, since=first)
    start = datetime.combine(first, time.min, tzinfo=UTC)
    period = Period(start, None)
    out = Analytics(empty=False, days=days, since=first)

    summary = repository.approval_summary(session, workspace_id=workspace_id, period=period)
    out.suggestions, out.decided = int(summary.suggestions), int(summary.decided)
    out.approved, out.edited = int(summary.approved), int(summary.edited)
    out.approval_rate = out.approved / out.decided if out.decided else None
    if summary.median_seconds_to_approve is not None:
        out.median_minutes_to_approve = float(summary.median_seconds_to_approve) / 60

    # Every day of the window, with today as the last, even when nothing happened.
    window = Period(start, datetime.combine(today + timedelta(days=1), time.min, UTC))
    daily = repository.decisions_per_day(session, workspace_id=workspace_id, period=window)
    labels = [row.day.strftime("%d %b") for row in daily]
    out.per_day = stacked_columns(
        "Suggestions per day by decision",
        labels,
        [
            (name, css, [sum(getattr(row, s) for s in statuses) for row in daily])
            for name, css, statuses in DECISIONS
        ],
        label_every=max(len(labels) // 10, 1),
    )

    this_start = _month_start(today)
    last_start = _month_start(this_start.date() - timedelta(days=1))
    out.this_month, out.last_month = this_start.strftime("%B"), last_start.strftime("%B")
    this = repository.topic_counts(
        session, workspace_id=workspace_id, period=Period(this_start, None)
    )
    last = repository.topic_counts(
        session, workspace_id=workspace_id, period=Period(last_start, this_start)
    )
    last_posts = {label: posts for label, posts, _ in last}
    topics = [label for label, _, _ in this] + [
        label for label, _, _ in last if label not in {t for t, _, _ in this}
    ]
    this_posts = {label: posts for label, posts, _ in this}
    if topics:
        out.audience = grouped_bars(
            "What the audience posts about",
            [(label_name(t), [this_posts.get(t, 0), last_posts.get(t, 0)]) for t in topics[:10]],
            [(out.this_month, "this-month"), (out.last_month, "last-month")],
            unit=" posts",
        )

    weeks_since = Period(datetime.combine(today - timedelta(weeks=12), time.min, UTC), None)
    weeks = repository.needs_per_week(session, workspace_id=workspace_id, period=weeks_since)
    if weeks:
        out.needs = grouped_bars(
            "Needs answered per week",
            [(f"week of {w.week.strftime('%d %b')}", [w.needs, w.answered]) for w in weeks],
            [("asked", "asked"), ("answered", "approved")],
        )

    used = repository.knowledge_use(session, workspace_id=workspace_id, period=period)
    if used:
        out.knowledge = grouped_bars(
            "Knowledge snippets used most",
            [(title, [drafted, sent]) for title, drafted, sent in used],
            [("in drafts", "drafted"), ("in replies sent", "approved")],
        )

    gaps = suggest_queue.knowledge_gaps(session, workspace_id=workspace_id, since=start)
    out.unanswered = [g for g in gaps if not g.answered]
    return out
