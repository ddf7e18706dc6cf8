"""Request dependencies: one session per request, committed at the edge."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from core.database import session_scope


def get_session(request: Request) -> Iterator[Session]:
    with session_scope(request.app.state.db) as session:
        yield session


# scope="function": commit when the endpoint returns, before the response is sent. Otherwise a
# browser following a redirect (a new business, a saved form) can arrive before the commit and
# not find what it just made, and a failed commit would follow a success already answered.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]

# A row id in a path: a number the database can hold, else 422 (not a 500 from the database).
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]
