"""Every query of the suggestion stage."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    cast,
    func,
    literal,
    or_,
    select,
    true,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session, joinedload, selectinload

from core.models import (
    Account,
    AccountHealth,
    DeliveryRoute,
    Interest,
    Occasion,
    Person,
    Platform,
    Post,
    PostAnalysis,
    PostingStatus,
    Suggestion,
    SuggestionStatus,
    WebhookDelivery,
)
from core.models.base import utcnow
from suggest.schemas import Candidate, QueueTab, RememberedReply


def _live_readings(
    *, workspace_id: int, model_version: str, since: datetime
) -> Any:  # a Select; its type parameters differ between SQLAlchemy 2.0 and 2.1
    """Live posts since `since` with their author and their reading by this model."""
    return (
        select(
            Post.id,
            Post.external_id,
            Post.platform,
            Post.url,
            Post.text,
            Post.posted_at,
            Post.summons_business,
            Post.person_id,
            Person.display_name,
            Person.handle,
            Person.flags.label("person_flags"),
            PostAnalysis.intent,
            PostAnalysis.sentiment,
            PostAnalysis.language,
            PostAnalysis.flags,
            PostAnalysis.has_question,
            PostAnalysis.keyphrases,
            PostAnalysis.embedding,
        )
        .join(Person, Person.id == Post.person_id)
        .join(PostAnalysis, PostAnalysis.post_id == Post.id)
        .where(
            Post.workspace_id == workspace_id,
            Post.deleted_at.is_(None),
            Post.posted_at >= since,
            PostAnalysis.model_version == model_version,
        )
    )


def _candidates(rows: Sequence[Any]) -> list[Candidate]:
    return [
        Candidate.model_validate(
            {**row._mapping, "person_flags": row.person_flags or {}, "flags": row.flags or []}
        )
        for row in rows
    ]


def candidate_posts(
    session: Session,
    *,
    workspace_id: int,
    model_version: str,
    drafter_version: str,
    since: datetime,
    addressed_since: datetime | None = None,
) -> list[Candidate]:
    """Recent, live, analysed posts that have no suggestion from this drafter yet: those since
    `since`, and those that address the business since `addressed_since` (when earlier)."""
    suggested = select(Suggestion.id).where(
        Suggestion.post_id == Post.id, Suggestion.drafter_version == drafter_version
    )
    earliest = min(since, addressed_since or since)
    query = _live_readings(workspace_id=workspace_id, model_version=model_version, since=earliest)
    if earliest < since:
        query = query.where(or_(Post.posted_at >= since, Post.summons_business.is_(True)))
    rows = session.execute(query.where(~suggested.exists()).order_by(Post.posted_at.desc())).all()
    return _candidates(rows)


def timelines(
    session: Session,
    *,
    workspace_id: int,
    person_ids: Sequence[int],
    model_version: str,
    since: datetime,
) -> list[Candidate]:
    """Every live, analysed post of these people since `since`: what they said before and since."""
    query = _live_readings(workspace_id=workspace_id, model_version=model_version, since=since)
    rows = session.execute(
        query.where(Post.person_id.in_(person_ids)).order_by(Post.posted_at)
    ).all()
    return _candidates(rows)


def expire_for_posts(session: Session, *, workspace_id: int, post_ids: Sequence[int]) -> list[int]:
    """Pending or snoozed suggestions on these posts become expired (their moment has passed);
    returns their ids."""
    if not post_ids:
        return []
    return list(
        session.scalars(
            update(Suggestion)
            .where(
                Suggestion.workspace_id == workspace_id,
                Suggestion.post_id.in_(post_ids),
                Suggestion.status.in_([SuggestionStatus.PENDING, SuggestionStatus.SNOOZED]),
            )
            .values(status=SuggestionStatus.EXPIRED)
            .returning(Suggestion.id)
        )
    )


def approved_replies(
    session: Session, *, workspace_id: int, model_version: str, limit: int = 500
) -> list[RememberedReply]:
    """What the owner sent (approved or edited), newest first, with the post it answered."""
    rows = session.execute(
        select(
            Suggestion.id,
            Suggestion.occasion,
            Suggestion.final_text,
            Suggestion.decided_at,
            Person.display_name,
            Person.handle,
            Post.text.label("post_text"),
            PostAnalysis.embedding,
        )
        .join(Post, Post.id == Suggestion.post_id)
        .join(Person, Person.id == Suggestion.person_id)
        .join(
            PostAnalysis,
            (PostAnalysis.post_id == Post.id) & (PostAnalysis.model_version == model_version),
        )
        .where(
            Suggestion.workspace_id == workspace_id,
            Suggestion.status.in_([SuggestionStatus.APPROVED, SuggestionStatus.EDITED]),
            Suggestion.final_text.is_not(None),
        )
        .order_by(Suggestion.decided_at.desc())
        .limit(limit)
    ).all()
    return [
        RememberedReply(
            suggestion_id=row.id,
            occasion=row.occasion,
            text=row.final_text,
            decided_at=row.decided_at,
            person_name=row.display_name,
            person_handle=row.handle,
            post_text=row.post_text,
            embedding=list(row.embedding),
        )
        for row in rows
    ]


def people_suggested_since(session: Session, *, workspace_id: int, since: datetime) -> set[int]:
    return set(
        session.scalars(
            select(Suggestion.person_id).where(
                Suggestion.workspace_id == workspace_id, Suggestion.created_at >= since
            )
        )
    )


def recent_texts(
    session: Session, *, person_ids: Sequence[int], limit: int = 10
) -> dict[int, list[str]]:
    ranked = (
        select(
            Post.person_id,
            Post.text,
            func.row_number()
            .over(partition_by=Post.person_id, order_by=Post.posted_at.desc())
            .label("n"),
        )
        .where(Post.person_id.in_(person_ids), Post.deleted_at.is_(None))
        .subquery()
    )
    out: dict[int, list[str]] = {}
    for row in session.execute(
        select(ranked.c.person_id, ranked.c.text)
        .where(ranked.c.n <= limit)
        .order_by(ranked.c.person_id, ranked.c.n)  # newest first
    ):
        out.setdefault(row.person_id, []).append(row.text)
    return out


def top_interests(
    session: Session, *, person_ids: Sequence[int], limit: int = 5
) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    rows = session.execute(
        select(Interest.person_id, Interest.label)
        .where(Interest.person_id.in_(person_ids))
        .order_by(Interest.person_id, Interest.weight.desc())
    )
    for row in rows:
        labels = out.setdefault(row.person_id, [])
        if len(labels) < limit:
            labels.append(row.label)
    return out


def interest_evidence(
    session: Session, *, person_ids: Sequence[int], limit: int = 5
) -> dict[int, list[tuple[str, list[str]]]]:
    """Each person's strongest interests with the texts of the posts that show them."""
    rows = session.execute(
        select(Interest.person_id, Interest.label, Interest.evidence_post_ids)
        .where(Interest.person_id.in_(person_ids))
        .order_by(Interest.person_id, Interest.weight.desc())
    ).all()
    kept: dict[int, list[tuple[str, list[int]]]] = {}
    for row in rows:
        items = kept.setdefault(row.person_id, [])
        if len(items) < limit:
            items.append((row.label, list(row.evidence_post_ids)[:2]))
    post_ids = {p for items in kept.values() for _, ids in items for p in ids}
    texts = dict(session.execute(select(Post.id, Post.text).where(Post.id.in_(post_ids))).all())
    return {
        person: [(label, [texts[p] for p in ids if p in texts]) for label, ids in items]
        for person, items in kept.items()
    }


def previous_replies(
    session: Session, *, person_ids: Sequence[int], limit: int = 3
) -> dict[int, list[str]]:
    """What the business already said to each person (approved or edited replies)."""
    rows = session.execute(
        select(Suggestion.person_id, Suggestion.final_text)
        .where(
            Suggestion.person_id.in_(person_ids),
            Suggestion.status.in_([SuggestionStatus.APPROVED, SuggestionStatus.EDITED]),
        )
        .order_by(Suggestion.person_id, Suggestion.decided_at.desc())
    )
    out: dict[int, list[str]] = {}
    for row in rows:
        replies = out.setdefault(row.person_id, [])
        if len(replies) < limit and row.final_text:
            replies.append(row.final_text)
    return out


def posts_replied_by_api(session: Session, *, post_ids: Sequence[int]) -> set[int]:
    """Posts that already have a reply going out by API (one reply per interaction on X)."""
    return set(
        session.scalars(
            select(Suggestion.post_id).where(
                Suggestion.post_id.in_(post_ids),
                Suggestion.route == DeliveryRoute.API,
                Suggestion.status.in_(
                    [SuggestionStatus.PENDING, SuggestionStatus.APPROVED, SuggestionStatus.EDITED]
                ),
            )
        )
    )


def insert_suggestion(session: Session, *, values: dict[str, Any]) -> int | None:
    stmt = (
        insert(Suggestion)
        .values(**values)
        .on_conflict_do_nothing(constraint="uq_suggestion_post_id_drafter_version")
        .returning(Suggestion.id)
    )
    return session.execute(stmt).scalar_one_or_none()


def _delivered() -> ColumnElement[bool]:
    """An approved reply that a webhook delivered (it went out)."""
    return (
        select(WebhookDelivery.id)
        .where(
            WebhookDelivery.suggestion_id == Suggestion.id,
            WebhookDelivery.delivered_at.is_not(None),
        )
        .exists()
    )


def _in_tab(tab: QueueTab, now: datetime) -> ColumnElement[bool]:
    decided = Suggestion.status.in_([SuggestionStatus.APPROVED, SuggestionStatus.EDITED])
    due = (Suggestion.status == SuggestionStatus.SNOOZED) & (Suggestion.snoozed_until <= now)
    if tab == QueueTab.TO_REVIEW:
        return or_(Suggestion.status == SuggestionStatus.PENDING, due)
    # Sent: Rapport posted it or tried and failed (the error and Retry are shown there), or,
    # when Rapport does not post it, a webhook delivered it.
    went_out = or_(
        Suggestion.posting_status.in_([PostingStatus.POSTED, PostingStatus.FAILED]),
        Suggestion.posting_status.is_(None) & _delivered(),
    )
    if tab == QueueTab.APPROVED:
        return decided & ~went_out
    if tab == QueueTab.SENT:
        return decided & went_out
    if tab == QueueTab.SNOOZED:
        return (Suggestion.status == SuggestionStatus.SNOOZED) & (Suggestion.snoozed_until > now)
    return Suggestion.status == SuggestionStatus.REJECTED


def list_suggestions(
    session: Session,
    *,
    workspace_id: int,
    statuses: Sequence[SuggestionStatus] = (),
    limit: int,
    woken_by: datetime | None = None,
    tab: QueueTab | None = None,
    after: tuple[float, int] | None = None,
    platform: Platform | None = None,
    occasion: Occasion | None = None,
    search: str | None = None,
) -> Sequence[Suggestion]:
    """Suggestions in these states (or in a tab), most useful first, after a keyset cursor.

    With `woken_by`, snoozed ones whose snooze has ended count as pending.
    """
    if tab is not None:
        wanted = _in_tab(tab, woken_by or utcnow())
    else:
        wanted = Suggestion.status.in_(statuses)
        if woken_by is not None:
            wanted = or_(
                wanted,
                (Suggestion.status == SuggestionStatus.SNOOZED)
                & (Suggestion.snoozed_until <= woken_by),
            )
    query = select(Suggestion).where(Suggestion.workspace_id == workspace_id, wanted)
    if after is not None:
        score, last_id = after
        query = query.where(tuple_(Suggestion.score, Suggestion.id) < tuple_(score, last_id))
    if platform is not None:
        query = query.where(
            select(Post.id).where(Post.id == Suggestion.post_id, Post.platform == platform).exists()
        )
    if occasion is not None:
        query = query.where(Suggestion.occasion == occasion)
    if search:
        pattern = "%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                Suggestion.draft.ilike(pattern),
                select(Post.id)
                .where(Post.id == Suggestion.post_id, Post.text.ilike(pattern))
                .exists(),
                select(Person.id)
                .where(
                    Person.id == Suggestion.person_id,
                    or_(Person.handle.ilike(pattern), Person.display_name.ilike(pattern)),
                )
                .exists(),
            )
        )
    return session.scalars(
        query.options(selectinload(Suggestion.post), selectinload(Suggestion.person))
        # (score, id) descending: one backward scan of ix_suggestion_workspace_id_score_id
        .order_by(Suggestion.score.desc(), Suggestion.id.desc())
        .limit(limit)
    ).all()


def count_tabs(session: Session, *, workspace_id: int, now: datetime) -> dict[QueueTab, int]:
    """How many suggestions each tab holds, in one query."""
    row = session.execute(
        select(
            *(func.count().filter(_in_tab(tab, now)).label(tab.name.lower()) for tab in QueueTab)
        ).where(Suggestion.workspace_id == workspace_id)
    ).one()
    return {tab: int(getattr(row, tab.name.lower())) for tab in QueueTab}


def get_suggestion(session: Session, *, workspace_id: int, suggestion_id: int) -> Suggestion | None:
    return session.scalar(
        select(Suggestion)
        .where(Suggestion.workspace_id == workspace_id, Suggestion.id == suggestion_id)
        .options(selectinload(Suggestion.post), selectinload(Suggestion.person))
    )


def lock_suggestion(
    session: Session, *, workspace_id: int, suggestion_id: int
) -> Suggestion | None:
    """The suggestion, locked until the transaction ends: one decision at a time per card.

    Its post and person come in the same statement (joined, not one query each: a decision is
    two round trips fewer to the database that way)."""
    return session.scalar(
        select(Suggestion)
        .where(Suggestion.workspace_id == workspace_id, Suggestion.id == suggestion_id)
        .with_for_update(of=Suggestion)
        .options(
            joinedload(Suggestion.post, innerjoin=True),
            joinedload(Suggestion.person, innerjoin=True),
        )
        .execution_options(populate_existing=True)
    )


def count_suggestions(session: Session, *, workspace_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Suggestion)
            .where(Suggestion.workspace_id == workspace_id)
        )
        or 0
    )


def expire_pending(session: Session, *, workspace_id: int, created_before: datetime) -> list[int]:
    """Pending or snoozed suggestions older than `created_before` become expired; returns
    their ids."""
    return list(
        session.scalars(
            update(Suggestion)
            .where(
                Suggestion.workspace_id == workspace_id,
                Suggestion.status.in_([SuggestionStatus.PENDING, SuggestionStatus.SNOOZED]),
                Suggestion.created_at < created_before,
            )
            .values(status=SuggestionStatus.EXPIRED)
            .returning(Suggestion.id)
        )
    )


def suggestions_by_id(session: Session, *, ids: Sequence[int]) -> list[Suggestion]:
    """These suggestions with their post and person loaded, in id order."""
    if not ids:
        return []
    return list(
        session.scalars(
            select(Suggestion)
            .where(Suggestion.id.in_(ids))
            .options(selectinload(Suggestion.post), selectinload(Suggestion.person))
            .order_by(Suggestion.id)
            .execution_options(populate_existing=True)
        )
    )


def account_handles(session: Session, *, workspace_id: int) -> dict[Platform, str]:
    """The business's connected account handle per platform (the first one connected)."""
    rows = session.execute(
        select(Account.platform, Account.handle)
        .where(Account.workspace_id == workspace_id)
        .order_by(Account.id.desc())
    ).all()
    return {row.platform: row.handle for row in rows}


def cards_since(
    session: Session, *, workspace_id: int, occasion: Occasion, since: datetime
) -> Sequence[Any]:
    """Suggestions of one occasion since `since`, with the post's text and the person's handle."""
    return session.execute(
        select(Suggestion.id, Suggestion.status, Post.text, Person.handle)
        .join(Post, Post.id == Suggestion.post_id)
        .join(Person, Person.id == Suggestion.person_id)
        .where(
            Suggestion.workspace_id == workspace_id,
            Suggestion.occasion == occasion,
            Suggestion.created_at >= since,
        )
        .order_by(Suggestion.created_at.desc())
    ).all()


def replies_to_person(session: Session, *, workspace_id: int, person_id: int) -> Sequence[Any]:
    """Every decided suggestion for one person: their post, what was sent, when, newest first."""
    return session.execute(
        select(
            Suggestion.id,
            Suggestion.status,
            Suggestion.final_text,
            Suggestion.decided_at,
            Suggestion.occasion,
            Post.text.label("post_text"),
            Post.posted_at,
        )
        .join(Post, Post.id == Suggestion.post_id)
        .where(
            Suggestion.workspace_id == workspace_id,
            Suggestion.person_id == person_id,
            Suggestion.status.in_([SuggestionStatus.APPROVED, SuggestionStatus.EDITED]),
        )
        .order_by(Suggestion.decided_at.desc().nulls_last())
    ).all()


def knowledge_usage(session: Session, *, workspace_id: int) -> Sequence[Any]:
    """For each knowledge title that drafts used: how many drafts, how many sent, the latest."""
    title = func.jsonb_array_elements_text(Suggestion.grounding["knowledge"]).table_valued("value")
    sent = Suggestion.status.in_([SuggestionStatus.APPROVED, SuggestionStatus.EDITED])
    return session.execute(
        select(
            title.c.value.label("title"),
            func.count().label("drafts"),
            func.count().filter(sent).label("sent"),
            func.max(Suggestion.created_at).label("last_used_at"),
        )
        .select_from(Suggestion)
        .join(title, true())
        .where(
            Suggestion.workspace_id == workspace_id,
            func.jsonb_typeof(Suggestion.grounding["knowledge"]) == "array",
        )
        .group_by(title.c.value)
    ).all()


def posting_accounts(
    session: Session, *, workspace_id: int
) -> list[tuple[Platform, AccountHealth]]:
    """Platform and health of each account of the workspace opted in to Rapport posting
    replies."""
    rows = session.execute(
        select(Account.platform, Account.health).where(
            Account.workspace_id == workspace_id,
            Account.settings["post_replies"].as_boolean().is_(True),
        )
    ).all()
    return [(row[0], row[1]) for row in rows]


def posting_account(session: Session, *, workspace_id: int, platform: Platform) -> Account | None:
    """The account that posts replies on this platform for the workspace."""
    return session.scalar(
        select(Account)
        .where(
            Account.workspace_id == workspace_id,
            Account.platform == platform,
            Account.settings["post_replies"].as_boolean().is_(True),
        )
        .order_by(Account.id)
        .limit(1)
    )


def claim_queued_posts(session: Session, *, limit: int, now: datetime) -> list[Suggestion]:
    """Approved replies due to be posted, locked (other workers skip them)."""
    return list(
        session.scalars(
            select(Suggestion)
            .where(
                Suggestion.posting_status == PostingStatus.QUEUED,
                or_(
                    Suggestion.posting_next_attempt_at.is_(None),
                    Suggestion.posting_next_attempt_at <= now,
                ),
            )
            .order_by(Suggestion.decided_at, Suggestion.id)
            .limit(limit)
            .with_for_update(of=Suggestion, skip_locked=True)
            .options(selectinload(Suggestion.post), selectinload(Suggestion.person))
        )
    )


def lock_queued_post(session: Session, *, suggestion_id: int) -> Suggestion | None:
    """A reply still queued for posting, locked until the transaction ends (one sender)."""
    return session.scalar(
        select(Suggestion)
        .where(Suggestion.id == suggestion_id, Suggestion.posting_status == PostingStatus.QUEUED)
        .with_for_update(of=Suggestion)
        .options(
            joinedload(Suggestion.post, innerjoin=True),
            joinedload(Suggestion.person, innerjoin=True),
        )
        .execution_options(populate_existing=True)
    )


def reply_posted_to(session: Session, *, post_id: int, other_than: int) -> bool:
    """Whether another reply to this post was already posted by Rapport (one per interaction)."""
    return bool(
        session.scalar(
            select(Suggestion.id)
            .where(
                Suggestion.post_id == post_id,
                Suggestion.id != other_than,
                Suggestion.posted_external_id.is_not(None),
            )
            .limit(1)
        )
    )


# The first key of the transaction lock that lets one writer at a time build a workspace's queue.
QUEUE_LOCK = 0x5155  # "QU"


def lock_workspace_queue(session: Session, *, workspace_id: int) -> None:
    """Wait until no other transaction is building this workspace's queue (released at commit)."""
    key = [cast(literal(k), Integer) for k in (QUEUE_LOCK, workspace_id)]
    session.execute(select(func.pg_advisory_xact_lock(*key)))
