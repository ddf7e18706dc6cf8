"""What the fault runs and the scale-out run share: counting by id, a throwaway server with a
fresh database per run, and real `rapport worker` processes to start, kill and stop."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
import psycopg
from cryptography.fernet import Fernet

from bench.pgcluster import Cluster
from core import migrate
from core.database import Database, open_database, session_scope
from core.settings import Settings
from ingest import repository as ingest_repository
from ingest import service as ingest_service
from ingest import workspaces
from ingest.schemas import PostCreate


@dataclass(frozen=True)
class Tally:
    """What arrived, counted by id against what was sent."""

    expected: int
    received: int
    distinct: int
    lost: int
    duplicated: int
    unexpected: int

    @property
    def exact(self) -> bool:
        """Every id once, nothing else."""
        return self.lost == 0 and self.duplicated == 0 and self.unexpected == 0

    def describe(self, noun: str) -> str:
        return (
            f"{self.expected:,} {noun} expected, {self.received:,} found "
            f"({self.distinct:,} distinct): lost {self.lost}, duplicated {self.duplicated}, "
            f"unexpected {self.unexpected}"
        )


def tally(expected: Iterable[Hashable], received: Iterable[Hashable]) -> Tally:
    """Count `received` against `expected` by id: lost, duplicated (extra copies), unexpected."""
    want = set(expected)
    got = Counter(received)
    return Tally(
        expected=len(want),
        received=sum(got.values()),
        distinct=len(got),
        lost=len(want - got.keys()),
        duplicated=sum(n - 1 for n in got.values()),
        unexpected=len(got.keys() - want),
    )


def verdict(name: str, ok: bool, detail: str) -> str:
    return f"{'PASS' if ok else 'FAIL'}  {name}: {detail}"


@dataclass(frozen=True)
class JobRun:
    job_id: int
    task: str
    event: str  # jobs.started / jobs.finished
    at: datetime
    outcome: str | None = None
    seconds: float | None = None  # how long the job ran (on jobs.finished)


def job_runs(lines: Iterable[str]) -> list[JobRun]:
    """The `jobs.started` / `jobs.finished` lines of workers' JSON logs (`RAPPORT_JSON_LOGS`)."""
    runs = []
    for line in lines:
        if '"jobs.' not in line:
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # a line cut short by kill -9
        if entry.get("event") in ("jobs.started", "jobs.finished") and "job_id" in entry:
            runs.append(
                JobRun(
                    job_id=int(entry["job_id"]),
                    task=str(entry.get("task", "")),
                    event=entry["event"],
                    at=datetime.fromisoformat(entry["timestamp"].replace("Z", "+00:00")),
                    outcome=entry.get("outcome"),
                    seconds=entry.get("seconds"),
                )
            )
    return runs


def wait_until(
    what: str, check: Callable[[], bool], *, timeout: float, every: float = 0.5
) -> float:
    """Poll `check` until true; the seconds it took. Raises TimeoutError naming `what`."""
    began = time.monotonic()
    while not check():
        if time.monotonic() - began > timeout:
            raise TimeoutError(f"{what}: not after {timeout:.0f} s")
        time.sleep(every)
    return time.monotonic() - began


@dataclass
class Rig:
    """A fresh database on the throwaway server, and the environment workers run in."""

    cluster: Cluster
    url: str
    settings: Settings
    db: Database
    env: dict[str, str]
    logs: Path
    workers: list[tuple[subprocess.Popen[bytes], Path]] = field(default_factory=list)

    @classmethod
    def create(cls, cluster: Cluster, logs: Path, **settings: Any) -> Rig:
        url = cluster.create_database()
        key = Fernet.generate_key().decode()
        s = Settings(_env_file=None, database_url=url, secret_key=key, **settings)
        db = open_database(s)
        with db.engine.begin() as conn:
            migrate.upgrade(conn)
        env = dict(
            os.environ,
            PYTHONPATH=str(Path(__file__).resolve().parent.parent),
            RAPPORT_DATABASE_URL=url,
            RAPPORT_SECRET_KEY=key,
            RAPPORT_JSON_LOGS="1",
            OMP_NUM_THREADS="1",  # one torch thread per worker, as deployed
            **{f"RAPPORT_{k.upper()}": str(v) for k, v in settings.items()},
        )
        logs.mkdir(parents=True, exist_ok=True)
        return cls(cluster, url, s, db, env, logs)

    def sql(self, query: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.db.libpq_url, autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def scalar(self, query: str, *params: Any) -> Any:
        return self.sql(query, *params)[0][0]

    def workspace(self, name: str) -> int:
        definition = ingest_service.sample_definition().model_copy(update={"name": name})
        with session_scope(self.db) as session:
            return ingest_repository.upsert_workspace(
                session, values=workspaces.columns(definition)
            ).id

    def store(self, workspace_id: int, posts: list[PostCreate], page: int = 2000) -> None:
        for start in range(0, len(posts), page):
            with session_scope(self.db) as session:
                ingest_service.store_posts(
                    session, workspace_id=workspace_id, posts_in=posts[start : start + page]
                )

    def start_worker(self, *queues: str, concurrency: int = 1) -> subprocess.Popen[bytes]:
        """`rapport worker` in its own process; its JSON log in `logs`."""
        log = self.logs / f"worker-{len(self.workers) + 1}.log"
        args = [sys.executable, "-m", "service.cli", "worker", "--concurrency", str(concurrency)]
        for q in queues:
            args += ["-q", q]
        with log.open("ab") as out:
            proc = subprocess.Popen(args, env=self.env, stdout=out, stderr=out)
        self.workers.append((proc, log))
        return proc

    def wait_registered(self, n: int, timeout: float = 120.0) -> float:
        """Until `n` workers have registered with the queue (models loaded, taking jobs)."""
        return wait_until(
            f"{n} workers registered",
            lambda: self.scalar("SELECT count(*) FROM procrastinate_workers") >= n,
            timeout=timeout,
        )

    @staticmethod
    def kill9(proc: subprocess.Popen[bytes]) -> None:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop_workers(self) -> None:
        for proc, _ in self.workers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc, _ in self.workers:
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill9(proc)

    def worker_cpu_seconds(self) -> float:
        """CPU seconds (user + system) the live workers have used so far."""
        total = 0.0
        for proc, _ in self.workers:
            if proc.poll() is None:
                times = psutil.Process(proc.pid).cpu_times()
                total += times.user + times.system
        return total

    def job_runs(self) -> list[JobRun]:
        runs: list[JobRun] = []
        for _, log in self.workers:
            with log.open(encoding="utf-8", errors="replace") as lines:
                runs += job_runs(lines)
        return runs

    def jobs(self, task: str) -> Counter[str]:
        """procrastinate's status counts of one task's jobs."""
        rows = self.sql(
            "SELECT status::text, count(*) FROM procrastinate_jobs WHERE task_name = %s "
            "GROUP BY status",
            task,
        )
        return Counter({status: int(n) for status, n in rows})

    def job_ids(self, task: str) -> list[int]:
        return [
            int(r[0])
            for r in self.sql("SELECT id FROM procrastinate_jobs WHERE task_name = %s", task)
        ]

    def close(self) -> None:
        self.stop_workers()
        self.db.close()


def now() -> datetime:
    return datetime.now(UTC)
