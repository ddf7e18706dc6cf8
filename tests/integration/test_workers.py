"""Workers on the real job queue: a dead worker's job runs again; a stopping worker lets go."""

from __future__ import annotations

import psycopg
import pytest

from core.database import Database, open_database
from core.settings import Settings
from service import jobs, pipeline


@pytest.fixture
def queue_db(new_database) -> Database:  # noqa: ANN001
    db = open_database(Settings(_env_file=None, database_url=new_database()))
    yield db
    db.close()


def test_the_job_of_a_worker_that_died_is_queued_again(queue_db: Database) -> None:
    with psycopg.connect(queue_db.libpq_url, autocommit=True) as conn:
        # a worker that stopped sending heartbeats an hour ago, in the middle of a job
        (worker_id,) = conn.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) "
            "VALUES (now() - interval '1 hour') RETURNING id"
        ).fetchone()
        (job_id,) = conn.execute(
            "INSERT INTO procrastinate_jobs (queue_name, task_name, args, status, worker_id) "
            "VALUES ('analysis', 'analysis:analyse_workspace', "
            '\'{"workspace": "w", "since": "2026-11-29T00:00:00+00:00"}\', \'doing\', %s) '
            "RETURNING id",
            (worker_id,),
        ).fetchone()
    app = jobs.create_app(
        pipeline.Resources(settings=None, db=queue_db),  # type: ignore[arg-type]
        conninfo=queue_db.libpq_url,
    )
    with app.open():
        app.configure_task("schedule:retry_stalled_jobs").defer(timestamp=0)
    app.run_worker(
        queues=["schedule"], wait=False, install_signal_handlers=False, listen_notify=False
    )
    with psycopg.connect(queue_db.libpq_url) as conn:
        status = conn.execute(
            "SELECT status FROM procrastinate_jobs WHERE id = %s", (job_id,)
        ).fetchone()
    assert status == ("todo",)
