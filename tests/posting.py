"""Run the posting job as a worker runs it (`service/posting/tasks.py`), on what a test wrote in
its session: the job's own transactions join the test's, and the session then sees what the job
stored."""

from __future__ import annotations

from datetime import datetime

from cryptography.fernet import Fernet
from sqlalchemy.orm import Session

from core.database import Database
from core.secrets import fernet
from core.settings import Settings
from service.posting import tasks as posting_tasks

SETTINGS = Settings(_env_file=None, secret_key=Fernet.generate_key().decode())
KEY = fernet(SETTINGS)  # the key the job decrypts account credentials with


def run_posting(db: Database, session: Session, *, now: datetime | None = None) -> int:
    """One run of the posting job; returns how many replies it tried."""
    session.flush()
    tried = posting_tasks.post_queued(db, SETTINGS, now=now)
    session.expire_all()
    return tried
