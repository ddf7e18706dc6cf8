"""Users, roles per workspace and API tokens: create, sign in, authorise, revoke."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy.orm import Session

from core.errors import Conflict, InvalidInput, NotFound
from core.models import ApiToken, Membership, Role, User, Workspace
from service.users import repository

PASSWORD_MIN = 8
TOKEN_PREFIX = "rap_"
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")
# Higher roles may do everything lower ones may.
RANK = {Role.VIEWER: 0, Role.REVIEWER: 1, Role.OWNER: 2}

_hasher = PasswordHash((Argon2Hasher(),))
# Verified against when the email is unknown, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


@dataclass
class Caller:
    """Who is asking: a signed-in user or an API token, with a role per workspace id."""

    roles: dict[int, Role]
    user: User | None = None
    token: ApiToken | None = None
    label: str = field(default="")

    @property
    def user_id(self) -> int | None:
        if self.user is not None:
            return self.user.id
        return self.token.user_id if self.token is not None else None

    def role_in(self, workspace_id: int) -> Role | None:
        return self.roles.get(workspace_id)

    def may(self, workspace_id: int, role: Role) -> bool:
        mine = self.roles.get(workspace_id)
        return mine is not None and RANK[mine] >= RANK[role]


def hash_password(password: str) -> str:
    if len(password) < PASSWORD_MIN:
        raise InvalidInput(f"A password needs at least {PASSWORD_MIN} characters.")
    return _hasher.hash(password)


def sign_in_configured(session: Session) -> bool:
    """At least one user can sign in with a password."""
    return repository.count_users_with_password(session) > 0


def create_user(session: Session, *, email: str, password: str, name: str = "") -> User:
    email = email.strip()
    if not EMAIL.match(email):
        raise InvalidInput(f"'{email}' is not an email address.")
    if repository.get_user_by_email(session, email=email) is not None:
        raise Conflict(f"A user with the email {email} already exists.")
    user = User(email=email, name=name, password_hash=hash_password(password))
    session.add(user)
    session.flush()
    return user


def set_password(session: Session, *, email: str, password: str) -> User:
    user = repository.get_user_by_email(session, email=email)
    if user is None:
        raise NotFound(f"No user with the email {email}.")
    user.password_hash = hash_password(password)
    session.flush()
    return user


def grant(session: Session, *, user: User, workspace: Workspace, role: Role) -> Membership:
    """Give `user` this role in `workspace` (replacing any role they had there)."""
    membership = repository.get_membership(session, user_id=user.id, workspace_id=workspace.id)
    if membership is None:
        membership = Membership(user_id=user.id, workspace_id=workspace.id, role=role)
        session.add(membership)
    else:
        membership.role = role
    session.flush()
    return membership


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """The user with this email and password, or None (same time either way)."""
    user = repository.get_user_by_email(session, email=email.strip())
    stored = user.password_hash if user is not None and user.password_hash else None
    valid, new_hash = _hasher.verify_and_update(password, stored or _DUMMY_HASH)
    if user is None or stored is None or not valid:
        return None
    if new_hash:  # the hasher's parameters changed since: keep the stronger hash
        user.password_hash = new_hash
    return user


def caller_for_user(session: Session, *, user_id: int) -> Caller | None:
    user = repository.get_user(session, user_id=user_id)
    if user is None:
        return None
    return Caller(roles=repository.roles_of(session, user_id=user.id), user=user, label=user.email)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(
    session: Session, *, workspace: Workspace, name: str, role: Role, user_id: int | None = None
) -> tuple[ApiToken, str]:
    """A new API token: the row (holding only the hash) and the token, to show once."""
    name = name.strip()
    if not name:
        raise InvalidInput("Give the token a name, e.g. the tool that will use it.")
    plain = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        workspace_id=workspace.id,
        user_id=user_id,
        name=name[:100],
        role=role,
        token_hash=_digest(plain),
        prefix=plain[:12],
    )
    session.add(token)
    session.flush()
    return token, plain


def revoke_token(
    session: Session,
    *,
    token_id: int,
    workspace_id: int | None = None,
    now: datetime | None = None,
) -> ApiToken:
    """Revoke a token (of this workspace, when given): requests with it get 401 from now on."""
    token = repository.get_token(session, token_id=token_id)
    if token is None or (workspace_id is not None and token.workspace_id != workspace_id):
        raise NotFound(f"No API token {token_id}.")
    if token.revoked_at is None:
        token.revoked_at = now or datetime.now(UTC)
        session.flush()
    return token


def caller_for_token(session: Session, *, token: str, now: datetime | None = None) -> Caller | None:
    """The caller a bearer token stands for, or None when it is unknown or revoked."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    row = repository.get_token_by_hash(session, token_hash=_digest(token))
    if row is None:
        return None
    repository.touch_token(row, now=now or datetime.now(UTC))
    return Caller(roles={row.workspace_id: row.role}, token=row, label=f"token {row.name}")
