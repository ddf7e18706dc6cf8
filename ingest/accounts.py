"""Connected platform accounts: settings split into plain fields and encrypted secrets."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin

from cryptography.fernet import Fernet
from pydantic import BaseModel, SecretStr, ValidationError
from sqlalchemy.orm import Session

from core.errors import InvalidInput, NotFound
from core.logging import get_logger
from core.models import Account, AccountHealth, Platform
from ingest import repository
from ingest.connectors import REGISTRY, ConnectorSpec
from ingest.schemas import AccountRead, SettingField

log = get_logger(__name__)


def spec_for(platform: str) -> ConnectorSpec:
    try:
        return REGISTRY[Platform(platform)]
    except (ValueError, KeyError):
        known = ", ".join(p.value for p in REGISTRY)
        raise InvalidInput(f"No connector for '{platform}'. Available: {known}.") from None


def secret_fields(model: type[BaseModel]) -> set[str]:
    """Fields stored encrypted: secrets, required or optional (`SecretStr | None`)."""
    return {
        name
        for name, f in model.model_fields.items()
        if f.annotation is SecretStr or SecretStr in get_args(f.annotation)
    }


def required_secret_fields(model: type[BaseModel]) -> set[str]:
    """The secrets an account cannot do without (the CLI asks for them when not given)."""
    return {n for n in secret_fields(model) if model.model_fields[n].is_required()}


def add_account(
    session: Session,
    *,
    workspace_id: int,
    platform: str,
    handle: str,
    values: dict[str, Any],
    fernet: Fernet,
) -> Account:
    """Validate the connector settings and store them; secrets are encrypted, never echoed.
    An account already connected (same platform and handle) is updated: that is reconnecting."""
    spec = spec_for(platform)
    existing = repository.find_account(
        session, workspace_id=workspace_id, platform=spec.platform, handle=handle
    )
    if existing is not None:
        # Connecting it again is how an owner reconnects (new credentials) or changes its
        # settings: the cursors and spend are kept, the health starts over.
        return reconnect(
            session, workspace_id=workspace_id, account_id=existing.id, values=values, fernet=fernet
        )
    plain, hidden = _split(spec, validated(spec, values))
    return repository.add_account(
        session,
        account=Account(
            workspace_id=workspace_id,
            platform=spec.platform,
            handle=handle,
            settings=plain,
            credentials_encrypted=fernet.encrypt(json.dumps(hidden).encode()),
            health_since=datetime.now(UTC),
            cursors={},
            spend={},
        ),
    )


def validated(spec: ConnectorSpec, values: dict[str, Any]) -> BaseModel:
    """The connector's settings from `values`, or InvalidInput naming each problem."""
    platform = spec.platform.value
    known = list(spec.settings.model_fields)
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise InvalidInput(
            f"Unknown {platform} setting{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            f"Valid settings: {', '.join(known)}."
        )
    try:
        return spec.settings.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(f"{_where(spec, e['loc'])}: {e['msg']}" for e in exc.errors())
        raise InvalidInput(f"{platform} settings are not valid: {problems}") from None


def _where(spec: ConnectorSpec, loc: tuple[int | str, ...]) -> str:
    name = ".".join(map(str, loc))
    field = spec.settings.model_fields.get(name)
    return f"{field.title} ({name})" if field is not None and field.title else name


def _split(spec: ConnectorSpec, settings: BaseModel) -> tuple[dict[str, Any], dict[str, str]]:
    """Plain settings (stored as they are) and secrets (to be encrypted)."""
    secrets = secret_fields(spec.settings)
    plain = settings.model_dump(mode="json", exclude=secrets)
    hidden = {k: getattr(settings, k).get_secret_value() for k in secrets if getattr(settings, k)}
    return plain, hidden


def reconnect(
    session: Session,
    *,
    workspace_id: int,
    account_id: int,
    values: dict[str, Any],
    fernet: Fernet,
    now: datetime | None = None,
) -> Account:
    """Replace an account's settings and credentials (validated like a new account); the
    account is healthy again and the next sync uses them."""
    now = now or datetime.now(UTC)
    account = repository.lock_workspace_account(
        session, workspace_id=workspace_id, account_id=account_id
    )
    if account is None:
        raise NotFound(f"No account {account_id} in this workspace.")
    spec = spec_for(account.platform.value)
    plain, hidden = _split(spec, validated(spec, values))
    account.settings = plain
    account.credentials_encrypted = fernet.encrypt(json.dumps(hidden).encode())
    set_health(account, AccountHealth.OK, f"Reconnected {now:%Y-%m-%d %H:%M} UTC.", now=now)
    session.flush()
    log.info("ingest.account.reconnected", account_id=account.id, platform=spec.platform.value)
    return account


def workspace_account(session: Session, *, workspace_id: int, account_id: int) -> Account:
    """The workspace's account `account_id`; another workspace's is not found, like none."""
    account = repository.workspace_account(
        session, workspace_id=workspace_id, account_id=account_id
    )
    if account is None:
        raise NotFound(f"No account {account_id} in this workspace.")
    return account


def list_workspace_accounts(
    session: Session, *, workspace_id: int, today: date | None = None
) -> list[AccountRead]:
    today = today or datetime.now(UTC).date()
    return [
        account_read(a, today=today)
        for a in repository.list_accounts(session, workspace_id=workspace_id)
    ]


def account_read(account: Account, *, today: date) -> AccountRead:
    """What the accounts page shows of an account: health, last sync, today's reads and spend."""
    spent = account.spend.get(today.isoformat(), {})
    cap = account.settings.get("daily_budget_usd")
    return AccountRead(
        id=account.id,
        platform=account.platform,
        handle=account.handle,
        health=account.health,
        health_detail=account.health_detail,
        health_since=account.health_since,
        last_synced_at=account.last_synced_at,
        sync_finished_at=account.sync_finished_at,
        sync_result=account.sync_result,
        reads_today=int(spent.get("reads", 0)),
        spend_today_usd=float(spent.get("cost_usd", 0.0)),
        spend_cap_usd=float(cap) if cap is not None else None,
        post_replies=bool(account.settings.get("post_replies", False)),
        settings=dict(account.settings),
    )


def settings_form(platform: Platform, current: dict[str, Any] | None = None) -> list[SettingField]:
    """The connector's settings as form fields, filled with `current` (secrets never are)."""
    spec = spec_for(platform.value)
    secrets = secret_fields(spec.settings)
    fields = []
    for name, field in spec.settings.model_fields.items():
        kind, step = _kind(field.annotation)
        if name in secrets:
            value: Any = ""
        elif current is not None and name in current:
            value = current[name]
        else:
            value = None if field.is_required() else field.get_default(call_default_factory=True)
        fields.append(
            SettingField(
                name=name,
                title=field.title or name,
                description=field.description or "",
                kind="password" if name in secrets else kind,
                step=step,
                required=field.is_required(),
                value=_shown(value),
            )
        )
    return fields


def _kind(annotation: Any) -> tuple[str, str | None]:
    if get_origin(annotation) in (Union, UnionType):
        annotation = next(a for a in get_args(annotation) if a is not NoneType)
    if annotation is bool:
        return "checkbox", None
    if annotation is int:
        return "number", "1"
    if annotation is float:
        return "number", "any"
    return "text", None


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def form_values(platform: Platform, form: dict[str, str]) -> dict[str, Any]:
    """The connector's settings from a submitted form: blank fields take their default, an
    unticked checkbox is false."""
    spec = spec_for(platform.value)
    values: dict[str, Any] = {}
    for name, field in spec.settings.model_fields.items():
        raw = form.get(name, "").strip()
        if _kind(field.annotation)[0] == "checkbox":
            values[name] = bool(raw)
        elif raw:
            values[name] = raw
    return values


def set_health(account: Account, health: AccountHealth, detail: str, *, now: datetime) -> bool:
    """Set the account's health and its reason; `health_since` moves only when it changes.
    True when it changed."""
    changed = account.health != health
    account.health, account.health_detail = health, detail
    if changed or account.health_since is None:
        account.health_since = now
    return changed


def connector_settings(account: Account, fernet: Fernet) -> BaseModel:
    spec = spec_for(account.platform.value)
    secrets = json.loads(fernet.decrypt(account.credentials_encrypted or b"").decode() or "{}")
    return spec.settings.model_validate({**account.settings, **secrets})


def get_account(session: Session, *, account_id: int) -> Account:
    account = repository.get_account(session, account_id=account_id)
    if account is None:
        raise NotFound(f"No account {account_id}. See `rapport accounts list`.")
    return account
