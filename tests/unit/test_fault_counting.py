"""The fault runs' counting: what was sent against what arrived, by id; job runs from logs."""

from __future__ import annotations

import json

from bench.faultkit import job_runs, tally


def test_every_id_once_is_exact() -> None:
    t = tally(["a", "b", "c"], ["c", "a", "b"])
    assert t.exact
    assert (t.lost, t.duplicated, t.unexpected) == (0, 0, 0)


def test_lost_duplicated_and_unexpected_ids_are_counted_apart() -> None:
    # "b" arrived three times, "c" never, "z" was never sent
    t = tally(["a", "b", "c"], ["a", "b", "b", "b", "z"])
    assert not t.exact
    assert (t.expected, t.received, t.distinct) == (3, 5, 3)
    assert (t.lost, t.duplicated, t.unexpected) == (1, 2, 1)
    assert "lost 1, duplicated 2, unexpected 1" in t.describe("posts")


def test_job_runs_are_read_from_a_workers_json_log_even_one_cut_short_by_a_kill() -> None:
    started = {
        "event": "jobs.started",
        "job_id": 7,
        "task": "ingest:import_file",
        "timestamp": "2026-11-30T00:10:00.5Z",
    }
    finished = started | {"event": "jobs.finished", "outcome": "succeeded", "seconds": 1.25}
    lines = [
        "Worker on ingest, 1 at a time (Ctrl+C or SIGTERM to stop).",
        json.dumps({"event": "Starting job ingest:import_file[7]", "timestamp": "…"}),
        json.dumps(started),
        json.dumps(finished),
        json.dumps(started | {"job_id": 8})[:40],  # the process was killed mid-line
    ]
    runs = job_runs(lines)
    assert [(r.job_id, r.event, r.outcome, r.seconds) for r in runs] == [
        (7, "jobs.started", None, None),
        (7, "jobs.finished", "succeeded", 1.25),
    ]
    assert runs[0].at.tzinfo is not None
