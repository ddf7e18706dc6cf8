"""The review page, the suggestions API and a decision under load, with a large backlog.

Starts `uvicorn` (one worker, a separate process) on loopback against two databases made in the
same run: a small one (the baseline: only the cards its decisions need) and one holding N posts
and M pending suggestions. A load
generator (httpx, threads) sends requests from 1 and from C concurrent clients and prints p50 and
p95 per request kind and the ratio big / small, three times: as the client sees it (loopback),
as the app measured it (its `Server-Timing` header: from the moment the app's middleware starts
on the request to its response; the TCP accept queue and the client are left out) and, of the
app's time, the part spent on database statements and the commit (the header's `db`). The gap
between app and db is Python and waiting inside the process: for the GIL, a threadpool thread,
a pooled connection.

    RAPPORT_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test \\
        .venv/bin/python -m bench.web [--posts 1000000] [--pending 10000] [--clients 20]
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import psycopg
from cryptography.fernet import Fernet
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from core import migrate
from core.database import libpq_url, sqlalchemy_url
from core.models import Role
from ingest import repository as ingest_repository
from service.users import service as users_service

EMAIL, PASSWORD = "bench@example.com", "a bench password"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
APP_TIME = re.compile(r"\bapp;dur=([0-9.]+)")
DB_TIME = re.compile(r"\bdb;dur=([0-9.]+)")
SEEN_BY = ("client", "app", "db")


def fresh_database(admin_url: str, posts: int, pending: int) -> tuple[str, str, str]:
    """A migrated database with one workspace, a user, a token; `posts` posts and `pending`
    pending suggestions. Returns (name, url, API token)."""
    name = f"rapport_bench_web_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(libpq_url(admin_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(libpq_url(admin_url)).set(database=name).render_as_string(hide_password=False)
    engine = create_engine(sqlalchemy_url(url))
    with engine.begin() as conn:
        migrate.upgrade(conn)
    with Session(engine) as session:
        ws = ingest_repository.upsert_workspace(
            session, values={"name": "bench", "display_name": "Bench Bakery"}
        )
        user = users_service.create_user(session, email=EMAIL, password=PASSWORD)
        users_service.grant(session, user=user, workspace=ws, role=Role.OWNER)
        _, token = users_service.create_token(
            session, workspace=ws, name="bench", role=Role.REVIEWER
        )
        workspace_id = ws.id
        session.commit()
    engine.dispose()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "insert into person (workspace_id, platform, external_id, handle, display_name,"
            " flags, created_at) select %s, 'mastodon', 'p' || g, 'user' || g || '@ex.social',"
            " 'User ' || g, '{}', now() from generate_series(1, 2000) g",
            (workspace_id,),
        )
        conn.execute(
            "insert into post (workspace_id, person_id, platform, external_id, text, posted_at,"
            " summons_business, raw, ingested_at, updated_at)"
            " select %s, (select min(id) from person) + (g %% 2000), 'mastodon', 'x' || g,"
            " 'Post ' || g || ': any tips for a sourdough starter that will not rise?',"
            " now() - (g || ' seconds')::interval, false, '{}', now(), now()"
            " from generate_series(1, %s) g",
            (workspace_id, posts),
        )
        conn.execute(
            "insert into suggestion (workspace_id, post_id, person_id, drafter_version, occasion,"
            " score, draft, rationale, grounding, guard_passed, guard_reasons, route, status,"
            " created_at) select workspace_id, id, person_id, 'bench', 'answer', random(),"
            " 'Hi! Feed it twice a day, morning and night. How is it going?',"
            " 'They asked how to keep a starter alive.', '{}', true, '[]', 'api', 'pending', now()"
            " from post where workspace_id = %s order by id limit %s",
            (workspace_id, pending),
        )
        conn.execute("analyze")
    return name, url, token


@contextmanager
def server(url: str) -> Iterator[str]:
    port = 18000 + os.getpid() % 1000
    env = {
        **os.environ,
        "RAPPORT_DATABASE_URL": url,
        "RAPPORT_SECRET_KEY": Fernet.generate_key().decode(),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "service.app:create_app",
         "--port", str(port), "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                httpx.get(base + "/docs", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


def signed_in_cookies(base: str) -> httpx.Cookies:
    with httpx.Client(base_url=base) as client:
        token = CSRF.search(client.get("/signin").text)
        assert token, "no sign-in form"
        client.post(
            "/signin", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token.group(1)}
        )
        return client.cookies


def load(request: Callable[[httpx.Client, int], httpx.Response], clients: int, per_client: int,
         make_client: Callable[[], httpx.Client]) -> dict[str, list[float]]:  # fmt: skip
    """Latencies (ms) of `per_client` requests from each of `clients` threads: at the client,
    in the app and, of that, in the database (the app's Server-Timing header)."""
    times: dict[str, list[float]] = {seen_by: [] for seen_by in SEEN_BY}
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def run(n: int) -> None:
        with make_client() as client:
            request(client, 0)  # warm the connection
            start.wait()
            for i in range(per_client):
                t = time.perf_counter()
                response = request(client, n * per_client + i + 1)
                elapsed = (time.perf_counter() - t) * 1000
                assert response.status_code == 200, response.text[:200]
                header = response.headers.get("server-timing", "")
                app, db = APP_TIME.search(header), DB_TIME.search(header)
                assert app and db, "the app sent no Server-Timing header"
                with lock:
                    times["client"].append(elapsed)
                    times["app"].append(float(app.group(1)))
                    times["db"].append(float(db.group(1)))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times


def requests_for(
    cookies: httpx.Cookies, token: str, ids: list[int]
) -> dict[str, Callable[[httpx.Client, int], httpx.Response]]:
    auth = {"Authorization": f"Bearer {token}"}
    fresh = itertools.count()  # every decision on a card nobody decided yet
    kinds: dict[str, Callable[[httpx.Client, int], httpx.Response]] = {
        "Today page": lambda c, i: c.get("/", cookies=cookies),
        "suggestions API": lambda c, i: c.get(
            "/api/workspaces/bench/suggestions?limit=30", headers=auth
        ),
    }
    if ids:
        kinds["decision"] = lambda c, i: c.post(
            f"/api/workspaces/bench/suggestions/{ids[next(fresh)]}/decision",
            json={"action": "snooze", "snooze_hours": 1},
            headers=auth,
        )
    return kinds


def p(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--pending", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200, help="per kind and concurrency")
    args = parser.parse_args()
    admin = os.environ.get("RAPPORT_DATABASE_URL")
    if not admin:
        sys.exit("Set RAPPORT_DATABASE_URL to a PostgreSQL server where databases can be made.")
    results: dict[tuple[str, str, int, str], list[float]] = {}
    made: list[str] = []
    try:
        # The baseline holds only the cards the decisions need.
        small = 2 * args.requests + 2 * args.clients + 10
        for label, posts, pending in (("small", small, small), ("big", args.posts, args.pending)):
            t = time.perf_counter()
            name, url, token = fresh_database(admin, posts, pending)
            made.append(name)
            took = time.perf_counter() - t
            print(f"{label}: {posts:,} posts, {pending:,} pending made in {took:.0f} s")
            with server(url) as base:
                cookies = signed_in_cookies(base)
                with psycopg.connect(url) as conn:
                    ids = [r[0] for r in conn.execute("select id from suggestion order by id")]
                kinds = requests_for(cookies, token, ids)
                for kind, request in kinds.items():
                    for clients in (1, args.clients):
                        per_client = max(1, args.requests // clients)
                        seen = load(
                            request, clients, per_client, lambda: httpx.Client(base_url=base)
                        )
                        for seen_by, times in seen.items():
                            results[(kind, label, clients, seen_by)] = times
    finally:
        with psycopg.connect(libpq_url(admin), autocommit=True) as conn:
            for name in made:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    head = ("request", "clients", "seen by", "small p50", "small p95", "big p50", "big p95",
            "p95 big/small")  # fmt: skip
    line = "{:16} {:>7} {:>7} {:>10} {:>10} {:>9} {:>9} {:>14}"
    print(line.format(*head))
    for kind in ("Today page", "suggestions API", "decision"):
        for clients in (1, args.clients):
            for seen_by in SEEN_BY:
                big = results.get((kind, "big", clients, seen_by))
                if not big:
                    continue
                empty = results.get((kind, "small", clients, seen_by))
                e50, e95 = (
                    (f"{p(empty, 0.5):.1f}", f"{p(empty, 0.95):.1f}") if empty else ("-",) * 2
                )
                ratio = f"{p(big, 0.95) / p(empty, 0.95):.2f}x" if empty else "-"
                row = (kind, clients, seen_by, e50, e95, f"{p(big, 0.5):.1f}",
                       f"{p(big, 0.95):.1f}", ratio)  # fmt: skip
                print(line.format(*row))


if __name__ == "__main__":
    main()
