"""Commands that read or write text without storing it: draft, guard, analyze."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from core.database import session_scope
from core.errors import RapportError
from core.settings import Settings
from ingest import service as ingest_service
from service import pipeline
from service.cli.common import (
    WorkspaceOpt,
    app,
    console,
    database,
    err,
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
