"""Where a benchmark's database lives: the server of RAPPORT_DATABASE_URL, else an embedded
PostgreSQL in a temporary folder; each run gets a fresh database of its own."""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from core.database import libpq_url, start_embedded
from core.settings import Settings


def server_url() -> str:
    """An admin URL of a server the benchmark may create databases on."""
    admin = os.environ.get("RAPPORT_DATABASE_URL")
    if admin:
        return admin
    tmp = Path(tempfile.mkdtemp(prefix="rapport-bench-"))
    _, admin = start_embedded(Settings(_env_file=None, data_dir=tmp))
    return admin


def fresh_database(admin_url: str, *, prefix: str = "rapport_bench") -> str:
    """A new, empty database on that server; its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(libpq_url(admin_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return make_url(libpq_url(admin_url)).set(database=name).render_as_string(hide_password=False)
