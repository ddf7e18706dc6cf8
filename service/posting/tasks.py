"""The posting job's work: post the approved replies that are queued (wired in
`service/jobs.py`, every 5 seconds)."""

from __future__ import annotations

from core.database import Database, session_scope
from core.secrets import fernet
from core.settings import Settings
from service.posting import service


def post_queued(db: Database, settings: Settings) -> None:
    """Post queued replies, batch by batch (one transaction each)."""
    key = fernet(settings)
    for _ in range(50):  # at most 1,000 per run; the next tick goes on
        with session_scope(db) as session:
            if not service.post_queued(session, fernet=key):
                return
