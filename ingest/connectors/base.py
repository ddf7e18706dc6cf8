"""The connector contract and its error taxonomy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from pydantic import BaseModel, Field

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
    """One page of posts, and the cursors to save in the same transaction as its posts."""

    posts: list[PostCreate]
    errors: list[str] = Field(default_factory=list)
    cursor_updates: dict[str, Any] = Field(default_factory=dict)
    reads: int = 0  # resources read from the platform for this page (for spend tracking)
    cost_usd: float = 0.0


class Connector(Protocol):
    """A source of posts. `pages` yields pages; the caller commits each (posts + cursors)
    before asking for the next, so a crash between pages loses and duplicates nothing."""

    platform: str

    def pages(self, *, cursors: dict[str, Any]) -> Iterator[Page]: ...
