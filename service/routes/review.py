"""The review page: the Today queue, server-rendered, keyboard first."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from core.errors import RapportError
from core.models import Occasion, Platform, Role
from service import auth
from service.auth import CurrentUser, ReviewerAccess
from service.deps import RowId, SessionDep
from service.templating import templates
from service.webhooks import service as webhooks_service
from suggest import posting as suggest_posting
from suggest import queue as suggest_queue
from suggest.schemas import Decision, QueueTab

router = APIRouter(tags=["review"])


PAGE_SIZE = 30
TAB_NAMES = {
    QueueTab.TO_REVIEW: "To review",
    QueueTab.APPROVED: "Approved",
    QueueTab.SENT: "Sent",
    QueueTab.SNOOZED: "Snoozed",
    QueueTab.SKIPPED: "Skipped",
}


@router.get("/", response_class=HTMLResponse)
def today(
    request: Request,
    session: SessionDep,
    caller: CurrentUser,
    workspace: Annotated[str | None, Query(max_length=100)] = None,
    tab: QueueTab = QueueTab.TO_REVIEW,
    platform: Annotated[Platform | None, Query()] = None,
    occasion: Annotated[Occasion | None, Query()] = None,
    after: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str | None, Query(max_length=200)] = None,
) -> Response:
    workspaces = auth.visible_workspaces(session, caller=caller)
    if not workspaces:
        return RedirectResponse("/setup", status_code=303)  # first run: set up a business
    current = (
        auth.workspace_access(session, caller=caller, name=workspace, role=Role.VIEWER).workspace
        if workspace
        else workspaces[0]
    )
    result = suggest_queue.page(
        session,
        workspace_id=current.id,
        tab=tab,
        limit=PAGE_SIZE,
        after=after,
        platform=platform,
        occasion=occasion,
        search=q,
    )
    posting = suggest_posting.posting_platforms(session, workspace_id=current.id)
    filters = {
        "platform": platform.value if platform else "",
        "occasion": occasion or "",
        "q": q or "",
    }
    return templates.TemplateResponse(
        request,
        "queue.html",
        {
            "workspace": current,
            "workspaces": workspaces,
            "cards": result.cards,
            "counts": result.counts,
            "tab": tab,
            "tabs": TAB_NAMES,
            "filters": filters,
            "platforms": list(Platform),
            "occasions": list(Occasion),
            "next_url": _url(current.name, tab, filters, result.next_cursor)
            if result.next_cursor
            else None,
            "tab_url": lambda t: _url(current.name, t, filters, None),
            "caller": caller,
            "can_decide": caller.may(current.id, Role.REVIEWER) and tab == QueueTab.TO_REVIEW,
            "can_undo": caller.may(current.id, Role.REVIEWER),
            # Truthful about what approval does: a scheduler takes it, or the owner posts it.
            "scheduler": webhooks_service.has_scheduler(session, workspace_id=current.id),
            "posting": posting.posts_on,
            "reconnect": posting.reconnect,
            "error": request.query_params.get("error"),
        },
    )


def _url(workspace: str, tab: QueueTab, filters: dict[str, str], after: str | None) -> str:
    query = {"workspace": workspace, "tab": tab.value, **filters, "after": after or ""}
    return "/?" + urlencode({k: v for k, v in query.items() if v})


@router.post("/workspaces/{name}/suggestions/{suggestion_id}/posting/retry")
def retry_posting(
    suggestion_id: RowId,
    session: SessionDep,
    access: ReviewerAccess,
    tab: Annotated[QueueTab, Form()] = QueueTab.SENT,
) -> Response:
    """Queue a failed post again (the same as the API), back to the tab it was shown on."""
    name = access.workspace.name
    try:
        suggest_posting.retry(
            session, workspace_id=access.workspace.id, suggestion_id=suggestion_id
        )
    except RapportError as exc:
        query = urlencode({"workspace": name, "tab": tab.value, "error": exc.message})
        return RedirectResponse(f"/?{query}", status_code=303)
    return RedirectResponse(f"/?{urlencode({'workspace': name, 'tab': tab.value})}", 303)


@router.post("/workspaces/{name}/suggestions/{suggestion_id}")
def decide(
    suggestion_id: RowId,
    session: SessionDep,
    access: ReviewerAccess,
    action: Annotated[str, Form()],
    final_text: Annotated[str | None, Form()] = None,
    save_as_knowledge: Annotated[str | None, Form()] = None,
    snooze_until: Annotated[str | None, Form()] = None,
    approve_anyway: Annotated[bool, Form()] = False,
    reason: Annotated[str | None, Form()] = None,
) -> Response:
    """The same decision as the API, for a browser without JavaScript."""
    name = access.workspace.name
    try:
        decision_in = Decision.model_validate(
            {
                "action": action,
                "final_text": final_text,
                "save_as_knowledge": save_as_knowledge or None,
                "snooze_until": snooze_until or None,
                "approve_anyway": approve_anyway,
                "reason": reason or None,
            }
        )
    except ValidationError as exc:
        message = "; ".join(str(e["msg"]) for e in exc.errors())
        return RedirectResponse(f"/?{urlencode({'workspace': name, 'error': message})}", 303)
    try:
        suggest_queue.decide(
            session,
            workspace=access.workspace,
            suggestion_id=suggestion_id,
            decision_in=decision_in,
            reviewer_id=access.user_id,
            reviewer=access.caller.label,
        )
    except RapportError as exc:
        query = urlencode({"workspace": name, "error": exc.message})
        return RedirectResponse(f"/?{query}", status_code=303)
    return RedirectResponse(f"/?{urlencode({'workspace': name})}", status_code=303)
