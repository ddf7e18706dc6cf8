"""Analyses are keyed by post and model version: a re-run reads nothing, an upgrade reads all."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from analysis.service import Analyzer, analyse_pending, update_profiles
from core.models import Interest, PostAnalysis
from tests.factories import make_post, make_workspace
from tests.fakes import HashEmbedder


class UpgradedEmbedder(HashEmbedder):
    model_id = "hash-64-v2"


def _stored(session: Session, model_version: str) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(PostAnalysis)
            .where(PostAnalysis.model_version == model_version)
        )
        or 0
    )


def test_a_rerun_reads_nothing_and_a_new_model_reads_every_post_again(session: Session) -> None:
    ws = make_workspace(session)
    texts = [
        "How do I keep my sourdough starter alive?",
        "Baked my first rye loaf today, so proud!",
        "Any tips for a crispier crust on sourdough?",
    ]
    for i, text in enumerate(texts):
        make_post(session, workspace_id=ws.id, external_id=str(i), text=text)
    current = Analyzer(HashEmbedder(), heads=None)
    batches: list[int] = []

    touched = analyse_pending(
        session, workspace_id=ws.id, analyzer=current, batch_size=2, on_batch=batches.append
    )
    assert batches == [2, 1] and len(touched) == 1
    assert _stored(session, current.model_version) == 3

    assert analyse_pending(session, workspace_id=ws.id, analyzer=current) == set()
    assert _stored(session, current.model_version) == 3

    upgraded = Analyzer(UpgradedEmbedder(), heads=None)
    assert upgraded.model_version != current.model_version
    assert len(analyse_pending(session, workspace_id=ws.id, analyzer=upgraded)) == 1
    assert _stored(session, upgraded.model_version) == 3
    assert analyse_pending(session, workspace_id=ws.id, analyzer=upgraded) == set()

    # Profiles are built from the readings of the model in use, and from no other model's.
    update_profiles(session, workspace_id=ws.id, model_version="a-model-that-never-ran")
    assert session.scalar(select(func.count()).select_from(Interest)) == 0
    update_profiles(session, workspace_id=ws.id, model_version=upgraded.model_version)
    assert session.scalar(select(func.count()).select_from(Interest)) > 0
