"""Sign in, sign out, and the first user (only while nobody can sign in yet)."""

from __future__ import annotations

import ipaddress
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from core.errors import Forbidden, RapportError
from core.models import Role
from ingest import repository as ingest_repository
from service import auth
from service.deps import SessionDep
from service.templating import templates
from service.users import service as users_service
from service.users.throttle import SignInThrottle

router = APIRouter(tags=["sign-in"], include_in_schema=False)
TOO_MANY = "Too many failed attempts. Wait a quarter of an hour, or ask an owner to reset it."


def _safe_next(target: str | None) -> str:
    """Only a path on this site (never `//elsewhere` or `https://elsewhere`)."""
    if target and target.startswith("/") and not target.startswith(("//", "/\\")):
        return target
    return "/"


def _from_this_machine(request: Request) -> bool:
    host = request.client.host if request.client else ""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in ("testclient", "localhost")


@router.get("/signin")
def signin_page(request: Request, session: SessionDep, next: str | None = None) -> Response:
    if not users_service.sign_in_configured(session):
        return RedirectResponse("/first-user", status_code=303)
    return templates.TemplateResponse(request, "signin.html", {"next": _safe_next(next)})


@router.post("/signin", dependencies=[Depends(auth.verify_csrf)])
def signin(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str | None, Form()] = None,
) -> Response:
    throttle: SignInThrottle = request.app.state.sign_in_throttle
    keys = (
        "email:" + email.strip().lower(),
        "client:" + (request.client.host if request.client else ""),
    )
    if throttle.blocked(*keys):
        return templates.TemplateResponse(
            request,
            "signin.html",
            {"next": _safe_next(next), "email": email, "error": TOO_MANY},
            status_code=429,
        )
    user = users_service.authenticate(session, email=email, password=password)
    if user is None:
        throttle.failed(*keys)
        return templates.TemplateResponse(
            request,
            "signin.html",
            {"next": _safe_next(next), "email": email, "error": "Wrong email or password."},
            status_code=401,
        )
    throttle.succeeded(keys[0])
    auth.sign_in(request, user=user)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/signout")
def signout(request: Request) -> Response:
    auth.sign_out(request)
    return RedirectResponse("/signin", status_code=303)


@router.get("/first-user")
def first_user_page(request: Request, session: SessionDep) -> Response:
    if users_service.sign_in_configured(session):
        return RedirectResponse("/signin", status_code=303)
    return templates.TemplateResponse(
        request, "first_user.html", {"local": _from_this_machine(request)}
    )


@router.post("/first-user", dependencies=[Depends(auth.verify_csrf)])
def first_user(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    password_again: Annotated[str, Form(max_length=1000)],
) -> Response:
    """The first user becomes owner of every workspace there is."""
    if users_service.sign_in_configured(session):
        raise Forbidden("Rapport already has a user: sign in, or ask an owner to add you.")
    if not _from_this_machine(request):
        raise Forbidden("Create the first user on the server: `rapport users create EMAIL`.")
    error = "The two passwords differ." if password != password_again else None
    if error is None:
        try:
            user = users_service.create_user(session, email=email, password=password)
        except RapportError as exc:
            error = exc.message
    if error is not None:
        return templates.TemplateResponse(
            request,
            "first_user.html",
            {"local": True, "email": email, "error": error},
            status_code=422,
        )
    for workspace in ingest_repository.list_workspaces(session):
        users_service.grant(session, user=user, workspace=workspace, role=Role.OWNER)
    auth.sign_in(request, user=user)
    return RedirectResponse("/", status_code=303)
