"""The connector contract and its error taxonomy."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from ingest.schemas import PostCreate


class ConnectorError(Exception):
    """A connector could not do its work."""


class RetriableError(ConnectorError):
    """The platform asked us to come back later (rate limit, outage)."""

    def __init__(self, message: str, *, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class NoAnswer(RetriableError):
    """The platform did not answer in full (a timeout, a 5xx): what was sent may have had its
    effect, so a write is checked before it is tried again."""


class Unreachable(NoAnswer):
    """The platform's host did not answer (no network, wrong address, outage): try later."""


def unreachable(host: str, exc: BaseException, *, retry_after: float = 300) -> Unreachable:
    """One sentence for a host that did not answer, e.g. 'could not reach x.example (the name
    is not known)'; the library's own message (hundreds of characters) goes to the log only."""
    text = f"{type(exc).__name__} {exc}".lower()
    if "name" in text and ("resolution" in text or "not known" in text or "getaddrinfo" in text):
        why = "the name is not known"
    elif "refused" in text:
        why = "the connection was refused"
    elif "timeout" in text or "timed out" in text:
        why = "it did not answer in time"
    else:
        why = "no answer"
    return Unreachable(f"could not reach {host} ({why})", retry_after=retry_after)


class NeedsReconnect(ConnectorError):
    """The credentials are expired or revoked: the owner must reconnect the account."""


class BadItem(ConnectorError):
    """One item is malformed: skip it, log it with its id, go on."""

    def __init__(self, message: str, *, item_id: str) -> None:
        super().__init__(f"{item_id}: {message}")
        self.item_id = item_id


class OverBudget(ConnectorError):
    """Today's read budget for this account is spent; reading resumes the next UTC day."""


@dataclass
class Budget:
    """What an account may still spend on reads today (USD); None means no limit."""

    limit_usd: float | None
    spent_usd: float = 0.0

    def check(self, worst_case_usd: float) -> None:
        """Raise OverBudget if a request costing up to `worst_case_usd` could pass the limit."""
        if self.limit_usd is not None and self.spent_usd + worst_case_usd > self.limit_usd + 1e-9:
            raise OverBudget(
                f"daily read budget ${self.limit_usd:.2f} reached "
                f"(${self.spent_usd:.2f} spent today); reading resumes tomorrow (UTC)"
            )

    def affordable(self, unit_usd: float, wanted: int) -> int:
        """How many of `wanted` resources at `unit_usd` each still fit in today's budget."""
        if self.limit_usd is None:
            return wanted
        return max(0, min(wanted, int((self.limit_usd - self.spent_usd + 1e-9) // unit_usd)))

    def spend(self, usd: float) -> None:
        self.spent_usd += usd


class ConnectorSettings(BaseModel):
    """Settings every connected account has; unknown keys are refused (a typo would otherwise
    be dropped without a word)."""

    model_config = ConfigDict(extra="forbid")

    sync_every_minutes: int = Field(
        default=60,
        ge=5,
        title="Sync every (minutes)",
        description="How often `rapport worker` reads this account.",
    )


class Page(BaseModel):
    """One page of posts, and the cursors to save in the same transaction as its posts."""

    posts: list[PostCreate]
    errors: list[str] = Field(default_factory=list)
    cursor_updates: dict[str, Any] = Field(default_factory=dict)
    reads: int = 0  # resources read from the platform for this page (for spend tracking)
    notices: list[str] = Field(default_factory=list)  # for the owner, e.g. a token expiring
    cost_usd: float = 0.0


class Connector(Protocol):
    """A source of posts. `pages` yields pages; the caller commits each (posts + cursors)
    before asking for the next, so a crash between pages loses and duplicates nothing."""

    platform: str

    def pages(self, *, cursors: dict[str, Any], budget: Budget | None = None) -> Iterator[Page]: ...
