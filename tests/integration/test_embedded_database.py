"""The embedded PostgreSQL stops when the last Rapport process using it exits, however it exits."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RAPPORT_")}
    return env | {"RAPPORT_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}


def _postmaster_running(data_dir: Path) -> bool:
    from pgserver.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(data_dir / "postgres")
    return info is not None and info.is_running()


def _wait_until(condition, seconds: float = 60) -> bool:  # noqa: ANN001
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _rapport(data_dir: Path, *args: str) -> subprocess.Popen[bytes]:
    with (data_dir / "stderr.log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "service.cli", *args],
            env=_env(data_dir),
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "db", "upgrade"],
        env=_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert not _postmaster_running(tmp_path)  # the last (only) process stopped it
    return tmp_path


@pytest.mark.parametrize("ending", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "kill-9"])
def test_the_server_stops_when_the_last_process_ends(data_dir: Path, ending: int) -> None:
    port = _free_port()
    web = _rapport(data_dir, "web", "--port", str(port))
    try:
        assert _wait_until(lambda: _answers(port), 120), (data_dir / "stderr.log").read_text()
        assert _postmaster_running(data_dir)
    finally:
        web.send_signal(ending)
        web.wait(timeout=60)

    assert _wait_until(lambda: not _postmaster_running(data_dir), 30)


def test_a_web_process_refuses_an_old_schema(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "web", "--port", str(_free_port())],
        env=_env(tmp_path),
        cwd=ROOT,
        capture_output=True,
        timeout=180,
    )
    assert done.returncode == 2
    assert "rapport db upgrade" in done.stderr.decode().replace("\n", " ")
    assert not _postmaster_running(tmp_path)


def _answers(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False
