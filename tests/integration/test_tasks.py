"""Job wiring: an import job starts the cycle, whose stages run as jobs chained on their queues."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from procrastinate.testing import InMemoryConnector
from sqlalchemy import func, select

from analysis.service import Analyzer
from core.database import Database, session_scope
from core.models import Interest, PostAnalysis
from ingest import service as ingest_service
from service import jobs, pipeline
from tests.fakes import HashEmbedder


@pytest.fixture
def resources(db: Database) -> pipeline.Resources:
    return pipeline.Resources(
        settings=None,  # type: ignore[arg-type]
        db=db,
        _analyzer=Analyzer(HashEmbedder(), heads=None),
    )


def _count(db: Database, model: type) -> int:
    with session_scope(db) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_import_job_runs_the_cycle_through_the_queues(
    db: Database, resources: pipeline.Resources, sample_path: Path
) -> None:
    with session_scope(db) as session:
        ingest_service.get_or_create_workspace(session, name="queued")
    connector = InMemoryConnector()
    app = jobs.create_app(resources, connector=connector)
    app.configure_task("ingest:import_file").defer(workspace="queued", path=str(sample_path))

    app.run_worker(wait=False, install_signal_handlers=False, listen_notify=False)

    chain = [
        j
        for j in connector.jobs.values()
        if j["queue_name"] not in ("schedule", "webhooks", "posting")
    ]
    done = [(j["task_name"], j["status"], j["queue_name"]) for j in chain]
    assert done == [
        ("ingest:import_file", "succeeded", "ingest"),
        ("analysis:analyse_workspace", "succeeded", "analysis"),
        ("analysis:refresh_profiles", "succeeded", "analysis"),
        ("suggest:suggest_workspace", "succeeded", "suggest"),
    ]
    locks = [j["queueing_lock"] for j in chain]
    assert locks[1:] == [
        "analysis:analyse_workspace:queued",
        "analysis:refresh_profiles:queued",
        "suggest:suggest_workspace:queued",
    ]
    assert _count(db, PostAnalysis) == 375
    assert _count(db, Interest) > 0


def test_a_second_request_for_a_waiting_cycle_is_a_no_op(
    db: Database, resources: pipeline.Resources
) -> None:
    with session_scope(db) as session:
        ingest_service.get_or_create_workspace(session, name="twice")
    connector = InMemoryConnector()
    app = jobs.create_app(resources, connector=connector)
    run = pipeline.CycleRun(workspace="twice", since=datetime(2026, 11, 29, tzinfo=UTC))

    assert jobs.start_cycle(app, run) is True
    assert jobs.start_cycle(app, run) is False

    waiting = [j for j in connector.jobs.values() if j["status"] == "todo"]
    assert [j["task_name"] for j in waiting] == ["analysis:analyse_workspace"]


def test_a_stage_that_finds_its_next_stage_already_waiting_still_succeeds(
    db: Database, resources: pipeline.Resources
) -> None:
    with session_scope(db) as session:
        ingest_service.get_or_create_workspace(session, name="busy")
    connector = InMemoryConnector()
    app = jobs.create_app(resources, connector=connector)
    run = pipeline.CycleRun(workspace="busy", since=datetime(2026, 11, 29, tzinfo=UTC))
    # the profiles of this workspace are already queued when the analysis finishes
    jobs.defer_once(
        app,
        "analysis:refresh_profiles",
        queueing_lock="analysis:refresh_profiles:busy",
        **run.job_args(),
    )
    jobs.start_cycle(app, run)

    app.run_worker(
        wait=False, install_signal_handlers=False, listen_notify=False, queues=["analysis"]
    )

    statuses = {j["task_name"]: j["status"] for j in connector.jobs.values()}
    assert statuses["analysis:analyse_workspace"] == "succeeded"
    assert "failed" not in statuses.values()


def test_periodic_schedule_queues_one_sync_per_due_account(db: Database) -> None:
    from cryptography.fernet import Fernet

    from core.models import AccountHealth
    from ingest import accounts

    key = Fernet(Fernet.generate_key())
    with session_scope(db) as session:
        ws, _ = ingest_service.get_or_create_workspace(session, name="scheduled")
        ids = [
            accounts.add_account(
                session,
                workspace_id=ws.id,
                platform="mastodon",
                handle=f"shop{i}",
                values={"api_base_url": "https://m.example", "access_token": "t"},
                fernet=key,
            ).id
            for i in range(3)
        ]
        session.flush()
        broken = accounts.get_account(session, account_id=ids[2])
        broken.health = AccountHealth.NEEDS_RECONNECT
    connector = InMemoryConnector()
    resources = pipeline.Resources(settings=None, db=db)  # type: ignore[arg-type]
    app = jobs.create_app(resources, connector=connector)
    periodic = app.periodic_registry.periodic_tasks
    assert periodic[("ingest:schedule_syncs", "")].cron == "*/15 * * * *"
    periodic.clear()  # the ticks below are deferred by hand: the wall clock cannot add one
    for _ in range(2):  # a second tick must not queue the same accounts again
        app.configure_task("ingest:schedule_syncs").defer(timestamp=1_800_000_000)
        app.run_worker(
            wait=False, install_signal_handlers=False, queues=["schedule"], listen_notify=False
        )
    queued = [j for j in connector.jobs.values() if j["task_name"] == "ingest:sync_account"]
    assert sorted(j["args"]["account_id"] for j in queued) == ids[:2]
    assert {j["queueing_lock"] for j in queued} == {f"account:{i}" for i in ids[:2]}
    assert {j["status"] for j in queued} == {"todo"}  # waiting for an ingest worker
    ticks = [j for j in connector.jobs.values() if j["task_name"] == "ingest:schedule_syncs"]
    assert {j["status"] for j in ticks} == {"succeeded"}


def test_a_stopping_worker_releases_the_analysis_between_batches_keeping_what_it_read(
    db: Database, resources: pipeline.Resources
) -> None:
    import time

    from procrastinate.exceptions import JobAborted
    from procrastinate.job_context import AbortReason, JobContext
    from procrastinate.jobs import Job

    with session_scope(db) as session:
        ingest_service.load_sample(session, today=datetime(2026, 11, 25, tzinfo=UTC))
    app = jobs.create_app(resources, connector=InMemoryConnector())
    run = pipeline.CycleRun(workspace="crumb-and-kettle", since=datetime(2026, 11, 29, tzinfo=UTC))
    task = app.tasks["analysis:analyse_workspace"]
    asked = iter([False, True, True, True])
    context = JobContext(
        app=app,
        job=Job(id=1, queue="analysis", lock=None, queueing_lock=None, task_name=task.name),
        start_timestamp=time.time(),
        # the worker is asked to stop while the first batch is being read
        abort_reason=lambda: AbortReason.SHUTDOWN if next(asked) else None,
    )

    with pytest.raises(JobAborted):
        task(context, **run.job_args())

    # the first batch (256 of the 375 posts) stays committed; a retry reads only the rest
    assert _count(db, PostAnalysis) == 256
    rest = pipeline.PipelineReport()
    pipeline.CYCLE[0].run(resources, run, rest, lambda *_: None)
    assert rest.analysed == 375 - 256
