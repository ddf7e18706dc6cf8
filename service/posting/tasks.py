"""The posting job's work: post the approved replies that are queued (wired in
`service/jobs.py`, every 5 seconds)."""

from __future__ import annotations

from datetime import UTC, datetime

from core.database import Database, session_scope
from core.secrets import fernet
from core.settings import Settings
from ingest.connectors.bluesky import reply as bluesky_reply
from service.posting import service

BATCH = 20
BATCHES_PER_RUN = 50  # at most 1,000 replies per run; the next tick goes on


def post_queued(db: Database, settings: Settings, *, now: datetime | None = None) -> int:
    """Post queued replies, batch by batch; returns how many were tried.

    The claim (attempt markers) is committed before anything is sent, then each reply is sent
    and stored in its own transaction. A refused reply is marked failed with the platform's
    reason; a rate limit or outage leaves it queued for a later run. `now` fixes the clock
    (tests); by default each step reads it.
    """
    key = fernet(settings)
    sign_ins = bluesky_reply.SignIns()  # one sign-in per Bluesky account for the whole run
    tried = 0
    for _ in range(BATCHES_PER_RUN):
        with session_scope(db) as session:
            claimed = service.claim(session, limit=BATCH, now=now or datetime.now(UTC))
        if not claimed:
            break
        for one in claimed:
            with session_scope(db) as session:
                service.send(
                    session,
                    claimed=one,
                    fernet=key,
                    now=now or datetime.now(UTC),
                    sign_ins=sign_ins,
                )
        tried += len(claimed)
    return tried
