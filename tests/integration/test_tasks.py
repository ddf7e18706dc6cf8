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

    done = [(j["task_name"], j["status"], j["queue_name"]) for j in connector.jobs.values()]
    assert done == [
        ("ingest:import_file", "succeeded", "ingest"),
        ("analysis:analyse_workspace", "succeeded", "analysis"),
        ("suggest:suggest_workspace", "succeeded", "suggest"),
    ]
    locks = [j["queueing_lock"] for j in connector.jobs.values()]
    assert locks[1:] == ["analyse:queued", "suggest:queued"]
    with session_scope(db) as session:
        assert session.scalar(select(func.count()).select_from(PostAnalysis)) > 300
