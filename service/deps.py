"""Request dependencies: one session per request, committed at the edge."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from core.database import session_scope


def get_session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.db) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]
