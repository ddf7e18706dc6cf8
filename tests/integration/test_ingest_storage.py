from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Person, Post, PostAnalysis
from ingest import service as ingest_service
from tests.factories import make_post_in, make_workspace


def _count(session: Session, model: type, workspace_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(model).where(model.workspace_id == workspace_id)
    )


def test_storing_the_same_page_twice_changes_nothing(session: Session) -> None:
    ws = make_workspace(session)
    page = [make_post_in(external_id=str(i), text=f"Post number {i}") for i in range(5)]

    first = ingest_service.store_posts(session, workspace_id=ws.id, posts_in=page)
    updated_at = session.scalars(select(Post.updated_at).order_by(Post.id)).all()
    second = ingest_service.store_posts(session, workspace_id=ws.id, posts_in=page)

    assert (first.posts_new, first.people_new) == (5, 1)
    assert (second.posts_new, second.posts_updated, second.posts_unchanged) == (0, 0, 5)
    assert session.scalars(select(Post.updated_at).order_by(Post.id)).all() == updated_at
    assert _count(session, Post, ws.id) == 5 and _count(session, Person, ws.id) == 1


def test_an_edit_updates_in_place_and_asks_for_a_fresh_analysis(session: Session) -> None:
    ws = make_workspace(session)
    ingest_service.store_posts(session, workspace_id=ws.id, posts_in=[make_post_in()])
    post = session.scalars(select(Post)).one()
    session.add(
        PostAnalysis(
            workspace_id=ws.id,
            post_id=post.id,
            model_version="m1",
            intent="question",
            embedding=[0.0, 1.0],
        )
    )
    session.flush()

    edited = make_post_in(text="How do I keep my rye starter alive in winter?")
    result = ingest_service.store_posts(session, workspace_id=ws.id, posts_in=[edited])

    session.expire_all()
    assert result.posts_updated == 1
    assert session.scalars(select(Post.text)).one() == edited.text
    assert session.scalar(select(func.count()).select_from(PostAnalysis)) == 0


def test_deleted_upstream_is_marked_not_removed(session: Session) -> None:
    ws = make_workspace(session)
    ingest_service.store_posts(session, workspace_id=ws.id, posts_in=[make_post_in()])
    ingest_service.store_posts(session, workspace_id=ws.id, posts_in=[make_post_in(deleted=True)])
    session.expire_all()
    post = session.scalars(select(Post)).one()
    assert post.deleted_at is not None and post.text


def test_workspaces_never_share_people_or_posts(session: Session) -> None:
    a = make_workspace(session, name="bakery-a")
    b = make_workspace(session, name="bakery-b")
    for ws in (a, b):
        ingest_service.store_posts(session, workspace_id=ws.id, posts_in=[make_post_in()])
    assert _count(session, Post, a.id) == 1 and _count(session, Post, b.id) == 1
    assert _count(session, Person, a.id) == 1 and _count(session, Person, b.id) == 1


def test_import_file_stores_good_lines_and_reports_bad_ones(
    session: Session, tmp_path: Path
) -> None:
    ws = make_workspace(session)
    path = tmp_path / "posts.jsonl"
    path.write_text(
        '{"platform": "x", "post_id": "1", "author_id": "9", "author_handle": "jamie", '
        '"text": "Open on Sunday?", "created_at": "2026-11-20T08:00:00Z"}\n'
        '{"platform": "x", "post_id": "2", "author_id": "9", "author_handle": "jamie"}\n'
        '{"platform": "x", "post_id": "3", "author_id": "9", "author_handle": "jamie", '
        '"text": "Thanks!", "created_at": "2026-11-20T09:00:00Z"}\n',
        encoding="utf-8",
    )
    report = ingest_service.import_file(session, workspace_id=ws.id, path=path)
    assert report.result.posts_new == 2 and report.result.skipped == 1
    assert report.errors[0].startswith("line 2:") and "text" in report.errors[0]


def test_sample_loads_with_its_dates_moved_to_today(session: Session) -> None:
    today = datetime(2027, 3, 1, 12, tzinfo=UTC)
    ws, result = ingest_service.load_sample(session, today=today)
    assert result.posts_new >= 350 and result.people_new == 40
    newest = session.scalar(select(func.max(Post.posted_at)).where(Post.workspace_id == ws.id))
    assert newest.date() == today.date()
    _, again = ingest_service.load_sample(session, today=today)
    assert again.posts_new == 0 and again.posts_updated == 0


def test_sample_loaded_early_in_the_day_has_no_post_in_the_future(session: Session) -> None:
    # Before the time of day of the sample's newest post, its last day ends yesterday: a demo
    # run at 06:00 shows the same queue as one at noon, not one missing the newest posts.
    early = datetime(2027, 3, 1, 6, tzinfo=UTC)
    ws, _ = ingest_service.load_sample(session, today=early)
    newest = session.scalar(select(func.max(Post.posted_at)).where(Post.workspace_id == ws.id))
    assert newest <= early
    assert newest.date() == date(2027, 2, 28)


def test_an_import_with_a_nul_and_a_latin1_line_stores_every_good_line(
    session: Session, tmp_path: Path
) -> None:
    import json

    ws = make_workspace(session)
    row = {
        "platform": "mastodon",
        "author_id": "a1",
        "author_handle": "maria@example.social",
        "created_at": "2026-11-20T09:00:00Z",
    }
    lines = [
        json.dumps({**row, "post_id": str(i), "text": f"Post {i}"}).encode() for i in range(100)
    ]
    lines[10] = lines[10].replace(b"Post", b"Po\x00st")  # a raw NUL byte
    lines[20] = lines[20].replace(b"Post", b"Po\\u0000st")  # an escaped one
    lines[30] = json.dumps({**row, "post_id": "30", "text": "Caf\u00e9"}, ensure_ascii=False)
    lines[30] = lines[30].encode("latin-1")  # type: ignore[attr-defined]
    path = tmp_path / "export.jsonl"
    path.write_bytes(b"\n".join(lines))

    report = ingest_service.import_file(session, workspace_id=ws.id, path=path)

    assert report.result.posts_new == 99 and report.result.skipped == 1
    assert report.errors == ["line 31: not UTF-8 (byte 0xe9 at column 153); save the file as UTF-8"]
    texts = {r.external_id: r.text for r in session.execute(select(Post.external_id, Post.text))}
    assert texts["10"] == "Post 10" and texts["20"] == "Post 20" and "30" not in texts


def test_a_private_mention_is_stored_private_and_an_image_post_without_words_is_kept(
    session: Session,
) -> None:
    ws = make_workspace(session)
    page = [
        make_post_in(external_id="dm", text="Can I order a cake privately?", private=True),
        make_post_in(external_id="image", text=""),
    ]
    result = ingest_service.store_posts(session, workspace_id=ws.id, posts_in=page)
    stored = {p.external_id: p for p in session.scalars(select(Post))}
    assert result.posts_new == 2
    assert stored["dm"].private and not stored["image"].private
    assert stored["image"].text == ""
    again = ingest_service.store_posts(
        session, workspace_id=ws.id, posts_in=[page[0].model_copy(update={"private": False})]
    )
    assert again.posts_updated == 1  # a change of visibility is an update like any other
