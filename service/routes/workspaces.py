"""JSON API for setting up a business: the workspace file and its knowledge snippets.

Workspace bodies are JSON or YAML (by Content-Type); an invalid body is a 422 whose `detail`
lists every error with its path, also given one by one in `errors`. Any signed-in user may create
a workspace (and owns it); reading needs viewer, knowledge edits reviewer, the file owner.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request, Response

from core.errors import InvalidInput, WorkspaceFileError
from core.models import Role
from ingest import knowledge, workspaces
from ingest.schemas import KnowledgeRead, KnowledgeSnippet
from service.auth import OwnerAccess, ReviewerAccess, SignedInUser, ViewerAccess
from service.deps import SessionDep
from service.users import service as users_service

router = APIRouter(prefix="/api/workspaces", tags=["workspaces"])

IF_MATCH = (
    "The snippet's `version` as you read it: if it changed since, the answer is 409 and "
    "nothing is written. Without it, the change applies to the snippet as it is now."
)
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")


def _file_body() -> dict[str, Any]:
    schema = workspaces.json_schema()
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": schema},
                "application/yaml": {"schema": schema},
            },
        }
    }


async def _text(request: Request) -> str:
    raw = await request.body()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise WorkspaceFileError(["(file): not UTF-8 text"]) from None


def _wants_yaml(request: Request, format: str | None) -> bool:
    if format is not None:
        return format == "yaml"
    accept = request.headers.get("accept", "")
    return any(t in accept for t in YAML_TYPES)


def _file_response(file: Any, *, yaml: bool, status_code: int = 200) -> Response:
    if yaml:
        return Response(workspaces.dump(file), status_code, media_type="application/yaml")
    return Response(workspaces.dump(file, as_json=True), status_code, media_type="application/json")


@router.post("", status_code=201, openapi_extra=_file_body())
async def create_workspace(request: Request, session: SessionDep, user: SignedInUser) -> Response:
    """Create a workspace from a workspace file (JSON or YAML); you become its owner."""
    file_in = workspaces.parse(await _text(request))
    workspace = workspaces.create(session, file_in=file_in)
    users_service.grant(session, user=user, workspace=workspace, role=Role.OWNER)
    return _file_response(file_in, yaml=_wants_yaml(request, None), status_code=201)


@router.get("/{name}")
def get_workspace(
    request: Request,
    access: ViewerAccess,
    format: Annotated[str | None, Query(pattern="^(json|yaml)$")] = None,
) -> Response:
    """The workspace as a file: JSON, or YAML with `Accept: application/yaml` or ?format=yaml."""
    file = workspaces.to_file(access.workspace)
    return _file_response(file, yaml=_wants_yaml(request, format))


@router.put("/{name}", openapi_extra=_file_body())
async def put_workspace(
    request: Request,
    session: SessionDep,
    access: OwnerAccess,
    dry_run: bool = False,
) -> dict[str, Any]:
    """Make the workspace what the file says (all of it or nothing); returns the changes."""
    file_in = workspaces.parse(await _text(request))
    changes = workspaces.diff(workspaces.to_file(access.workspace), file_in)
    if not dry_run:
        workspaces.apply(session, name=access.workspace.name, file_in=file_in)
    return {
        "applied": not dry_run,
        "changes": [str(c) for c in changes],
        "workspace": file_in.model_dump(mode="json"),
    }


@router.get("/{name}/knowledge")
def list_knowledge(
    access: ViewerAccess, q: Annotated[str, Query(max_length=200)] = ""
) -> list[KnowledgeRead]:
    """The knowledge snippets with their versions; with `q`, those containing its words, best
    first."""
    return knowledge.search(access.workspace, query=q)


async def _snippet(request: Request) -> KnowledgeSnippet:
    try:
        data = json.loads(await _text(request))
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"The body is not JSON: {exc.msg} (line {exc.lineno}).") from None
    return workspaces.snippet(data)


@router.post("/{name}/knowledge", status_code=201)
async def add_knowledge(
    request: Request, session: SessionDep, access: ReviewerAccess
) -> KnowledgeRead:
    """Add a snippet: {"title": ..., "text": ..., "tags": [...]}."""
    snippet_in = await _snippet(request)
    return knowledge.add(session, workspace=access.workspace, snippet_in=snippet_in)


@router.put("/{name}/knowledge/{title:path}")
async def edit_knowledge(
    title: str,
    request: Request,
    session: SessionDep,
    access: ReviewerAccess,
    if_match: Annotated[str | None, Header(description=IF_MATCH)] = None,
) -> KnowledgeRead:
    """Replace the snippet with this title (the new one may have another title)."""
    snippet_in = await _snippet(request)
    return knowledge.edit(
        session,
        workspace=access.workspace,
        title=title,
        snippet_in=snippet_in,
        expected_version=if_match,
    )


@router.delete("/{name}/knowledge/{title:path}", status_code=204)
def remove_knowledge(
    title: str,
    session: SessionDep,
    access: ReviewerAccess,
    if_match: Annotated[str | None, Header(description=IF_MATCH)] = None,
) -> Response:
    knowledge.remove(session, workspace=access.workspace, title=title, expected_version=if_match)
    return Response(status_code=204)
