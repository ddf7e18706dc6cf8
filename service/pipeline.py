"""Run the stages in order for one workspace: analyse new posts, refresh profiles, suggest."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pydantic import BaseModel

from analysis import repository as analysis_repository
from analysis import service as analysis_service
from analysis.models import load_embedder, load_replacement_models
from core.database import Database, session_scope
from core.settings import Settings
from ingest import service as ingest_service
from suggest import service as suggest_service
from suggest.backends import ComposerDrafter, Drafter, drafter_for
from suggest.promotional import PromotionalClassifier
from suggest.schemas import SuggestResult


@dataclass
class Resources:
    """What a process needs to run the pipeline; models load on first use, once."""

    settings: Settings
    db: Database
    _analyzer: analysis_service.Analyzer | None = field(default=None, repr=False)
    _promotional: PromotionalClassifier | None = field(default=None, repr=False)

    def drafter(self, backend: str) -> Drafter:
        """The drafting backend a workspace chose (composer when none is configured)."""
        return drafter_for(backend, self.settings) if self.settings else ComposerDrafter()

    @property
    def promotional(self) -> PromotionalClassifier:
        if self._promotional is None:
            self._promotional = PromotionalClassifier(self.analyzer.embedder)
        return self._promotional

    @property
    def analyzer(self) -> analysis_service.Analyzer:
        if self._analyzer is None:
            self._analyzer = load_analyzer(self.settings)
        return self._analyzer


def load_analyzer(settings: Settings) -> analysis_service.Analyzer:
    """The configured embedder, heads and optional replacement models, loaded once."""
    return analysis_service.Analyzer(
        load_embedder(settings), replacements=load_replacement_models(settings)
    )


class PipelineReport(BaseModel):
    analysed: int
    profiles: int
    suggestions: SuggestResult


Progress = Callable[[str, int | None, int], None]
"""progress(stage, total or None, advance)."""


def run(
    resources: Resources,
    *,
    workspace_name: str,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> PipelineReport:
    """Analyse what is new, update the people it touched, then queue today's suggestions.

    Each stage commits on its own, so a crash loses at most the stage in flight.
    """
    now = now or datetime.now(UTC)

    def report(stage: str, total: int | None, n: int) -> None:
        if progress:
            progress(stage, total, n)

    db, analyzer = resources.db, resources.analyzer
    with session_scope(db) as session:
        workspace = ingest_service.get_workspace(session, name=workspace_name)
        todo = analysis_repository.count_to_analyse(
            session, workspace_id=workspace.id, model_version=analyzer.model_version
        )
    report("Reading posts", todo, 0)
    with session_scope(db) as session:
        touched = analysis_service.analyse_pending(
            session,
            workspace_id=workspace.id,
            analyzer=analyzer,
            on_batch=lambda n: report("Reading posts", todo, n),
        )
    with session_scope(db) as session:
        profiles = (
            analysis_service.update_profiles(
                session,
                workspace_id=workspace.id,
                model_version=analyzer.model_version,
                person_ids=sorted(touched),
                now=now,
            )
            if touched
            else 0
        )
    report("Drafting replies", None, 0)
    with session_scope(db) as session:
        suggestions = suggest_service.suggest_for_workspace(
            session,
            workspace=workspace,
            embedder=analyzer.embedder,
            model_version=analyzer.model_version,
            now=now,
            on_draft=lambda n: report("Drafting replies", None, n),
            drafter=resources.drafter(workspace.drafting_backend),
            promotional=resources.promotional,
        )
    return PipelineReport(analysed=todo, profiles=profiles, suggestions=suggestions)
