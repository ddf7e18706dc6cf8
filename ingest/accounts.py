"""Connected platform accounts: settings split into plain fields and encrypted secrets."""

from __future__ import annotations

import json
from typing import Any, get_args

from cryptography.fernet import Fernet
from pydantic import BaseModel, SecretStr, ValidationError
from sqlalchemy.orm import Session

from core.errors import InvalidInput, NotFound
from core.models import Account, AccountHealth, Platform
from ingest import repository
from ingest.connectors import REGISTRY, ConnectorSpec


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
    known = list(spec.settings.model_fields)
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise InvalidInput(
            f"Unknown {platform} setting{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
            f"Valid settings: {', '.join(known)}."
        )
    try:
        settings = spec.settings.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise InvalidInput(f"{platform} settings are not valid: {problems}") from None
    secrets = secret_fields(spec.settings)
    plain = settings.model_dump(mode="json", exclude=secrets)
    hidden = {k: getattr(settings, k).get_secret_value() for k in secrets if getattr(settings, k)}
    credentials = fernet.encrypt(json.dumps(hidden).encode())
    existing = repository.find_account(
        session, workspace_id=workspace_id, platform=spec.platform, handle=handle
    )
    if existing is not None:
        # Connecting it again is how an owner reconnects (new credentials) or changes its
        # settings: the cursors and spend are kept, the health starts over.
        existing.settings, existing.credentials_encrypted = plain, credentials
        existing.health, existing.health_detail = AccountHealth.OK, ""
        session.flush()
        return existing
    return repository.add_account(
        session,
        account=Account(
            workspace_id=workspace_id,
            platform=spec.platform,
            handle=handle,
            settings=plain,
            credentials_encrypted=credentials,
            cursors={},
            spend={},
        ),
    )


def connector_settings(account: Account, fernet: Fernet) -> BaseModel:
    spec = spec_for(account.platform.value)
    secrets = json.loads(fernet.decrypt(account.credentials_encrypted or b"").decode() or "{}")
    return spec.settings.model_validate({**account.settings, **secrets})


def get_account(session: Session, *, account_id: int) -> Account:
    account = repository.get_account(session, account_id=account_id)
    if account is None:
        raise NotFound(f"No account {account_id}. See `rapport accounts list`.")
    return account
