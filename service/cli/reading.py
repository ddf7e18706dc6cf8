"""Commands that read or write text without storing it: draft, guard, analyze."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from core.database import session_scope
from core.errors import RapportError
from core.models import Workspace
from core.settings import Settings
from ingest import service as ingest_service
from service import pipeline
from service.cli.common import (
    WorkspaceOpt,
    app,
    console,
    database,
    err,
    json_lines,
    resolve_workspace,
)
from suggest import service as suggest_service


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
        name = resolve_workspace(db, workspace)
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
            '"knowledge": [...], "platform": "x", "mentions_business": true.'
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

    ws = Workspace(name="", display_name="", knowledge=[], own_products=[], banned_phrases=[])
    if workspace:
        with database(upgrade=True) as db, session_scope(db) as session:
            ws = ingest_service.get_workspace(session, name=workspace)
    for number, row in json_lines(file, needs=("post", "reply")):
        post, reply = str(row["post"]), str(row["reply"])
        try:
            limit = routes.RULES[Platform(row.get("platform", "mastodon"))].max_chars
        except ValueError:
            err.print(
                f"[yellow]skipped line {number}: unknown platform {row['platform']!r}[/yellow]"
            )
            continue
        verdict = reply_guard.check(
            reply,
            reply_guard.context_for(
                ws,
                post_text=post,
                summons_business=bool(row.get("mentions_business")),
                extra_knowledge=list(row.get("knowledge", [])),
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
    if text is not None:
        items: list[tuple[int, str, str | None]] = [(1, text, None)]
    else:
        assert file is not None
        items = [
            (n, str(row["text"]), row.get("lang")) for n, row in json_lines(file, needs=("text",))
        ]
    try:
        analyzer = pipeline.load_analyzer(Settings())
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
