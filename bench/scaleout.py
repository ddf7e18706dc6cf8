"""Scale-out: the daily cycle of many workspaces on 1 worker process, then on 2 (one torch thread
each), through the job queue: the 2-worker / 1-worker throughput ratio, each stage's posts/s
per core, what the workers waited on, and the database's size per million posts.

    PYTHONPATH=. .venv/bin/python -m bench.scaleout [--workspaces 200] [--people 500]
        [--posts-per-person 3] [--workers 1 2]

Each configuration gets a fresh database on a throwaway PostgreSQL server (`bench/pgcluster.py`)
holding the same synthetic workspaces (the sample business's knowledge, `bench.cycle`'s posts).
The workers (`rapport worker -q analysis -q suggest`, OMP_NUM_THREADS=1) are started and their
models loaded before the clock starts; then one cycle per workspace is queued at once
(`service.jobs.start_cycle`) and the clock stops when every workspace's last stage is done.
While it runs, the workers' database sessions are sampled for lock waits.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

from bench.cycle import make_posts
from bench.faultkit import Rig, now, wait_until
from bench.pgcluster import Cluster
from core import logging as rapport_logging
from service import jobs, pipeline

LAST = pipeline.CYCLE[-1].task


def sample_waits(rig: Rig, stop: threading.Event, seen: Counter[str]) -> None:
    """What the workers' sessions are doing, twice a second (wait event or 'running')."""
    while not stop.wait(0.5):
        rows = rig.sql(
            "SELECT coalesce(wait_event_type || ':' || wait_event, state) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND state <> 'idle' AND query NOT ILIKE '%%procrastinate_fetch_job%%' "
            "AND query NOT ILIKE 'LISTEN%%'"
        )
        seen.update(str(r[0]) for r in rows)
        seen["samples"] += 1


def sizes(rig: Rig) -> dict[str, int]:
    """Bytes of each table with its indexes and TOAST (pg_total_relation_size)."""
    rows = rig.sql(
        "SELECT relname, pg_total_relation_size(c.oid) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 2 DESC"
    )
    return {str(name): int(size) for name, size in rows}


def run(cluster: Cluster, logs: Path, args: argparse.Namespace, workers: int) -> dict[str, float]:
    rig = Rig.create(cluster, logs / f"{workers}-workers")
    try:
        names = [f"ws-{i:04d}" for i in range(args.workspaces)]
        posts = 0
        for i, name in enumerate(names):
            batch = make_posts(args.people, args.posts_per_person, now(), seed=1000 + i)
            rig.store(rig.workspace(name), batch)
            posts += len(batch)
        for _ in range(workers):
            rig.start_worker("analysis", "suggest")
        rig.wait_registered(workers)
        seen: Counter[str] = Counter()
        stop = threading.Event()
        sampler = threading.Thread(target=sample_waits, args=(rig, stop, seen), daemon=True)
        load_before = os.getloadavg()[0]
        cpu_before = rig.worker_cpu_seconds()  # the model loads are not counted
        began = time.monotonic()
        app = jobs.create_app(conninfo=rig.db.libpq_url)
        with app.open():
            for name in names:
                jobs.start_cycle(app, pipeline.start(rig.db, workspace_name=name))
        sampler.start()
        wait_until(
            "every workspace's cycle",
            lambda: rig.jobs(LAST)["succeeded"] >= len(names),
            timeout=args.timeout,
            every=1.0,
        )
        wall = time.monotonic() - began
        cpu = rig.worker_cpu_seconds() - cpu_before
        stop.set()
        load_after = os.getloadavg()[0]
        stage_seconds: dict[str, float] = defaultdict(float)
        rig.stop_workers()
        for r in rig.job_runs():
            if r.event == "jobs.finished" and r.seconds is not None:
                stage_seconds[r.task] += r.seconds
        table_sizes = sizes(rig)
        analyses = rig.scalar("SELECT count(*) FROM post_analysis")
        suggestions = rig.scalar("SELECT count(*) FROM suggestion")
    finally:
        rig.close()
    busy = sum(stage_seconds.values())
    print(
        f"{workers} worker(s): {args.workspaces} workspaces × {args.people} people × "
        f"{args.posts_per_person} posts = {posts:,} posts in {wall:.1f} s: "
        f"{posts / wall:.1f} posts/s; {analyses:,} analyses, {suggestions:,} suggestions; "
        f"workers busy {busy / (workers * wall):.0%} of the time, on a CPU "
        f"{cpu / (workers * wall):.0%} of it ({cpu:.0f} CPU s: {posts / cpu:.1f} posts per "
        f"CPU second); load average {load_before:.1f} → {load_after:.1f}"
    )
    for task, seconds in sorted(stage_seconds.items()):
        print(f"    {task:<28} {seconds:8.1f} s in jobs  {posts / seconds:8.1f} posts/s per worker")
    samples = seen.pop("samples", 0) or 1
    print(
        "    worker sessions, average at a sample: "
        + ", ".join(f"{k} {v / samples:.2f}" for k, v in seen.most_common(8))
    )
    total = sum(table_sizes.values())
    print(
        f"    database: {total / 2**20:.1f} MiB for {posts:,} posts = "
        f"{total / posts * 1e6 / 2**30:.2f} GiB per million posts; "
        + ", ".join(f"{k} {v / 2**20:.1f} MiB" for k, v in list(table_sizes.items())[:8])
    )
    return {"rate": posts / wall, "wall": wall, "posts": posts, "per_cpu": posts / cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workspaces", type=int, default=200)
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--posts-per-person", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--timeout", type=float, default=3 * 3600)
    args = parser.parse_args()
    rapport_logging.configure("ERROR")
    logs = Path(tempfile.mkdtemp(prefix="rapport-scaleout-"))
    print(f"worker logs in {logs}")
    results = {}
    with Cluster() as cluster:
        for workers in args.workers:
            results[workers] = run(cluster, logs, args, workers)
    if len(results) > 1:
        base = results[min(results)]
        for workers, r in sorted(results.items()):
            print(
                f"{workers} worker(s): {r['rate']:.1f} posts/s, "
                f"{r['rate'] / base['rate']:.2f}× the {min(results)}-worker rate; "
                f"{r['per_cpu']:.1f} posts per CPU second, "
                f"{r['per_cpu'] / base['per_cpu']:.2f}× the {min(results)}-worker figure"
            )


if __name__ == "__main__":
    main()
