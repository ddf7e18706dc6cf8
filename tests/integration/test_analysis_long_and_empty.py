"""A huge post is read by its start and stored whole; a post with no words is kept, not read."""

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from analysis import service as analysis_service
from analysis.service import READ_CHARS, Analyzer, analyse_pending, capped
from core.models import Post, PostAnalysis
from tests.factories import make_post, make_workspace
from tests.fakes import HashEmbedder


def test_readers_see_the_start_of_a_huge_post_and_the_whole_text_is_kept(
    session: Session,
) -> None:
    ws = make_workspace(session)
    opening = "Is the café open on Sunday? My starter died and I need rye flour. "
    huge = opening + "word " * 200_000  # about 1 MB
    make_post(session, workspace_id=ws.id, external_id="big", text=huge)
    analyzer = Analyzer(HashEmbedder(), heads=None)

    analyse_pending(session, workspace_id=ws.id, analyzer=analyzer)

    stored = session.scalars(select(Post).where(Post.external_id == "big")).one()
    assert stored.text == huge  # nothing cut from what is stored
    reading = session.scalars(select(PostAnalysis).where(PostAnalysis.post_id == stored.id)).one()
    assert reading.has_question  # the question at the start was read
    assert reading.embedding == pytest.approx(analyzer.read([capped(huge)])[0].embedding, abs=1e-6)


def test_the_cap_cuts_at_a_space_and_leaves_short_posts_alone() -> None:
    short = "Flat loaf again. What am I doing wrong?"
    assert capped(short) == short
    long = "sourdough " * (READ_CHARS // 5)
    cut = capped(long)
    assert len(cut) <= READ_CHARS and long.startswith(cut) and not cut.endswith("sourd")
    assert analysis_service.READ_CHARS == READ_CHARS


def test_posts_without_words_are_kept_and_skipped_by_analysis(session: Session) -> None:
    ws = make_workspace(session)
    make_post(session, workspace_id=ws.id, external_id="image", text="")
    make_post(session, workspace_id=ws.id, external_id="sticker", text="  🎉 ")
    make_post(session, workspace_id=ws.id, external_id="words", text="Lovely rye today")

    analyse_pending(session, workspace_id=ws.id, analyzer=Analyzer(HashEmbedder(), heads=None))

    read = set(
        session.scalars(
            select(Post.external_id).join(PostAnalysis, PostAnalysis.post_id == Post.id)
        )
    )
    kept = set(session.scalars(select(Post.external_id).where(Post.workspace_id == ws.id)))
    assert read == {"words"}
    assert kept == {"image", "sticker", "words"}
