"""Alembic environment: runs on the connection handed over by core.migrate."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import create_engine

from core.database import sqlalchemy_url
from core.models import Base

config = context.config
target_metadata = Base.metadata


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    # procrastinate's tables are created from its own schema file, not from our metadata.
    return not (
        type_ == "table"
        and reflected
        and compare_to is None
        and (name or "").startswith("procrastinate")
    )


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = create_engine(sqlalchemy_url(config.get_main_option("sqlalchemy.url") or ""))
        with engine.begin() as conn:
            _run(conn)
        engine.dispose()
    else:
        _run(connection)


def _run(connection: Any) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run()
