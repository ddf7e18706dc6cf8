"""The review page: the Today queue, server-rendered, keyboard first."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from analysis.labels import label_name
from core.errors import RapportError
from ingest import repository as ingest_repository
from ingest import service as ingest_service
from service.deps import SessionDep
from service.webhooks import service as webhooks_service
from suggest import posting as suggest_posting
from suggest import queue as suggest_queue
from suggest.schemas import Decision

router = APIRouter(tags=["review"])
templates = Jinja2Templates(directory=Path(__file__).parent.parent / "templates")
templates.env.filters["label"] = label_name
# What each kind of card asks of the reviewer, in a few words.
templates.env.globals["card_kinds"] = {
    "crisis": "Possible crisis: reach out yourself today, gently; see the note below",
    "personal_note": "Grief or illness: a personal note from you, no draft",
    "knowledge_gap": "Asked something your knowledge doesn't cover",
    "other_language": "Another language: reply yourself",
    "needs_person": "Needs your decision",
}


@router.get("/", response_class=HTMLResponse)
def today(request: Request, session: SessionDep, workspace: str | None = None) -> Response:
    workspaces = ingest_repository.list_workspaces(session)
    if not workspaces:
        return RedirectResponse("/setup", status_code=303)  # first run: set up a business
    current = ingest_service.get_workspace(session, name=workspace) if workspace else workspaces[0]
    cards = suggest_queue.queue(session, workspace_id=current.id)
    return templates.TemplateResponse(
        request,
        "queue.html",
        {
            "workspace": current,
            "workspaces": workspaces,
            "cards": cards,
            # Truthful about what approval does: a scheduler takes it, or the owner posts it.
            "scheduler": webhooks_service.has_scheduler(session, workspace_id=current.id),
            "posting": suggest_posting.posting_platforms(session, workspace_id=current.id),
            "error": request.query_params.get("error"),
        },
    )


@router.post("/workspaces/{name}/suggestions/{suggestion_id}")
def decide(
    name: str,
    suggestion_id: int,
    session: SessionDep,
    action: Annotated[str, Form()],
    final_text: Annotated[str | None, Form()] = None,
    save_as_knowledge: Annotated[str | None, Form()] = None,
) -> Response:
    workspace = ingest_service.get_workspace(session, name=name)
    try:
        suggest_queue.decide(
            session,
            workspace=workspace,
            suggestion_id=suggestion_id,
            decision_in=Decision(
                action=action,
                final_text=final_text,
                save_as_knowledge=save_as_knowledge or None,
            ),
        )
    except RapportError as exc:
        return RedirectResponse(f"/?workspace={name}&error={exc.message}", status_code=303)
    return RedirectResponse(f"/?workspace={name}", status_code=303)
