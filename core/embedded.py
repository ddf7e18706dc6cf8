"""The embedded PostgreSQL (pgserver) for one machine: shared by every Rapport process using the
same data directory, stopped when the last of them exits, however it exits.

pgserver keeps the ids of the processes using a server in `.handle_pids.json` and stops the
server when the last one exits *through its exit handlers*. Two gaps are closed here:

- a process ended by SIGTERM skips those handlers unless SIGTERM is turned into a normal exit
  (the CLI does that), and one ended by kill -9 always skips them, leaving its id behind, so
  the server never stopped; `start_embedded` drops the ids of dead processes before joining;
- nobody is left to stop the server when the *last* process is killed: a small watcher process
  (one per server, `python -m core.embedded watch PGDATA`) stops it once no live process
  remains in the list.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import psutil
import psycopg

from core.logging import get_logger

log = get_logger(__name__)

EMBEDDED_DATABASE = "rapport"
HANDLES = ".handle_pids.json"
WATCHER_PID = "rapport-watcher.pid"
WATCH_EVERY_SECONDS = 1.0


def _lock() -> Any:
    from pgserver.postgres_server import PostgresServer

    return PostgresServer._lock


def _live(pids: list[int]) -> list[int]:
    return [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != "zombie"]


def forget_dead_handles(pgdata: Path) -> list[int]:
    """Drop the ids of processes that died without letting go of the server; return the rest."""
    from pgserver.utils import DiskList

    handles = DiskList(pgdata / HANDLES)
    with _lock():
        pids = handles.get()
        alive = _live(pids)
        if alive != pids:
            handles.put(alive)
            log.info("db.embedded.forgot", dead=sorted(set(pids) - set(alive)))
    return alive


def start_embedded(pgdata: Path) -> tuple[Any, str]:
    """Start (or join) the embedded PostgreSQL in `pgdata`; return it and the database's URL."""
    import pgserver  # imported here: it has import-time side effects we want only when needed

    pgdata.parent.mkdir(parents=True, exist_ok=True)
    if (pgdata / HANDLES).exists():
        forget_dead_handles(pgdata)
    server = pgserver.get_server(pgdata, cleanup_mode="stop")  # type: ignore[attr-defined]
    admin_uri = server.get_uri()
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (EMBEDDED_DATABASE,)
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{EMBEDDED_DATABASE}"')
    _ensure_watcher(pgdata)
    log.info("db.embedded.ready", pgdata=str(pgdata))
    return server, server.get_uri(database=EMBEDDED_DATABASE)


def restart_if_stopped(server: Any) -> bool:
    """Start the embedded server again if it died under us (True when it was restarted)."""
    with _lock():
        info = server._postmaster_info
        if info is not None and info.is_running():
            from pgserver.utils import PostmasterInfo

            current = PostmasterInfo.read_from_pgdata(server.pgdata)
            if current is not None and current.is_running():
                return False
        server.ensure_postgres_running()
    _ensure_watcher(server.pgdata)
    log.warning("db.embedded.restarted", pgdata=str(server.pgdata))
    return True


def _ensure_watcher(pgdata: Path) -> None:
    pid_file = pgdata / WATCHER_PID
    with _lock():
        try:
            pid = int(pid_file.read_text())
        except (OSError, ValueError):
            pid = 0
        if pid and _live([pid]):
            return
        watcher = subprocess.Popen(
            [sys.executable, "-m", "core.embedded", "watch", str(pgdata)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # not in our process group: Ctrl+C is not for it
            cwd=Path(__file__).resolve().parent.parent,
        )
        pid_file.write_text(str(watcher.pid))


def watch(pgdata: Path) -> None:
    """Stop the server once no live process uses it; return when it has stopped."""
    from pgserver.postgres_server import pg_ctl  # type: ignore[attr-defined]
    from pgserver.utils import DiskList, PostmasterInfo

    handles = DiskList(pgdata / HANDLES)
    while True:
        time.sleep(WATCH_EVERY_SECONDS)
        info = PostmasterInfo.read_from_pgdata(pgdata)
        if info is None or not info.is_running():
            return  # stopped by the last process on its way out
        with _lock():
            pids = handles.get()
            alive = _live(pids)
            if alive != pids:
                handles.put(alive)
            if alive:
                continue
            # pgserver runs the server as the user "pgserver" when started by root
            user = "pgserver" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
            try:
                pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
            except subprocess.CalledProcessError:
                if info.process is not None and info.process.is_running():
                    info.process.send_signal(signal.SIGINT)  # PostgreSQL's "fast" shutdown
            return


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "watch":
        try:
            watch(Path(sys.argv[2]))
        finally:
            pid_file = Path(sys.argv[2]) / WATCHER_PID
            if pid_file.exists() and pid_file.read_text().strip() == str(os.getpid()):
                pid_file.unlink()
    else:
        sys.exit("usage: python -m core.embedded watch PGDATA")
