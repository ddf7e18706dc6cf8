"""Every query of the ingest stage: workspaces, people and posts, stored idempotently."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import BigInteger, Connection, delete, func, literal, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from core.models import Account, Person, Platform, Post, PostAnalysis, Workspace
from ingest.schemas import PersonCreate


def get_workspace(session: Session, *, name: str) -> Workspace | None:
    return session.scalar(select(Workspace).where(Workspace.name == name))


def workspace_name(session: Session, *, workspace_id: int) -> str:
    return session.execute(select(Workspace.name).where(Workspace.id == workspace_id)).scalar_one()


def list_workspaces(session: Session) -> Sequence[Workspace]:
    return session.scalars(select(Workspace).order_by(Workspace.name)).all()


def add_workspace(session: Session, *, values: dict[str, Any]) -> Workspace:
    workspace = Workspace(**values)
    session.add(workspace)
    session.flush()
    return workspace


def upsert_workspace(session: Session, *, values: dict[str, Any]) -> Workspace:
    """Insert the workspace, or make the one of that name what `values` say."""
    stmt = insert(Workspace).values(**values)
    upsert = stmt.on_conflict_do_update(
        index_elements=[Workspace.name],
        set_={k: stmt.excluded[k] for k in values if k != "name"},
    ).returning(Workspace.id)
    workspace_id = session.execute(upsert).scalar_one()
    workspace = session.get(Workspace, workspace_id, populate_existing=True)
    assert workspace is not None
    return workspace


def create_workspace(session: Session, *, name: str) -> Workspace:
    workspace = Workspace(name=name, display_name=name)
    session.add(workspace)
    session.flush()
    return workspace


# A page travels as one JSON document that the server turns into rows: one small statement,
# compiled once, and one fast orjson.dumps, instead of a multi-row VALUES list that SQLAlchemy
# compiles for every page (measured: 15x slower, see bench/RESULTS.md).
UPSERT_PEOPLE = text(
    """
    WITH incoming AS (
        SELECT * FROM jsonb_to_recordset(CAST(:page AS jsonb))
        AS t(platform text, external_id text, handle text, display_name text, profile_url text,
             flags jsonb)
    ), upserted AS (
        INSERT INTO person (workspace_id, platform, external_id, handle, display_name,
                            profile_url, flags, last_seen_at)
        SELECT :workspace_id, platform, external_id, handle, display_name, profile_url, flags,
               :seen_at
        FROM incoming
        ON CONFLICT ON CONSTRAINT uq_person_workspace_id_platform_external_id DO UPDATE SET
            handle = excluded.handle, display_name = excluded.display_name,
            profile_url = excluded.profile_url, flags = excluded.flags,
            last_seen_at = greatest(person.last_seen_at, excluded.last_seen_at)
        WHERE (person.handle, person.display_name, person.profile_url, person.flags)
              IS DISTINCT FROM
              (excluded.handle, excluded.display_name, excluded.profile_url, excluded.flags)
        RETURNING id, platform, external_id, (xmax = 0) AS inserted
    )
    SELECT p.id, p.platform, p.external_id, coalesce(u.inserted, false) AS inserted
    FROM incoming i
    JOIN person p ON p.workspace_id = :workspace_id AND p.platform = i.platform
                 AND p.external_id = i.external_id
    LEFT JOIN upserted u ON u.id = p.id
    UNION ALL
    SELECT u.id, u.platform, u.external_id, u.inserted FROM upserted u WHERE u.inserted
    """
)

UPSERT_POSTS = text(
    """
    WITH incoming AS (
        SELECT * FROM jsonb_to_recordset(CAST(:page AS jsonb))
        AS t(person_id bigint, platform text, external_id text, text text, lang text, url text,
             posted_at timestamptz, in_reply_to text, summons_business boolean,
             private boolean, raw jsonb, deleted_at timestamptz)
    ), old AS (
        SELECT p.id, md5(p.text) AS text_md5
        FROM incoming i
        JOIN post p ON p.workspace_id = :workspace_id AND p.platform = i.platform
                   AND p.external_id = i.external_id
    ), upserted AS (
        INSERT INTO post (workspace_id, person_id, platform, external_id, text, lang, url,
                          posted_at, in_reply_to, summons_business, private, raw, deleted_at)
        SELECT :workspace_id, person_id, platform, external_id, text, lang, url, posted_at,
               in_reply_to, summons_business, private, raw, deleted_at
        FROM incoming
        ON CONFLICT ON CONSTRAINT uq_post_workspace_id_platform_external_id DO UPDATE SET
            person_id = excluded.person_id, text = excluded.text, lang = excluded.lang,
            url = excluded.url, posted_at = excluded.posted_at,
            in_reply_to = excluded.in_reply_to, summons_business = excluded.summons_business,
            private = excluded.private, raw = excluded.raw,
            -- keep the first time a deletion was seen; clear it if the post comes back
            deleted_at = CASE WHEN excluded.deleted_at IS NULL THEN NULL
                              ELSE coalesce(post.deleted_at, excluded.deleted_at) END,
            updated_at = now()
        WHERE (post.text, post.lang, post.url, post.posted_at, post.in_reply_to,
               post.summons_business, post.private, post.raw, post.deleted_at IS NULL)
              IS DISTINCT FROM
              (excluded.text, excluded.lang, excluded.url, excluded.posted_at,
               excluded.in_reply_to, excluded.summons_business, excluded.private, excluded.raw,
               excluded.deleted_at IS NULL)
        RETURNING id, (xmax = 0) AS inserted, md5(text) AS text_md5
    )
    SELECT u.id, u.inserted, (NOT u.inserted AND o.text_md5 IS DISTINCT FROM u.text_md5)
           AS text_changed
    FROM upserted u LEFT JOIN old o ON o.id = u.id
    """
)


def upsert_people(
    session: Session, *, workspace_id: int, people: Sequence[PersonCreate], seen_at: datetime
) -> tuple[dict[tuple[str, str], int], int]:
    """Insert or refresh people; return ids by (platform, external id) and the count of new."""
    unique = list({(p.platform.value, p.external_id): p for p in people}.values())
    if not unique:
        return {}, 0
    rows = session.execute(
        UPSERT_PEOPLE,
        {
            "workspace_id": workspace_id,
            "seen_at": seen_at,
            "page": orjson.dumps(
                [
                    {
                        "platform": p.platform.value,
                        "external_id": p.external_id,
                        "handle": p.handle,
                        "display_name": p.display_name,
                        "profile_url": p.profile_url,
                        "flags": p.flags,
                    }
                    for p in unique
                ]
            ).decode(),
        },
    ).all()
    ids = {(r.platform, r.external_id): r.id for r in rows}
    return ids, sum(1 for r in rows if r.inserted)


def upsert_posts(
    session: Session, *, workspace_id: int, rows: Sequence[dict[str, Any]]
) -> list[Any]:
    """Insert new posts, update changed ones in place, leave identical ones untouched.

    Returns (id, inserted, text_changed) for each row inserted or updated; unchanged rows are
    absent.
    """
    if not rows:
        return []
    return list(
        session.execute(
            UPSERT_POSTS,
            {"workspace_id": workspace_id, "page": orjson.dumps(list(rows)).decode()},
        ).all()
    )


def forget_analyses(session: Session, *, post_ids: Sequence[int]) -> None:
    """Drop analyses of posts whose text changed, so the next pass reads the new text."""
    if post_ids:
        session.execute(delete(PostAnalysis).where(PostAnalysis.post_id.in_(post_ids)))


def count_people_posts(session: Session, *, workspace_id: int) -> tuple[int, int]:
    people = session.scalar(
        select(func.count()).select_from(Person).where(Person.workspace_id == workspace_id)
    )
    posts = session.scalar(
        select(func.count()).select_from(Post).where(Post.workspace_id == workspace_id)
    )
    return int(people or 0), int(posts or 0)


def add_account(session: Session, *, account: Account) -> Account:
    session.add(account)
    session.flush()
    return account


def find_account(
    session: Session, *, workspace_id: int, platform: Platform, handle: str
) -> Account | None:
    return session.scalar(
        select(Account).where(
            Account.workspace_id == workspace_id,
            Account.platform == platform,
            Account.handle == handle,
        )
    )


def get_account(session: Session, *, account_id: int) -> Account | None:
    return session.get(Account, account_id)


def list_accounts(session: Session, *, workspace_id: int | None = None) -> Sequence[Account]:
    query = select(Account).order_by(Account.id)
    if workspace_id is not None:
        query = query.where(Account.workspace_id == workspace_id)
    return session.scalars(query).all()


def lock_account(session: Session, *, account_id: int) -> Account | None:
    """The account row, locked until the end of the transaction (one page at a time)."""
    return session.scalar(select(Account).where(Account.id == account_id).with_for_update())


def workspace_account(session: Session, *, workspace_id: int, account_id: int) -> Account | None:
    """The account if it belongs to this workspace (another workspace's is None)."""
    return session.scalar(
        select(Account).where(Account.id == account_id, Account.workspace_id == workspace_id)
    )


def lock_workspace_account(
    session: Session, *, workspace_id: int, account_id: int
) -> Account | None:
    """The workspace's account, locked and re-read (a sync may have changed it meanwhile)."""
    return session.scalar(
        select(Account)
        .where(Account.id == account_id, Account.workspace_id == workspace_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def lock_workspace(session: Session, *, workspace_id: int) -> Workspace:
    """The workspace row, locked until commit and re-read: a writer of its knowledge waits
    for the one before and starts from what that one saved."""
    return session.execute(
        select(Workspace)
        .where(Workspace.id == workspace_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


# One sync at a time per account, whoever starts it (the worker, `rapport sync`, the accounts
# page): a second one would start from the same cursors and read, and pay for, the same posts.
SYNC_LOCK = 0x53594E43  # "SYNC"


def _sync_key(account_id: int) -> Any:
    return literal((SYNC_LOCK << 32) | (account_id & 0xFFFFFFFF), BigInteger)


def try_lock_sync(conn: Connection, *, account_id: int) -> bool:
    """Hold the account's sync lock on this connection (until `unlock_sync`); False when
    another sync holds it."""
    return bool(conn.execute(select(func.pg_try_advisory_lock(_sync_key(account_id)))).scalar())


def unlock_sync(conn: Connection, *, account_id: int) -> None:
    conn.execute(select(func.pg_advisory_unlock(_sync_key(account_id))))
