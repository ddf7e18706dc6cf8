"""How long a unit of work (a web request) waits on the database: its statements and commit.

`measuring()` opens a tally for the current context (the request's middleware does); the
engine's cursor events and `session_scope`'s commit add to it, from whichever thread the work
runs in (the context, and so the tally, travels into the threadpool). Checking a connection out
of the pool, and waiting for one, are not counted: the rest of the request's time is Python and
waiting, which is what the tally is there to tell apart.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext


@dataclass
class DatabaseTime:
    seconds: float = 0.0
    statements: int = 0


_tally: ContextVar[DatabaseTime | None] = ContextVar("database_time", default=None)


@contextmanager
def measuring() -> Iterator[DatabaseTime]:
    tally = DatabaseTime()
    token = _tally.set(tally)
    try:
        yield tally
    finally:
        _tally.reset(token)


def add(seconds: float, *, statements: int = 0) -> None:
    tally = _tally.get()
    if tally is not None:
        tally.seconds += seconds
        tally.statements += statements


_STARTED = "timing_started"


def _before(conn: Any, cursor: Any, statement: Any, params: Any, context: Any, many: Any) -> None:
    # One slot per connection: a connection runs one statement at a time.
    conn.info[_STARTED] = time.perf_counter()


def _after(conn: Any, cursor: Any, statement: Any, params: Any, context: Any, many: Any) -> None:
    started = conn.info.pop(_STARTED, None)
    if started is not None:
        add(time.perf_counter() - started, statements=1)


def _failed(context: ExceptionContext) -> None:
    # A failing statement never reaches "after": it waited on the database all the same.
    conn = context.connection
    started = conn.info.pop(_STARTED, None) if conn is not None else None
    if started is not None:
        add(time.perf_counter() - started, statements=1)


def instrument(engine: Engine) -> None:
    """Count this engine's statements into the current tally (once per engine)."""
    if not event.contains(engine, "before_cursor_execute", _before):
        event.listen(engine, "before_cursor_execute", _before)
        event.listen(engine, "after_cursor_execute", _after)
        event.listen(engine, "handle_error", _failed)
