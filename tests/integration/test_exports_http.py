"""Export downloads over the API, the analytics page, and `rapport export`, on a real database."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from core.database import Database
from core.models import Occasion, Role, SuggestionStatus
from core.settings import Settings
from ingest import repository as ingest_repository
from service.app import create_app
from service.cli import app as cli
from tests.factories import make_member, make_post, make_suggestion, make_user, make_workspace
from tests.integration.test_exports import _analysis, seed
from tests.signin import sign_in

VIEWER = "viewer@example.com"


@pytest.fixture
def client(db: Database) -> Iterator[TestClient]:
    """Signed in as a user who may only look: a viewer of the workspaces `_viewer_of` names."""
    with db.sessions() as session:
        make_user(session, email=VIEWER)
        session.commit()
    with TestClient(create_app(Settings(_env_file=None), db)) as c:
        sign_in(c, VIEWER)
        yield c


def _viewer_of(db: Database, *names: str) -> None:
    with db.sessions() as session:
        for name in names:
            ws = ingest_repository.get_workspace(session, name=name)
            make_member(session, workspace=ws, email=VIEWER, role=Role.VIEWER)
        session.commit()


def test_an_export_downloads_as_a_streamed_file(client: TestClient, db: Database) -> None:
    with db.sessions() as session:
        seeded = seed(session)
        session.commit()
    _viewer_of(db, "exports-ws")
    url = "/api/workspaces/exports-ws/exports/suggestions"
    with client.stream("GET", url, params={"format": "parquet", "since": "2026-11-01"}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/vnd.apache.parquet"
        assert r.headers["content-disposition"] == (
            'attachment; filename="exports-ws-suggestions-2026-11-01_now.parquet"'
        )
        assert "content-length" not in r.headers  # sent as it is written
        body = b"".join(r.iter_bytes())
    ids = pq.read_table(io.BytesIO(body)).column("suggestion_id").to_pylist()
    assert ids == [seeded.edited_id, seeded.approved_id, seeded.pending_id]

    jsonl = client.get(url, params={"format": "jsonl", "until": "2026-11-20"})
    assert jsonl.headers["content-type"].startswith("application/jsonl")
    rows = [json.loads(line) for line in jsonl.text.splitlines()]
    assert [r["suggestion_id"] for r in rows] == [seeded.old_id, seeded.edited_id]

    people = client.get("/api/workspaces/exports-ws/exports/people")  # CSV by default
    assert people.headers["content-type"] == "text/csv; charset=utf-8"
    assert [r["handle"] for r in csv.DictReader(io.StringIO(people.text))] == [
        "maria@example.social"
    ]


@pytest.mark.parametrize(
    ("path", "params", "status", "detail"),
    [
        ("suggestions", {"format": "xlsx"}, 422, "Unknown format 'xlsx': use csv, jsonl or"),
        ("suggestions", {"since": "2026-13-01"}, 422, "since '2026-13-01' is not a date"),
        ("suggestions", {"since": "yesterday"}, 422, "use YYYY-MM-DD"),
        (
            "suggestions",
            {"since": "2026-11-20", "until": "2026-11-01"},
            422,
            "until (2026-11-01) must come after since (2026-11-20)",
        ),
        ("replies", {}, 422, "Unknown export 'replies': use suggestions, people, posts or daily"),
    ],
)
def test_bad_export_parameters_get_a_clear_422(
    client: TestClient,
    db: Database,
    path: str,
    params: dict[str, str],
    status: int,
    detail: str,
) -> None:
    with db.sessions() as session:
        make_workspace(session, name="exports-ws")
        session.commit()
    _viewer_of(db, "exports-ws")
    response = client.get(f"/api/workspaces/exports-ws/exports/{path}", params=params)
    assert response.status_code == status
    assert detail in response.json()["detail"]


def test_an_unknown_workspace_is_a_404(client: TestClient) -> None:
    response = client.get("/api/workspaces/nobody/exports/suggestions")
    assert response.status_code == 404
    assert "No workspace named 'nobody'" in response.json()["detail"]


def test_the_analytics_page_shows_decisions_interests_knowledge_and_gaps(
    client: TestClient, db: Database
) -> None:
    now = datetime.now(UTC)
    with db.sessions() as session:
        ws = make_workspace(session, name="busy-ws")
        for i, status in enumerate(
            [SuggestionStatus.APPROVED, SuggestionStatus.EDITED, SuggestionStatus.REJECTED]
        ):
            post = make_post(session, workspace_id=ws.id, external_id=f"a{i}", posted_at=now)
            _analysis(session, post)
            make_suggestion(
                session,
                post=post,
                status=status,
                created_at=now - timedelta(hours=2),
                decided_at=now - timedelta(hours=1, minutes=50),
                final_text="Feed it twice a day!" if status != SuggestionStatus.REJECTED else None,
                grounding={"knowledge": ["Opening hours"]},
            )
        gap = make_post(
            session,
            workspace_id=ws.id,
            external_id="gap",
            text="Do you sell gluten-free bread?",
            posted_at=now,
        )
        make_suggestion(
            session,
            post=gap,
            occasion=Occasion.KNOWLEDGE_GAP,
            draft="",
            created_at=now - timedelta(hours=1),
        )
        session.commit()
    _viewer_of(db, "busy-ws")
    page = client.get("/workspaces/busy-ws/analytics")
    assert page.status_code == 200
    html = page.text
    assert 'data-testid="approval-rate">67%' in html  # two of three decided were approved
    assert 'data-testid="median-approve">10 min' in html
    for chart in ("per-day", "audience", "needs", "knowledge"):
        assert f'data-testid="{chart}"' in html
    assert "<svg" in html and "food &amp; dining" in html
    assert "Opening hours: 3 in drafts" in html
    assert "Do you sell gluten-free bread?" in html  # the unanswered question
    assert "/api/workspaces/busy-ws/exports/suggestions?format=parquet" in html
    assert 'href="/workspaces/busy-ws/analytics"' in client.get("/?workspace=busy-ws").text


def test_the_analytics_page_of_a_new_workspace_says_there_is_nothing_yet(
    client: TestClient, db: Database
) -> None:
    with db.sessions() as session:
        make_workspace(session, name="new-ws")
        session.commit()
    _viewer_of(db, "new-ws")
    page = client.get("/workspaces/new-ws/analytics")
    assert page.status_code == 200
    assert "Nothing to show yet" in page.text
    assert "/api/workspaces/new-ws/exports/daily?format=csv" in page.text
    assert client.get("/workspaces/new-ws/analytics?days=0").status_code == 422


# --- the CLI ----------------------------------------------------------------------------------

runner = CliRunner()


@pytest.fixture
def cli_env(new_database, monkeypatch: pytest.MonkeyPatch) -> str:  # noqa: ANN001
    url = new_database()
    monkeypatch.setenv("RAPPORT_DATABASE_URL", url)
    from core.database import open_database, session_scope

    db = open_database(Settings(_env_file=None))
    with session_scope(db) as session:
        seed(session)
    db.close()
    return url


def test_rapport_export_writes_parquet_and_jsonl(cli_env: str, tmp_path: Path) -> None:
    out = tmp_path / "out.parquet"
    args = ["export", "suggestions", "--since", "2026-11-01", "-w", "exports-ws", "-o", str(out)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert f"Wrote 3 suggestions to {out} (parquet)" in " ".join(result.output.split())
    table = pq.read_table(out)
    assert table.column("status").to_pylist() == ["edited", "approved", "pending"]
    assert not (tmp_path / "out.parquet.part").exists()

    stdout = runner.invoke(cli, ["export", "daily", "-w", "exports-ws", "--format", "jsonl"])
    assert stdout.exit_code == 0, stdout.output
    days = [json.loads(line) for line in stdout.stdout.splitlines()]
    assert days[0]["day"] == "2026-10-21" and sum(d["suggestions"] for d in days) == 4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2026-11-31"], "since '2026-11-31' is not a date"),
        (["--format", "xlsx"], "Unknown format 'xlsx'"),
        (["-w", "nope"], "No workspace named 'nope'"),
        (["-o", "/nonexistent/out.csv"], "its folder does not exist"),
    ],
)
def test_rapport_export_explains_bad_input(cli_env: str, args: list[str], message: str) -> None:
    result = runner.invoke(cli, ["export", "suggestions", *args])
    assert result.exit_code != 0
    assert message in " ".join(result.output.split())


def test_parquet_is_not_written_to_a_terminal(tmp_path: Path) -> None:
    primary, secondary = pty.openpty()
    env = {**os.environ, "RAPPORT_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}
    done = subprocess.run(
        [sys.executable, "-m", "service.cli", "export", "suggestions", "--format", "parquet"],
        stdout=secondary,
        stderr=subprocess.PIPE,
        env=env,
        timeout=60,
        check=False,
        cwd=Path(__file__).parents[2],
    )
    os.close(secondary)
    os.close(primary)
    assert done.returncode == 2
    assert "write it to a file with -o out.parquet" in " ".join(done.stderr.decode().split())
