"""Who is asking and what they may do: FastAPI dependencies for every router.

- `CurrentUser`: the signed-in user (session cookie) or the API token (`Authorization: Bearer`);
  401 when neither (a browser is sent to the sign-in page).
- `SignedInUser`: the `User` signed in, never a token (a token belongs to one workspace, so it
  cannot create another); 403 for a token.
- `require_role(Role.REVIEWER)`: the workspace named in the path (`{name}`) or the `workspace`
  query parameter, when the caller has at least that role there. A workspace the caller is not
  a member of is 404, exactly like one that does not exist; a role too low is 403.
- `ViewerAccess`, `ReviewerAccess`, `OwnerAccess`: the same as ready-made annotations, e.g.
  `def page(access: ReviewerAccess) -> ...`.
- CSRF: every unsafe request that relies on the session cookie must carry the session's token,
  as the `csrf_token` form field (`{{ csrf_field() }}` in a template) or the `X-CSRF-Token`
  header, and must not come from another origin. Token-authenticated requests are exempt (a
  bearer token is never sent by a browser on its own).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from core.errors import Forbidden, NotSignedIn, WorkspaceNotFound
from core.models import Role, User, Workspace
from ingest import repository as ingest_repository
from service.deps import SessionDep
from service.users import repository as users_repository
from service.users import service as users_service
from service.users.service import Caller

SESSION_USER = "uid"
SESSION_CSRF = "csrf"
SESSION_PASSWORD = "pw"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class CsrfFailed(Forbidden):
    """This form has expired or came from another site. Reload the page and try again."""


@dataclass
class WorkspaceAccess:
    """A workspace the caller may act in, with the caller and their role there."""

    workspace: Workspace
    caller: Caller
    role: Role

    @property
    def user_id(self) -> int | None:
        return self.caller.user_id


def csrf_token(request: Request) -> str:
    """The session's CSRF token (created on first use)."""
    token = request.session.get(SESSION_CSRF)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        request.session[SESSION_CSRF] = token
    return token


def _password_mark(caller: Caller) -> str:
    """A short digest of the password hash: a new password ends the sessions of the old one."""
    stored = caller.user.password_hash if caller.user is not None else None
    return hashlib.sha256((stored or "").encode()).hexdigest()[:16]


def sign_in(request: Request, *, user: User) -> None:
    """Start a fresh session for this user (a new CSRF token too)."""
    request.session.clear()
    request.session[SESSION_USER] = user.id
    request.session[SESSION_PASSWORD] = _password_mark(Caller(roles={}, user=user))
    csrf_token(request)


def sign_out(request: Request) -> None:
    request.session.clear()


def _same_origin(request: Request, origin: str) -> bool:
    parts = urlsplit(origin)
    return (parts.scheme, parts.netloc) == (request.url.scheme, request.url.netloc)


async def csrf_protect(request: Request) -> None:
    """Refuse an unsafe cookie-authenticated request without this session's CSRF token.

    Applied to every route. Without a signed-in session there is nothing to forge (the route's
    own sign-in check answers 401); the sign-in forms themselves use `verify_csrf` directly.
    """
    if request.method in SAFE_METHODS or "authorization" in request.headers:
        return
    if SESSION_USER not in request.session:
        return
    await verify_csrf(request)


async def verify_csrf(request: Request) -> None:
    """Refuse a request from another origin or without this session's CSRF token."""
    origin = request.headers.get("origin")
    if origin is not None and not _same_origin(request, origin):
        raise CsrfFailed()
    expected = request.session.get(SESSION_CSRF)
    sent = request.headers.get("x-csrf-token")
    content_type = request.headers.get("content-type", "")
    if sent is None and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or not sent or not hmac.compare_digest(expected, sent):
        raise CsrfFailed()


# Declares the bearer scheme in the OpenAPI schema, so /docs has an "Authorize" button.
_bearer_scheme = HTTPBearer(auto_error=False, description="An API token: rap_…")


def get_caller(
    request: Request,
    session: SessionDep,
    declared: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer_scheme)] = None,
) -> Caller | None:
    """The caller, or None when nobody is signed in and no token was sent."""
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise NotSignedIn("Send the API token as `Authorization: Bearer <token>`.")
        caller = users_service.caller_for_token(session, token=value.strip())
        if caller is None:
            raise NotSignedIn("This API token is unknown or has been revoked.")
        return caller
    user_id = request.session.get(SESSION_USER)
    if not isinstance(user_id, int):
        return None
    caller = users_service.caller_for_user(session, user_id=user_id)
    # A deleted user, or a password changed since: this session no longer stands.
    if caller is None or request.session.get(SESSION_PASSWORD) != _password_mark(caller):
        request.session.clear()
        return None
    return caller


def current_caller(caller: Annotated[Caller | None, Depends(get_caller)]) -> Caller:
    if caller is None:
        raise NotSignedIn()
    return caller


CurrentUser = Annotated[Caller, Depends(current_caller)]
MaybeUser = Annotated[Caller | None, Depends(get_caller)]


def signed_in_user(caller: CurrentUser) -> User:
    if caller.user is None:
        raise Forbidden(
            "This needs a signed-in user, not an API token: a token belongs to one workspace, "
            "so it cannot create another."
        )
    return caller.user


SignedInUser = Annotated[User, Depends(signed_in_user)]


def workspace_access(session: Session, *, caller: Caller, name: str, role: Role) -> WorkspaceAccess:
    """The workspace `name` if the caller has at least `role` there (404 if not a member)."""
    workspace = ingest_repository.get_workspace(session, name=name)
    mine = caller.role_in(workspace.id) if workspace is not None else None
    if workspace is None or mine is None:
        raise WorkspaceNotFound(f"No workspace named '{name}' that you can see.")
    if not caller.may(workspace.id, role):
        raise Forbidden(f"Your role in '{name}' is {mine.value}; this needs {role.value} or above.")
    return WorkspaceAccess(workspace=workspace, caller=caller, role=mine)


def visible_workspaces(session: Session, *, caller: Caller) -> list[Workspace]:
    """The workspaces the caller is a member of, by name."""
    return list(users_repository.workspaces_by_id(session, ids=list(caller.roles)))


def require_role(role: Role) -> Any:
    """A dependency: the workspace in the path (`{name}`) or `?workspace=`, at this role."""

    def dependency(request: Request, session: SessionDep, caller: CurrentUser) -> WorkspaceAccess:
        name = request.path_params.get("name") or request.query_params.get("workspace")
        if not name:
            raise WorkspaceNotFound("Name the workspace.")
        return workspace_access(session, caller=caller, name=str(name), role=role)

    return Depends(dependency)


ViewerAccess = Annotated[WorkspaceAccess, require_role(Role.VIEWER)]
ReviewerAccess = Annotated[WorkspaceAccess, require_role(Role.REVIEWER)]
OwnerAccess = Annotated[WorkspaceAccess, require_role(Role.OWNER)]
