"""Web pages for setting up a business: first run, settings, knowledge, and a person's page.

Plain server-rendered forms; every one posts back here. An invalid form is shown again with
what was typed and every error, with status 422; a valid one redirects (303) with a note.
Any signed-in user may set up a business (and owns it); in a workspace, viewers read every page,
reviewers edit knowledge, owners change settings and import posts.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import available_timezones

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from analysis import service as analysis_service
from core.errors import RapportError, StaleVersion, WorkspaceFileError
from core.models import EventType, Role, Workspace
from ingest import knowledge, workspaces
from ingest import repository as ingest_repository
from ingest import service as ingest_service
from ingest.schemas import slugify
from service import auth
from service.auth import (
    CurrentUser,
    OwnerAccess,
    ReviewerAccess,
    SignedInUser,
    ViewerAccess,
    WorkspaceAccess,
)
from service.deps import SessionDep
from service.templating import templates
from service.users import service as users_service
from service.users.service import Caller
from service.webhooks import service as webhooks_service
from service.webhooks.schemas import EndpointCreated
from suggest import queue as suggest_queue

router = APIRouter(tags=["settings"], include_in_schema=False)

MAX_UPLOAD = 20 * 1024 * 1024
SNIPPET_ROWS = 3
GAP_DAYS = 30


def _page(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    caller: Caller,
    status_code: int = 200,
) -> Response:
    context = {"caller": caller, **context}
    return templates.TemplateResponse(request, template, context, status_code=status_code)


def redirect_back(url: str, **params: str) -> RedirectResponse:
    return RedirectResponse(url + ("?" + urlencode(params) if params else ""), status_code=303)


def _lines(value: Any) -> list[str]:
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def _words(value: Any) -> list[str]:
    return [w.strip() for w in str(value or "").split(",") if w.strip()]


async def _upload_text(form: FormData, field: str) -> str | None:
    upload = form.get(field)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    raw = await upload.read(MAX_UPLOAD + 1)
    if len(raw) > MAX_UPLOAD:
        raise WorkspaceFileError([f"(file): larger than {MAX_UPLOAD // 1024 // 1024} MB"])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise WorkspaceFileError(["(file): not UTF-8 text"]) from None


# First run: name the business, describe it, give it a few facts; then bring in posts.


@router.get("/setup", response_class=HTMLResponse)
def setup_page(
    request: Request, session: SessionDep, caller: CurrentUser, user: SignedInUser
) -> Response:
    first = not auth.visible_workspaces(session, caller=caller)
    return _page(
        request,
        "setup.html",
        {"first": first, "form": {}, "errors": [], "rows": SNIPPET_ROWS},
        caller=caller,
    )


@router.post("/setup", response_class=HTMLResponse)
async def setup_submit(
    request: Request, session: SessionDep, caller: CurrentUser, user: SignedInUser
) -> Response:
    """Create the business; whoever creates it is its owner."""
    async with request.form() as form:  # closes the uploaded file's spool
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        try:
            text = await _upload_text(form, "file")
        except WorkspaceFileError as exc:
            return _setup_page(request, session, caller, values, exc.errors)
    try:
        name = values.get("name", "").strip() or slugify(values.get("display_name", ""))
        if text is not None:
            file_in = workspaces.parse(text, name=name or None)
        else:
            knowledge = [
                {"title": values.get(f"title_{i}", ""), "text": values.get(f"text_{i}", "")}
                for i in range(SNIPPET_ROWS)
                if values.get(f"title_{i}", "").strip() or values.get(f"text_{i}", "").strip()
            ]
            file_in = workspaces.validate(
                {
                    "name": name,
                    "display_name": values.get("display_name", "").strip(),
                    "description": values.get("description", "").strip(),
                    "helps_with": _lines(values.get("helps_with")),
                    "knowledge": knowledge,
                }
            )
        workspace = workspaces.create(session, file_in=file_in)
    except WorkspaceFileError as exc:
        return _setup_page(request, session, caller, values, exc.errors)
    except RapportError as exc:
        return _setup_page(request, session, caller, values, [exc.message])
    users_service.grant(session, user=user, workspace=workspace, role=Role.OWNER)
    return redirect_back(f"/workspaces/{file_in.name}/start")


def _setup_page(
    request: Request,
    session: SessionDep,
    caller: Caller,
    values: dict[str, str],
    errors: list[str],
) -> Response:
    first = not auth.visible_workspaces(session, caller=caller)
    return _page(
        request,
        "setup.html",
        {"first": first, "form": values, "errors": errors, "rows": SNIPPET_ROWS},
        caller=caller,
        status_code=422,
    )


def _start_page(
    request: Request,
    session: SessionDep,
    access: WorkspaceAccess,
    *,
    note: str | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    workspace = access.workspace
    people, posts = ingest_repository.count_people_posts(session, workspace_id=workspace.id)
    return _page(
        request,
        "start.html",
        {
            "workspace": workspace,
            "people": people,
            "posts": posts,
            "snippets": len(workspace.knowledge or []),
            "note": note,
            "errors": errors or [],
            "can_import": access.caller.may(workspace.id, Role.OWNER),
        },
        caller=access.caller,
        status_code=status_code,
    )


@router.get("/workspaces/{name}/start", response_class=HTMLResponse)
def start_page(request: Request, session: SessionDep, access: ViewerAccess) -> Response:
    return _start_page(request, session, access, note=request.query_params.get("note"))


@router.post("/workspaces/{name}/import", response_class=HTMLResponse)
async def import_posts(request: Request, session: SessionDep, access: OwnerAccess) -> Response:
    """Import a .jsonl or .csv export of posts; malformed lines are reported and skipped."""
    workspace, name = access.workspace, access.workspace.name
    errors: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        async with request.form() as form:
            upload = form.get("file")
            path = None
            if not isinstance(upload, UploadFile) or not upload.filename:
                errors = ["Choose a .jsonl or .csv file to import."]
            elif (suffix := Path(upload.filename).suffix.lower()) not in (".jsonl", ".csv"):
                errors = [f"{upload.filename}: use JSON Lines (.jsonl) or CSV (.csv)."]
            elif len(raw := await upload.read(MAX_UPLOAD + 1)) > MAX_UPLOAD:
                errors = [f"{upload.filename}: larger than {MAX_UPLOAD // 1024 // 1024} MB."]
            else:
                path = Path(tmp) / f"upload{suffix}"
                path.write_bytes(raw)
        if path is not None:
            report = ingest_service.import_file(session, workspace_id=workspace.id, path=path)
            r = report.result
            note = (
                f"Stored {r.posts_new} new posts ({r.people_new} new people), updated "
                f"{r.posts_updated}, skipped {r.skipped} bad lines."
            )
            return redirect_back(f"/workspaces/{name}/start", note=note)
    return _start_page(request, session, access, errors=errors, status_code=422)


# Settings: every field of the workspace file, as a form, or as a file to download or upload.


def _settings_form(workspace: Workspace) -> dict[str, Any]:
    file = workspaces.to_file(workspace)
    return {
        "display_name": file.display_name,
        "description": file.description,
        "helps_with": "\n".join(file.helps_with),
        "voice": file.voice,
        "languages": ", ".join(file.languages),
        "timezone": file.timezone,
        "ready_at": file.ready_at.strftime("%H:%M"),
        "replies_per_day": str(file.cadence.replies_per_day),
        "days_between_replies": str(file.cadence.days_between_replies),
        "products": "\n".join(file.products),
        "banned_phrases": "\n".join(file.banned_phrases),
    }


def render_settings(
    request: Request,
    session: Session,
    access: WorkspaceAccess,
    *,
    form: dict[str, Any] | None = None,
    errors: list[str] | None = None,
    changes: list[str] | None = None,
    new_endpoint: EndpointCreated | None = None,
    status_code: int = 200,
) -> Response:
    """The settings page; an owner also sees the webhook endpoints (a new one with its secret)."""
    workspace = access.workspace
    owner = access.caller.may(workspace.id, Role.OWNER)
    return _page(
        request,
        "settings.html",
        {
            "workspace": workspace,
            "form": form or _settings_form(workspace),
            "errors": errors or [],
            "changes": changes or [],
            "saved": request.query_params.get("saved"),
            "timezones": sorted(available_timezones()),
            "can_edit": owner,
            "endpoints": webhooks_service.list_endpoints(session, workspace=workspace)
            if owner
            else [],
            "event_types": [t.value for t in EventType if t != EventType.WEBHOOK_TEST],
            "new_endpoint": new_endpoint,
        },
        caller=access.caller,
        status_code=status_code,
    )


@router.get("/workspaces/{name}/settings", response_class=HTMLResponse)
def settings_page(request: Request, session: SessionDep, access: ViewerAccess) -> Response:
    return render_settings(request, session, access)


@router.post("/workspaces/{name}/settings", response_class=HTMLResponse)
async def settings_submit(request: Request, session: SessionDep, access: OwnerAccess) -> Response:
    name = access.workspace.name
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    # Everything the form does not show (the knowledge) is kept as it is now, not as it was
    # when this request began.
    current = workspaces.to_file(workspaces.get_locked(session, name=name)).model_dump(mode="json")
    data = current | {
        "display_name": form.get("display_name", "").strip(),
        "description": form.get("description", "").strip(),
        "helps_with": _lines(form.get("helps_with")),
        "voice": form.get("voice", "").strip(),
        "languages": _words(form.get("languages")),
        "timezone": form.get("timezone", "").strip(),
        "ready_at": form.get("ready_at", "").strip(),
        "cadence": {
            "replies_per_day": form.get("replies_per_day", "").strip(),
            "days_between_replies": form.get("days_between_replies", "").strip(),
        },
        "products": _lines(form.get("products")),
        "banned_phrases": _lines(form.get("banned_phrases")),
    }
    try:
        file_in = workspaces.validate(data)
    except WorkspaceFileError as exc:
        return render_settings(
            request, session, access, form=form, errors=exc.errors, status_code=422
        )
    changes = workspaces.apply(session, name=name, file_in=file_in)
    return redirect_back(f"/workspaces/{name}/settings", saved=f"Saved {len(changes)} changes.")


@router.post("/workspaces/{name}/settings/file", response_class=HTMLResponse)
async def settings_file(request: Request, session: SessionDep, access: OwnerAccess) -> Response:
    """Apply an uploaded workspace file: all of it, or nothing and every error."""
    name = access.workspace.name
    try:
        async with request.form() as form:
            text = await _upload_text(form, "file")
        if text is None:
            raise WorkspaceFileError(["(file): choose a workspace file (.yaml or .json)"])
        file_in = workspaces.parse(text, name=name)
        changes = workspaces.apply(session, name=name, file_in=file_in)
    except WorkspaceFileError as exc:
        return render_settings(request, session, access, errors=exc.errors, status_code=422)
    return render_settings(
        request, session, access, changes=[str(c) for c in changes] or ["No changes."]
    )


# Knowledge: the snippets, which ones replies used, and the questions none answered.


def _knowledge_page(
    request: Request,
    session: SessionDep,
    access: WorkspaceAccess,
    *,
    add: dict[str, str] | None = None,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    workspace = access.workspace
    query = request.query_params.get("q", "").strip()
    snippets = knowledge.search(workspace, query=query)
    since = datetime.now(UTC) - timedelta(days=GAP_DAYS)
    gaps = suggest_queue.knowledge_gaps(session, workspace_id=workspace.id, since=since)
    return _page(
        request,
        "knowledge.html",
        {
            "workspace": workspace,
            "snippets": snippets,
            "total": len(workspace.knowledge or []),
            "query": query,
            "usage": suggest_queue.knowledge_usage(session, workspace_id=workspace.id),
            "gaps": [g for g in gaps if not g.answered],
            "gap_days": GAP_DAYS,
            "add": add or {},
            "errors": errors or [],
            "saved": request.query_params.get("saved"),
            "can_edit": access.caller.may(workspace.id, Role.REVIEWER),
        },
        caller=access.caller,
        status_code=status_code,
    )


@router.get("/workspaces/{name}/knowledge", response_class=HTMLResponse)
def knowledge_page(request: Request, session: SessionDep, access: ViewerAccess) -> Response:
    return _knowledge_page(request, session, access)


async def _snippet_form(request: Request) -> dict[str, str]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


@router.post("/workspaces/{name}/knowledge", response_class=HTMLResponse)
async def knowledge_add(request: Request, session: SessionDep, access: ReviewerAccess) -> Response:
    workspace, name = access.workspace, access.workspace.name
    form = await _snippet_form(request)
    try:
        snippet_in = workspaces.snippet(
            {
                "title": form.get("title", ""),
                "text": form.get("text", ""),
                "tags": _words(form.get("tags")),
            }
        )
        knowledge.add(session, workspace=workspace, snippet_in=snippet_in)
    except WorkspaceFileError as exc:
        errors = exc.errors
    except RapportError as exc:
        errors = [exc.message]
    else:
        return redirect_back(f"/workspaces/{name}/knowledge", saved=f"Added “{snippet_in.title}”.")
    return _knowledge_page(request, session, access, add=form, errors=errors, status_code=422)


@router.post("/workspaces/{name}/knowledge/edit", response_class=HTMLResponse)
async def knowledge_edit(request: Request, session: SessionDep, access: ReviewerAccess) -> Response:
    workspace, name = access.workspace, access.workspace.name
    form = await _snippet_form(request)
    original = form.get("original", "")
    status_code = 422
    try:
        snippet_in = workspaces.snippet(
            {
                "title": form.get("title", ""),
                "text": form.get("text", ""),
                "tags": _words(form.get("tags")),
            }
        )
        knowledge.edit(
            session,
            workspace=workspace,
            title=original,
            snippet_in=snippet_in,
            expected_version=form.get("version") or None,
        )
    except WorkspaceFileError as exc:
        errors = [f"“{original}”: {e}" for e in exc.errors]
    except StaleVersion as exc:
        errors, status_code = [exc.message], exc.status_code
        if form.get("text"):
            # What they wrote is not lost: it is here to copy into the current version.
            errors.append(f"What you wrote: {form['text']}")
    except RapportError as exc:
        errors = [exc.message]
    else:
        return redirect_back(f"/workspaces/{name}/knowledge", saved=f"Saved “{snippet_in.title}”.")
    return _knowledge_page(request, session, access, errors=errors, status_code=status_code)


@router.post("/workspaces/{name}/knowledge/delete", response_class=HTMLResponse)
async def knowledge_delete(
    request: Request, session: SessionDep, access: ReviewerAccess
) -> Response:
    workspace, name = access.workspace, access.workspace.name
    form = await _snippet_form(request)
    try:
        removed = knowledge.remove(
            session,
            workspace=workspace,
            title=form.get("original") or form.get("title", ""),
            expected_version=form.get("version") or None,
        )
    except RapportError as exc:
        return _knowledge_page(
            request, session, access, errors=[exc.message], status_code=exc.status_code
        )
    return redirect_back(f"/workspaces/{name}/knowledge", saved=f"Deleted “{removed.title}”.")


# A person: what they care about over time, what they posted, what we replied.


@router.get("/workspaces/{name}/people/{handle}", response_class=HTMLResponse)
def person_page(
    request: Request, handle: str, session: SessionDep, access: ViewerAccess
) -> Response:
    workspace = access.workspace
    person = analysis_service.person_history(session, workspace_id=workspace.id, handle=handle)
    replies = suggest_queue.replies_to(session, workspace_id=workspace.id, person_id=person.id)
    return _page(
        request,
        "person.html",
        {"workspace": workspace, "person": person, "replies": replies},
        caller=access.caller,
    )
