"""The delivery job: every 5 seconds, send what is due from the outbox, batch by batch."""

from __future__ import annotations

import time

import procrastinate

from core.database import Database, session_scope
from core.secrets import fernet
from core.settings import Settings
from service.webhooks import service
from service.webhooks.delivery import Sender

BATCH = 100
RUN_FOR_SECONDS = 50.0  # then the next tick's job takes over


def drain(db: Database, settings: Settings, sender: Sender, *, seconds: float) -> int:
    """Deliver due batches (one transaction each) until none is due or `seconds` have passed."""
    key = fernet(settings)
    deadline = time.monotonic() + seconds
    sent = 0
    while time.monotonic() < deadline:
        with session_scope(db) as session:
            n = service.deliver_due(
                session,
                sender=sender,
                fernet=key,
                limit=BATCH,
                scale=settings.webhook_backoff_scale,
            )
        sent += n
        if n == 0:
            break
    return sent


def deliver_webhooks(context: procrastinate.JobContext, timestamp: int) -> None:
    """Send the webhook deliveries that are due (first attempts and retries)."""
    resources = context.additional_context["resources"]
    settings = resources.settings or Settings()
    with Sender(settings) as sender:
        drain(resources.db, settings, sender, seconds=RUN_FOR_SECONDS)


def blueprint() -> procrastinate.Blueprint:
    """A fresh blueprint per app (procrastinate renames a blueprint's tasks when it is added)."""
    bp = procrastinate.Blueprint()
    # The queueing lock keeps ticks from piling up behind a long run.
    bp.periodic(cron="* * * * * */5")(
        bp.task(
            name="deliver_webhooks",
            queue="webhooks",
            pass_context=True,
            queueing_lock="webhooks:deliver",
        )(deliver_webhooks)
    )
    return bp
