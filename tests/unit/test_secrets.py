from pathlib import Path

from cryptography.fernet import Fernet

from core.secrets import fernet
from core.settings import Settings


def test_a_generated_key_is_kept_private_and_reused(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, secret_key="")
    token = fernet(settings).encrypt(b"page-token")
    assert fernet(settings).decrypt(token) == b"page-token"
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600


def test_the_configured_key_wins(tmp_path: Path) -> None:
    key = Fernet.generate_key().decode()
    settings = Settings(_env_file=None, data_dir=tmp_path, secret_key=key)
    assert Fernet(key).decrypt(fernet(settings).encrypt(b"x")) == b"x"
    assert not (tmp_path / "secret.key").exists()
