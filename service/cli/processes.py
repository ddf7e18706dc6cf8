"""The long-running processes: web, worker, and `up` (everything in one command).

`web` and `worker` never migrate: many replicas start at once against one database, so they
check that the schema is current and ask for `rapport db upgrade` otherwise. `up` (one machine,
usually the embedded database) migrates, then serves the web page and runs a worker in one
process. Each stops cleanly on SIGTERM as on Ctrl+C: the web server finishes its requests, the
worker finishes its jobs (or releases them between batches after `--shutdown-timeout`).
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from core.database import Database
from core.settings import Settings
from service import pipeline
from service.cli import users
from service.cli.common import Schema, app, console, database, log_as_a_service

Host = Annotated[str, typer.Option(help="Address to serve on.", envvar="RAPPORT_HOST")]
Port = Annotated[int, typer.Option(help="Port to serve on.", envvar="RAPPORT_PORT")]
Queues = Annotated[
    list[str] | None,
    typer.Option(
        "--queue",
        "-q",
        help="Only these queues (repeatable): schedule, ingest, analysis, suggest, webhooks, "
        "posting.",
    ),
]
Concurrency = Annotated[int, typer.Option(min=1, help="Jobs run at once (each in its own thread).")]
ShutdownTimeout = Annotated[
    float,
    typer.Option(
        help="On SIGTERM, seconds to let running jobs finish before asking them to stop "
        "(a stopped job is retried; analysis keeps every batch it committed)."
    ),
]
MODEL_QUEUES = {"analysis", "suggest"}


def serve_app(settings: Settings, db: Database, host: str, port: int) -> None:
    import uvicorn

    from service.app import create_app

    users.refuse_open_serving(db, host)
    console.print(f"Review page: [link]http://{host}:{port}[/link]  (Ctrl+C to stop)")
    uvicorn.run(create_app(settings, db), host=host, port=port, log_level="warning")


@app.command()
def web(host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """Serve the review page, the API, /healthz, /readyz and /metrics (no migrations)."""
    log_as_a_service()
    with database(schema=Schema.CHECK) as db:
        serve_app(Settings(), db, host, port)


app.command("serve", help="The same as `rapport web` (its former name).")(web)


def _resources(settings: Settings, db: Database, queues: list[str] | None) -> pipeline.Resources:
    resources = pipeline.Resources(settings, db)
    if queues is None or MODEL_QUEUES & set(queues):
        resources.analyzer  # noqa: B018 - load the models before taking jobs, once
    return resources


@app.command()
def worker(
    queues: Queues = None,
    concurrency: Concurrency = 1,
    shutdown_timeout: ShutdownTimeout = 60.0,
    metrics_port: Annotated[
        int | None,
        typer.Option(
            help="Serve this worker's Prometheus metrics (job durations) on this port.",
            envvar="RAPPORT_WORKER_METRICS_PORT",
        ),
    ] = None,
) -> None:
    """Run a job worker: schedules, syncs, analysis and suggestions (no migrations)."""
    log_as_a_service()
    from service import jobs
    from service import worker as worker_process

    settings = Settings()
    with database(schema=Schema.CHECK) as db:
        if metrics_port:
            import prometheus_client

            prometheus_client.start_http_server(metrics_port)
        job_app = jobs.create_app(_resources(settings, db, queues), conninfo=db.libpq_url)
        console.print(
            f"Worker on {', '.join(queues) if queues else 'every queue'}, "
            f"{concurrency} at a time (Ctrl+C or SIGTERM to stop)."
        )
        worker_process.run(
            job_app,
            db.libpq_url,
            queues=queues,
            concurrency=concurrency,
            shutdown_graceful_timeout=shutdown_timeout,
        )


@app.command()
def up(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    concurrency: Concurrency = 1,
    shutdown_timeout: ShutdownTimeout = 30.0,
) -> None:
    """Everything on one machine: the database (embedded unless RAPPORT_DATABASE_URL is set),
    its migrations, the review page and a job worker, in one process."""
    log_as_a_service()
    settings = Settings()
    with database(schema=Schema.UPGRADE) as db:
        users.refuse_open_serving(db, host)
        resources = _resources(settings, db, None)
        console.print(f"Review page: [link]http://{host}:{port}[/link]  (Ctrl+C to stop)")
        asyncio.run(_serve_and_work(settings, resources, host, port, concurrency, shutdown_timeout))


async def _serve_and_work(
    settings: Settings,
    resources: pipeline.Resources,
    host: str,
    port: int,
    concurrency: int,
    shutdown_timeout: float,
) -> None:
    """The web server and a worker on one event loop; the server's signal stops both."""
    import uvicorn

    from service import jobs
    from service import worker as worker_process
    from service.app import create_app

    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, resources.db), host=host, port=port, log_level="warning"
        )
    )
    job_app = jobs.create_app(resources, conninfo=resources.db.libpq_url)
    stop = asyncio.Event()
    working = asyncio.create_task(
        worker_process.keep_working(
            job_app,
            resources.db.libpq_url,
            stop,
            concurrency=concurrency,
            shutdown_graceful_timeout=shutdown_timeout,
        )
    )
    try:
        await server.serve()
    finally:
        stop.set()
        await working
