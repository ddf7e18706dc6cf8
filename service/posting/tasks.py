"""The posting job's work: post the approved replies that are queued (wired in
`service/jobs.py`, every 5 seconds)."""

from __future__ import annotations

from datetime import UTC, datetime

from core.database import Database, session_scope
from core.secrets import fernet
from core.settings import Settings
from service.posting import service


def post_queued(db: Database, settings: Settings) -> None:
    """Post queued replies, batch by batch: the claim (attempt markers) is committed before
    anything is sent, then each reply is sent and stored in its own transaction."""
    key = fernet(settings)
    for _ in range(50):  # at most 1,000 per run; the next tick goes on
        now = datetime.now(UTC)
        with session_scope(db) as session:
            claimed = service.claim(session, limit=20, now=now)
        if not claimed:
            return
        for one in claimed:
            with session_scope(db) as session:
                service.send(session, claimed=one, fernet=key, now=datetime.now(UTC))
