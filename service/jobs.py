"""The procrastinate job app: the daily cycle's stages as jobs, each queueing the next.

Built on demand (never at import). Tasks close over the process's typed `Resources`; an app
built without them (the web process, `rapport run --enqueue`) can only queue jobs.

Queues: `schedule` (periodic ticks), `ingest` (imports, syncs), `analysis`, `suggest`,
`webhooks` (deliveries), `posting` (replies Rapport posts itself).
A job is queued with a queueing lock (one waiting job per workspace and stage, one per account);
queueing it again while one waits is a no-op, not an error.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import procrastinate
import structlog
from procrastinate import builtin_tasks

from core import metrics
from core.logging import get_logger
from core.secrets import fernet
from ingest import tasks as ingest_tasks
from ingest.connectors import RetriableError
from ingest.sync import SyncRunning
from service import pipeline
from service.pipeline import CYCLE, CycleRun, PipelineReport, Resources, Stage
from service.posting import tasks as posting_tasks
from service.webhooks import tasks as webhook_tasks
from service.webhooks.delivery import Sender
from suggest import tasks as suggest_tasks

log = get_logger(__name__)

SYNC_EVERY = "*/15 * * * *"
MORNINGS_EVERY = "*/15 * * * *"
STALLED_CHECK = "* * * * *"  # a dead worker's job runs again within about 1.5 min
OLD_JOBS_CLEANUP = "17 4 * * *"  # daily; finished jobs pile up at about one per tick per task


class _RetryWhenAsked(procrastinate.BaseRetryStrategy):
    """Retry rate-limited syncs after the platform's own wait, others with backoff."""

    def get_retry_decision(
        self, *, exception: BaseException, job: procrastinate.jobs.Job
    ) -> procrastinate.RetryDecision | None:
        if job.attempts >= 5:
            return None
        if isinstance(exception, RetriableError):
            return procrastinate.RetryDecision(retry_in={"seconds": int(exception.retry_after)})
        return procrastinate.RetryDecision(retry_in={"seconds": 30 * 2**job.attempts})


# A stage fails mostly because the database went away: try again, a little later each time.
STAGE_RETRY = procrastinate.RetryStrategy(max_attempts=5, exponential_wait=5)


def defer_once(
    app: procrastinate.App,
    task: str,
    *,
    queueing_lock: str,
    lock: str | None = None,
    **kwargs: Any,
) -> bool:
    """Queue a job unless one with the same queueing lock is already waiting (then: False)."""
    try:
        app.configure_task(task, queueing_lock=queueing_lock, lock=lock).defer(**kwargs)
    except procrastinate.exceptions.AlreadyEnqueued:
        log.info("jobs.already_queued", task=task, queueing_lock=queueing_lock)
        return False
    return True


def start_cycle(app: procrastinate.App, run: CycleRun) -> bool:
    """Queue the first stage of the cycle for a workspace (a no-op if one is waiting)."""
    first = CYCLE[0]
    return defer_once(
        app, first.task, queueing_lock=f"{first.task}:{run.workspace}", **run.job_args()
    )


def _observed(task: str, fn: Callable[..., None]) -> Callable[..., None]:
    """Run a job with its id in every log line, and time it."""

    def wrapper(context: procrastinate.JobContext, **kwargs: Any) -> None:
        job_id = context.job.id if context.job else None
        structlog.contextvars.bind_contextvars(job_id=job_id, task=task)
        started, outcome = time.perf_counter(), "failed"
        log.info("jobs.started", args=kwargs, attempt=context.job.attempts if context.job else 0)
        try:
            fn(context, **kwargs)
            outcome = "succeeded"
        except procrastinate.exceptions.JobAborted:
            outcome = "released"  # asked to stop: queued again, what was done is kept
            raise
        finally:
            seconds = time.perf_counter() - started
            metrics.JOB_SECONDS.labels(task=task, outcome=outcome).observe(seconds)
            log.info("jobs.finished", outcome=outcome, seconds=round(seconds, 3))
            structlog.contextvars.unbind_contextvars("job_id", "task")

    wrapper.__name__ = task.replace(":", "_")
    wrapper.__doc__ = fn.__doc__
    return wrapper


def create_app(
    resources: Resources | None = None,
    *,
    conninfo: str | None = None,
    connector: object | None = None,
) -> procrastinate.App:
    """The job app; `connector` overrides the database (tests use InMemoryConnector)."""
    if connector is None:
        connector = procrastinate.PsycopgConnector(conninfo=conninfo)
    app = procrastinate.App(connector=connector)  # type: ignore[arg-type]

    def need() -> Resources:
        if resources is None:
            raise RuntimeError("This job app only queues jobs; `rapport worker` runs them.")
        return resources

    def register(name: str, queue: str, fn: Callable[..., None], retry: Any = STAGE_RETRY) -> None:
        app.task(name=name, queue=queue, pass_context=True, retry=retry)(_observed(name, fn))

    def cycle_stage(stage: Stage) -> Callable[..., None]:
        def run_stage(context: procrastinate.JobContext, *, workspace: str, since: str) -> None:
            run = CycleRun.from_job_args(workspace=workspace, since=since)

            def progress(stage_title: str, total: int | None, advance: int) -> None:
                # A worker asked to stop releases its job between batches: what is done stays
                # committed and the job is retried (by this worker's successor or another).
                if context.should_abort():
                    raise procrastinate.exceptions.JobAborted()

            stage.run(need(), run, PipelineReport(), progress)
            after = pipeline.next_stage(stage.task)
            if after is not None:
                defer_once(
                    app,
                    after.task,
                    queueing_lock=f"{after.task}:{workspace}",
                    **run.job_args(),
                )

        run_stage.__doc__ = f"The cycle's stage {stage.task} for one workspace."
        return run_stage

    for stage in CYCLE:
        register(stage.task, stage.queue, cycle_stage(stage))

    def import_file(context: procrastinate.JobContext, *, workspace: str, path: str) -> None:
        """Import an export file, then start the workspace's cycle."""
        res = need()
        report = ingest_tasks.import_file(res.db, workspace=workspace, path=Path(path))
        metrics.POSTS_INGESTED.labels(source="import").inc(
            report.result.posts_new + report.result.posts_updated
        )
        start_cycle(app, pipeline.start(res.db, workspace_name=workspace))

    def sync_account(context: procrastinate.JobContext, *, account_id: int) -> None:
        """Sync one account, then start its workspace's cycle."""
        res = need()
        try:
            workspace, report = ingest_tasks.sync_account(
                res.db, account_id=account_id, fernet=fernet(res.settings)
            )
        except SyncRunning:
            # Started from the accounts page or `rapport sync` meanwhile: that one reads it.
            log.info("jobs.sync.already_running", account_id=account_id)
            return
        metrics.POSTS_INGESTED.labels(source="sync").inc(
            report.result.posts_new + report.result.posts_updated
        )
        start_cycle(app, pipeline.start(res.db, workspace_name=workspace))

    def schedule_syncs(context: procrastinate.JobContext, *, timestamp: int) -> None:
        """Every 15 minutes, queue a sync for each healthy account that is due.

        An account's `sync_every_minutes` setting (default 60) is its schedule; the lock per
        account means one account is never synced by two workers at once.
        """
        now = datetime.fromtimestamp(timestamp, UTC)
        for account_id in ingest_tasks.accounts_due(need().db, now=now):
            defer_once(
                app,
                "ingest:sync_account",
                queueing_lock=f"account:{account_id}",
                lock=f"account:{account_id}",
                account_id=account_id,
            )

    def schedule_mornings(context: procrastinate.JobContext, *, timestamp: int) -> None:
        """Every 15 minutes, start the cycle of each workspace whose morning is near: read
        what is new and draft its queue half an hour before its local ready time (profiles
        age and stale suggestions expire on the way)."""
        res = need()
        now = datetime.fromtimestamp(timestamp, UTC)
        for name in suggest_tasks.mornings_due(res.db, now=now):
            start_cycle(app, pipeline.start(res.db, workspace_name=name))

    def deliver_webhooks(context: procrastinate.JobContext, *, timestamp: int) -> None:
        """Send the webhook deliveries that are due (first attempts and retries)."""
        res = need()
        with Sender(res.settings) as sender:
            webhook_tasks.drain(res.db, res.settings, sender, seconds=webhook_tasks.RUN_FOR_SECONDS)

    def post_replies(context: procrastinate.JobContext, *, timestamp: int) -> None:
        """Post the approved replies that Rapport posts itself (opted-in accounts)."""
        res = need()
        posting_tasks.post_queued(res.db, res.settings)

    register("ingest:import_file", "ingest", import_file)
    register("ingest:sync_account", "ingest", sync_account, retry=_RetryWhenAsked())
    register("ingest:schedule_syncs", "schedule", schedule_syncs, retry=None)
    register("suggest:schedule_mornings", "schedule", schedule_mornings, retry=None)
    app.periodic(cron=SYNC_EVERY)(app.tasks["ingest:schedule_syncs"])
    app.periodic(cron=MORNINGS_EVERY)(app.tasks["suggest:schedule_mornings"])
    # Every 5 seconds; the queueing lock keeps ticks from piling up behind a long run.
    for name, queue, fn in (
        ("webhooks:deliver_webhooks", "webhooks", deliver_webhooks),
        ("posting:post_replies", "posting", post_replies),
    ):
        app.task(name=name, queue=queue, pass_context=True, queueing_lock=name)(_observed(name, fn))
        app.periodic(cron="* * * * * */5")(app.tasks[name])

    @app.periodic(cron=STALLED_CHECK)
    @app.task(name="schedule:retry_stalled_jobs", queue="schedule", pass_context=True)
    async def retry_stalled_jobs(context: procrastinate.JobContext, timestamp: int) -> None:
        """Jobs left `doing` by a worker that stopped sending heartbeats run again."""
        manager = app.job_manager
        for job in await manager.get_stalled_jobs():
            log.warning("jobs.stalled.retry", job_id=job.id, task=job.task_name)
            await manager.retry_job(job)

    @app.periodic(cron=OLD_JOBS_CLEANUP)
    @app.task(
        name="schedule:remove_old_jobs",
        queue="schedule",
        pass_context=True,
        queueing_lock="schedule:remove_old_jobs",
    )
    async def remove_old_jobs(context: procrastinate.JobContext, timestamp: int) -> None:
        """Delete the jobs that finished more than `job_retention_days` ago, whatever their
        outcome, with their events (jobs waiting or running are never touched)."""
        await builtin_tasks.remove_old_jobs(
            context,
            max_hours=need().settings.job_retention_days * 24,
            remove_failed=True,
            remove_cancelled=True,
            remove_aborted=True,
        )

    return app
