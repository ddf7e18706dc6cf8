"""The review page in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
import uvicorn

from core.database import open_database, session_scope
from core.models import Role
from core.settings import Settings
from ingest import service as ingest_service
from service import pipeline
from service.app import create_app
from tests.factories import PASSWORD, make_token, make_user

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
EMAIL = "owner@crumb.example"
# The API token the tests read with (set when the server starts).
api_headers: dict[str, str] = {}
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.model,
    pytest.mark.skipif(not shutil.which("chromium"), reason="needs Debian's chromium package"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(new_database, analyzer) -> Iterator[str]:  # noqa: ANN001
    settings = Settings(_env_file=None, database_url=new_database())
    db = open_database(settings)
    with session_scope(db) as session:
        ingest_service.load_sample(session, today=datetime.now(UTC))
    pipeline.run(
        pipeline.Resources(settings, db, _analyzer=analyzer), workspace_name="crumb-and-kettle"
    )
    with session_scope(db) as session:
        workspace = ingest_service.get_workspace(session, name="crumb-and-kettle")
        make_user(session, email=EMAIL, workspace=workspace, role=Role.OWNER)
        api_headers["Authorization"] = "Bearer " + make_token(
            session, workspace=workspace, role=Role.VIEWER
        )
    port = _free_port()
    config = uvicorn.Config(
        create_app(settings, db), host="127.0.0.1", port=port, log_level="warning"
    )
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(base + "/docs", timeout=1)
            break
        except httpx.TransportError:
            time.sleep(0.1)
    yield base
    uv.should_exit = True
    thread.join(timeout=10)
    db.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


def _signed_in_page(server: str, browser):  # noqa: ANN001, ANN202
    page = browser.new_page()
    page.goto(server + "/")
    assert "/signin" in page.url
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.get_by_test_id("me").inner_text() == EMAIL
    return page


def test_reviewer_approves_and_edits_with_the_keyboard(server: str, browser, tmp_path) -> None:  # noqa: ANN001
    page = _signed_in_page(server, browser)
    cards = page.get_by_test_id("suggestion")
    total = cards.count()
    assert total >= 10
    first = cards.nth(0)
    assert first.get_by_test_id("post").inner_text()
    assert first.get_by_test_id("reason").inner_text()
    page.screenshot(path=str(tmp_path / "queue.png"), full_page=False)
    # Cards for a person (grief, questions the knowledge doesn't cover) have no draft and say
    # what is needed; the others carry a draft to approve.
    drafted = [i for i in range(total) if cards.nth(i).get_by_test_id("draft").input_value()]
    assert drafted and len(drafted) < total
    card = next(i for i in range(total) if i not in drafted)
    assert cards.nth(card).get_by_test_id("card-kind").inner_text()

    # j moves down to the first drafted card after the first, a approves it; the page comes
    # back with one card fewer
    target = next(i for i in drafted if i > 0)
    second_id = cards.nth(target).get_attribute("data-id")
    for _ in range(target):
        page.keyboard.press("j")
    assert "current" in (cards.nth(target).get_attribute("class") or "")
    with page.expect_navigation():
        page.keyboard.press("a")
    assert page.get_by_test_id("suggestion").count() == total - 1
    assert page.locator(f"#s{second_id}").count() == 0

    # e focuses the draft of the current card; an edit then approve keeps the new words
    page.keyboard.press("e")
    draft = page.get_by_test_id("suggestion").nth(0).get_by_test_id("draft")
    draft.fill("Thanks so much for asking! Hope this helps you.")
    page.keyboard.press("Escape")
    with page.expect_navigation():
        page.keyboard.press("a")
    edited = httpx.get(
        server + "/api/workspaces/crumb-and-kettle/suggestions?status=edited", headers=api_headers
    )
    assert [s["final_text"] for s in edited.json()] == [
        "Thanks so much for asking! Hope this helps you."
    ]
    approved = httpx.get(
        server + "/api/workspaces/crumb-and-kettle/suggestions?status=approved",
        headers=api_headers,
    )
    assert [str(s["id"]) for s in approved.json()] == [second_id]
