"""The posting job: every 5 seconds, post the approved replies that are queued."""

from __future__ import annotations

import procrastinate

from core.database import session_scope
from core.secrets import fernet
from core.settings import Settings
from service.posting import service


def post_replies(context: procrastinate.JobContext, timestamp: int) -> None:
    """Post queued replies, batch by batch (one transaction each)."""
    resources = context.additional_context["resources"]
    key = fernet(resources.settings or Settings())
    for _ in range(50):  # at most 1,000 per run; the next tick goes on
        with session_scope(resources.db) as session:
            if not service.post_queued(session, fernet=key):
                return


def blueprint() -> procrastinate.Blueprint:
    """A fresh blueprint per app (procrastinate renames a blueprint's tasks when it is added)."""
    bp = procrastinate.Blueprint()
    bp.periodic(cron="* * * * * */5")(
        bp.task(
            name="post_replies",
            queue="posting",
            pass_context=True,
            queueing_lock="posting:post",
        )(post_replies)
    )
    return bp
