"""The morning queue starts at each business's own time (the workspace file's ready_at)."""

from datetime import UTC, datetime

from procrastinate.testing import InMemoryConnector

from core.database import Database, session_scope
from ingest import workspaces
from service import jobs, pipeline


def test_each_workspace_is_read_and_drafted_before_its_own_morning(db: Database) -> None:
    with session_scope(db) as session:
        for name, zone in (("leith", "Europe/London"), ("oslo", "Europe/Oslo")):
            workspaces.create(
                session,
                file_in=workspaces.validate(
                    {"name": name, "display_name": name, "timezone": zone, "ready_at": "07:00"}
                ),
            )
    connector = InMemoryConnector()
    resources = pipeline.Resources(settings=None, db=db)  # type: ignore[arg-type]
    app = jobs.create_app(resources, connector=connector)
    periodic = app.periodic_registry.periodic_tasks
    assert periodic[("suggest:schedule_mornings", "")].cron == "*/15 * * * *"
    periodic.clear()  # the ticks below are deferred by hand, not by the wall clock
    # 06:30 UTC on a winter day is half an hour before 07:00 in Leith; in Oslo it is 07:30
    tick = int(datetime(2026, 1, 10, 6, 30, tzinfo=UTC).timestamp())
    for _ in range(2):  # a second tick must not queue the same workspace again
        app.configure_task("suggest:schedule_mornings").defer(timestamp=tick)
        app.run_worker(
            wait=False,
            install_signal_handlers=False,
            queues=["schedule"],
            listen_notify=False,
        )
    queued = [j for j in connector.jobs.values() if j["task_name"] == "analysis:analyse_workspace"]
    assert [j["args"]["workspace"] for j in queued] == ["leith"]
    assert [j["queueing_lock"] for j in queued] == ["analysis:analyse_workspace:leith"]
