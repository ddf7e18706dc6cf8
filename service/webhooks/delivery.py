"""Sending one event to one endpoint: Standard Webhooks signatures, timeouts, redirects checked
against the SSRF rules, `Retry-After`, and the retry schedule."""

from __future__ import annotations

import email.utils
import json
import time
from collections import Counter, deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from standardwebhooks import Webhook

from core.errors import InvalidInput, UnsafeWebhookTarget
from core.settings import Settings
from service.webhooks.targets import PinnedTransport, check_url

# After the first attempt fails: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h; then dead-lettered.
SCHEDULE = (
    timedelta(seconds=5),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=5),
    timedelta(hours=10),
)
MAX_ATTEMPTS = len(SCHEDULE) + 1
MAX_REDIRECTS = 3
MAX_RETRY_AFTER = timedelta(hours=24)
USER_AGENT = "Rapport-Webhooks/1"


@dataclass(frozen=True)
class Message:
    """What to send: taken from the outbox row, so a thread can send it without the session."""

    delivery_id: int
    url: str
    secret: str
    event_id: str
    payload: dict[str, Any]
    endpoint_id: int = 0


@dataclass(frozen=True)
class Attempt:
    """How one attempt went."""

    delivery_id: int
    status_code: int | None
    error: str
    retry_after: timedelta | None
    ms: int
    refused: bool = False  # the target is not allowed: retrying will not help

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def body_of(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


def signed_headers(message: Message, body: bytes, at: datetime) -> dict[str, str]:
    """The Standard Webhooks headers: webhook-id, webhook-timestamp, webhook-signature."""
    signature = Webhook(message.secret).sign(message.event_id, at, body.decode())
    return {
        "webhook-id": message.event_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": signature,
        "content-type": "application/json",
        "user-agent": USER_AGENT,
    }


def next_delay(attempts: int, retry_after: timedelta | None, scale: float) -> timedelta | None:
    """When to try again after `attempts` failed attempts; None means dead-letter."""
    if attempts >= MAX_ATTEMPTS:
        return None
    if retry_after is not None:
        return min(retry_after, MAX_RETRY_AFTER) * scale
    return SCHEDULE[attempts - 1] * scale


def parse_retry_after(value: str | None, now: datetime) -> timedelta | None:
    """`Retry-After` as seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return timedelta(seconds=int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(when - now, timedelta(0))


class Sender:
    """Sends messages with one HTTP client (pass a transport to fake the network in tests)."""

    def __init__(self, settings: Settings, *, transport: httpx.BaseTransport | None = None) -> None:
        self.allow_private = settings.webhook_allow_private_targets
        limits = httpx.Limits(max_connections=max(settings.webhook_concurrency, 1))
        inner = transport or httpx.HTTPTransport(limits=limits)
        self.client = httpx.Client(
            transport=inner if self.allow_private else PinnedTransport(inner),
            timeout=httpx.Timeout(settings.webhook_timeout_seconds),
            follow_redirects=False,  # each hop is checked against the SSRF rules first
        )
        self.timeout = settings.webhook_timeout_seconds
        self.concurrency = max(settings.webhook_concurrency, 1)
        # While others wait, one endpoint's share of the senders (a slow one holds no more).
        self.per_endpoint = max(1, self.concurrency // 4)
        # One pool for the sender's life: starting threads per batch cost more than sending.
        self.pool = ThreadPoolExecutor(
            max_workers=settings.webhook_concurrency, thread_name_prefix="webhook"
        )

    def close(self) -> None:
        self.pool.shutdown()
        self.client.close()

    def send_all(self, messages: list[Message]) -> list[Attempt]:
        """Send these concurrently (up to the concurrency setting); attempts in the same order.

        Fair between endpoints: a free sender goes to an endpoint with fewer than `per_endpoint`
        requests in flight, the one with the fewest, so a slow receiver cannot take every sender
        and hold up the others' deliveries; when every endpoint with messages waiting has its
        share, the fewest in flight goes on (no sender stays idle).
        """
        waiting: dict[int, deque[int]] = {}
        for i, message in enumerate(messages):
            waiting.setdefault(message.endpoint_id, deque()).append(i)
        results: dict[int, Attempt] = {}
        in_flight: dict[Future[Attempt], tuple[int, int]] = {}
        busy: Counter[int] = Counter()

        def submit(endpoint: int) -> None:
            i = waiting[endpoint].popleft()
            if not waiting[endpoint]:
                del waiting[endpoint]
            in_flight[self.pool.submit(self.send, messages[i])] = (i, endpoint)
            busy[endpoint] += 1

        while waiting or in_flight:
            while waiting and len(in_flight) < self.concurrency:
                # the endpoints under their share first; the one with the fewest in flight
                under = [e for e in waiting if busy[e] < self.per_endpoint]
                submit(min(under or waiting, key=lambda e: busy[e]))
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in done:
                i, endpoint = in_flight.pop(future)
                busy[endpoint] -= 1
                results[i] = future.result()
        return [results[i] for i in range(len(messages))]

    def __enter__(self) -> Sender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def send(self, message: Message) -> Attempt:
        """POST the signed payload; follow up to 3 redirects to allowed targets."""
        started = time.perf_counter()
        body = body_of(message.payload)

        def done(
            status: int | None, error: str, retry_after: timedelta | None = None, **kw: bool
        ) -> Attempt:
            ms = int((time.perf_counter() - started) * 1000)
            return Attempt(message.delivery_id, status, error, retry_after, ms, **kw)

        url = message.url
        for _hop in range(MAX_REDIRECTS + 1):
            try:
                check_url(url, allow_private=self.allow_private)
            except UnsafeWebhookTarget as exc:
                return done(None, exc.message, refused=True)
            except InvalidInput as exc:  # e.g. the name does not resolve now: try again later
                return done(None, exc.message)
            # Signed at the moment of sending: receivers reject stale timestamps.
            headers = signed_headers(message, body, datetime.now(UTC))
            try:
                response = self.client.post(url, content=body, headers=headers)
            except UnsafeWebhookTarget as exc:  # the name changed address since the check
                return done(None, exc.message, refused=True)
            except InvalidInput as exc:
                return done(None, exc.message)
            except httpx.TimeoutException:
                return done(None, f"No answer within {self.timeout:g} s (timed out).")
            except httpx.HTTPError as exc:
                return done(None, f"{type(exc).__name__}: {exc}")
            if response.is_redirect and "location" in response.headers:
                url = str(response.url.join(response.headers["location"]))
                continue
            retry_after = parse_retry_after(response.headers.get("retry-after"), datetime.now(UTC))
            if response.is_success:
                return done(response.status_code, "")
            excerpt = " ".join(response.text[:200].split())
            return done(
                response.status_code,
                f"HTTP {response.status_code}" + (f": {excerpt}" if excerpt else ""),
                retry_after,
            )
        return done(None, f"More than {MAX_REDIRECTS} redirects.")
