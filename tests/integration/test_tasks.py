"""Job wiring: an import job chains analysis and suggestion jobs, each with a queueing lock."""

from pathlib import Path

import pytest
from procrastinate.testing import InMemoryConnector
from sqlalchemy import func, select

from core import jobs
from core.database import Database, session_scope
from core.models import PostAnalysis
from ingest import service as ingest_service
from service import pipeline

pytestmark = pytest.mark.model


def test_import_job_runs_the_pipeline_through_the_queues(
    db: Database,
    analyzer,
    sample_path: Path,  # noqa: ANN001
) -> None:
    with session_scope(db) as session:
        ingest_service.get_or_create_workspace(session, name="queued")
    connector = InMemoryConnector()
    app = jobs.create_app(connector=connector)
    app.configure_task("ingest:import_file").defer(workspace="queued", path=str(sample_path))

    app.run_worker(
        wait=False,
        install_signal_handlers=False,
        additional_context={
            "resources": pipeline.Resources(settings=None, db=db, _analyzer=analyzer)  # type: ignore[arg-type]
        },
    )

    chain = [
        j
        for j in connector.jobs.values()
        if j["queue_name"] not in ("schedule", "webhooks", "posting")
    ]
    done = [(j["task_name"], j["status"], j["queue_name"]) for j in chain]
    assert done == [
        ("ingest:import_file", "succeeded", "ingest"),
        ("analysis:analyse_workspace", "succeeded", "analysis"),
        ("suggest:suggest_workspace", "succeeded", "suggest"),
    ]
    locks = [j["queueing_lock"] for j in chain]
    assert locks[1:] == ["analyse:queued", "suggest:queued"]
    with session_scope(db) as session:
        assert session.scalar(select(func.count()).select_from(PostAnalysis)) > 300


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
    app = jobs.create_app(connector=connector)
    periodic = app.periodic_registry.periodic_tasks
    assert periodic[("ingest:schedule_syncs", "")].cron == "*/15 * * * *"
    del periodic[("ingest:schedule_syncs", "")]  # this app is the test's own
    del periodic[("suggest:schedule_mornings", "")]
    # the ticks below are deferred by hand, so that the wall clock cannot add one
    resources = pipeline.Resources(settings=None, db=db)  # type: ignore[arg-type]
    for _ in range(2):  # a second tick must not queue the same accounts again
        app.configure_task("ingest:schedule_syncs").defer(timestamp=1_800_000_000)
        app.run_worker(
            wait=False,
            install_signal_handlers=False,
            queues=["schedule"],
            additional_context={"resources": resources},
            listen_notify=False,
        )
    queued = [j for j in connector.jobs.values() if j["task_name"] == "ingest:sync_account"]
    assert sorted(j["args"]["account_id"] for j in queued) == ids[:2]
    assert {j["queueing_lock"] for j in queued} == {f"account:{i}" for i in ids[:2]}
    assert {j["status"] for j in queued} == {"todo"}  # waiting for an ingest worker
