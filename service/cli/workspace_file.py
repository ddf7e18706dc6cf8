"""Setting up a business from a file: workspaces create/export/apply/schema, and knowledge."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from core.database import session_scope
from core.errors import WorkspaceFileError
from ingest import knowledge, workspaces
from ingest.schemas import KnowledgeSnippet, WorkspaceFile
from service.cli.common import (
    WorkspaceOpt,
    console,
    database,
    err,
    resolve_workspace,
    workspace_session,
    workspaces_app,
)

knowledge_app = typer.Typer(
    help="Knowledge snippets: the facts drafts may use.", no_args_is_help=True
)
workspaces_app.add_typer(knowledge_app, name="knowledge")

FileArg = Annotated[Path, typer.Argument(help="A workspace file (.yaml or .json).")]


def _read(path: Path, *, name: str | None = None) -> WorkspaceFile:
    """The file, validated; every error printed with its path, then exit 1."""
    if not path.is_file():
        err.print(f"[red]{escape(str(path))}: no such file.[/red]")
        raise typer.Exit(2)
    try:
        return workspaces.parse(path.read_text(encoding="utf-8"), name=name)
    except WorkspaceFileError as exc:
        _print_errors(exc, str(path))
        raise typer.Exit(1) from exc


def _print_errors(exc: WorkspaceFileError, source: str) -> None:
    count = len(exc.errors)
    err.print(f"[red]{escape(source)}: {count} error{'s' if count != 1 else ''}; nothing changed.")
    for error in exc.errors:
        err.print(f"  {escape(error)}", highlight=False)


@workspaces_app.command("create")
def workspaces_create(
    name: Annotated[str, typer.Argument(help="The new workspace's name (a slug).")],
    from_file: Annotated[
        Path | None, typer.Option("--from", help="A workspace file to start from.")
    ] = None,
    display_name: Annotated[
        str | None, typer.Option(help="Name shown to people (default: NAME).")
    ] = None,
) -> None:
    """Create a workspace, described by a file (`rapport workspaces export` writes one)."""
    try:
        workspaces.valid_name(name)
    except Exception as exc:  # noqa: BLE001 - a sentence for the user
        err.print(f"[red]{escape(str(exc))}[/red]")
        raise typer.Exit(2) from exc
    if from_file is not None:
        file_in = _read(from_file, name=name)
    else:
        file_in = WorkspaceFile(name=name, display_name=display_name or name)
    if display_name:
        file_in.display_name = display_name
    with database(upgrade=True) as db, session_scope(db) as session:
        workspaces.create(session, file_in=file_in)
    console.print(
        f"Created workspace '{name}' ({len(file_in.knowledge)} knowledge snippets). Next: "
        f"[bold]rapport import FILE --workspace {name}[/bold] or "
        f"[bold]rapport accounts add … --workspace {name}[/bold]."
    )


@workspaces_app.command("export")
def workspaces_export(
    name: Annotated[str, typer.Argument(help="Workspace name.")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of YAML.")] = False,
) -> None:
    """Print a workspace as a file: `rapport workspaces export NAME > business.yaml`."""
    with database(upgrade=True) as db, session_scope(db) as session:
        file_out = workspaces.export(session, name=name)
    typer.echo(workspaces.dump(file_out, as_json=as_json), nl=False)


@workspaces_app.command("apply")
def workspaces_apply(
    name: Annotated[str, typer.Argument(help="Workspace name.")],
    file: FileArg,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only show what would change.")
    ] = False,
) -> None:
    """Make a workspace what the file says: shows each change, then applies all or nothing."""
    file_in = _read(file)
    with database(upgrade=True) as db, session_scope(db) as session:
        before = workspaces.export(session, name=name)
        changes = workspaces.diff(before, file_in)
        if not changes:
            console.print(f"'{name}' already matches {escape(str(file))}: nothing to change.")
            return
        for change in changes:
            style = {"+": "green", "-": "red"}.get(str(change)[0], "yellow")
            console.print(f"[{style}]{escape(str(change))}[/{style}]", highlight=False)
        if dry_run:
            console.print(f"{len(changes)} changes; nothing applied (--dry-run).")
            return
        workspaces.apply(session, name=name, file_in=file_in)
    console.print(f"Applied {len(changes)} changes to '{file_in.name}'.")


@workspaces_app.command("schema")
def workspaces_schema() -> None:
    """Print the JSON Schema of workspace files (for editors and validators)."""
    typer.echo(workspaces.json_schema_text(), nl=False)


def _snippet_table(snippets: Sequence[KnowledgeSnippet], title: str) -> None:
    if not snippets:
        console.print("No knowledge snippets.")
        return
    table = Table(title=title, show_lines=True, expand=True)
    table.add_column("title", ratio=1)
    table.add_column("text", ratio=3)
    table.add_column("tags", ratio=1)
    for s in snippets:
        table.add_row(escape(s.title), escape(s.text), escape(", ".join(s.tags)))
    console.print(table)


@knowledge_app.command("list")
def knowledge_list(workspace: WorkspaceOpt = None) -> None:
    """Every knowledge snippet of a workspace."""
    with database(upgrade=True) as db:
        name = resolve_workspace(db, workspace)
        with session_scope(db) as session:
            snippets = knowledge.snippets(workspaces.get(session, name=name))
    _snippet_table(snippets, f"Knowledge · {name} · {len(snippets)}")


@knowledge_app.command("search")
def knowledge_search(
    query: Annotated[str, typer.Argument(help="Words to look for.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Snippets containing the words, those with most of them first."""
    with database(upgrade=True) as db:
        name = resolve_workspace(db, workspace)
        with session_scope(db) as session:
            found = knowledge.search(workspaces.get(session, name=name), query=query)
    _snippet_table(found, f"Knowledge · {name} · “{query}”")


def _snippet_in(title: str, text: str, tags: list[str]) -> KnowledgeSnippet:
    try:
        return workspaces.snippet({"title": title, "text": text, "tags": tags})
    except WorkspaceFileError as exc:
        _print_errors(exc, "snippet")
        raise typer.Exit(1) from exc


TagOpt = Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeatable).")]


@knowledge_app.command("add")
def knowledge_add(
    title: Annotated[str, typer.Option(help="A short, unique title.")],
    text: Annotated[str, typer.Option(help="What to say, in plain sentences.")],
    tag: TagOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Add a knowledge snippet."""
    snippet_in = _snippet_in(title, text, tag or [])
    with workspace_session(workspace) as (session, ws):
        knowledge.add(session, workspace=ws, snippet_in=snippet_in)
    console.print(f"Added “{escape(snippet_in.title)}” to '{ws.name}'.")


@knowledge_app.command("edit")
def knowledge_edit(
    title: Annotated[str, typer.Argument(help="The snippet's current title.")],
    new_title: Annotated[str | None, typer.Option("--title", help="A new title.")] = None,
    text: Annotated[str | None, typer.Option(help="The new text.")] = None,
    tag: TagOpt = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Change a knowledge snippet's title, text or tags."""
    with workspace_session(workspace) as (session, ws):
        current = knowledge.snippets(ws)[knowledge.find(ws, title)]
        snippet_in = _snippet_in(
            new_title if new_title is not None else current.title,
            text if text is not None else current.text,
            tag if tag is not None else current.tags,
        )
        # Its fields not given come from `current`: refused if it changed since.
        knowledge.edit(
            session,
            workspace=ws,
            title=title,
            snippet_in=snippet_in,
            expected_version=current.version,
        )
    console.print(f"Updated “{escape(snippet_in.title)}” in '{ws.name}'.")


@knowledge_app.command("remove")
def knowledge_remove(
    title: Annotated[str, typer.Argument(help="The snippet's title.")],
    workspace: WorkspaceOpt = None,
) -> None:
    """Remove a knowledge snippet."""
    with workspace_session(workspace) as (session, ws):
        removed = knowledge.remove(session, workspace=ws, title=title)
    console.print(f"Removed “{escape(removed.title)}” from '{ws.name}'.")
