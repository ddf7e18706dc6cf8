"""Ingest logic: store pages of posts idempotently, import files, load the sample workspace."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pydantic import BaseModel
from sqlalchemy.orm import Session

from core.logging import get_logger
from core.models import Workspace
from ingest import repository, workspaces
from ingest.connectors import FileConnector
from ingest.schemas import PostCreate, StoreResult, WorkspaceFile

log = get_logger(__name__)

SAMPLE_DIR = Path(__file__).parent / "sample"
SAMPLE_POSTS = SAMPLE_DIR / "posts.jsonl"
SAMPLE_WORKSPACE = SAMPLE_DIR / "workspace.yaml"


class ImportReport(BaseModel):
    result: StoreResult
    errors: list[str]


def store_posts(
    session: Session, *, workspace_id: int, posts_in: Iterable[PostCreate]
) -> StoreResult:
    """Upsert the authors and posts of one page; edits update in place, repeats change nothing."""
    posts = list({(p.platform.value, p.external_id): p for p in posts_in}.values())
    result = StoreResult()
    if not posts:
        return result
    now = datetime.now(UTC)
    person_ids, result.people_new = repository.upsert_people(
        session, workspace_id=workspace_id, people=[p.author for p in posts], seen_at=now
    )
    rows = [
        {
            "person_id": person_ids[(p.platform.value, p.author.external_id)],
            "platform": p.platform.value,
            "external_id": p.external_id,
            "text": p.text,
            "lang": p.lang,
            "url": p.url,
            "posted_at": p.posted_at,
            "in_reply_to": p.in_reply_to,
            "summons_business": p.summons_business,
            "private": p.private,
            "raw": p.raw,
            "deleted_at": now if p.deleted else None,
        }
        for p in posts
    ]
    written = repository.upsert_posts(session, workspace_id=workspace_id, rows=rows)
    result.posts_new = sum(1 for r in written if r.inserted)
    result.posts_updated = len(written) - result.posts_new
    result.posts_unchanged = len(posts) - len(written)
    text_changed = [r.id for r in written if r.text_changed]
    repository.forget_analyses(session, post_ids=text_changed)
    return result


def import_file(
    session: Session,
    *,
    workspace_id: int,
    path: Path,
    on_page: Callable[[int], None] | None = None,
) -> ImportReport:
    """Store every valid line of an export file; report malformed lines by number."""
    result, errors = StoreResult(), []
    for page in FileConnector(path).pages():
        result.add(store_posts(session, workspace_id=workspace_id, posts_in=page.posts))
        result.skipped += len(page.errors)
        errors.extend(page.errors)
        if on_page:
            on_page(len(page.posts) + len(page.errors))
        session.flush()
    log.info("ingest.file.done", file=path.name, **result.model_dump())
    return ImportReport(result=result, errors=errors)


def get_workspace(session: Session, *, name: str) -> Workspace:
    return workspaces.get(session, name=name)


def get_or_create_workspace(session: Session, *, name: str) -> tuple[Workspace, bool]:
    workspace = repository.get_workspace(session, name=name)
    if workspace is not None:
        return workspace, False
    return repository.create_workspace(session, name=workspaces.valid_name(name)), True


def sample_definition() -> WorkspaceFile:
    """The bundled sample business (ingest/sample/workspace.yaml)."""
    return workspaces.parse(SAMPLE_WORKSPACE.read_text(encoding="utf-8"))


def sample_workspace() -> Workspace:
    """The sample workspace as an unsaved row, for benchmarks and dry runs."""
    return Workspace(**workspaces.columns(sample_definition()), drafting_backend="composer")


def sample_posts(*, today: datetime) -> list[PostCreate]:
    """The bundled posts, moved in time by whole days so that the newest is as recent as it can
    be without lying in the future (so that loading twice on one day stores identical rows,
    unless the clock passes the newest post's time of day in between)."""
    from ingest.connectors.file import FileRow

    rows = [
        FileRow.model_validate(json.loads(line))
        for line in SAMPLE_POSTS.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    last = max(r.created_at for r in rows)
    shift = timedelta(days=(today.date() - last.date()).days)
    if last + shift > today:
        # Early in the day the last day's posts would lie in the future: end on yesterday.
        shift -= timedelta(days=1)
    posts = []
    for row in rows:
        row.created_at += shift
        posts.append(row.to_post(row.model_dump(mode="json")))
    return posts


def load_sample(session: Session, *, today: datetime) -> tuple[Workspace, StoreResult]:
    """Create or refresh the sample workspace and its people and posts."""
    workspace = repository.upsert_workspace(session, values=workspaces.columns(sample_definition()))
    result = store_posts(session, workspace_id=workspace.id, posts_in=sample_posts(today=today))
    return workspace, result
