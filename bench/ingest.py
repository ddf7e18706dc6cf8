"""Storing normalized posts: Rapport's bulk upsert vs a naive one-row-at-a-time ORM insert.

Prints posts/s for: first ingest of N posts, re-ingest of the same N (must change no row), and
the naive baseline on a slice, all in one run on one database, and their ratios.

    .venv/bin/python -m bench.ingest [--posts 100000] [--naive 5000]
Uses RAPPORT_DATABASE_URL when set, else the embedded PostgreSQL (in a temporary data dir).
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime, timedelta

import psycopg
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bench import databases
from core import migrate
from core.database import libpq_url, sqlalchemy_url
from core.models import Person, Platform, Post
from ingest import repository
from ingest.schemas import PersonCreate, PostCreate
from ingest.service import store_posts

PAGE = 5000


def make_posts(n: int, people: int = 2000) -> list[PostCreate]:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    authors = [
        PersonCreate(
            platform=Platform.MASTODON,
            external_id=str(i),
            handle=f"p{i}@bench.social",
            display_name=f"Person {i}",
        )
        for i in range(people)
    ]
    return [
        PostCreate(
            platform=Platform.MASTODON,
            external_id=str(10_000_000 + i),
            author=authors[i % people],
            text=f"Post {i}: trying a new sourdough recipe with {i % 7} g of salt, any tips?",
            posted_at=start + timedelta(seconds=i),
            lang="en",
            url=f"https://bench.social/@p{i % people}/{10_000_000 + i}",
            raw={"id": str(10_000_000 + i), "content": f"<p>Post {i}</p>"},
        )
        for i in range(n)
    ]


def bulk(engine, workspace_id: int, posts: list[PostCreate]) -> float:  # noqa: ANN001
    began = time.perf_counter()
    for start in range(0, len(posts), PAGE):
        with Session(engine) as session:
            store_posts(session, workspace_id=workspace_id, posts_in=posts[start : start + PAGE])
            session.commit()
    return time.perf_counter() - began


def naive(engine, workspace_id: int, posts: list[PostCreate]) -> float:  # noqa: ANN001
    """What a first version usually does: look up, then add and commit one row at a time."""
    began = time.perf_counter()
    with Session(engine) as session:
        for p in posts:
            person = session.scalar(
                select(Person).where(
                    Person.workspace_id == workspace_id,
                    Person.platform == p.platform,
                    Person.external_id == p.author.external_id,
                )
            )
            if person is None:
                person = Person(
                    workspace_id=workspace_id,
                    platform=p.platform,
                    external_id=p.author.external_id,
                    handle=p.author.handle,
                    display_name=p.author.display_name,
                    flags={},
                )
                session.add(person)
                session.flush()
            exists = session.scalar(
                select(Post.id).where(
                    Post.workspace_id == workspace_id,
                    Post.platform == p.platform,
                    Post.external_id == p.external_id,
                )
            )
            if exists is None:
                session.add(
                    Post(
                        workspace_id=workspace_id,
                        person_id=person.id,
                        platform=p.platform,
                        external_id=p.external_id,
                        text=p.text,
                        lang=p.lang,
                        url=p.url,
                        posted_at=p.posted_at,
                        summons_business=False,
                        raw=p.raw,
                    )
                )
                session.commit()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--naive", type=int, default=5_000, help="posts for the naive baseline")
    args = parser.parse_args()

    admin = databases.server_url()
    url = databases.fresh_database(admin)
    engine = create_engine(sqlalchemy_url(url))
    with engine.begin() as conn:
        migrate.upgrade(conn)
    with Session(engine) as session:
        ws_bulk = repository.create_workspace(session, name="bench-bulk").id
        ws_naive = repository.create_workspace(session, name="bench-naive").id
        session.commit()

    posts = make_posts(args.posts)
    first = bulk(engine, ws_bulk, posts)
    with Session(engine) as session:
        before = session.scalar(select(func.max(Post.updated_at)))
    again = bulk(engine, ws_bulk, posts)
    with Session(engine) as session:
        after = session.scalar(select(func.max(Post.updated_at)))
        stored = session.scalar(select(func.count()).where(Post.workspace_id == ws_bulk))
    slow = naive(engine, ws_naive, posts[: args.naive])

    rate_first, rate_again = args.posts / first, args.posts / again
    rate_naive = args.naive / slow
    print(
        f"posts stored: {stored} (expected {args.posts}); re-ingest changed rows: "
        f"{'no' if before == after else 'YES'}"
    )
    print(f"bulk upsert, first ingest : {rate_first:10,.0f} posts/s ({first:.1f} s)")
    print(f"bulk upsert, re-ingest    : {rate_again:10,.0f} posts/s ({again:.1f} s)")
    print(f"naive ORM, one at a time  : {rate_naive:10,.0f} posts/s ({args.naive} posts)")
    print(f"ratio bulk/naive          : {rate_first / rate_naive:10.1f}x")
    print(f"ratio re-ingest/first     : {rate_again / rate_first:10.2f}x")
    engine.dispose()
    with psycopg.connect(libpq_url(admin), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{make_url(url).database}"')


if __name__ == "__main__":
    main()
