"""Two runs of the cycle on one workspace at once: both finish, nothing is stored twice.

These tests use their own database (not the rolled-back test transaction): the runs must be
separate connections, committing for real, for one to meet the other's rows.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from analysis import service as analysis_service
from analysis.service import Analyzer
from core.database import Database, open_database, session_scope
from core.models import Interest, Person, PostAnalysis, Suggestion
from core.settings import Settings
from ingest import service as ingest_service
from service import pipeline
from tests.fakes import HashEmbedder

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture
def shared_db(new_database) -> Iterator[Database]:  # noqa: ANN001
    db = open_database(Settings(_env_file=None, database_url=new_database()))
    with session_scope(db) as session:
        ingest_service.load_sample(session, today=NOW)
    yield db
    db.close()


def _counts(db: Database) -> dict[str, int]:
    with session_scope(db) as session:
        return {
            m.__tablename__: int(session.scalar(select(func.count()).select_from(m)) or 0)
            for m in (PostAnalysis, Interest, Suggestion)
        }


def _resources(db: Database) -> pipeline.Resources:
    return pipeline.Resources(
        settings=None,  # type: ignore[arg-type]
        db=db,
        _analyzer=Analyzer(HashEmbedder(), heads=None),
    )


def test_two_runs_at_once_both_finish_and_store_each_thing_once(shared_db: Database) -> None:
    start = threading.Barrier(2)
    reports: list[pipeline.PipelineReport] = []
    errors: list[BaseException] = []

    def one_run() -> None:
        resources = _resources(shared_db)
        resources.analyzer  # noqa: B018 - loaded before the start line
        start.wait()
        try:
            reports.append(pipeline.run(resources, workspace_name="crumb-and-kettle", now=NOW))
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    runs = [threading.Thread(target=one_run) for _ in range(2)]
    for t in runs:
        t.start()
    for t in runs:
        t.join(timeout=300)

    assert errors == []
    assert len(reports) == 2
    # every post read exactly once between them, and the work shared rather than repeated
    assert sum(r.analysed for r in reports) == 375
    together = _counts(shared_db)
    assert together["post_analysis"] == 375
    # a third run, alone, finds nothing left to do or add
    third = pipeline.run(_resources(shared_db), workspace_name="crumb-and-kettle", now=NOW)
    assert third.analysed == 0 and third.suggestions.created == 0
    assert _counts(shared_db) == together


def _waiting_on_a_lock(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(
            conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
            or 0
        )


def test_rebuilding_the_same_profiles_at_once_does_not_fail(shared_db: Database) -> None:
    analyzer = Analyzer(HashEmbedder(), heads=None)
    with session_scope(shared_db) as session:
        ws = ingest_service.get_workspace(session, name="crumb-and-kettle")
        analysis_service.analyse_pending(session, workspace_id=ws.id, analyzer=analyzer)
        people = list(session.scalars(select(Person.id).order_by(Person.id)))

    def rebuild(session: Session) -> None:
        analysis_service.update_profiles(
            session,
            workspace_id=ws.id,
            model_version=analyzer.model_version,
            person_ids=people,
            now=NOW,
        )

    errors: list[BaseException] = []

    def second() -> None:
        try:
            with session_scope(shared_db) as session:
                rebuild(session)
        except BaseException as exc:  # noqa: BLE001 - the test reports it
            errors.append(exc)

    # The first rebuild holds its rows uncommitted while the second one starts and waits for
    # it; then the first commits (this used to make the second fail on the unique key).
    with session_scope(shared_db) as first:
        rebuild(first)
        other = threading.Thread(target=second)
        other.start()
        for _ in range(200):
            if _waiting_on_a_lock(shared_db):
                break
            time.sleep(0.05)
        assert _waiting_on_a_lock(shared_db) == 1
    other.join(timeout=60)

    assert errors == []
    with session_scope(shared_db) as session:
        per_person = session.execute(
            select(Interest.person_id, Interest.kind, Interest.label, func.count())
            .group_by(Interest.person_id, Interest.kind, Interest.label)
            .having(func.count() > 1)
        ).all()
        assert per_person == []
        assert session.scalar(select(func.count()).select_from(Interest))
