"""Encryption of secrets at rest (platform credentials, webhook secrets) with Fernet, and keys
derived from the same secret for signing (session cookies)."""

from __future__ import annotations

import hashlib
import hmac
import os

from cryptography.fernet import Fernet

from core.settings import Settings


def _key(settings: Settings) -> bytes:
    """RAPPORT_SECRET_KEY, else a key generated once in the data directory."""
    key = settings.secret_key.get_secret_value()
    if key:
        return key.encode()
    path = settings.data_dir / "secret.key"
    if not path.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(Fernet.generate_key())
    return path.read_bytes().strip()


def fernet(settings: Settings) -> Fernet:
    """Fernet from RAPPORT_SECRET_KEY, else from a key generated once in the data directory."""
    return Fernet(_key(settings))


def signing_key(settings: Settings, purpose: str) -> str:
    """A key for one purpose (e.g. "session"), derived from the secret key: one secret to keep."""
    return hmac.new(_key(settings), purpose.encode(), hashlib.sha256).hexdigest()
