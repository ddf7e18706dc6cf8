"""Database access: one engine per process, an embedded PostgreSQL when no URL is set."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from core import timing
from core.logging import get_logger
from core.settings import Settings

log = get_logger(__name__)


def sqlalchemy_url(url: str) -> str:
    """The same URL with the psycopg 3 driver named, as SQLAlchemy wants it."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def libpq_url(url: str) -> str:
    """The same URL without a driver name, as psycopg and procrastinate want it."""
    parsed = make_url(url)
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def start_embedded(settings: Settings) -> tuple[Any, str]:
    """Start (or join) the embedded PostgreSQL in the data directory; return it and its URL.

    The server stops when the last process using it exits (see `core.embedded`).
    """
    from core import embedded

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return embedded.start_embedded(settings.embedded_pgdata)


@dataclass
class Database:
    """The process's engine and session factory (and the embedded server, if any)."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    embedded: Any = field(default=None, repr=False)

    @property
    def libpq_url(self) -> str:
        return libpq_url(self.url)

    def close(self) -> None:
        self.engine.dispose()

    def recover(self) -> bool:
        """After a lost connection: restart the embedded server if it died (True if it did).

        A server elsewhere is not ours to restart; the pool reconnects once it is back.
        """
        if self.embedded is None:
            return False
        from core import embedded

        return embedded.restart_if_stopped(self.embedded)


def open_database(settings: Settings) -> Database:
    """Connect to the configured database, starting the embedded one when no URL is set."""
    embedded = None
    url = settings.database_url
    if not url:
        embedded, url = start_embedded(settings)
    # pool_pre_ping: a connection is tested before use, and a dead one (the database restarted)
    # is replaced, so a process outlives a database restart. connect_timeout: a database that
    # is down makes a request fail in seconds (503), not hang.
    engine = create_engine(
        sqlalchemy_url(url),
        pool_pre_ping=True,
        pool_timeout=10,
        connect_args={"connect_timeout": 5},
    )
    return Database(
        url=url,
        engine=engine,
        sessions=sessionmaker(engine, expire_on_commit=False),
        embedded=embedded,
    )


@contextmanager
def session_scope(db: Database) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error (the transaction edge)."""
    with db.sessions() as session:
        try:
            yield session
            session.flush()  # its statements are counted as they run; the commit itself here
            started = time.perf_counter()
            session.commit()
            timing.add(time.perf_counter() - started)
        except BaseException:
            session.rollback()
            raise
