"""The procrastinate job app: built on demand (never at import), one queue per stage."""

from __future__ import annotations

import procrastinate


def create_app(
    conninfo: str | None = None, *, connector: object | None = None
) -> procrastinate.App:
    """The job app with every stage's tasks; `connector` overrides (tests use InMemoryConnector)."""
    from analysis.tasks import blueprint as analysis_tasks
    from ingest.tasks import blueprint as ingest_tasks
    from service.posting.tasks import blueprint as posting_tasks
    from service.webhooks.tasks import blueprint as webhook_tasks
    from suggest.tasks import blueprint as suggest_tasks

    if connector is None:
        connector = procrastinate.PsycopgConnector(conninfo=conninfo)
    app = procrastinate.App(connector=connector)  # type: ignore[arg-type]
    app.add_tasks_from(ingest_tasks(), namespace="ingest")
    app.add_tasks_from(analysis_tasks(), namespace="analysis")
    app.add_tasks_from(suggest_tasks(), namespace="suggest")
    app.add_tasks_from(webhook_tasks(), namespace="webhooks")
    app.add_tasks_from(posting_tasks(), namespace="posting")
    return app
