"""Fault runs: real `rapport worker` processes killed with SIGKILL mid-job, the database restarted
mid-cycle, 100,000 jobs queued at once. Each run ends by counting, by id, what was generated or
queued against what was stored, analysed, delivered or run, and prints one PASS/FAIL line.

    PYTHONPATH=. .venv/bin/python -m bench.faults [--only ingest|analysis|webhooks|restart|bulk]

Everything runs on a throwaway PostgreSQL server this benchmark starts (a temporary cluster,
the distribution's binaries; see `bench/pgcluster.py`), one fresh database per run, so the
restart never touches a shared server. A killed worker's job runs again through the periodic
stalled-job check (every minute; a worker counts as dead 30 s after its last heartbeat).
Runs a–d take about a minute each on the shared 2-core machine; 100,000 jobs (e) about ten
(`--jobs 10000` for a quick check). Exits 1 when any run fails.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from procrastinate.types import JSONValue

from bench import webhooks as webhook_bench
from bench.cycle import make_posts
from bench.faultkit import Rig, now, tally, verdict, wait_until
from bench.pgcluster import Cluster
from core import logging as rapport_logging
from ingest.schemas import PostCreate
from service import jobs, pipeline
from tests.webhook_receiver import Receiver

RECOVERY_TIMEOUT = 240.0  # a stalled job is seen within 30 s + 1 min, then runs


def write_export(path: Path, posts: list[PostCreate]) -> None:
    """Posts in the import file format (JSON Lines, as `rapport import` reads them)."""
    with path.open("w", encoding="utf-8") as out:
        for p in posts:
            record = {
                "platform": p.platform.value,
                "post_id": p.external_id,
                "author_id": p.author.external_id,
                "author_handle": p.author.handle,
                "author_name": p.author.display_name,
                "text": p.text,
                "created_at": p.posted_at.isoformat(),
                "lang": p.lang,
                "mentions_business": p.summons_business,
            }
            out.write(json.dumps(record) + "\n")


def stored_ids(rig: Rig) -> list[str]:
    return [r[0] for r in rig.sql("SELECT external_id FROM post")]


def analysed(rig: Rig) -> dict[int, int]:
    """post id → analysis row id, for every stored analysis."""
    return {int(p): int(a) for p, a in rig.sql("SELECT post_id, id FROM post_analysis")}


def run_ingest(rig: Rig, args: argparse.Namespace) -> bool:
    """a. kill -9 of a worker in the middle of a file import; every post stored once."""
    rig.workspace("faults")
    posts = make_posts(args.people * 4, args.posts, now())
    files = 6
    per_file = -(-len(posts) // files)
    app = jobs.create_app(conninfo=rig.db.libpq_url)
    with app.open():
        for i in range(files):
            path = rig.logs / f"export-{i}.jsonl"
            write_export(path, posts[i * per_file : (i + 1) * per_file])
            app.configure_task("ingest:import_file").defer(workspace="faults", path=str(path))
    first = rig.start_worker("ingest", "schedule")

    def mid_import() -> bool:
        status = rig.jobs("ingest:import_file")
        return status["succeeded"] >= 2 and status["doing"] == 1

    wait_until("an import in flight", mid_import, timeout=120, every=0.05)
    rig.kill9(first)
    in_flight = rig.jobs("ingest:import_file")["doing"]
    before = len(stored_ids(rig))
    rig.start_worker("ingest", "schedule")
    took = wait_until(
        "every import done",
        lambda: rig.jobs("ingest:import_file")["succeeded"] == files,
        timeout=RECOVERY_TIMEOUT,
    )
    t = tally((p.external_id for p in posts), stored_ids(rig))
    ok = t.exact and in_flight == 1
    print(
        verdict(
            "a. kill -9 mid-ingest",
            ok,
            f"{len(posts):,} posts in {files} files, one import job each; worker killed with "
            f"{in_flight} import in flight and {before:,} posts committed; restarted worker "
            f"finished in {took:.0f} s; {t.describe('posts')}",
        )
    )
    return ok


def run_analysis(rig: Rig, args: argparse.Namespace) -> bool:
    """b. kill -9 mid-analysis: every post analysed once, committed batches kept."""
    workspace_id = rig.workspace("faults")
    posts = make_posts(args.people, args.posts, now())
    rig.store(workspace_id, posts)
    post_ids = [int(r[0]) for r in rig.sql("SELECT id FROM post")]
    app = jobs.create_app(conninfo=rig.db.libpq_url)
    with app.open():
        jobs.start_cycle(app, pipeline.start(rig.db, workspace_name="faults"))
    first = rig.start_worker("analysis", "schedule")
    wait_until("two batches analysed", lambda: len(analysed(rig)) >= 512, timeout=300)
    rig.kill9(first)
    kept = analysed(rig)
    rig.start_worker("analysis", "schedule")
    took = wait_until(
        "every post analysed",
        lambda: rig.jobs("analysis:refresh_profiles")["succeeded"] >= 1,
        timeout=RECOVERY_TIMEOUT + 120,
        every=1.0,
    )
    after = analysed(rig)
    rows = [int(r[0]) for r in rig.sql("SELECT post_id FROM post_analysis")]
    t = tally(post_ids, rows)
    redone = sum(1 for post, row in kept.items() if after.get(post) != row)
    ok = t.exact and redone == 0 and 0 < len(kept) < len(posts)
    print(
        verdict(
            "b. kill -9 mid-analysis",
            ok,
            f"{len(posts):,} posts; worker killed after {len(kept):,} analyses were committed; "
            f"restarted worker finished in {took:.0f} s; {t.describe('analyses')}; "
            f"committed before the kill and redone or lost: {redone}",
        )
    )
    return ok


def run_webhooks(rig: Rig, args: argparse.Namespace) -> bool:
    """c. kill -9 mid-delivery: every event received; duplicates carry the same webhook-id."""
    rig.workspace("bench")
    kill_at = args.events // 3
    mid_batch = threading.Event()

    def answer(n: int) -> tuple[int, dict[str, str]]:
        if n == kill_at:
            mid_batch.set()
        return 200, {}

    log = rig.logs / "webhook-workers.log"
    with Receiver(answer=answer) as receiver:
        endpoint, receiver.secret = webhook_bench.add_endpoint(
            rig.db, rig.settings, "bench", receiver.url
        )
        wanted = webhook_bench.record(rig.db, "bench", endpoint, args.events)
        first = webhook_bench.start_worker(rig.env, 16, log)
        if not mid_batch.wait(timeout=300):
            raise TimeoutError("the receiver never got its kill-at request")
        rig.kill9(first)
        at_kill = dict(webhook_bench.statuses(rig.db, endpoint))
        second = webhook_bench.start_worker(rig.env, 16, log)
        began = time.monotonic()
        webhook_bench.wait_settled(rig.db, [endpoint], quiet=True, began=began)
        took = time.monotonic() - began
        webhook_bench.stop(second)
    got = receiver.delivered()
    t = tally(wanted, (r.webhook_id for r in got))
    # The same event must never travel under two ids: de-duplicating by webhook-id is enough.
    event_ids: dict[str, set[str]] = {}
    for r in got:
        event_ids.setdefault(r.webhook_id, set()).add(json.dumps(r.payload, sort_keys=True))
    changed = sum(1 for bodies in event_ids.values() if len(bodies) > 1)
    ids_per_reply: dict[int, set[str]] = {}
    for r in got:
        if r.payload:
            ids_per_reply.setdefault(r.payload["data"]["suggestion_id"], set()).add(r.webhook_id)
    replies_under_two_ids = sum(1 for ids in ids_per_reply.values() if len(ids) > 1)
    bad = sum(not r.verified for r in receiver.requests)
    ok = t.lost == 0 and t.unexpected == 0 and changed == 0 and replies_under_two_ids == 0
    ok = ok and bad == 0
    print(
        verdict(
            "c. kill -9 mid-delivery",
            ok,
            f"{args.events:,} reply.approved events; worker killed while request {kill_at:,} was "
            f"answered (outbox then: {at_kill}); restarted worker settled in {took:.0f} s; "
            f"{t.describe('events')} (each duplicate has its original's webhook-id and body: "
            f"{changed == 0}; a reply under two ids: {replies_under_two_ids}); "
            f"bad signatures {bad}",
        )
    )
    return ok


def run_restart(rig: Rig, args: argparse.Namespace) -> bool:
    """d. PostgreSQL restarted mid-cycle: the cycle finishes through the workers' retries."""
    rig.workspace("faults")
    posts = make_posts(args.people, args.posts, now())
    path = rig.logs / "export.jsonl"
    write_export(path, posts)
    app = jobs.create_app(conninfo=rig.db.libpq_url)
    with app.open():
        app.configure_task("ingest:import_file").defer(workspace="faults", path=str(path))
    worker = rig.start_worker()  # every queue: the whole cycle
    wait_until("analysis under way", lambda: len(analysed(rig)) >= 256, timeout=300)
    at_restart = len(analysed(rig))
    rig.cluster.stop("immediate")  # as a crash: every connection cut
    time.sleep(args.down_for)
    rig.cluster.start()
    took = wait_until(
        "the cycle's last stage",
        lambda: rig.jobs("suggest:suggest_workspace")["succeeded"] >= 1,
        timeout=RECOVERY_TIMEOUT + 180,
        every=1.0,
    )
    alive = worker.poll() is None
    stored = tally((p.external_id for p in posts), stored_ids(rig))
    post_ids = [int(r[0]) for r in rig.sql("SELECT id FROM post")]
    reads = tally(post_ids, (int(r[0]) for r in rig.sql("SELECT post_id FROM post_analysis")))
    suggestions = rig.sql("SELECT post_id FROM suggestion WHERE post_id IS NOT NULL")
    per_post = Counter(int(r[0]) for r in suggestions)
    twice = sum(n - 1 for n in per_post.values() if n > 1)
    ok = stored.exact and reads.exact and twice == 0 and alive
    print(
        verdict(
            "d. PostgreSQL restarted mid-cycle",
            ok,
            f"server stopped (immediate) with {at_restart:,} of {len(posts):,} analyses "
            f"committed, down {args.down_for:.0f} s; the same worker process "
            f"{'outlived it' if alive else 'DIED'}; cycle finished {took:.0f} s after the "
            f"restart; {stored.describe('posts')}; "
            f"{reads.describe('analyses')}; {len(suggestions)} suggestions, {twice} extra for "
            f"one post",
        )
    )
    return ok


def run_bulk(rig: Rig, args: argparse.Namespace) -> bool:
    """e. 100,000 jobs queued at once: drained, none lost, none run twice; jobs/s."""
    task = "ingest:schedule_syncs"  # a real job, cheap here: no account is due
    app = jobs.create_app(conninfo=rig.db.libpq_url)
    ids: list[int] = []
    began = time.monotonic()
    with app.open():
        for start in range(0, args.jobs, 10_000):
            chunk: list[dict[str, JSONValue]] = [
                {"timestamp": 1_800_000_000 + i}
                for i in range(start, min(args.jobs, start + 10_000))
            ]
            ids += app.tasks[task].batch_defer(*chunk)
    deferred_in = time.monotonic() - began
    for _ in range(args.bulk_workers):
        rig.start_worker("schedule", concurrency=args.bulk_concurrency)
    took = wait_until(
        "every job done",
        lambda: rig.jobs(task)["todo"] + rig.jobs(task)["doing"] == 0,
        timeout=1800,
        every=2.0,
    )
    cpu = rig.worker_cpu_seconds()  # start-up included (imports: about 2 s a worker)
    rig.stop_workers()
    # Only the jobs queued here count (the workers also tick this task every 15 minutes).
    mine = set(ids)
    runs = [r for r in rig.job_runs() if r.job_id in mine]
    started = [r for r in runs if r.event == "jobs.started"]
    finished = [r for r in runs if r.event == "jobs.finished"]
    t = tally(ids, (r.job_id for r in started))
    span = (max(r.at for r in finished) - min(r.at for r in started)).total_seconds()
    status = Counter(
        {
            str(st): int(n)
            for st, n in rig.sql(
                "SELECT status::text, count(*) FROM procrastinate_jobs WHERE id = ANY(%s) "
                "GROUP BY 1",
                ids,
            )
        }
    )
    ok = t.exact and status["succeeded"] == args.jobs
    print(
        verdict(
            "e. 100,000 jobs at once" if args.jobs == 100_000 else f"e. {args.jobs:,} jobs at once",
            ok,
            f"{args.jobs:,} `{task}` jobs deferred in {deferred_in:.1f} s "
            f"({args.jobs / deferred_in:,.0f} jobs/s, batches of 10,000); {args.bulk_workers} "
            f"workers × concurrency {args.bulk_concurrency} drained them in {span:.1f} s from "
            f"the first start to the last finish: {args.jobs / span:,.0f} jobs/s "
            f"(wall {took:.0f} s with worker start-up; worker CPU {cpu / args.jobs * 1000:.1f} ms "
            f"a job); runs counted from the workers' logs: "
            f"{t.describe('jobs')}; procrastinate says {dict(status)}",
        )
    )
    return ok


RUNS: dict[str, Callable[[Rig, argparse.Namespace], bool]] = {
    "ingest": run_ingest,
    "analysis": run_analysis,
    "webhooks": run_webhooks,
    "restart": run_restart,
    "bulk": run_bulk,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(RUNS), action="append")
    parser.add_argument("--people", type=int, default=500, help="people in a workspace")
    parser.add_argument("--posts", type=int, default=3, help="posts per person")
    parser.add_argument("--events", type=int, default=3000, help="webhook events")
    parser.add_argument("--down-for", type=float, default=5.0, help="seconds the server is down")
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--bulk-workers", type=int, default=2)
    parser.add_argument("--bulk-concurrency", type=int, default=4)
    args = parser.parse_args()
    rapport_logging.configure("ERROR")
    logs = Path(tempfile.mkdtemp(prefix="rapport-faults-"))
    print(f"worker logs in {logs}")
    results = {}
    with Cluster() as cluster:
        for name in args.only or list(RUNS):
            rig = Rig.create(cluster, logs / name, webhook_allow_private_targets=True)
            began = time.monotonic()
            try:
                results[name] = RUNS[name](rig, args)
            except TimeoutError as exc:
                print(verdict(name, False, str(exc)))
                results[name] = False
            finally:
                rig.close()
            print(f"      ({name}: {time.monotonic() - began:.0f} s)")
    passed = sum(results.values())
    print(f"{passed} of {len(results)} fault runs passed")
    sys.exit(0 if passed == len(results) else 1)


if __name__ == "__main__":
    main()
