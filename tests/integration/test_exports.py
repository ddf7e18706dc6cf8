"""Exports read back as a user would (pyarrow, csv, json) and compared with the database."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pyarrow.parquet as pq
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import InvalidInput
from core.models import (
    Interest,
    PostAnalysis,
    Suggestion,
    SuggestionStatus,
    WebhookDelivery,
    WebhookEndpoint,
)
from service.exports import service as export_service
from service.exports.schemas import ExportFormat, ExportKind, Period
from tests.factories import make_post, make_suggestion, make_workspace

DAY = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@dataclass
class Seeded:
    workspace_id: int
    edited_id: int
    approved_id: int
    pending_id: int
    old_id: int


def _analysis(session: Session, post, **overrides) -> PostAnalysis:  # noqa: ANN001
    values = {
        "workspace_id": post.workspace_id,
        "post_id": post.id,
        "model_version": "m1",
        "language": "en",
        "sentiment": "neutral",
        "emotion": "joy",
        "intent": "question",
        "intents": {"question": 0.9},
        "topics": {"food_&_dining": 0.8},
        "keyphrases": ["sourdough starter"],
        "entities": [{"kind": "name", "text": "Leith"}],
        "has_question": True,
        "flags": [],
        "embedding": [0.0, 1.0],
    }
    values.update(overrides)
    analysis = PostAnalysis(**values)
    session.add(analysis)
    session.flush()
    return analysis


def seed(session: Session) -> Seeded:
    """Three suggestions in the period (edited, approved, pending), one before it, a person
    with interests, analysed posts and a webhook delivery."""
    ws = make_workspace(session, name="exports-ws")
    other = make_workspace(session, name="other-ws")  # never exported with exports-ws
    foreign = make_post(session, workspace_id=other.id, external_id="f1")
    make_suggestion(session, post=foreign, created_at=DAY)

    posts = [
        make_post(
            session,
            workspace_id=ws.id,
            external_id=f"p{i}",
            text=f"Question {i}: how do I keep my starter alive?",
            posted_at=DAY + timedelta(days=i),
        )
        for i in range(3)
    ]
    old_post = make_post(
        session, workspace_id=ws.id, external_id="old", posted_at=DAY - timedelta(days=30)
    )
    _analysis(session, posts[0])
    _analysis(session, posts[1], topics={"fitness_&_health": 0.7}, sentiment="positive")
    edited = make_suggestion(
        session,
        post=posts[0],
        draft="Feed it twice a day.",
        final_text="Feed it twice a day!",
        status=SuggestionStatus.EDITED,
        created_at=DAY,
        decided_at=DAY + timedelta(seconds=90),
        grounding={"knowledge": ["Opening hours"], "based_on": None},
        drafter_version="openai-compatible:llama3",
    )
    approved = make_suggestion(
        session,
        post=posts[1],
        draft="Lovely news, Maria!",
        final_text="Lovely news, Maria!",
        status=SuggestionStatus.APPROVED,
        created_at=DAY + timedelta(days=1),
        decided_at=DAY + timedelta(days=1, minutes=30),
        drafter_version="composer-2",
    )
    pending = make_suggestion(
        session, post=posts[2], created_at=DAY + timedelta(days=2), drafter_version="composer-2"
    )
    old = make_suggestion(session, post=old_post, created_at=DAY - timedelta(days=30))
    endpoint = WebhookEndpoint(
        workspace_id=ws.id, url="https://hooks.example/x", secret_encrypted=b"s", event_types=[]
    )
    session.add(endpoint)
    session.flush()
    for status, at in (("failed", DAY), ("delivered", DAY + timedelta(minutes=5))):
        session.add(
            WebhookDelivery(
                endpoint_id=endpoint.id,
                suggestion_id=edited.id,
                event_id=f"msg_{status}",
                event_type="reply.edited",
                payload={},
                status=status,
                created_at=at,
            )
        )
    session.add(
        Interest(
            workspace_id=ws.id,
            person_id=posts[0].person_id,
            kind="topic",
            label="food_&_dining",
            weight=0.9,
            evidence_post_ids=[posts[0].id],
            last_seen_at=DAY,
        )
    )
    session.flush()
    return Seeded(ws.id, edited.id, approved.id, pending.id, old.id)


def run_export(session: Session, ws: int, kind: ExportKind, fmt: ExportFormat, **kw) -> bytes:  # noqa: ANN003
    period = kw.pop("period", Period.parse("2026-11-01", None))
    return b"".join(
        export_service.export(session, workspace_id=ws, kind=kind, fmt=fmt, period=period, **kw)
    )


def read_back(data: bytes, fmt: ExportFormat) -> list[dict]:
    """Rows as a user's tool would read them (CSV cells stay strings)."""
    if fmt is ExportFormat.PARQUET:
        return pq.read_table(io.BytesIO(data)).to_pylist()
    if fmt is ExportFormat.JSONL:
        return [json.loads(line) for line in data.decode().splitlines()]
    return list(csv.DictReader(io.StringIO(data.decode())))


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_suggestions_export_matches_the_database(session: Session, fmt: ExportFormat) -> None:
    seeded = seed(session)
    rows = read_back(run_export(session, seeded.workspace_id, ExportKind.SUGGESTIONS, fmt), fmt)
    by_id = {int(r["suggestion_id"]): r for r in rows}
    # The period starts on 1 November: the October suggestion and other workspaces are out.
    assert list(by_id) == [seeded.edited_id, seeded.approved_id, seeded.pending_id]
    stored = {
        s.id: s for s in session.scalars(select(Suggestion).where(Suggestion.id.in_(list(by_id))))
    }
    for sid, row in by_id.items():
        assert row["status"] == stored[sid].status.value
        assert row["occasion"] == stored[sid].occasion.value
        assert row["draft"] == stored[sid].draft
    edited, approved, pending = (by_id[i] for i in list(by_id))
    assert float(edited["seconds_to_decide"]) == 90.0
    assert float(approved["seconds_to_decide"]) == 1800.0
    assert int(edited["edit_distance"]) == 1  # "." became "!"
    assert int(approved["edit_distance"]) == 0
    assert pending["edit_distance"] in (None, "")
    assert pending["decided_at"] in (None, "")
    assert edited["backend"] == "openai-compatible"
    assert edited["drafter_version"] == "openai-compatible:llama3"
    assert approved["backend"] == "composer"
    assert edited["delivery_state"] == "delivered"  # the newest delivery
    assert pending["delivery_state"] in (None, "")
    knowledge = edited["knowledge_used"]
    assert (json.loads(knowledge) if fmt is ExportFormat.CSV else knowledge) == ["Opening hours"]
    created = edited["created_at"]
    if fmt is ExportFormat.PARQUET:
        assert created == DAY
    else:
        assert datetime.fromisoformat(created.replace("Z", "+00:00")) == DAY


def test_until_includes_its_whole_day_and_a_bad_period_is_refused(session: Session) -> None:
    seeded = seed(session)
    period = Period.parse("2026-11-20", "2026-11-21")
    rows = read_back(
        run_export(
            session, seeded.workspace_id, ExportKind.SUGGESTIONS, ExportFormat.JSONL, period=period
        ),
        ExportFormat.JSONL,
    )
    assert [r["suggestion_id"] for r in rows] == [seeded.edited_id, seeded.approved_id]
    with pytest.raises(InvalidInput, match="not a date: use YYYY-MM-DD"):
        Period.parse("2026-13-01", None)
    with pytest.raises(InvalidInput, match="must come after"):
        Period.parse("2026-11-20", "2026-11-01")
    with pytest.raises(InvalidInput, match="use csv, jsonl or parquet"):
        ExportFormat.parse("xlsx")


def test_parquet_is_written_batch_by_batch(session: Session) -> None:
    seeded = seed(session)
    chunks = list(
        export_service.export(
            session,
            workspace_id=seeded.workspace_id,
            kind=ExportKind.SUGGESTIONS,
            fmt=ExportFormat.PARQUET,
            period=Period(),
            batch_size=2,
        )
    )
    assert len(chunks) >= 3  # bytes leave after each batch, not at the end
    table = pq.ParquetFile(io.BytesIO(b"".join(chunks)))
    assert table.metadata.num_rows == 4 and table.metadata.num_row_groups == 2


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_people_export_carries_their_interests(session: Session, fmt: ExportFormat) -> None:
    seeded = seed(session)
    rows = read_back(run_export(session, seeded.workspace_id, ExportKind.PEOPLE, fmt), fmt)
    assert len(rows) == 1  # every post is by Maria
    maria = rows[0]
    assert maria["handle"] == "maria@example.social"
    assert int(maria["posts"]) == 3  # her three November posts, not October's
    interests = maria["interests"]
    if fmt is ExportFormat.CSV:
        interests = json.loads(interests)
    assert interests == [{"kind": "topic", "label": "food_&_dining", "weight": 0.9}]


@pytest.mark.parametrize("fmt", list(ExportFormat))
def test_posts_export_carries_their_analysis(session: Session, fmt: ExportFormat) -> None:
    seeded = seed(session)
    rows = read_back(run_export(session, seeded.workspace_id, ExportKind.POSTS, fmt), fmt)
    assert [r["external_id"] for r in rows] == ["p0", "p1", "p2"]
    first, second, unread = rows
    topics = first["topics"]
    if fmt is ExportFormat.PARQUET:
        topics = dict(topics)
    elif fmt is ExportFormat.CSV:
        topics = json.loads(topics)
    assert topics == {"food_&_dining": 0.8}
    assert second["sentiment"] == "positive"
    assert first["intent"] == "question"
    assert unread["intent"] in (None, "")  # not analysed yet: the post is still exported
    entities = first["entities"]
    assert (json.loads(entities) if fmt is ExportFormat.CSV else entities) == [
        {"kind": "name", "text": "Leith"}
    ]


def test_daily_aggregates_count_each_day(session: Session) -> None:
    seeded = seed(session)
    data = run_export(
        session,
        seeded.workspace_id,
        ExportKind.DAILY,
        ExportFormat.PARQUET,
        period=Period.parse("2026-11-19", "2026-11-22"),
    )
    days = {r["day"]: r for r in read_back(data, ExportFormat.PARQUET)}
    assert list(days) == [date(2026, 11, d) for d in (19, 20, 21, 22)]  # empty days included
    assert days[date(2026, 11, 19)]["posts"] == 0
    first = days[date(2026, 11, 20)]
    assert (first["posts"], first["suggestions"], first["edited"], first["approved"]) == (
        1,
        1,
        1,
        0,
    )
    assert first["approval_rate"] == 1.0
    assert first["median_seconds_to_approve"] == 90.0
    assert days[date(2026, 11, 22)]["pending"] == 1
    assert days[date(2026, 11, 22)]["approval_rate"] is None


def test_an_empty_export_still_has_its_columns(session: Session) -> None:
    ws = make_workspace(session, name="quiet-ws")
    parquet = run_export(session, ws.id, ExportKind.SUGGESTIONS, ExportFormat.PARQUET)
    table = pq.read_table(io.BytesIO(parquet))
    assert table.num_rows == 0 and "edit_distance" in table.column_names
    header = run_export(session, ws.id, ExportKind.SUGGESTIONS, ExportFormat.CSV).decode()
    assert header.startswith("suggestion_id,created_at,decided_at,status")
    assert run_export(session, ws.id, ExportKind.DAILY, ExportFormat.JSONL) == b""
