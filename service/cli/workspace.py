"""Commands about workspaces: demo, serve, queue, import, run, people, workspaces, db, worker."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from analysis import service as analysis_service
from core import migrate
from core.database import session_scope
from core.settings import Settings
from ingest import repository as ingest_repository
from ingest import service as ingest_service
from service import pipeline
from service.cli import users
from service.cli.common import (
    Schema,
    WorkspaceOpt,
    app,
    console,
    database,
    db_app,
    err,
    people_app,
    pipeline_with_progress,
    print_queue,
    progress_bar,
    resolve_workspace,
    workspace_session,
    workspaces_app,
)
from suggest import queue as suggest_queue
from suggest.backends import BACKENDS


@app.command()
def demo(
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the review page after the summary.")
    ] = True,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
) -> None:
    """Load the bundled sample workspace, run the pipeline, show the Today queue, serve it."""
    from service.cli.processes import serve_app

    settings = Settings()
    with database(schema=Schema.UPGRADE) as db:
        with session_scope(db) as session:
            workspace, stored = ingest_service.load_sample(session, today=datetime.now(UTC))
            name = workspace.name
            people, posts = ingest_repository.count_people_posts(session, workspace_id=workspace.id)
        console.print(
            f"[bold]{workspace.display_name}[/bold]: {people} people, {posts} posts "
            f"({stored.posts_new} new, {stored.posts_updated} updated)."
        )
        report = pipeline_with_progress(pipeline.Resources(settings, db), name)
        with session_scope(db) as session:
            cards = suggest_queue.queue(session, workspace_id=workspace.id)
        print_queue(cards, f"Today · {workspace.display_name} · {len(cards)} to review")
        console.print(
            f"Read {report.analysed} new posts, updated {report.profiles} profiles, "
            f"drafted {report.suggestions.created} new suggestions."
        )
        email, password = users.demo_login(db, name)
        console.print(f"Sign in as [bold]{email}[/bold] with the password [bold]{password}[/bold]")
        if serve:
            serve_app(settings, db, host, port)


@app.command("queue")
def queue_cmd(
    workspace: WorkspaceOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 200,
) -> None:
    """List the pending suggestions (the Today queue)."""
    with workspace_session(workspace) as (session, ws):
        cards = suggest_queue.queue(session, workspace_id=ws.id, limit=limit)
        if as_json:
            for card in cards:
                typer.echo(card.model_dump_json())
        else:
            print_queue(cards, f"Today · {ws.display_name} · {len(cards)} to review")


@app.command("gaps")
def gaps_cmd(
    workspace: WorkspaceOpt = None,
    days: Annotated[int, typer.Option(help="Questions asked in the last this many days.")] = 7,
) -> None:
    """Questions people asked that your knowledge didn't answer, most asked first."""
    with workspace_session(workspace) as (session, ws):
        gaps = suggest_queue.knowledge_gaps(
            session, workspace_id=ws.id, since=datetime.now(UTC) - timedelta(days=days)
        )
    if not gaps:
        console.print(f"No unanswered questions in the last {days} days.")
        return
    table = Table(title=f"Knowledge gaps · {ws.display_name} · last {days} days")
    for column in ("asked", "question", "people", "answered"):
        table.add_column(column)
    for gap in gaps:
        table.add_row(
            str(gap.asked), gap.question, ", ".join(gap.people), "yes" if gap.answered else "no"
        )
    console.print(table)
    console.print(
        "Answer one on the review page and give it a knowledge title: the next person who asks "
        "gets a draft."
    )


@app.command("import")
def import_cmd(
    file: Annotated[
        Path, typer.Argument(help="A .jsonl or .csv export (format: see README).", exists=False)
    ],
    workspace: Annotated[str, typer.Option("--workspace", "-w", help="Workspace to import into.")],
    create: Annotated[
        bool, typer.Option("--create", help="Create the workspace if it does not exist.")
    ] = False,
) -> None:
    """Import people and posts from a file; malformed lines are reported and skipped."""
    if not file.is_file():
        err.print(f"[red]{file}: no such file.[/red]")
        raise typer.Exit(2)
    with database(upgrade=True) as db:
        with session_scope(db) as session:
            if create:
                ws, created = ingest_service.get_or_create_workspace(session, name=workspace)
                if created:
                    console.print(f"Created workspace '{workspace}'.")
            else:
                ws = ingest_service.get_workspace(session, name=workspace)
            with file.open("rb") as f:  # bytes: a bad byte is the importer's to report
                lines = sum(1 for line in f if line.strip())
            with progress_bar() as bar:
                task = bar.add_task(f"Importing {file.name}", total=lines)
                result = ingest_service.import_file(
                    session,
                    workspace_id=ws.id,
                    path=file,
                    on_page=lambda n: bar.advance(task, n),
                )
        for error in result.errors:
            err.print(f"[yellow]skipped {error}[/yellow]")
        r = result.result
        console.print(
            f"Stored {r.posts_new} new posts ({r.people_new} new people), updated "
            f"{r.posts_updated}, unchanged {r.posts_unchanged}, skipped {r.skipped} bad lines."
        )
        console.print(f"Next: [bold]rapport run --workspace {workspace}[/bold] to draft replies.")


@app.command()
def run(
    workspace: WorkspaceOpt = None,
    enqueue: Annotated[
        bool,
        typer.Option(
            "--enqueue",
            help="Queue the cycle for the job workers (`rapport worker`) instead of running it "
            "here.",
        ),
    ] = False,
) -> None:
    """Analyse new posts, update profiles and draft today's suggestions for a workspace."""
    with database(upgrade=True) as db:
        name = resolve_workspace(db, workspace)
        if enqueue:
            from service import jobs

            job_app = jobs.create_app(conninfo=db.libpq_url)
            with job_app.open():
                queued = jobs.start_cycle(job_app, pipeline.start(db, workspace_name=name))
            console.print(
                f"Queued the cycle of '{name}' for the workers."
                if queued
                else f"A cycle of '{name}' is already waiting for a worker; nothing added."
            )
            return
        report = pipeline_with_progress(pipeline.Resources(Settings(), db), name)
        console.print(
            f"Read {report.analysed} new posts, updated {report.profiles} profiles, "
            f"drafted {report.suggestions.created} new suggestions."
        )


@people_app.command("show")
def people_show(
    handle: Annotated[str, typer.Argument(help="The person's handle, e.g. maria@mastodon.scot")],
    workspace: WorkspaceOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """What one person cares about, with the posts that show it."""
    with workspace_session(workspace) as (session, ws):
        # The newest analysis stored: showing a profile needs no model loaded.
        profile = analysis_service.profile(session, workspace_id=ws.id, handle=handle)
    if as_json:
        typer.echo(profile.model_dump_json(indent=2))
        return
    console.print(f"[bold]{profile.display_name}[/bold] @{profile.handle} ({profile.platform})")
    console.print(
        f"{profile.posts} posts · languages: {', '.join(profile.languages) or '-'} · "
        f"usually {profile.typical_sentiment or '-'}"
    )
    for interest in profile.interests:
        console.print(f"• [bold]{interest.label}[/bold] ({interest.kind}, {interest.weight:.2f})")
        for text in interest.evidence:
            console.print(f"    “{text}”", style="dim")
    if profile.open_needs:
        console.print("[bold]Open needs[/bold]")
        for text in profile.open_needs:
            console.print(f"  ? {text}")
    if profile.occasions:
        console.print("[bold]Recent occasions[/bold]")
        for text in profile.occasions:
            console.print(f"  ★ {text}")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply all migrations: once per release, before starting web and worker processes."""
    with database(schema=Schema.UPGRADE) as db, db.engine.connect() as conn:
        console.print(f"Database schema at revision {migrate.current(conn)}.")


@db_app.command("check")
def db_check() -> None:
    """Fail if the ORM models and the migrations disagree."""
    with database(upgrade=True) as db, db.engine.connect() as conn:
        migrate.check(conn)
        console.print("Models and migrations agree.")


@app.command("version")
def version() -> None:
    """Print the version."""
    from importlib.metadata import version as dist_version

    typer.echo(json.dumps({"rapport": dist_version("rapport")}))


@workspaces_app.command("list")
def workspaces_list() -> None:
    """Workspaces with their drafting backend and how many people and posts they hold."""
    with database(upgrade=True) as db, session_scope(db) as session:
        table = Table(title="Workspaces")
        for column in ("name", "display name", "drafting backend", "people", "posts"):
            table.add_column(column)
        for ws in ingest_repository.list_workspaces(session):
            people, posts = ingest_repository.count_people_posts(session, workspace_id=ws.id)
            table.add_row(ws.name, ws.display_name, ws.drafting_backend, str(people), str(posts))
        console.print(table)


@workspaces_app.command("set")
def workspaces_set(
    name: Annotated[str, typer.Argument(help="Workspace name.")],
    drafting_backend: Annotated[
        str | None,
        typer.Option(
            help="composer, transformers (RAPPORT_DRAFTING_MODEL) or openai-compatible "
            "(RAPPORT_LLM_BASE_URL, RAPPORT_LLM_MODEL)."
        ),
    ] = None,
    display_name: Annotated[str | None, typer.Option(help="Name shown on the review page.")] = None,
) -> None:
    """Change a workspace's settings."""
    if drafting_backend and drafting_backend not in BACKENDS:
        err.print(
            f"[red]Unknown backend '{drafting_backend}'. Use one of: {', '.join(BACKENDS)}.[/red]"
        )
        raise typer.Exit(2)
    with database(upgrade=True) as db, session_scope(db) as session:
        ws = ingest_service.get_workspace(session, name=name)
        if drafting_backend:
            ws.drafting_backend = drafting_backend
        if display_name:
            ws.display_name = display_name
    console.print(f"Workspace '{name}' updated.")
