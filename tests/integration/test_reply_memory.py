"""The owner's approved replies are reused for similar posts; a gap answer becomes knowledge."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from analysis import service as analysis_service
from core.models import Occasion, SuggestionStatus
from ingest.service import sample_definition
from suggest import queue as suggest_queue
from suggest import service as suggest_service
from suggest.schemas import Decision
from tests.factories import make_post, make_workspace

pytestmark = pytest.mark.model
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SAMPLE = sample_definition()
KNOWLEDGE = [k.model_dump() for k in SAMPLE.knowledge]


def _run(session: Session, analyzer, workspace):  # noqa: ANN001, ANN202
    analysis_service.analyse_pending(session, workspace_id=workspace.id, analyzer=analyzer)
    return suggest_service.suggest_for_workspace(
        session,
        workspace=workspace,
        embedder=analyzer.embedder,
        model_version=analyzer.model_version,
        now=NOW,
    )


def test_a_similar_post_starts_from_what_the_owner_sent(session: Session, analyzer) -> None:  # noqa: ANN001
    ws = make_workspace(session, knowledge=KNOWLEDGE, helps_with=SAMPLE.helps_with)
    make_post(
        session,
        workspace_id=ws.id,
        external_id="1",
        text="Is it daft to keep bread in the fridge? Mine goes hard.",
        posted_at=NOW - timedelta(hours=30),
    )
    _run(session, analyzer, ws)
    [first] = suggest_queue.queue(session, workspace_id=ws.id)
    owner_words = (
        "Not daft at all, Maria, but the fridge actually makes it stale faster. "
        "Slice and freeze it after two days instead."
    )
    suggest_queue.decide(
        session,
        workspace=ws,
        suggestion_id=first.id,
        decision_in=Decision(action="approve", final_text=owner_words),
        now=NOW - timedelta(hours=20),
    )
    make_post(
        session,
        workspace_id=ws.id,
        external_id="2",
        author_id="2002",
        handle="dougie@example.social",
        text="Is it daft to keep my bread in the fridge? It goes hard so fast.",
        posted_at=NOW - timedelta(hours=2),
    )
    _run(session, analyzer, ws)
    [second] = suggest_queue.queue(session, workspace_id=ws.id)
    # The factory names every author Maria, so the owner's words carry over unchanged.
    assert second.draft == owner_words
    assert second.based_on and "maria@example.social" in second.based_on


def test_an_answer_to_a_gap_can_be_kept_as_knowledge(session: Session, analyzer) -> None:  # noqa: ANN001
    ws = make_workspace(session, knowledge=KNOWLEDGE, helps_with=SAMPLE.helps_with)
    make_post(
        session,
        workspace_id=ws.id,
        text="@testbakery are your cinnamon knots vegan?",
        summons_business=True,
        posted_at=NOW - timedelta(hours=3),
    )
    _run(session, analyzer, ws)
    [card] = suggest_queue.queue(session, workspace_id=ws.id)
    assert card.occasion == Occasion.KNOWLEDGE_GAP and card.draft == ""
    gaps = suggest_queue.knowledge_gaps(session, workspace_id=ws.id, since=NOW - timedelta(days=7))
    assert [g.question for g in gaps] == ["@testbakery are your cinnamon knots vegan?"]
    answer = "Not yet: the knots are made with butter. Our oat scones are vegan."
    decided = suggest_queue.decide(
        session,
        workspace=ws,
        suggestion_id=card.id,
        decision_in=Decision(
            action="approve", final_text=answer, save_as_knowledge="Vegan options"
        ),
    )
    assert decided.status == SuggestionStatus.EDITED
    assert {"title": "Vegan options", "text": answer} in ws.knowledge
    gaps = suggest_queue.knowledge_gaps(session, workspace_id=ws.id, since=NOW - timedelta(days=7))
    assert gaps[0].answered


def test_a_question_the_owner_answered_before_gets_their_answer_as_a_draft(
    session: Session,
    analyzer,  # noqa: ANN001
) -> None:
    ws = make_workspace(session, knowledge=KNOWLEDGE, helps_with=SAMPLE.helps_with)
    make_post(
        session,
        workspace_id=ws.id,
        external_id="1",
        text="@testbakery are your cinnamon knots vegan?",
        summons_business=True,
        posted_at=NOW - timedelta(hours=40),
    )
    _run(session, analyzer, ws)
    [card] = suggest_queue.queue(session, workspace_id=ws.id)
    answer = "Not yet, Maria: the knots are made with butter. Sorry!"
    suggest_queue.decide(
        session,
        workspace=ws,
        suggestion_id=card.id,
        decision_in=Decision(action="approve", final_text=answer),
        now=NOW - timedelta(hours=30),
    )
    make_post(
        session,
        workspace_id=ws.id,
        external_id="2",
        author_id="2002",
        handle="ana@example.social",
        text="@testbakery are the cinnamon knots vegan??",
        summons_business=True,
        posted_at=NOW - timedelta(hours=1),
    )
    _run(session, analyzer, ws)
    [second] = suggest_queue.queue(session, workspace_id=ws.id)
    assert second.occasion == Occasion.ANSWER and second.draft == answer
    assert second.based_on
