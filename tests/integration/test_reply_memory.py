"""The owner's approved replies are reused for similar posts; a gap answer becomes knowledge."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from analysis import service as analysis_service
from core.models import Occasion, Platform, SuggestionStatus
from ingest.schemas import PersonCreate
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


def _answered_then_asked_again(  # noqa: ANN202
    session: Session,
    analyzer,  # noqa: ANN001
    *,
    first: str,
    owner_words: str,
    second: str,
    summons: bool = False,
):
    """Maria asks, the owner sends `owner_words`; a day later Dougie asks `second`."""
    ws = make_workspace(session, knowledge=KNOWLEDGE, helps_with=SAMPLE.helps_with)
    make_post(
        session,
        workspace_id=ws.id,
        external_id="1",
        text=first,
        summons_business=summons,
        posted_at=NOW - timedelta(hours=40),
    )
    _run(session, analyzer, ws)
    [card] = suggest_queue.queue(session, workspace_id=ws.id)
    suggest_queue.decide(
        session,
        workspace=ws,
        suggestion_id=card.id,
        decision_in=Decision(action="approve", final_text=owner_words),
        now=NOW - timedelta(hours=30),
    )
    dougie = PersonCreate(
        platform=Platform.MASTODON,
        external_id="2002",
        handle="dougie@example.social",
        display_name="Dougie Fraser",
    )
    make_post(
        session,
        workspace_id=ws.id,
        external_id="2",
        author=dougie,
        text=second,
        summons_business=summons,
        posted_at=NOW - timedelta(hours=1),
    )
    _run(session, analyzer, ws)
    [again] = suggest_queue.queue(session, workspace_id=ws.id)
    return again


def test_a_similar_post_starts_from_what_the_owner_sent(session: Session, analyzer) -> None:  # noqa: ANN001
    again = _answered_then_asked_again(
        session,
        analyzer,
        first="Is it daft to keep bread in the fridge? Mine goes hard.",
        owner_words=(
            "Not daft at all, Maria, but the fridge actually makes it stale faster. "
            "Slice and freeze it after two days instead."
        ),
        second="Is it daft to keep my bread in the fridge? It goes hard so fast.",
    )
    # The owner's words, to Dougie this time.
    assert again.draft == (
        "Not daft at all, Dougie, but the fridge actually makes it stale faster. "
        "Slice and freeze it after two days instead."
    )
    assert again.based_on and "maria@example.social" in again.based_on


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
    assert {"title": "Vegan options", "text": answer, "tags": []} in ws.knowledge
    gaps = suggest_queue.knowledge_gaps(session, workspace_id=ws.id, since=NOW - timedelta(days=7))
    assert gaps[0].answered


def test_a_question_the_owner_answered_before_gets_their_answer_as_a_draft(
    session: Session,
    analyzer,  # noqa: ANN001
) -> None:
    again = _answered_then_asked_again(
        session,
        analyzer,
        first="@testbakery are your cinnamon knots vegan?",
        owner_words="Not yet, Maria: the knots are made with butter. Sorry!",
        second="@testbakery are the cinnamon knots vegan??",
        summons=True,
    )
    # The first was a card (no knowledge answers it); the owner's answer makes this a draft.
    assert again.occasion == Occasion.ANSWER
    assert again.draft == "Not yet, Dougie: the knots are made with butter. Sorry!"
    assert again.based_on
