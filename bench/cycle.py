"""The daily cycle of one workspace at scale: ingest → analyse → profiles → suggest.

A synthetic workspace (the sample business's knowledge) with PEOPLE people posting POSTS times
each in the last day goes through the same stage functions as `rapport run` and the job worker
(`service.pipeline.CYCLE`). Each stage's time is printed with its share of the cycle and as a
multiple of the bare embedder (the same texts through `embedder.encode`, measured in the same
run): the floor no analysis can go below.

    .venv/bin/python -m bench.cycle [--people 5000] [--posts 3]
Uses RAPPORT_DATABASE_URL (a server where it may create a database) when set, else the
embedded PostgreSQL in a temporary data directory.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import psycopg
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from bench import databases
from core import migrate
from core.database import libpq_url, open_database, session_scope
from core.models import Interest, PostAnalysis, Suggestion
from core.settings import Settings
from ingest import repository as ingest_repository
from ingest import service as ingest_service
from ingest import workspaces
from ingest.schemas import PersonCreate, PostCreate
from service import pipeline

PAGE = 1000
FIRST = ["Maria", "Dougie", "Aisha", "Tom", "Priya", "Sam", "Fiona", "Will", "Jamie", "Hannah"]
# What people around a bakery-café post about, with slots filled at random: questions the
# knowledge answers, questions it does not, milestones, worries, thanks, complaints, chatter.
TEMPLATES = [
    "@crumbandkettle are you open on {day}? Want to bring my {who} for {food}",
    "Does anyone know a good place for {food} near {place}?",
    "How do I stop my {food} going stale so fast? It's hard by {day}",
    "Finally got my {thing} to work after {n} tries, so proud!",
    "Nervous about {event} on {day}, wish me luck",
    "{event} went really well, thank you all for the kind words",
    "Thanks @crumbandkettle, the {food} was lovely this morning",
    "@crumbandkettle waited {n} minutes for a {drink} today, not great",
    "Walked the dog along {place} in the rain, {drink} needed",
    "Anyone got tips for keeping a sourdough starter warm in {month}?",
    "Can I bring my laptop on a {day} afternoon @crumbandkettle?",
    "Watching the match tonight with {who}, {food} sorted",
    "Our {who} turned {n} today! Cake was a hit",
    "Reading a great book about {thing}, highly recommend",
]
SLOTS = {
    "day": ["Sunday", "Saturday", "Monday", "Friday"],
    "who": ["mum", "kids", "partner", "gran", "team"],
    "food": ["sourdough", "cake", "scones", "rye bread", "croissants", "soup"],
    "place": ["Leith", "the Shore", "Portobello", "Stockbridge"],
    "thing": ["starter", "bread machine", "knitting project", "garden", "bike"],
    "event": ["my surgery", "the job interview", "my driving test", "the exam"],
    "drink": ["flat white", "hot chocolate", "tea", "latte"],
    "month": ["December", "January", "winter"],
    "n": [str(i) for i in range(2, 40)],
}


def make_posts(people: int, per_person: int, now: datetime, seed: int = 7) -> list[PostCreate]:
    """`people` authors with `per_person` posts each, spread over the day before `now`."""
    rng = random.Random(seed)
    posts = []
    for p in range(people):
        author = PersonCreate(
            platform="mastodon",
            external_id=f"bench-{p}",
            handle=f"person{p}@bench.social",
            display_name=f"{rng.choice(FIRST)} {p}",
        )
        for k in range(per_person):
            template = rng.choice(TEMPLATES)
            text = template.format(**{s: rng.choice(v) for s, v in SLOTS.items()})
            posts.append(
                PostCreate(
                    platform="mastodon",
                    external_id=f"bench-{p}-{k}",
                    author=author,
                    text=text,
                    lang="en",
                    posted_at=now - timedelta(minutes=rng.randint(5, 24 * 60)),
                    summons_business="@crumbandkettle" in text,
                )
            )
    return posts


def _timed(fn: Callable[[], object]) -> float:
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--posts", type=int, default=3, help="posts per person")
    args = parser.parse_args()

    admin = databases.server_url()
    url = databases.fresh_database(admin)
    name = make_url(url).database
    settings = Settings(_env_file=None, database_url=url)
    db = open_database(settings)
    try:
        with db.engine.begin() as conn:
            migrate.upgrade(conn)
        now = datetime.now(UTC)
        posts = make_posts(args.people, args.posts, now)
        with session_scope(db) as session:
            ws = ingest_repository.upsert_workspace(
                session, values=workspaces.columns(ingest_service.sample_definition())
            )
            workspace, workspace_id = ws.name, ws.id

        resources = pipeline.Resources(settings, db)
        load = _timed(lambda: resources.analyzer)
        embedder = resources.analyzer.embedder
        texts = [p.text for p in posts]
        bare = _timed(lambda: embedder.encode(texts))

        def ingest() -> None:
            for start in range(0, len(posts), PAGE):
                with session_scope(db) as session:
                    ingest_service.store_posts(
                        session, workspace_id=workspace_id, posts_in=posts[start : start + PAGE]
                    )

        run = pipeline.start(db, workspace_name=workspace, now=now)
        report = pipeline.PipelineReport()
        times = {"ingest": _timed(ingest)}

        def silent(stage: str, total: int | None, n: int) -> None:
            pass

        for stage in pipeline.CYCLE:
            times[stage.task.split(":")[1]] = _timed(
                lambda s=stage: s.run(resources, run, report, silent)  # type: ignore[misc]
            )
        with session_scope(db) as session:
            counts = {
                m.__tablename__: session.scalar(select(func.count()).select_from(m))
                for m in (PostAnalysis, Interest, Suggestion)
            }
    finally:
        db.close()
        with psycopg.connect(libpq_url(admin), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')

    total = sum(times.values())
    n = len(posts)
    print(f"{args.people} people × {args.posts} posts = {n} posts; model load {load:.1f} s")
    print(f"stored: {counts}; {report.suggestions.created} suggestions created")
    print(f"bare embedder (same texts): {bare:8.1f} s  {n / bare:8.0f} posts/s")
    print(f"{'stage':<20}{'seconds':>9}{'share':>8}{'× bare embedder':>17}{'posts/s':>10}")
    for stage, seconds in times.items():
        print(
            f"{stage:<20}{seconds:9.1f}{seconds / total:8.0%}{seconds / bare:17.2f}"
            f"{n / seconds:10.0f}"
        )
    print(f"{'cycle':<20}{total:9.1f}{1:8.0%}{total / bare:17.2f}{n / total:10.0f}")


if __name__ == "__main__":
    main()
