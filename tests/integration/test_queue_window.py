"""Which posts the morning queue looks at: the last three days, and a week for posts that speak
to the business (a mention left unanswered is still someone waiting)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from analysis import service as analysis_service
from ingest.service import sample_definition
from suggest import queue as suggest_queue
from suggest import service as suggest_service
from tests.factories import make_post, make_workspace

pytestmark = pytest.mark.model
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SAMPLE = sample_definition()


def test_a_mention_five_days_old_still_gets_a_card_and_other_posts_do_not(
    session: Session,
    analyzer,  # noqa: ANN001
) -> None:
    ws = make_workspace(
        session, knowledge=[k.model_dump() for k in SAMPLE.knowledge], helps_with=SAMPLE.helps_with
    )
    # (who, what they wrote, to the business, days ago)
    posts = [
        (
            "sofia_bakes",
            "@crumbandkettle vocês têm pão sem glúten? A minha irmã vem visitar e é celíaca.",
            True,
            5,
        ),
        (
            "dougie@mastodon.scot",
            "Is it daft to keep bread in the fridge? Mine goes hard but I hate mouldy bread.",
            False,
            5,
        ),
        ("kirsty@mastodon.scot", "@crumbandkettle what time do you open on Sundays?", True, 8),
        # a hostile note asks too, but nobody is waiting on its answer
        (
            "gordon@mastodon.scot",
            "@crumbandkettle £4 for a loaf of bread? Get a grip, absolute rip-off merchants.",
            True,
            5,
        ),
        (
            "mhairi@mastodon.scot",
            "Is there a simple no-knead bread recipe that works for my class of 7-year-olds?",
            False,
            0.1,
        ),
    ]
    for i, (handle, text, to_us, days) in enumerate(posts):
        make_post(
            session,
            workspace_id=ws.id,
            external_id=str(i),
            author_id=handle,
            handle=handle,
            text=text,
            summons_business=to_us,
            posted_at=NOW - timedelta(days=days),
        )
    analysis_service.analyse_pending(session, workspace_id=ws.id, analyzer=analyzer)
    suggest_service.suggest_for_workspace(
        session,
        workspace=ws,
        embedder=analyzer.embedder,
        model_version=analyzer.model_version,
        now=NOW,
    )
    cards = suggest_queue.queue(session, workspace_id=ws.id)
    # a question put to the business five days ago comes before this morning's question to
    # nobody in particular: it has not grown less pressing by waiting (a hostile one has)
    assert [c.person_handle for c in cards] == [
        "sofia_bakes",
        "mhairi@mastodon.scot",
        "gordon@mastodon.scot",
    ]
    note = cards[0].rationale
    assert "Portuguese" in note and "5 days ago and are still waiting" in note
    assert "they asked you directly" in note  # not "reply yourself or leave it"
    # what the owner may start from, though nobody here reads Portuguese
    assert "Words it shares with your knowledge: “Wheat-free and gluten-free” (gluten)" in note
    assert "not safe for people with coeliac disease or a wheat allergy.”" in note
    assert "”." not in note
    assert "Flour for beginners" not in note  # says "gluten" only in passing
