"""The job worker's life: it outlives the database going away.

procrastinate's worker stops when its connection to the database breaks (a restart, a failover):
its listener fails and it shuts down. Left at that, a database restart would stop every worker
for good (`rapport worker` would exit 0, which `restart: on-failure` does not restart) and the
daily cycle would stall. `keep_working` waits for the database and runs the worker again, with
the same loaded models; only a stop request (SIGTERM, Ctrl+C, the web server stopping in
`rapport up`) ends it. A job that was running when the connection broke is run again by the
stalled-job check (`schedule:retry_stalled_jobs`, every minute) once its worker is known dead.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from typing import Any

import procrastinate
import psycopg

from core.logging import get_logger

log = get_logger(__name__)

RECONNECT_FIRST_WAIT = 1.0
RECONNECT_MAX_WAIT = 15.0


async def _wait_for_database(conninfo: str, stop: asyncio.Event) -> bool:
    """Until the database answers (True) or a stop is asked for (False); never at once, so a
    worker that keeps stopping for another reason is not restarted in a tight loop."""
    wait = RECONNECT_FIRST_WAIT
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=wait)
        if stop.is_set():
            break
        try:
            conn = await psycopg.AsyncConnection.connect(conninfo, connect_timeout=5)
        except psycopg.OperationalError as exc:
            wait = min(wait * 2, RECONNECT_MAX_WAIT)
            log.warning("jobs.worker.waiting_for_database", retry_in=wait, error=str(exc)[:200])
            continue
        await conn.close()
        return True
    return False


async def keep_working(
    app: procrastinate.App, conninfo: str, stop: asyncio.Event, **worker_options: Any
) -> None:
    """Run the job worker until `stop` is set, starting it again whenever it loses the database.

    `worker_options` go to procrastinate's `run_worker_async` (queues, concurrency,
    shutdown_graceful_timeout); on `stop` the worker finishes or releases its jobs as it would
    on SIGTERM.
    """
    while True:
        try:
            async with app.open_async():
                working = asyncio.create_task(
                    app.run_worker_async(install_signal_handlers=False, **worker_options)
                )
                stopping = asyncio.create_task(stop.wait())
                await asyncio.wait({working, stopping}, return_when=asyncio.FIRST_COMPLETED)
                if stop.is_set():
                    working.cancel()  # procrastinate's graceful stop
                    with contextlib.suppress(asyncio.CancelledError):
                        await working
                    return
                stopping.cancel()
                working.result()  # the worker's own error, if it failed
            log.warning("jobs.worker.lost_database")  # it stopped by itself: its listener died
        except (procrastinate.exceptions.ConnectorException, psycopg.Error, OSError) as exc:
            log.warning("jobs.worker.lost_database", error=str(exc)[:200])
        if not await _wait_for_database(conninfo, stop):
            return
        log.info("jobs.worker.reconnected")


def run(app: procrastinate.App, conninfo: str, **worker_options: Any) -> None:
    """`keep_working` in its own event loop, stopped by SIGTERM or SIGINT."""
    signals = (signal.SIGTERM, signal.SIGINT)
    before = {signum: signal.getsignal(signum) for signum in signals}

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in signals:
            loop.add_signal_handler(signum, stop.set)
        try:
            await keep_working(app, conninfo, stop, **worker_options)
        finally:
            for signum in signals:
                loop.remove_signal_handler(signum)

    try:
        asyncio.run(main())
    finally:
        for signum, handler in before.items():  # the CLI's own (SIGTERM exits cleanly)
            signal.signal(signum, handler)
