"""The connector contract and its error taxonomy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from pydantic import BaseModel

from ingest.schemas import PostCreate


class ConnectorError(Exception):
    """A connector could not do its work."""


class RetriableError(ConnectorError):
    """The platform asked us to come back later (rate limit, outage)."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NeedsReconnect(ConnectorError):
    """The credentials are expired or revoked: the owner must reconnect the account."""


class BadItem(ConnectorError):
    """One item is malformed: skip it, log it with its id, go on."""

    def __init__(self, message: str, *, item_id: str) -> None:
        super().__init__(f"{item_id}: {message}")
        self.item_id = item_id


class Page(BaseModel):
    """One page of posts plus the cursor to store once the page is committed."""

    posts: list[PostCreate]
    errors: list[str] = []
    cursor: str | None = None


class Connector(Protocol):
    """A source of posts. `pages` yields pages; storage commits each before asking for more."""

    platform: str

    def pages(self, *, cursor: str | None = None) -> Iterator[Page]: ...
