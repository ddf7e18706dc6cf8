"""`rapport export`: suggestions, people, posts or daily figures as CSV, JSON Lines or Parquet."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated, BinaryIO

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeRemainingColumn,
)

from core.database import session_scope
from core.errors import InvalidInput
from ingest import service as ingest_service
from service.cli.common import WorkspaceOpt, app, database, err, resolve_workspace
from service.exports import service as export_service
from service.exports.schemas import ExportFormat, ExportKind, Period


def _format(fmt: str | None, output: str | None) -> ExportFormat:
    if fmt:
        return ExportFormat.parse(fmt)
    suffix = Path(output).suffix.lstrip(".") if output and output != "-" else ""
    return (
        ExportFormat.parse(suffix)
        if suffix in {f.value for f in ExportFormat}
        else (ExportFormat.CSV)
    )


@app.command("export")
def export_command(
    kind: Annotated[str, typer.Argument(help="suggestions, people, posts or daily.")],
    since: Annotated[
        str | None, typer.Option(help="First day (YYYY-MM-DD, UTC) or ISO time; default: all.")
    ] = None,
    until: Annotated[
        str | None, typer.Option(help="Last day, included (YYYY-MM-DD) or ISO time (excluded).")
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="csv, jsonl or parquet (default: from -o, else csv)."),
    ] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="File to write; '-' or none: stdout.")
    ] = None,
    workspace: WorkspaceOpt = None,
) -> None:
    """Export suggestions (decisions, time to decide, edit distance), people with their
    interests, posts with their analysis, or daily figures, streamed with a progress bar."""
    try:
        export_kind = ExportKind.parse(kind)
        export_format = _format(fmt, output)
        period = Period.parse(since, until)
    except InvalidInput as exc:
        err.print(f"[red]{exc.message}[/red]")
        raise typer.Exit(2) from exc
    to_stdout = output in (None, "-")
    if to_stdout and export_format.is_binary and sys.stdout.isatty():
        err.print(
            "[red]Parquet is binary and would garble the terminal:[/red] "
            "write it to a file with -o out.parquet, or pipe it."
        )
        raise typer.Exit(2)
    if not to_stdout and not Path(str(output)).parent.is_dir():
        err.print(f"[red]Cannot write {output}: its folder does not exist.[/red]")
        raise typer.Exit(2)
    with database() as db:
        name = resolve_workspace(db, workspace)
        with session_scope(db) as session:
            workspace_id = ingest_service.get_workspace(session, name=name).id
            total = export_service.count(
                session, workspace_id=workspace_id, kind=export_kind, period=period
            )
            show_progress = not to_stdout or not sys.stdout.isatty()
            with Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeRemainingColumn(),
                console=err,
                disable=not show_progress,
            ) as bar:
                task = bar.add_task(f"Exporting {export_kind.value}", total=total)
                chunks = export_service.export(
                    session,
                    workspace_id=workspace_id,
                    kind=export_kind,
                    fmt=export_format,
                    period=period,
                    progress=lambda n: bar.advance(task, n),
                )
                if to_stdout:
                    _write(chunks, sys.stdout.buffer)
                    sys.stdout.flush()
                else:
                    _write_file(chunks, Path(str(output)))
    if not to_stdout:
        what = "days" if export_kind is ExportKind.DAILY else export_kind.value
        err.print(f"Wrote {total:,} {what} to {output} ({export_format.value}).")


def _write(chunks: Iterable[bytes], out: BinaryIO) -> None:
    for chunk in chunks:
        out.write(chunk)


def _write_file(chunks: Iterable[bytes], path: Path) -> None:
    """Written beside the target and moved into place at the end: never half a file."""
    if path.is_dir():
        raise InvalidInput(f"{path} is a directory: give a file name, e.g. -o export.parquet.")
    partial = path.with_name(path.name + ".part")
    try:
        with partial.open("wb") as out:
            _write(chunks, out)
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InvalidInput(f"Cannot write {path}: {exc.strerror or exc}.") from exc
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
