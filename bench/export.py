"""Exporting a million suggestions: rows/s and peak memory per format, against a bare COPY.

Inserts N suggestions (with their posts, people and webhook deliveries) set-based with
`generate_series`, then runs each export in its own process and reads that process's peak RSS
from the kernel (`wait4`): the baseline is `COPY (the same query) TO STDOUT` read by psycopg
and thrown away (the database's share of the work, no Python per row).

    .venv/bin/python -m bench.export [--suggestions 1000000] [--formats copy,csv,jsonl,parquet]
Uses RAPPORT_DATABASE_URL when set, else the embedded PostgreSQL (in a temporary data dir).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bench import databases
from core import migrate
from core.database import libpq_url, sqlalchemy_url
from ingest import repository as ingest_repository

LIMIT_MB = 300
PEOPLE = 10_000
DRAFT = (
    "Hi! Let it rest 4 to 12 hours at room temperature and feed it the night before. "
    "How did the last bake go?"
)
EDITED = DRAFT.replace("4 to 12 hours", "about 8 hours")

SEED = [
    """
    INSERT INTO person (workspace_id, platform, external_id, handle, display_name, flags,
                        created_at, last_seen_at)
    SELECT :ws, 'mastodon', 'u' || g, 'p' || g || '@bench.social', 'Person ' || g, '{}',
           timestamptz '2026-10-01', timestamptz '2026-11-28'
    FROM generate_series(1, :people) AS g
    """,
    """
    INSERT INTO post (workspace_id, person_id, platform, external_id, text, url, posted_at,
                      summons_business, raw, ingested_at, updated_at)
    SELECT :ws, ids[1 + g % :people], 'mastodon', 'b' || g,
           'Post ' || g || ': how long should a sourdough starter rest before baking?',
           'https://bench.social/@p/' || g,
           timestamptz '2026-11-01' + g * interval '2 seconds', false, '{}', now(), now()
    FROM generate_series(1, :n) AS g,
         (SELECT array_agg(id ORDER BY id) AS ids FROM person WHERE workspace_id = :ws) AS p
    """,
    """
    INSERT INTO suggestion (workspace_id, post_id, person_id, drafter_version, occasion, score,
                            draft, rationale, grounding, guard_passed, guard_reasons, route,
                            status, final_text, created_at, decided_at)
    SELECT p.workspace_id, p.id, p.person_id, 'composer-2',
           (ARRAY['answer', 'help', 'congratulate', 'thanks', 'knowledge_gap'])[1 + p.id % 5],
           (p.id % 100) / 100.0, :draft, 'They asked how long a starter should rest.',
           '{"knowledge": ["Starter care", "Opening hours"]}', true, '[]',
           CASE WHEN p.id % 3 = 0 THEN 'handoff' ELSE 'api' END,
           (ARRAY['approved', 'edited', 'rejected', 'pending', 'expired'])[1 + p.id % 5],
           CASE p.id % 5 WHEN 0 THEN :draft WHEN 1 THEN :edited END,
           p.posted_at + interval '1 hour',
           CASE WHEN p.id % 5 < 3
                THEN p.posted_at + interval '1 hour' + (p.id % 600) * interval '1 second' END
    FROM post p WHERE p.workspace_id = :ws
    """,
    """
    INSERT INTO webhook_endpoint (workspace_id, url, description, secret_encrypted, event_types,
                                  active, created_at)
    VALUES (:ws, 'https://hooks.example/bench', '', '\\x00', '{}', true, now())
    """,
    """
    INSERT INTO webhook_delivery (endpoint_id, suggestion_id, event_type, payload, status,
                                  attempts, last_error, created_at)
    SELECT e.id, s.id, 'reply.approved', '{}', 'delivered', 1, '', s.decided_at
    FROM suggestion s JOIN webhook_endpoint e ON e.workspace_id = s.workspace_id
    WHERE s.workspace_id = :ws AND s.status IN ('approved', 'edited')
    """,
]


def seed(url: str, n: int) -> int:
    engine = create_engine(sqlalchemy_url(url))
    with engine.begin() as conn:
        migrate.upgrade(conn)
    with Session(engine) as session:
        ws = ingest_repository.create_workspace(session, name="bench-export").id
        for sql in SEED:
            session.execute(
                text(sql),
                {"ws": ws, "n": n, "people": PEOPLE, "draft": DRAFT, "edited": EDITED},
            )
        session.commit()
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()
    return ws


# --- one export, in a child process ----------------------------------------------------------


def child(url: str, ws: int, fmt: str, out: Path) -> None:
    from service.exports import repository
    from service.exports import service as export_service
    from service.exports.schemas import ExportFormat, ExportKind, Period

    engine = create_engine(sqlalchemy_url(url))
    began = time.perf_counter()
    rows = 0
    if fmt == "copy":
        stmt = repository._statement(repository.SUGGESTIONS).bindparams(
            ws=ws, since=None, until=None
        )
        query = str(
            stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
        )
        with psycopg.connect(libpq_url(url)) as conn, conn.cursor() as cur:
            with cur.copy(f"COPY ({query}) TO STDOUT") as copy, out.open("wb") as f:
                for data in copy:
                    f.write(data)
                    rows += bytes(data).count(b"\n")  # text COPY escapes newlines in values
    else:
        with Session(engine) as session, out.open("wb") as f:
            counted: list[int] = []
            for chunk in export_service.export(
                session,
                workspace_id=ws,
                kind=ExportKind.SUGGESTIONS,
                fmt=ExportFormat(fmt),
                period=Period(),
                progress=counted.append,
            ):
                f.write(chunk)
            rows = sum(counted)
    seconds = time.perf_counter() - began
    print(json.dumps({"rows": rows, "seconds": seconds, "bytes": out.stat().st_size}))


def run_child(url: str, ws: int, fmt: str, out: Path) -> dict[str, float]:
    args = [sys.executable, "-m", "bench.export", "--child", fmt, "--url", url, "--ws", str(ws)]
    proc = subprocess.Popen([*args, "--out", str(out)], stdout=subprocess.PIPE)
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{fmt} export failed ({proc.returncode})")
    stats: dict[str, float] = json.loads(output)
    stats["peak_mb"] = usage.ru_maxrss / 1024  # KiB on Linux
    return stats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suggestions", type=int, default=1_000_000)
    parser.add_argument("--formats", default="copy,csv,jsonl,parquet")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--ws", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.url, args.ws, args.child, args.out)
        return

    admin = databases.server_url()
    url = databases.fresh_database(admin)
    try:
        began = time.perf_counter()
        ws = seed(url, args.suggestions)
        print(
            f"seeded {args.suggestions:,} suggestions (posts, people, deliveries) in "
            f"{time.perf_counter() - began:.1f} s with generate_series"
        )
        results: dict[str, dict[str, float]] = {}
        with tempfile.TemporaryDirectory(prefix="rapport-export-") as out_dir:
            for fmt in args.formats.split(","):
                out = Path(out_dir) / f"suggestions.{fmt}"
                results[fmt] = run_child(url, ws, fmt, out)
                out.unlink()
        base = results.get("copy")
        print(
            f"{'format':<9} {'rows':>10} {'seconds':>8} {'rows/s':>10} {'vs COPY':>8} "
            f"{'MB out':>8} {'peak RSS':>9}"
        )
        for fmt, r in results.items():
            rate = r["rows"] / r["seconds"]
            ratio = f"{rate / (base['rows'] / base['seconds']):.2f}x" if base else "-"
            print(
                f"{fmt:<9} {int(r['rows']):>10,} {r['seconds']:>8.1f} {rate:>10,.0f} {ratio:>8} "
                f"{r['bytes'] / 1e6:>8.1f} {r['peak_mb']:>6.0f} MB"
            )
        if "parquet" in results:
            peak = results["parquet"]["peak_mb"]
            verdict = "within" if peak <= LIMIT_MB else "OVER"
            print(f"parquet peak memory {peak:.0f} MB: {verdict} the {LIMIT_MB} MB limit")
    finally:
        with psycopg.connect(libpq_url(admin), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


if __name__ == "__main__":
    main()
