"""Commands about who signs in: users and their roles, API tokens."""

from __future__ import annotations

import ipaddress
import secrets
import sys
from typing import Annotated

import typer
from rich.table import Table

from core.database import Database, session_scope
from core.models import Role
from ingest import service as ingest_service
from service.cli.common import app, console, database, err
from service.users import repository as users_repository
from service.users import service as users_service

users_app = typer.Typer(
    help="People who sign in, and their role per workspace.", no_args_is_help=True
)
tokens_app = typer.Typer(help="API tokens: one workspace and one role each.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(tokens_app, name="tokens")

DEMO_EMAIL = "demo@rapport.local"
RoleOpt = Annotated[
    Role,
    typer.Option("--role", help="owner (everything), reviewer (decide, edit knowledge), viewer."),
]


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Argument(help="The email they sign in with.")],
    workspace: Annotated[
        list[str] | None, typer.Option("--workspace", "-w", help="Workspace (repeatable).")
    ] = None,
    role: RoleOpt = Role.REVIEWER,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user (the password is asked twice, or read from stdin) with a role."""
    password = _read_password(password_stdin)
    with database(upgrade=True) as db, session_scope(db) as session:
        spaces = [ingest_service.get_workspace(session, name=w) for w in workspace or []]
        user = users_service.create_user(session, email=email, password=password)
        for ws in spaces:
            users_service.grant(session, user=user, workspace=ws, role=role)
    where = ", ".join(workspace or []) or "no workspace yet (add one with `rapport users grant`)"
    console.print(f"User {email} created: {role.value} in {where}.")


@users_app.command("grant")
def users_grant(
    email: Annotated[str, typer.Argument(help="The user's email.")],
    workspace: Annotated[str, typer.Option("--workspace", "-w", help="Workspace name.")],
    role: RoleOpt = Role.REVIEWER,
) -> None:
    """Give a user a role in a workspace (replacing the role they had there)."""
    with database(upgrade=True) as db, session_scope(db) as session:
        ws = ingest_service.get_workspace(session, name=workspace)
        user = users_repository.get_user_by_email(session, email=email)
        if user is None:
            err.print(f"[red]No user with the email {email}.[/red]")
            raise typer.Exit(1)
        users_service.grant(session, user=user, workspace=ws, role=role)
    console.print(f"{email} is now {role.value} in {workspace}.")


@users_app.command("password")
def users_password(
    email: Annotated[str, typer.Argument(help="The user's email.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
) -> None:
    """Set a user's password."""
    password = _read_password(password_stdin)
    with database(upgrade=True) as db, session_scope(db) as session:
        users_service.set_password(session, email=email, password=password)
    console.print(f"Password of {email} changed.")


@users_app.command("list")
def users_list() -> None:
    """Users and their role in each workspace."""
    with database(upgrade=True) as db, session_scope(db) as session:
        table = Table(title="Users")
        for column in ("email", "workspace", "role"):
            table.add_column(column)
        for email, workspace, role in users_repository.memberships(session):
            table.add_row(email, workspace, role.value)
        console.print(table)


@tokens_app.command("create")
def tokens_create(
    workspace: Annotated[str, typer.Option("--workspace", "-w", help="Workspace name.")],
    name: Annotated[str, typer.Option(help="What uses the token, e.g. 'zapier'.")],
    role: RoleOpt = Role.VIEWER,
) -> None:
    """Create an API token; it is printed once and only its hash is kept."""
    with database(upgrade=True) as db, session_scope(db) as session:
        ws = ingest_service.get_workspace(session, name=workspace)
        token, plain = users_service.create_token(session, workspace=ws, name=name, role=role)
        token_id = token.id
    console.print(
        f"Token {token_id} ({role.value} in {workspace}). Copy it now, it is not shown again:"
    )
    typer.echo(plain)


@tokens_app.command("list")
def tokens_list(
    workspace: Annotated[str, typer.Option("--workspace", "-w", help="Workspace name.")],
) -> None:
    """The workspace's API tokens (their first characters, never the token)."""
    with database(upgrade=True) as db, session_scope(db) as session:
        ws = ingest_service.get_workspace(session, name=workspace)
        table = Table(title=f"API tokens · {workspace}")
        for column in ("id", "name", "role", "starts with", "created", "last used", "revoked"):
            table.add_column(column)
        for t in users_repository.list_tokens(session, workspace_id=ws.id):
            table.add_row(
                str(t.id),
                t.name,
                t.role.value,
                t.prefix + "…",
                f"{t.created_at:%Y-%m-%d}",
                f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never",
                f"{t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "",
            )
        console.print(table)


@tokens_app.command("revoke")
def tokens_revoke(token_id: Annotated[int, typer.Argument(help="The token's id.")]) -> None:
    """Revoke an API token: requests with it get 401 from now on."""
    with database(upgrade=True) as db, session_scope(db) as session:
        users_service.revoke_token(session, token_id=token_id)
    console.print(f"Token {token_id} revoked.")


def demo_login(db: Database, workspace_name: str) -> tuple[str, str]:
    """The demo user, owner of the sample workspace, with a fresh password each run."""
    password = secrets.token_urlsafe(9)
    with session_scope(db) as session:
        ws = ingest_service.get_workspace(session, name=workspace_name)
        user = users_repository.get_user_by_email(session, email=DEMO_EMAIL)
        if user is None:
            user = users_service.create_user(session, email=DEMO_EMAIL, password=password)
        else:
            users_service.set_password(session, email=DEMO_EMAIL, password=password)
        users_service.grant(session, user=user, workspace=ws, role=Role.OWNER)
    return DEMO_EMAIL, password


def refuse_open_serving(db: Database, host: str) -> None:
    """Serving beyond this machine needs someone able to sign in (else: exit with what to do)."""
    try:
        local = ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = host == "localhost"
    if local:
        return
    with session_scope(db) as session:
        configured = users_service.sign_in_configured(session)
    if not configured:
        err.print(
            f"[red]Refusing to serve on {host}: nobody can sign in yet.[/red] Create a user "
            "first: rapport users create EMAIL --workspace NAME --role owner"
        )
        raise typer.Exit(2)
