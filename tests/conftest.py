"""Shared fixtures: a real PostgreSQL per test session, a rolled-back transaction per test.

The server is RAPPORT_TEST_DATABASE_URL when set (a fresh database is created on it and dropped
afterwards), else an embedded PostgreSQL started with pgserver in a temporary directory.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from core import migrate
from core.database import Database, libpq_url, sqlalchemy_url


def _create_database(admin_url: str) -> tuple[str, str]:
    name = f"rapport_test_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(libpq_url(admin_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(libpq_url(admin_url)).set(database=name).render_as_string(hide_password=False)
    return name, url


def _drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(libpq_url(admin_url), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres_admin_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A URL to a PostgreSQL server where tests may create databases."""
    url = os.environ.get("RAPPORT_TEST_DATABASE_URL")
    if url:
        yield url
        return
    import pgserver

    server = pgserver.get_server(tmp_path_factory.mktemp("pg") / "data", cleanup_mode="delete")
    yield server.get_uri()
    server.cleanup()


@pytest.fixture(scope="session")
def new_database(postgres_admin_url: str) -> Iterator[object]:
    """A factory for fresh, migrated databases; all are dropped at the end of the session."""
    created: list[str] = []

    def make() -> str:
        name, url = _create_database(postgres_admin_url)
        created.append(name)
        engine = create_engine(sqlalchemy_url(url))
        with engine.begin() as conn:
            migrate.upgrade(conn)
        engine.dispose()
        return url

    yield make
    for name in created:
        _drop_database(postgres_admin_url, name)


@pytest.fixture(scope="session")
def database_url(new_database: object) -> str:
    return new_database()  # type: ignore[operator,no-any-return]


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_engine(sqlalchemy_url(database_url))
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """One connection per test inside a transaction that is rolled back afterwards."""
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """A session whose commits only release savepoints: the test leaves nothing behind."""
    with Session(bind=connection, join_transaction_mode="create_savepoint") as s:
        yield s


@pytest.fixture
def db(connection: Connection, database_url: str, engine: Engine) -> Database:
    """A Database whose sessions all join the test's rolled-back transaction."""
    return Database(
        url=database_url,
        engine=engine,
        sessions=sessionmaker(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        ),
    )


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    """The real all-MiniLM-L6-v2 (checksum verified), loaded once per test session."""
    from analysis.models import load_embedder
    from core.settings import Settings

    return load_embedder(Settings(_env_file=None))


@pytest.fixture(scope="session")
def analyzer(embedder):  # type: ignore[no-untyped-def]
    from analysis.service import Analyzer

    return Analyzer(embedder)


@pytest.fixture
def sample_path() -> Path:
    from ingest.service import SAMPLE_POSTS

    return SAMPLE_POSTS
