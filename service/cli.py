"""The `rapport` command line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

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

from analysis import service as analysis_service
from core import logging as rapport_logging
from core import migrate
from core.database import Database, open_database, session_scope
from core.errors import RapportError, WorkspaceNotFound
from core.settings import Settings
from ingest import repository as ingest_repository
from ingest import service as ingest_service
from service import pipeline
from suggest import service as suggest_service
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
app.add_typer(accounts_app, name="accounts")

console = Console()
err = Console(stderr=True)

WorkspaceOpt = Annotated[
    str | None,
    typer.Option("--workspace", "-w", help="Workspace name (default: the only one there is)."),
]


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show debug logs.")] = False,
) -> None:
    rapport_logging.configure("DEBUG" if verbose else "WARNING")


@contextmanager
def database(upgrade: bool = False) -> Iterator[Database]:
    """Open the database (embedded unless RAPPORT_DATABASE_URL is set); report errors plainly."""
    settings = Settings()
    try:
        db = open_database(settings)
    except Exception as exc:  # noqa: BLE001 - shown to the user with what to do next
        err.print(f"[red]Cannot open the database:[/red] {exc}")
        err.print("Check RAPPORT_DATABASE_URL, or unset it to use the embedded database.")
        raise typer.Exit(2) from exc
    try:
        if upgrade:
            with db.engine.begin() as conn:
                migrate.upgrade(conn)
        yield db
    except RapportError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from exc
    finally:
        db.close()


def _progress() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=False,
    )


def _pipeline_with_progress(
    resources: pipeline.Resources, workspace: str
) -> pipeline.PipelineReport:
    with _progress() as bar:
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


def _resolve_workspace(db: Database, name: str | None) -> str:
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


def _print_queue(cards: list[SuggestionRead], title: str) -> None:
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
            card.draft or "[italic]write a personal note yourself[/italic]",
            card.route.value,
        )
    console.print(table)


@app.command()
def demo(
    serve: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Serve the review page after the summary.")
    ] = True,
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
) -> None:
    """Load the bundled sample workspace, run the pipeline, show the Today queue, serve it."""
    settings = Settings()
    with database(upgrade=True) as db:
        with session_scope(db) as session:
            workspace, stored = ingest_service.load_sample(session, today=datetime.now(UTC))
            name = workspace.name
            people, posts = ingest_repository.count_people_posts(session, workspace_id=workspace.id)
        console.print(
            f"[bold]{workspace.display_name}[/bold]: {people} people, {posts} posts "
            f"({stored.posts_new} new, {stored.posts_updated} updated)."
        )
        report = _pipeline_with_progress(pipeline.Resources(settings, db), name)
        with session_scope(db) as session:
            cards = suggest_service.queue(session, workspace_id=workspace.id)
        _print_queue(cards, f"Today · {workspace.display_name} · {len(cards)} to review")
        console.print(
            f"Read {report.analysed} new posts, updated {report.profiles} profiles, "
            f"drafted {report.suggestions.created} new suggestions."
        )
        if serve:
            _serve(settings, db, host, port)


def _serve(settings: Settings, db: Database, host: str, port: int) -> None:
    import uvicorn

    from service.app import create_app

    console.print(f"Review page: [link]http://{host}:{port}[/link]  (Ctrl+C to stop)")
    uvicorn.run(create_app(settings, db), host=host, port=port, log_level="warning")


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to serve on.")] = 8000,
) -> None:
    """Serve the review page and the API."""
    with database(upgrade=True) as db:
        _serve(Settings(), db, host, port)


@app.command("queue")
def queue_cmd(
    workspace: WorkspaceOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 200,
) -> None:
    """List the pending suggestions (the Today queue)."""
    with database(upgrade=True) as db:
        name = _resolve_workspace(db, workspace)
        with session_scope(db) as session:
            ws = ingest_service.get_workspace(session, name=name)
            cards = suggest_service.queue(session, workspace_id=ws.id, limit=limit)
        if as_json:
            for card in cards:
                typer.echo(card.model_dump_json())
        else:
            _print_queue(cards, f"Today · {ws.display_name} · {len(cards)} to review")


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
            with file.open(encoding="utf-8") as f:
                lines = sum(1 for line in f if line.strip())
            with _progress() as bar:
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
def run(workspace: WorkspaceOpt = None) -> None:
    """Analyse new posts, update profiles and draft today's suggestions for a workspace."""
    with database(upgrade=True) as db:
        name = _resolve_workspace(db, workspace)
        report = _pipeline_with_progress(pipeline.Resources(Settings(), db), name)
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
    settings = Settings()
    with database(upgrade=True) as db:
        name = _resolve_workspace(db, workspace)
        analyzer_version = pipeline.Resources(settings, db).analyzer.model_version
        with session_scope(db) as session:
            ws = ingest_service.get_workspace(session, name=name)
            profile = analysis_service.profile(
                session, workspace_id=ws.id, handle=handle, model_version=analyzer_version
            )
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
    """Apply all migrations (also done automatically by other commands)."""
    with database(upgrade=True) as db, db.engine.connect() as conn:
        console.print(f"Database schema at revision {migrate.current(conn)}.")


@db_app.command("check")
def db_check() -> None:
    """Fail if the ORM models and the migrations disagree."""
    with database(upgrade=True) as db, db.engine.connect() as conn:
        migrate.check(conn)
        console.print("Models and migrations agree.")


@app.command()
def worker(
    queues: Annotated[
        list[str] | None, typer.Option("--queue", "-q", help="Only these queues (repeatable).")
    ] = None,
    concurrency: Annotated[int, typer.Option(help="Jobs run at once.")] = 1,
) -> None:
    """Run a job worker (procrastinate): ingest, analysis and suggestion jobs."""
    from core import jobs

    settings = Settings()
    with database(upgrade=True) as db:
        job_app = jobs.create_app(db.libpq_url)
        with job_app.open():
            job_app.run_worker(
                queues=queues,
                concurrency=concurrency,
                additional_context={"resources": pipeline.Resources(settings, db)},
            )


@app.command("version")
def version() -> None:
    """Print the version."""
    from importlib.metadata import version as dist_version

    typer.echo(json.dumps({"rapport": dist_version("rapport")}))


def _settings_help() -> str:
    from ingest.connectors import REGISTRY

    lines = []
    for platform, spec in REGISTRY.items():
        fields = ", ".join(
            f"{name}{'' if f.is_required() else ' (optional)'}"
            for name, f in spec.settings.model_fields.items()
        )
        lines.append(f"{platform.value}: {fields}")
    return "Settings per platform — " + "; ".join(lines)


@accounts_app.command("add", epilog=_settings_help())
def accounts_add(
    platform: Annotated[str, typer.Argument(help="mastodon, bluesky, x or facebook")],
    workspace: Annotated[str, typer.Option("--workspace", "-w", help="Workspace to connect to.")],
    handle: Annotated[str, typer.Option(help="The business's handle on the platform.")],
    values: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="A connector setting as KEY=VALUE (repeatable). "
            "Secrets left out are asked for without echo.",
        ),
    ] = None,
) -> None:
    """Connect a platform account; its secrets are encrypted at rest and never printed."""
    from core.secrets import fernet
    from ingest import accounts

    try:
        spec = accounts.spec_for(platform)
    except RapportError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(1) from exc
    given: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep:
            err.print(f"[red]--set {item}: expected KEY=VALUE.[/red] {_settings_help()}")
            raise typer.Exit(2)
        given[key.strip()] = value
    for name in sorted(accounts.secret_fields(spec.settings) - set(given)):
        field = spec.settings.model_fields[name]
        given[name] = typer.prompt(f"{field.title or name}", hide_input=True)
    settings = Settings()
    with database(upgrade=True) as db:
        with session_scope(db) as session:
            ws = ingest_service.get_workspace(session, name=workspace)
            account = accounts.add_account(
                session,
                workspace_id=ws.id,
                platform=platform,
                handle=handle,
                values=given,
                fernet=fernet(settings),
            )
            account_id = account.id
        console.print(f"Connected {platform} account {handle} as account {account_id}.")
        console.print(f"Next: [bold]rapport sync {account_id}[/bold]")


@accounts_app.command("list")
def accounts_list(workspace: WorkspaceOpt = None) -> None:
    """Connected accounts with their health (ok, rate-limited, needs-reconnect, over-budget)."""
    with database(upgrade=True) as db, session_scope(db) as session:
        ws_id = ingest_service.get_workspace(session, name=workspace).id if workspace else None
        rows = ingest_repository.list_accounts(session, workspace_id=ws_id)
        names = {w.id: w.name for w in ingest_repository.list_workspaces(session)}
        today = datetime.now(UTC).date().isoformat()
        table = Table(title="Accounts")
        for column in (
            "id",
            "workspace",
            "platform",
            "handle",
            "health",
            "last sync",
            "reads today",
            "cost today",
        ):
            table.add_column(column)
        for a in rows:
            spent = a.spend.get(today, {})
            health = a.health.value + (f"\n[dim]{a.health_detail}[/dim]" if a.health_detail else "")
            table.add_row(
                str(a.id),
                names.get(a.workspace_id, "?"),
                a.platform.value,
                a.handle,
                health,
                a.last_synced_at.strftime("%Y-%m-%d %H:%M") if a.last_synced_at else "never",
                str(spent.get("reads", 0)),
                f"${spent.get('cost_usd', 0.0):.2f}",
            )
        console.print(table if rows else "No accounts yet. Add one with `rapport accounts add`.")


@app.command()
def sync(
    account: Annotated[
        int | None, typer.Argument(help="Account id (default: every account).")
    ] = None,
    since: Annotated[
        datetime | None, typer.Option(help="Skip posts older than this date (YYYY-MM-DD).")
    ] = None,
) -> None:
    """Read new posts from connected accounts, page by page, with a progress bar."""
    from core.secrets import fernet
    from ingest.connectors import ConnectorError
    from ingest.sync import sync_account

    settings = Settings()
    key = fernet(settings)
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    failed = False
    with database(upgrade=True) as db:
        with session_scope(db) as session:
            ids = [account] if account else [a.id for a in ingest_repository.list_accounts(session)]
        if not ids:
            console.print("No accounts yet. Add one with `rapport accounts add`.")
            return
        for account_id in ids:
            with Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                TextColumn("{task.completed} pages"),
                console=console,
            ) as bar:
                task = bar.add_task(f"Account {account_id}", total=None)
                try:
                    report = sync_account(
                        db,
                        account_id=account_id,
                        fernet=key,
                        since=since,
                        on_page=lambda _p, t=task: bar.advance(t),  # type: ignore[misc]
                    )
                except ConnectorError as exc:
                    failed = True
                    err.print(f"[red]Account {account_id}: {exc}[/red]")
                    continue
            if report.stopped:
                console.print(
                    f"[yellow]Account {account_id} stopped early: {report.stopped}[/yellow]"
                )
            r = report.result
            console.print(
                f"Account {account_id}: {r.posts_new} new posts, {r.posts_updated} updated, "
                f"{r.people_new} new people, {r.skipped} skipped."
            )
    if failed:
        raise typer.Exit(1)


@app.command()
def draft(
    file: Annotated[Path, typer.Argument(help="Posts in the import format (.jsonl or .csv).")],
    workspace: WorkspaceOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Draft replies for the posts in a file, with guard verdicts and routes (nothing stored)."""
    from ingest.connectors import FileConnector

    if not file.is_file():
        err.print(f"[red]{file}: no such file.[/red]")
        raise typer.Exit(2)
    posts = []
    try:
        for page in FileConnector(file).pages():
            posts.extend(page.posts)
            for error in page.errors:
                err.print(f"[yellow]skipped {error}[/yellow]")
    except RapportError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from exc
    settings = Settings()
    with database(upgrade=True) as db:
        name = _resolve_workspace(db, workspace)
        resources = pipeline.Resources(settings, db)
        with session_scope(db) as session:
            ws = ingest_service.get_workspace(session, name=name)
            drafts = suggest_service.draft_posts(
                posts,
                workspace=ws,
                analyzer=resources.analyzer,
                drafter=resources.drafter(ws.drafting_backend),
                promotional=resources.promotional,
            )
    for item in drafts:
        if as_json:
            typer.echo(item.model_dump_json())
        elif item.draft is not None:
            verdict = "passes the guard" if item.guard_passed else f"BLOCKED: {item.guard_reasons}"
            console.print(
                f"[bold]{item.person}[/bold] ({item.occasion}, {item.route}): "
                f"{item.draft}\n  [dim]{verdict}[/dim]"
            )
        else:
            console.print(f"[bold]{item.person}[/bold]: no reply — {item.no_reply_because}")


@app.command()
def guard(
    file: Annotated[
        Path,
        typer.Argument(
            help='JSON Lines: {"post": "...", "reply": "..."} and optionally '
            '"knowledge": [...], "platform": "x".'
        ),
    ],
    workspace: Annotated[
        str | None,
        typer.Option(
            "--workspace",
            "-w",
            help="Also use this workspace's knowledge, products and banned phrases.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """The guard's verdict and reasons for each candidate reply in a file."""
    from core.models import Platform
    from suggest import guard as reply_guard
    from suggest import routes
    from suggest.schemas import GuardRead

    if not file.is_file():
        err.print(f"[red]{file}: no such file.[/red]")
        raise typer.Exit(2)
    knowledge: list[str] = []
    products: list[str] = []
    banned: list[str] = []
    names: list[str] = []
    if workspace:
        with database(upgrade=True) as db, session_scope(db) as session:
            ws = ingest_service.get_workspace(session, name=workspace)
            knowledge = [k["text"] for k in ws.knowledge]
            products, banned = list(ws.own_products), list(ws.banned_phrases)
            names = [ws.display_name, ws.name]
    with file.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                post, reply = str(row["post"]), str(row["reply"])
                limit = routes.RULES[Platform(row.get("platform", "mastodon"))].max_chars
            except (ValueError, KeyError, TypeError) as exc:
                err.print(
                    f'[yellow]skipped line {number}: needs "post" and "reply" ({exc})[/yellow]'
                )
                continue
            verdict = reply_guard.check(
                reply,
                reply_guard.GuardContext(
                    post_text=post,
                    knowledge_texts=knowledge + list(row.get("knowledge", [])),
                    own_products=products,
                    banned_phrases=banned,
                    asked_about_us=reply_guard.asked_about_business(post, names),
                    max_chars=limit,
                ),
            )
            result = GuardRead(
                line=number, post=post, reply=reply, passed=verdict.passed, reasons=verdict.reasons
            )
            if as_json:
                typer.echo(result.model_dump_json())
            else:
                mark = "[green]ok[/green]" if verdict.passed else "[red]blocked[/red]"
                console.print(f"{number}: {mark} {reply}")
                for reason in verdict.reasons:
                    console.print(f"     [dim]- {reason}[/dim]")


@app.command()
def analyze(
    file: Annotated[
        Path | None,
        typer.Argument(help='JSON Lines, one {"text": "..."} per line (the import format works).'),
    ] = None,
    text: Annotated[str | None, typer.Option("--text", help="Analyse this one text.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Read posts: sentiment, emotion, intents, topics, keyphrases, entities, question, language."""
    if (file is None) == (text is None):
        err.print("[red]Give either FILE or --text.[/red]")
        raise typer.Exit(2)
    items: list[tuple[int, str, str | None]] = []
    if text is not None:
        items.append((1, text, None))
    else:
        assert file is not None
        if not file.is_file():
            err.print(f"[red]{file}: no such file.[/red]")
            raise typer.Exit(2)
        with file.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    items.append((number, str(record["text"]), record.get("lang")))
                except (ValueError, KeyError, TypeError) as exc:
                    err.print(f'[yellow]skipped line {number}: needs a "text" ({exc})[/yellow]')
    settings = Settings()
    try:
        analyzer = pipeline.Resources(settings, db=None).analyzer  # type: ignore[arg-type]
    except RapportError as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from exc
    readings = analyzer.read([t for _, t, _ in items], [lang for _, _, lang in items])
    for (number, body, _), reading in zip(items, readings, strict=True):
        payload = {"line": number, "text": body, **reading.model_dump()}
        if as_json:
            typer.echo(json.dumps(payload, ensure_ascii=False))
        else:
            console.print(f"[bold]{body}[/bold]")
            console.print(
                f"  intent {reading.intent} · sentiment {reading.sentiment} · emotion "
                f"{reading.emotion or '-'} · topics {', '.join(reading.topics)} · "
                f"question {'yes' if reading.question else 'no'} · language {reading.language}"
            )
            if reading.keyphrases:
                console.print(f"  keyphrases: {', '.join(reading.keyphrases)}")
            if reading.flags:
                console.print(f"  flags: {', '.join(reading.flags)}")
