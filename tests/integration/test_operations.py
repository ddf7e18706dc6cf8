"""Health, readiness, metrics, and what the web process does when the database goes away."""

import re
from collections.abc import Iterator

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

from core import timing
from core.database import Database, open_database, sqlalchemy_url
from core.models import Role
from core.settings import Settings
from service.app import create_app
from tests.factories import make_post, make_suggestion, make_token, make_workspace

NOWHERE = "postgresql://rapport@127.0.0.1:9/rapport"  # the discard port: nothing listens


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(_env_file=None), db)) as c:
        yield c


@pytest.fixture
def unreachable() -> Iterator[TestClient]:
    settings = Settings(_env_file=None, database_url=NOWHERE)
    with TestClient(create_app(settings)) as c:
        yield c


def test_a_healthy_process_with_a_current_schema_is_live_and_ready(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ready"}


def test_metrics_report_queue_depth_and_suggestions_by_decision(
    client: TestClient, db: Database
) -> None:
    with db.sessions() as session:
        ws = make_workspace(session)
        make_suggestion(session, post=make_post(session, workspace_id=ws.id))
        session.execute(
            text(
                "INSERT INTO procrastinate_jobs (queue_name, task_name, args, status) "
                "VALUES ('analysis', 'analysis:analyse_workspace', '{}', 'todo')"
            )
        )
        session.commit()
    body = client.get("/metrics").text
    assert 'rapport_queue_jobs{queue="analysis",status="todo"} 1.0' in body
    assert 'rapport_suggestions{status="pending"} 1.0' in body
    assert "rapport_database_up 1.0" in body
    assert "rapport_job_duration_seconds" in body and "rapport_model_load_seconds" in body


def test_every_response_carries_a_request_id(client: TestClient) -> None:
    given = client.get("/healthz", headers={"x-request-id": "abc123"})
    assert given.headers["x-request-id"] == "abc123"
    assert client.get("/healthz").headers["x-request-id"]


def test_every_response_says_how_long_the_app_and_the_database_took(client: TestClient) -> None:
    timing = client.get("/api/workspaces", headers={"authorization": "Bearer rap_unknown"})
    app, database = (part.strip() for part in timing.headers["server-timing"].split(","))
    assert re.fullmatch(r"app;dur=\d+\.\d", app)
    found = re.fullmatch(r'db;dur=(\d+\.\d);desc="(\d+) statements and the commit"', database)
    assert found and int(found.group(2)) >= 1  # the token was looked up
    assert float(found.group(1)) <= float(app.removeprefix("app;dur="))


def test_without_a_database_the_page_says_so_and_the_api_answers_503(
    unreachable: TestClient,
) -> None:
    page = unreachable.get("/", headers={"accept": "text/html"})
    assert page.status_code == 503
    assert "The database is unreachable" in page.text
    # The token can't even be checked: the answer says why, rather than "unauthorised".
    api = unreachable.get("/api/workspaces", headers={"authorization": "Bearer rap_unchecked"})
    assert api.status_code == 503
    assert "database is unreachable" in api.json()["detail"]
    assert unreachable.get("/readyz").status_code == 503
    assert unreachable.get("/healthz").status_code == 200  # the process itself is fine
    assert "rapport_database_up 0.0" in unreachable.get("/metrics").text


def test_connections_dropped_by_the_server_are_replaced(new_database) -> None:  # noqa: ANN001
    db = open_database(Settings(_env_file=None, database_url=new_database()))
    try:
        with db.sessions() as session:
            token = make_token(session, workspace=make_workspace(session), role=Role.VIEWER)
            session.commit()
        with TestClient(create_app(Settings(_env_file=None), db)) as c:
            c.headers["authorization"] = f"Bearer {token}"
            assert c.get("/api/workspaces").status_code == 200
            # what a database restart does to the pool's open connections
            with psycopg.connect(db.libpq_url, autocommit=True) as admin:
                ended = admin.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchone()
            assert ended is not None and ended[0] >= 1
            assert c.get("/api/workspaces").status_code == 200
            assert c.get("/readyz").status_code == 200
    finally:
        db.close()


def test_a_failing_statement_counts_as_database_time_and_leaves_nothing_behind(
    database_url: str,
) -> None:
    engine = create_engine(sqlalchemy_url(database_url), poolclass=StaticPool)
    timing.instrument(engine)
    try:
        with engine.connect() as conn:
            with timing.measuring() as failing_request:
                with pytest.raises(DBAPIError, match="division by zero"):
                    conn.execute(text("SELECT 1 / 0"))
            conn.rollback()
            with timing.measuring() as next_request:
                conn.execute(text("SELECT 1"))
                conn.execute(text("SELECT 2"))
            left = dict(conn.info)
    finally:
        engine.dispose()
    assert failing_request.statements == 1 and failing_request.seconds > 0
    assert next_request.statements == 2
    assert not [k for k in left if k.startswith("timing")]  # no start time left over
