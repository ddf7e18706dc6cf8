"""The delivery job's work: send what is due from the outbox, batch by batch (wired in
`service/jobs.py`, every 5 seconds)."""

from __future__ import annotations

import time

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
