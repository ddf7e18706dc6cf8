"""Exports over HTTP (streamed downloads) and the analytics page; both for viewers and up."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from core.database import session_scope
from core.errors import InvalidInput
from service.auth import ViewerAccess
from service.deps import SessionDep
from service.exports import analytics as analytics_service
from service.exports import service as export_service
from service.exports.schemas import ExportFormat, ExportKind, Period
from service.templating import templates

router = APIRouter(tags=["exports"])


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
    kind: str,
    request: Request,
    access: ViewerAccess,
    fmt: Annotated[str, Query(alias="format", description="csv, jsonl or parquet")] = "csv",
    since: Annotated[str | None, Query(description="YYYY-MM-DD (UTC) or ISO time")] = None,
    until: Annotated[str | None, Query(description="last day, included, or ISO time")] = None,
) -> StreamingResponse:
    """Suggestions, people, posts or daily figures as CSV, JSON Lines or Parquet (streamed)."""
    export_kind = ExportKind.parse(kind)
    export_format = ExportFormat.parse(fmt)
    period = Period.parse(since, until)
    db = request.app.state.db
    workspace_id, workspace_name = access.workspace.id, access.workspace.name

    def body() -> Iterator[bytes]:
        # The stream has its own transaction: the request's (the checks above) is committed
        # before the response starts.
        with session_scope(db) as stream_session:
            yield from export_service.export(
                stream_session,
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
    request: Request,
    session: SessionDep,
    access: ViewerAccess,
    days: Annotated[int, Query(description="how many days back")] = 30,
) -> Response:
    if not 1 <= days <= 366:
        raise InvalidInput("days must be between 1 and 366.")
    workspace = access.workspace
    figures = analytics_service.analytics(session, workspace_id=workspace.id, days=days)
    return templates.TemplateResponse(
        request,
        "analytics.html",
        {
            "workspace": workspace,
            "caller": access.caller,
            "a": figures,
            "kinds": list(ExportKind),
            "formats": list(ExportFormat),
        },
    )
