"""Encryption of secrets at rest (platform credentials, webhook secrets) with Fernet."""

from __future__ import annotations

import os

from cryptography.fernet import Fernet

from core.settings import Settings


def fernet(settings: Settings) -> Fernet:
    """Fernet from RAPPORT_SECRET_KEY, else from a key generated once in the data directory."""
    key = settings.secret_key.get_secret_value()
    if key:
        return Fernet(key.encode())
    path = settings.data_dir / "secret.key"
    if not path.exists():
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(Fernet.generate_key())
    return Fernet(path.read_bytes().strip())
