"""What every `rapport` command shares: the Typer app, consoles, the database, progress."""

from __future__ import annotations

import enum
import json
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
)
from rich.table import Table
from sqlalchemy.orm import Session

from core import logging as rapport_logging
from core import migrate
from core.database import Database, open_database, session_scope
from core.errors import RapportError, WorkspaceNotFound
from core.models import Workspace
from core.settings import Settings
from ingest import repository as ingest_repository
from ingest import workspaces as ingest_workspaces
from service import pipeline
from suggest.schemas import SuggestionRead

app = typer.Typer(
    help="Rapport: listen to the people around your business, learn what they care about, "
    "and review helpful (never salesy) reply drafts each morning.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
db_app = typer.Typer(help="Database schema: upgrade and check migrations.", no_args_is_help=True)
people_app = typer.Typer(help="People and what they care about.", no_args_is_help=True)
accounts_app = typer.Typer(
    help="Connected platform accounts: Mastodon, Bluesky, X, Facebook/Instagram.",
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")
app.add_typer(people_app, name="people")
workspaces_app = typer.Typer(help="Workspaces and their settings.", no_args_is_help=True)
app.add_typer(accounts_app, name="accounts")
app.add_typer(workspaces_app, name="workspaces")

console = Console()
err = Console(stderr=True)

WorkspaceOpt = Annotated[
    str | None,
    typer.Option("--workspace", "-w", help="Workspace name (default: the only one there is)."),
]


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show debug logs.")] = False,
    json_logs: Annotated[
        bool,
        typer.Option("--json-logs", envvar="RAPPORT_JSON_LOGS", help="Logs as JSON lines."),
    ] = False,
) -> None:
    LOGGING.update(verbose=verbose, json=json_logs)
    rapport_logging.configure("DEBUG" if verbose else "WARNING", json=json_logs)
    # SIGTERM ends a command like Ctrl+C does: cleanly, so the embedded PostgreSQL is released
    # (the default would end the process without running its exit handlers).
    signal.signal(signal.SIGTERM, _exit_on_sigterm)


LOGGING = {"verbose": False, "json": False}


def log_as_a_service() -> None:
    """Long-running processes log what they do (INFO): requests, jobs, start and stop."""
    rapport_logging.configure("DEBUG" if LOGGING["verbose"] else "INFO", json=LOGGING["json"])


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


class Schema(enum.Enum):
    """What a command does about the database schema."""

    UPGRADE = "upgrade"  # apply the migrations: `db upgrade`, `demo`, `up`
    CHECK = "check"  # refuse an old schema: `web`, `worker` (many replicas, one migrator)
    AUTO = "auto"  # upgrade the embedded database (one user); check a server's


@contextmanager
def database(upgrade: bool = False, *, schema: Schema | None = None) -> Iterator[Database]:
    """Open the database (embedded unless RAPPORT_DATABASE_URL is set); report errors plainly.

    `upgrade=True` means `Schema.AUTO`: migrations run on the embedded database only, never
    from every replica against a shared server.
    """
    settings = Settings()
    mode = schema or (Schema.AUTO if upgrade else None)
    try:
        db = open_database(settings)
    except Exception as exc:  # noqa: BLE001 - shown to the user with what to do next
        err.print(f"[red]Cannot open the database:[/red] {exc}")
        err.print("Check RAPPORT_DATABASE_URL, or unset it to use the embedded database.")
        raise typer.Exit(2) from exc
    try:
        if mode is Schema.UPGRADE or (mode is Schema.AUTO and db.embedded is not None):
            with db.engine.begin() as conn:
                migrate.upgrade(conn)
        elif mode is not None:
            with db.engine.connect() as conn:
                current = migrate.is_current(conn)
            if not current:
                err.print(
                    "[red]The database schema is not the one this version of Rapport needs."
                    "[/red] Run [bold]rapport db upgrade[/bold] once (not from every replica)."
                )
                raise typer.Exit(2)
        yield db
    except RapportError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from exc
    finally:
        db.close()


def progress_bar() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=False,
    )


def pipeline_with_progress(
    resources: pipeline.Resources, workspace: str
) -> pipeline.PipelineReport:
    with progress_bar() as bar:
        tasks: dict[str, TaskID] = {}

        def progress(stage: str, total: int | None, advance: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.advance(tasks[stage], advance)

        load = bar.add_task("Loading models", total=1)
        resources.analyzer  # noqa: B018 - load once, visibly
        bar.advance(load)
        report = pipeline.run(resources, workspace_name=workspace, progress=progress)
        for task_id in tasks.values():  # stages whose size was unknown end full
            done = bar.tasks[task_id].completed
            bar.update(task_id, total=done, completed=done)
    return report


@contextmanager
def workspace_session(name: str | None) -> Iterator[tuple[Session, Workspace]]:
    """The named workspace (or the only one) and one transaction to work in it."""
    with database(upgrade=True) as db:
        resolved = resolve_workspace(db, name)
        with session_scope(db) as session:
            yield session, ingest_workspaces.get(session, name=resolved)


def resolve_workspace(db: Database, name: str | None) -> str:
    with session_scope(db) as session:
        names = [w.name for w in ingest_repository.list_workspaces(session)]
    if name:
        if name not in names:
            raise WorkspaceNotFound(
                f"No workspace named '{name}'. Known: {', '.join(names) or 'none'}."
            )
        return name
    if len(names) == 1:
        return names[0]
    if not names:
        raise WorkspaceNotFound()
    raise WorkspaceNotFound(
        f"Several workspaces exist; pick one with --workspace: {', '.join(names)}"
    )


def print_queue(cards: list[SuggestionRead], title: str) -> None:
    if not cards:
        console.print("[yellow]No pending suggestions.[/yellow]")
        return
    table = Table(title=title, show_lines=True, expand=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Person", ratio=1)
    table.add_column("Their post", ratio=3)
    table.add_column("Why", ratio=1)
    table.add_column("Draft reply", ratio=3)
    table.add_column("Route", no_wrap=True)
    for card in cards:
        table.add_row(
            str(card.id),
            f"{card.person_name}\n[dim]@{card.person_handle} · {card.platform}[/dim]",
            card.post_text,
            card.occasion.replace("_", " "),
            card.draft or "[italic]no draft: yours to answer (see why with --json)[/italic]",
            card.route.value,
        )
    console.print(table)


def json_lines(path: Path, *, needs: tuple[str, ...]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each line of a JSON Lines file that has the `needs` keys;
    other lines are reported on stderr and skipped. A missing file ends the command."""
    if not path.is_file():
        err.print(f"[red]{path}: no such file.[/red]")
        raise typer.Exit(2)
    wanted = " and ".join(f'"{k}"' for k in needs)
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                missing = [k for k in needs if k not in row]
            except (ValueError, TypeError) as exc:
                err.print(f"[yellow]skipped line {number}: not JSON ({exc})[/yellow]")
                continue
            if missing or not isinstance(row, dict):
                err.print(f"[yellow]skipped line {number}: needs {wanted}[/yellow]")
                continue
            yield number, row
