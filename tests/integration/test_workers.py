"""Workers on the real job queue: a dead worker's job runs again; a stopping worker lets go."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import psycopg
import pytest

from core.database import Database, libpq_url, open_database
from core.settings import Settings
from service import jobs, pipeline, worker


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


def test_a_worker_outlives_its_database_going_away(
    queue_db: Database, postgres_admin_url: str
) -> None:
    """A database restart cuts every connection: the worker reconnects and takes jobs again
    (procrastinate's worker alone stops for good when its listener's connection breaks)."""
    app = jobs.create_app(
        pipeline.Resources(settings=None, db=queue_db),  # type: ignore[arg-type]
        conninfo=queue_db.libpq_url,
    )
    admin_url = libpq_url(postgres_admin_url)

    def sql(query: str) -> list[tuple[object, ...]]:
        with psycopg.connect(queue_db.libpq_url, autocommit=True) as conn:
            return conn.execute(query).fetchall()

    def wait_for(check: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 90
        while not check():
            assert time.monotonic() < deadline, "timed out"
            time.sleep(0.2)

    def defer_a_job() -> int:
        queuer = jobs.create_app(conninfo=queue_db.libpq_url)
        with queuer.open():
            return queuer.configure_task("schedule:retry_stalled_jobs").defer(timestamp=0)

    async def scenario() -> None:
        stop = asyncio.Event()
        working = asyncio.create_task(
            worker.keep_working(app, queue_db.libpq_url, stop, queues=["schedule"])
        )
        await asyncio.to_thread(wait_for, lambda: sql("SELECT id FROM procrastinate_workers"))
        # What a restart does to the worker: every connection to its database is cut, and for
        # a few seconds no new one is accepted.
        name = queue_db.engine.url.database
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS false')
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s",
                (name,),
            )
            await asyncio.sleep(5)
            assert not working.done(), "the worker gave up while the database was away"
            admin.execute(f'ALTER DATABASE "{name}" WITH ALLOW_CONNECTIONS true')
        job_id = await asyncio.to_thread(defer_a_job)
        await asyncio.to_thread(
            wait_for,
            lambda: sql(
                f"SELECT 1 FROM procrastinate_jobs WHERE id = {job_id} AND status = 'succeeded'"
            ),
        )
        assert not working.done(), "the worker stopped"
        stop.set()
        await asyncio.wait_for(working, timeout=30)

    asyncio.run(scenario())


def test_finished_jobs_past_the_retention_are_deleted_and_the_rest_kept(
    queue_db: Database,
) -> None:
    with psycopg.connect(queue_db.libpq_url, autocommit=True) as conn:
        (worker_id,) = conn.execute(
            "INSERT INTO procrastinate_workers DEFAULT VALUES RETURNING id"
        ).fetchone()

        def job(path: list[str], days_ago: int) -> int:
            """A job taken through `path` (its statuses after `todo`), `days_ago` days ago."""
            (job_id,) = conn.execute(
                "INSERT INTO procrastinate_jobs (queue_name, task_name, args, status) "
                "VALUES ('suggest', 'suggest:suggest_workspace', '{}', 'todo') RETURNING id"
            ).fetchone()
            for status in path:
                conn.execute(
                    "UPDATE procrastinate_jobs SET status = %s, worker_id = %s WHERE id = %s",
                    (status, worker_id if status == "doing" else None, job_id),
                )
            conn.execute(
                "UPDATE procrastinate_events SET at = now() - make_interval(days => %s) "
                "WHERE job_id = %s",
                (days_ago, job_id),
            )
            return job_id

        old_succeeded = job(["doing", "succeeded"], days_ago=8)
        old_failed = job(["doing", "failed"], days_ago=8)
        recent = job(["doing", "succeeded"], days_ago=6)
        waiting = job([], days_ago=30)  # queued long ago, never run
        running = job(["doing"], days_ago=9)
    app = jobs.create_app(
        pipeline.Resources(settings=Settings(_env_file=None), db=queue_db),  # 7 days by default
        conninfo=queue_db.libpq_url,
    )
    with app.open():
        app.configure_task("schedule:remove_old_jobs").defer(timestamp=0)
    app.run_worker(
        queues=["schedule"], wait=False, install_signal_handlers=False, listen_notify=False
    )
    with psycopg.connect(queue_db.libpq_url) as conn:
        left = {row[0] for row in conn.execute("SELECT id FROM procrastinate_jobs")}
    assert old_succeeded not in left and old_failed not in left
    assert {recent, waiting, running} <= left
