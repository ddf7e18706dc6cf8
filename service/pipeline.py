"""The daily cycle of one workspace, defined once: analyse → profiles → suggest.

`CYCLE` is the only orchestration. The job worker runs each stage as a job that queues the next
one (`service.jobs`); `rapport run` and `rapport demo` run the same stages inline, in the same
order, through the same functions (`run`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, Field

from analysis import service as analysis_service
from analysis import tasks as analysis_tasks
from analysis.models import load_embedder, load_replacement_models
from core import metrics
from core.database import Database, session_scope
from core.logging import get_logger
from core.settings import Settings
from ingest import service as ingest_service
from suggest import tasks as suggest_tasks
from suggest.backends import ComposerDrafter, Drafter, drafter_for
from suggest.promotional import PromotionalClassifier
from suggest.schemas import SuggestResult

log = get_logger(__name__)


@dataclass
class Resources:
    """What a process needs to run the cycle; models load on first use, once."""

    settings: Settings
    db: Database
    _analyzer: analysis_service.Analyzer | None = field(default=None, repr=False)
    _promotional: PromotionalClassifier | None = field(default=None, repr=False)
    _no_promotional: bool = field(default=False, repr=False)

    def drafter(self, backend: str) -> Drafter:
        """The drafting backend a workspace chose (composer when none is configured)."""
        return drafter_for(backend, self.settings) if self.settings else ComposerDrafter()

    @property
    def promotional(self) -> PromotionalClassifier | None:
        """The learned second opinion of the guard; None for an embedder it was not trained on
        (the guard's rules still apply)."""
        if self._promotional is None and not self._no_promotional:
            try:
                self._promotional = PromotionalClassifier(self.analyzer.embedder)
            except ValueError as exc:
                log.warning("suggest.promotional.unavailable", reason=str(exc))
                self._no_promotional = True
        return self._promotional

    @property
    def analyzer(self) -> analysis_service.Analyzer:
        if self._analyzer is None:
            self._analyzer = load_analyzer(self.settings)
        return self._analyzer


def load_analyzer(settings: Settings) -> analysis_service.Analyzer:
    """The configured embedder, heads and optional replacement models, loaded once."""
    started = time.perf_counter()
    analyzer = analysis_service.Analyzer(
        load_embedder(settings), replacements=load_replacement_models(settings)
    )
    metrics.MODEL_LOAD_SECONDS.set(time.perf_counter() - started)
    return analyzer


@dataclass(frozen=True)
class CycleRun:
    """One run of the cycle for one workspace: what each of its stages is told."""

    workspace: str
    since: datetime
    """When the run was asked for, by the database's clock: profiles are rebuilt for everyone
    whose posts were read since then (so a retried run still covers what its first try read)."""
    now: datetime | None = None
    """The clock profiles and suggestions are computed at; None means the wall clock."""

    def job_args(self) -> dict[str, str]:
        return {"workspace": self.workspace, "since": self.since.isoformat()}

    @classmethod
    def from_job_args(cls, *, workspace: str, since: str) -> CycleRun:
        return cls(workspace=workspace, since=datetime.fromisoformat(since))


class PipelineReport(BaseModel):
    analysed: int = 0
    profiles: int = 0
    suggestions: SuggestResult = Field(default_factory=SuggestResult)


Progress = Callable[[str, int | None, int], None]
"""progress(stage, total or None, advance)."""


def _silent(stage: str, total: int | None, advance: int) -> None:
    pass


def _workspace_id(db: Database, name: str) -> int:
    with session_scope(db) as session:
        return ingest_service.get_workspace(session, name=name).id


def _analyse(res: Resources, run: CycleRun, report: PipelineReport, progress: Progress) -> None:
    workspace_id = _workspace_id(res.db, run.workspace)
    analyzer = res.analyzer
    todo = analysis_tasks.count_pending(
        res.db, workspace_id=workspace_id, model_version=analyzer.model_version
    )
    progress("Reading posts", todo, 0)
    report.analysed = analysis_tasks.analyse_workspace(
        res.db,
        workspace_id=workspace_id,
        analyzer=analyzer,
        batch_size=max(res.settings.embedder_batch_size if res.settings else 64, 256),
        on_batch=lambda n: progress("Reading posts", todo, n),
    )
    metrics.POSTS_ANALYSED.inc(report.analysed)


def _profiles(res: Resources, run: CycleRun, report: PipelineReport, progress: Progress) -> None:
    report.profiles = analysis_tasks.refresh_profiles(
        res.db,
        workspace_id=_workspace_id(res.db, run.workspace),
        model_version=res.analyzer.model_version,
        since=run.since,
        now=run.now,
    )


def _suggest(res: Resources, run: CycleRun, report: PipelineReport, progress: Progress) -> None:
    progress("Drafting replies", None, 0)
    report.suggestions = suggest_tasks.suggest_workspace(
        res.db,
        workspace=run.workspace,
        embedder=res.analyzer.embedder,
        model_version=res.analyzer.model_version,
        drafter_for=res.drafter,
        promotional=res.promotional,
        now=run.now,
        on_draft=lambda n: progress("Drafting replies", None, n),
    )


StageRun = Callable[[Resources, CycleRun, PipelineReport, Progress], None]


@dataclass(frozen=True)
class Stage:
    """One step of the cycle: the job that runs it, its queue, and what it does."""

    task: str
    queue: str
    run: StageRun


CYCLE: tuple[Stage, ...] = (
    Stage("analysis:analyse_workspace", "analysis", _analyse),
    Stage("analysis:refresh_profiles", "analysis", _profiles),
    Stage("suggest:suggest_workspace", "suggest", _suggest),
)


def next_stage(task: str) -> Stage | None:
    """The stage after `task` in the cycle (None after the last)."""
    names = [s.task for s in CYCLE]
    i = names.index(task)
    return CYCLE[i + 1] if i + 1 < len(CYCLE) else None


def start(db: Database, *, workspace_name: str, now: datetime | None = None) -> CycleRun:
    """A new run of the cycle for a workspace, stamped with the database's clock."""
    return CycleRun(workspace=workspace_name, since=analysis_tasks.started_at(db), now=now)


def run(
    resources: Resources,
    *,
    workspace_name: str,
    now: datetime | None = None,
    progress: Progress | None = None,
) -> PipelineReport:
    """Run the whole cycle inline: the stages of `CYCLE`, in order, as the jobs would.

    Each stage commits as it goes (analysis batch by batch), so a crash loses at most the batch
    in flight, and running it again carries on where it stopped.
    """
    cycle = start(resources.db, workspace_name=workspace_name, now=now)
    report = PipelineReport()
    for stage in CYCLE:
        stage.run(resources, cycle, report, progress or _silent)
    return report
