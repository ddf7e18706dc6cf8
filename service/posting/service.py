"""Post the approved replies queued for posting; store the platform's id of each reply.

Two steps, each its own transaction in the posting job (`tasks.py`): `claim` marks the due
replies as being tried (an attempt marker, committed before anything is sent), then `send` posts
one reply and stores its id. A marker still there on the next claim means the last try's outcome
is unknown (a crash between sending and committing, a timeout, a 5xx): each platform then makes
sure it does not post twice — Mastodon by its Idempotency-Key, Bluesky by the record key chosen
before the first try (looked up before posting again), Facebook by reading back the Page's
comments on the same object; X (no idempotency, paid reads) asks a person to look before
retrying.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cryptography.fernet import Fernet
from pydantic import BaseModel
from sqlalchemy.orm import Session

from core.logging import get_logger
from core.models import Account, AccountHealth, Platform, PostingStatus, Suggestion
from ingest import accounts
from ingest import sync as ingest_sync
from ingest.connectors import NeedsReconnect, NoAnswer, RetriableError
from ingest.connectors.base import BadItem
from ingest.connectors.bluesky import BlueskySettings
from ingest.connectors.bluesky import reply as bluesky_reply
from ingest.connectors.facebook import FacebookSettings
from ingest.connectors.facebook import reply as facebook_reply
from ingest.connectors.mastodon import MastodonSettings, post_reply
from ingest.connectors.x import XSettings
from ingest.connectors.x import reply as x_reply
from suggest import repository as suggest_repository
from suggest import routes

log = get_logger(__name__)

VISIBILITIES = ("public", "unlisted", "private", "direct")
# While one worker sends a claimed reply, the others leave it alone this long.
CLAIM_LEASE = timedelta(minutes=2)


class OutcomeUnknown(Exception):
    """An earlier try may have posted this reply and the platform cannot be asked safely."""


@dataclass(frozen=True)
class Claimed:
    suggestion_id: int
    uncertain: bool  # an earlier try's outcome is unknown


def idempotency_key(suggestion: Suggestion) -> str:
    """The same for every try of one reply, so the platform posts it at most once."""
    return f"rapport-suggestion-{suggestion.id}"


def reply_text(suggestion: Suggestion) -> str:
    """The approved text, addressed to the author (a Mastodon reply mentions them)."""
    text = suggestion.final_text or suggestion.draft
    mention = f"@{suggestion.person.handle.lstrip('@')}"
    return text if mention.lower() in text.lower() else f"{mention} {text}"


def visibility(suggestion: Suggestion) -> str:
    """The post's own visibility: a reply to an unlisted post stays unlisted."""
    value = (suggestion.post.raw or {}).get("visibility")
    return value if value in VISIBILITIES else "public"


def claim(session: Session, *, limit: int, now: datetime) -> list[Claimed]:
    """Mark up to `limit` due replies as being tried; commit before sending any of them."""
    claimed = []
    due = suggest_repository.claim_queued_posts(session, limit=limit, now=now)
    for i, suggestion in enumerate(due):
        uncertain = suggestion.posting_attempt_key is not None
        if not uncertain:
            # On Bluesky this is the record key of the reply, chosen once, before the first
            # try; a microsecond apart within a batch, so no two replies share one.
            at = now + timedelta(microseconds=i)
            suggestion.posting_attempt_key = bluesky_reply.record_key(at, clock_id=suggestion.id)
        suggestion.posting_attempted_at = now
        suggestion.posting_next_attempt_at = now + CLAIM_LEASE
        claimed.append(Claimed(suggestion.id, uncertain))
    session.flush()
    return claimed


def _send(
    session: Session,
    suggestion: Suggestion,
    settings: BaseModel,
    *,
    uncertain: bool,
    sign_ins: bluesky_reply.SignIns,
) -> str:
    """Post one reply on its platform; return the platform's id of it."""
    post = suggestion.post
    text = suggestion.final_text or suggestion.draft
    if isinstance(settings, MastodonSettings):
        return post_reply(
            settings,
            in_reply_to_id=post.external_id,
            text=reply_text(suggestion),
            visibility=visibility(suggestion),
            idempotency_key=idempotency_key(suggestion),
        )
    if isinstance(settings, BlueskySettings):
        return bluesky_reply.post_reply(
            settings,
            raw=post.raw or {},
            text=text,
            rkey=suggestion.posting_attempt_key or "",
            uncertain=uncertain,
            sign_ins=sign_ins,
            lang=post.lang,
        )
    if isinstance(settings, XSettings):
        handoff = routes.handoff_url(Platform.X, post.external_id, post.url, text)
        if not post.summons_business:
            raise BadItem(
                f"X lets an app reply only when summoned; post it yourself: {handoff}",
                item_id=post.external_id,
            )
        if suggest_repository.reply_posted_to(session, post_id=post.id, other_than=suggestion.id):
            raise BadItem(
                "Rapport already replied to this post (X allows one reply per interaction)",
                item_id=post.external_id,
            )
        if uncertain:
            raise OutcomeUnknown(
                "Rapport could not tell whether X received this reply (the last try was cut "
                f"short). Look at the post on X: if the reply is not there, Retry sends it. "
                f"{post.url or handoff}"
            )
        return x_reply.post_reply(settings, in_reply_to_id=post.external_id, text=text)
    if isinstance(settings, FacebookSettings):
        return facebook_reply.post_reply(
            settings,
            target=facebook_reply.reply_target(post.external_id, post.raw or {}),
            text=text,
            uncertain=uncertain,
        )
    raise BadItem("Rapport does not post replies on this platform", item_id=post.external_id)


def _failed(suggestion: Suggestion, error: str) -> None:
    suggestion.posting_status, suggestion.posting_error = PostingStatus.FAILED, error
    suggestion.posting_next_attempt_at = None
    log.warning("posting.failed", suggestion_id=suggestion.id, error=error)


def send(
    session: Session,
    *,
    claimed: Claimed,
    fernet: Fernet,
    now: datetime,
    sign_ins: bluesky_reply.SignIns,
) -> None:
    """Post one claimed reply (locked while it is sent); a refusal is stored with its reason.

    `sign_ins` holds the run's Bluesky sign-ins, so a batch signs in once per account."""
    suggestion = suggest_repository.lock_queued_post(session, suggestion_id=claimed.suggestion_id)
    if suggestion is None:  # posted by another worker, or taken back by Undo meanwhile
        return
    if suggestion.posted_external_id:  # sent before: never again
        suggestion.posting_status, suggestion.posting_next_attempt_at = PostingStatus.POSTED, None
        return
    account = suggest_repository.posting_account(
        session, workspace_id=suggestion.workspace_id, platform=suggestion.post.platform
    )
    if account is None:
        _failed(suggestion, "No connected account posts replies on this platform now.")
        return
    if account.health == AccountHealth.NEEDS_RECONNECT:
        # Its credentials were refused already: every try would be refused the same way.
        _failed(
            suggestion,
            f"The {account.platform.value} account {account.handle} needs reconnecting. "
            f"{ingest_sync.reconnect_hint(account.id)} Then Retry.",
        )
        return
    try:
        sent_id = _send(
            session,
            suggestion,
            accounts.connector_settings(account, fernet),
            uncertain=claimed.uncertain,
            sign_ins=sign_ins,
        )
    except OutcomeUnknown as exc:
        # A person looks first; their Retry is then a new, certain try.
        suggestion.posting_attempt_key = None
        _failed(suggestion, str(exc))
        return
    except RetriableError as exc:
        if not isinstance(exc, NoAnswer):
            # The platform answered (a rate limit): nothing was posted, the next try is certain.
            suggestion.posting_attempt_key = None
        suggestion.posting_error = f"{exc} (will try again)"
        suggestion.posting_next_attempt_at = now + timedelta(seconds=exc.retry_after)
        return
    except NeedsReconnect as exc:
        _needs_reconnect(session, account, str(exc))
        suggestion.posting_attempt_key = None
        _failed(suggestion, f"{exc}. Reconnect the account, then Retry.")
        return
    except BadItem as exc:
        suggestion.posting_attempt_key = None
        _failed(suggestion, str(exc))
        return
    except Exception as exc:  # noqa: BLE001 - one reply's surprise must not stop the batch
        # The outcome is unknown: the marker stays, so a Retry checks before posting again.
        log.exception("posting.error", suggestion_id=suggestion.id)
        _failed(suggestion, f"Rapport could not post it ({type(exc).__name__}: {exc}).")
        return
    suggestion.posting_status, suggestion.posted_external_id = PostingStatus.POSTED, sent_id
    suggestion.posted_at, suggestion.posting_error = now, None
    suggestion.posting_next_attempt_at = None
    log.info("posting.posted", suggestion_id=suggestion.id, external_id=sent_id)


def _needs_reconnect(session: Session, account: Account, detail: str) -> None:
    ingest_sync.set_health(
        session,
        account,
        AccountHealth.NEEDS_RECONNECT,
        f"{detail}. {ingest_sync.reconnect_hint(account.id)}",
    )
