"""Exports over HTTP (streamed downloads) and the analytics page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from fastapi.templating import Jinja2Templates

from core.database import session_scope
from core.errors import InvalidInput
from ingest import service as ingest_service
from service.deps import SessionDep
from service.exports import analytics as analytics_service
from service.exports import service as export_service
from service.exports.schemas import ExportFormat, ExportKind, Period

router = APIRouter(tags=["exports"])
templates = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")


@router.get(
    "/api/workspaces/{name}/exports/{kind}",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "The export file, streamed",
            "content": {f.media_type: {} for f in ExportFormat},
        }
    },
)
def export(
    name: str,
    kind: str,
    request: Request,
    fmt: Annotated[str, Query(alias="format", description="csv, jsonl or parquet")] = "csv",
    since: Annotated[str | None, Query(description="YYYY-MM-DD (UTC) or ISO time")] = None,
    until: Annotated[str | None, Query(description="last day, included, or ISO time")] = None,
) -> StreamingResponse:
    """Suggestions, people, posts or daily figures as CSV, JSON Lines or Parquet (streamed)."""
    export_kind = ExportKind.parse(kind)
    export_format = ExportFormat.parse(fmt)
    period = Period.parse(since, until)
    db = request.app.state.db
    with session_scope(db) as session:
        workspace = ingest_service.get_workspace(session, name=name)
        workspace_id, workspace_name = workspace.id, workspace.name

    def body() -> Iterator[bytes]:
        # The stream has its own transaction: it outlives the request's checks above.
        with session_scope(db) as session:
            yield from export_service.export(
                session,
                workspace_id=workspace_id,
                kind=export_kind,
                fmt=export_format,
                period=period,
            )

    filename = export_service.filename(
        workspace=workspace_name, kind=export_kind, fmt=export_format, period=period
    )
    return StreamingResponse(
        body(),
        media_type=export_format.media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/workspaces/{name}/analytics", response_class=HTMLResponse)
def analytics_page(
    name: str,
    request: Request,
    session: SessionDep,
    days: Annotated[int, Query(description="how many days back")] = 30,
) -> Response:
    if not 1 <= days <= 366:
        raise InvalidInput("days must be between 1 and 366.")
    workspace = ingest_service.get_workspace(session, name=name)
    figures = analytics_service.analytics(session, workspace_id=workspace.id, days=days)
    return templates.TemplateResponse(
        request,
        "analytics.html",
        {
            "workspace": workspace,
            "a": figures,
            "kinds": list(ExportKind),
            "formats": list(ExportFormat),
        },
    )
