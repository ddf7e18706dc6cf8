"""The CLI against its own fresh database, as a user would run it."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app

runner = CliRunner()


@pytest.fixture
def cli_env(new_database, monkeypatch: pytest.MonkeyPatch) -> str:  # noqa: ANN001
    url = new_database()
    monkeypatch.setenv("RAPPORT_DATABASE_URL", url)
    return url


def test_import_reports_bad_lines_and_stores_the_rest(cli_env: str, tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    path.write_text(
        '{"platform": "mastodon", "post_id": "1", "author_id": "7", "author_handle": "kim@a.b",'
        ' "text": "Any tips for a first loaf?", "created_at": "2026-11-24T08:00:00Z"}\n'
        "this is not json\n"
        '{"platform": "mastodon", "post_id": "2", "author_id": "7", "author_handle": "kim@a.b",'
        ' "text": "Loaf number two!", "created_at": "2026-11-25T08:00:00Z"}\n',
        encoding="utf-8",
    )
    missing = runner.invoke(app, ["import", str(path), "--workspace", "kims-cafe"])
    assert missing.exit_code == 1
    assert "No workspace named 'kims-cafe'" in " ".join(missing.output.split())

    result = runner.invoke(app, ["import", str(path), "--workspace", "kims-cafe", "--create"])
    output = " ".join(result.output.split())
    assert result.exit_code == 0, result.output
    assert "skipped line 2: not valid JSON" in output
    assert "Stored 2 new posts (1 new people)" in output

    again = runner.invoke(app, ["import", str(path), "--workspace", "kims-cafe"])
    assert "Stored 0 new posts" in " ".join(again.output.split())
    assert "unchanged 2" in " ".join(again.output.split())


def test_queue_json_is_one_object_per_line(cli_env: str) -> None:
    runner.invoke(app, ["db", "upgrade"])
    from core.database import open_database, session_scope
    from core.settings import Settings
    from ingest import service as ingest_service

    db = open_database(Settings(_env_file=None))
    with session_scope(db) as session:
        ingest_service.get_or_create_workspace(session, name="empty-cafe")
    db.close()
    result = runner.invoke(app, ["queue", "--workspace", "empty-cafe", "--json"])
    assert result.exit_code == 0
    assert result.output.strip() == ""
    listed = runner.invoke(app, ["queue", "--workspace", "nope"])
    assert listed.exit_code == 1 and "empty-cafe" in listed.output
    for line in result.output.splitlines():
        json.loads(line)


def test_accounts_add_list_and_sync_a_mastodon_account(
    cli_env: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import responses

    from tests.integration.test_sync import _register

    monkeypatch.setenv("RAPPORT_DATA_DIR", str(tmp_path))  # where the generated key is kept
    runner.invoke(app, ["db", "upgrade"])
    from core.database import open_database, session_scope
    from core.settings import Settings
    from ingest import service as ingest_service

    db = open_database(Settings(_env_file=None))
    with session_scope(db) as session:
        ingest_service.get_or_create_workspace(session, name="toot-cafe")
    db.close()

    added = runner.invoke(
        app,
        [
            "accounts",
            "add",
            "mastodon",
            "--workspace",
            "toot-cafe",
            "--handle",
            "crumbandkettle",
            "--set",
            "api_base_url=https://mastodon.example",
        ],
        input="very-secret-token\n",
    )
    assert added.exit_code == 0, added.output
    assert "very-secret-token" not in added.output
    bad = runner.invoke(app, ["accounts", "add", "myspace", "-w", "toot-cafe", "--handle", "x"])
    assert bad.exit_code == 1
    assert "Available: mastodon" in " ".join(bad.output.split())

    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _register(rsps)
        synced = runner.invoke(app, ["sync"])
        auth = {c.request.headers.get("Authorization") for c in rsps.calls}
    assert synced.exit_code == 0, synced.output
    assert "13 new posts" in " ".join(synced.output.split())
    assert auth == {"Bearer very-secret-token"}

    from service import cli

    monkeypatch.setattr(cli.console, "width", 200)
    listed = runner.invoke(app, ["accounts", "list"])
    text = " ".join(listed.output.split())
    assert "crumbandkettle" in text and "ok" in text
    assert "very-secret-token" not in listed.output
