"""The review page in a real browser (Debian's Chromium driven by Playwright)."""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from playwright.sync_api import expect

from core.database import open_database, session_scope
from core.models import Role
from core.settings import Settings
from ingest import service as ingest_service
from service import pipeline
from service.app import create_app
from tests.e2e.conftest import serving
from tests.factories import PASSWORD, make_post, make_suggestion, make_token, make_user

EMAIL = "owner@crumb.example"
# The API tokens the tests read (viewer) and decide (reviewer) with, set when the server starts.
api_headers: dict[str, str] = {}
reviewer_headers: dict[str, str] = {}
XSS = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script> is this safe?'
xss_card: dict[str, int] = {}
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.model,
    pytest.mark.skipif(not shutil.which("chromium"), reason="needs Debian's chromium package"),
]


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
        post = make_post(session, workspace_id=workspace.id, external_id="xss-1", text=XSS)
        xss_card["id"] = make_suggestion(session, post=post, score=100.0, draft="Hi there!").id
        api_headers["Authorization"] = "Bearer " + make_token(
            session, workspace=workspace, role=Role.VIEWER
        )
        reviewer_headers["Authorization"] = "Bearer " + make_token(
            session, workspace=workspace, role=Role.REVIEWER
        )
    with serving(create_app(settings, db)) as base:
        yield base
    db.close()


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


def _api(server: str, status: str) -> list[dict]:
    url = f"{server}/api/workspaces/crumb-and-kettle/suggestions?status={status}"
    return httpx.get(url, headers=api_headers).json()


def test_reviewer_works_through_the_queue_with_the_keyboard(server: str, browser, tmp_path) -> None:  # noqa: ANN001
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
    count = page.locator('[data-testid=pending-count] [data-count="to-review"]')
    pending = int(count.inner_text())

    # j moves down to a drafted card past the first; a approves it without leaving the page,
    # and the focus moves on to the NEXT card, not back to the first
    target = next(i for i in drafted if i > 0 and i + 1 < total)
    ids = [cards.nth(i).get_attribute("data-id") for i in range(total)]
    for _ in range(target):
        page.keyboard.press("j")
    assert "current" in (cards.nth(target).get_attribute("class") or "")
    page.keyboard.press("a")
    expect(page.locator(f"#s{ids[target]}")).to_be_hidden()
    expect(count).to_have_text(str(pending - 1))
    expect(page.get_by_test_id("toast")).to_contain_text("Approved")
    expect(page.locator(f"#s{ids[target + 1]}")).to_have_class(re.compile("current"))

    # u undoes it: the card is back, focused, and counted again
    page.keyboard.press("u")
    expect(page.locator(f"#s{ids[target]}")).to_be_visible()
    expect(page.locator(f"#s{ids[target]}")).to_have_class(re.compile("current"))
    expect(count).to_have_text(str(pending))
    assert _api(server, "approved") == []
    page.keyboard.press("a")
    expect(count).to_have_text(str(pending - 1))
    expect(page.get_by_test_id("toast")).to_contain_text("Approved")
    assert [str(s["id"]) for s in _api(server, "approved")] == [ids[target]]

    # An edit that sells is blocked by the guard, with its reasons; approved anyway with a why
    current = page.locator(".card.current")
    edited_id = current.get_attribute("data-id")
    page.keyboard.press("e")
    current.get_by_test_id("draft").fill("Use code CAKE50 for 50% off!")
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    blocked = current.get_by_test_id("blocked")
    expect(blocked).to_be_visible()
    expect(current.get_by_test_id("blocked-reasons")).to_contain_text("discount")
    expect(current.get_by_test_id("anyway-reason")).to_be_focused()
    page.keyboard.type("She asked for the code at the counter")
    page.keyboard.press("Enter")
    expect(page.locator(f"#s{edited_id}")).to_be_hidden()
    edited = _api(server, "edited")
    assert [(str(s["id"]), s["final_text"], s["guard_passed"]) for s in edited] == [
        (edited_id, "Use code CAKE50 for 50% off!", False)
    ]

    # Snooze to a chosen time: the toast says when it comes back; the snoozed tab shows it
    current = page.locator(".card.current")
    snoozed_id = current.get_attribute("data-id")
    back = (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    current.get_by_test_id("snooze-until").fill(back)
    page.keyboard.press("Escape")
    page.keyboard.press("z")
    expect(page.get_by_test_id("toast")).to_contain_text("Snoozed until")
    assert page.locator(f"#s{snoozed_id}").is_hidden()

    # ? shows the keys
    page.keyboard.press("?")
    expect(page.get_by_test_id("help")).to_be_visible()
    expect(page.get_by_test_id("help")).to_contain_text("undo the last decision")


def test_selected_cards_are_approved_together(server: str, browser) -> None:  # noqa: ANN001
    page = _signed_in_page(server, browser)
    count = page.locator('[data-testid=pending-count] [data-count="to-review"]')
    pending = int(count.inner_text())
    drafted = [
        c.get_attribute("data-id")
        for c in page.get_by_test_id("suggestion").all()
        if c.get_by_test_id("draft").input_value()
        and c.get_attribute("data-id") != str(xss_card["id"])
    ][:2]
    for sid in drafted:
        page.locator(f"#s{sid}").click(position={"x": 5, "y": 5})
        page.keyboard.press("x")
    page.get_by_test_id("approve-selected").click()
    for sid in drafted:
        expect(page.locator(f"#s{sid}")).to_be_hidden()
    expect(count).to_have_text(str(pending - 2))


def test_a_post_with_markup_is_shown_as_text(server: str, browser) -> None:  # noqa: ANN001
    page = _signed_in_page(server, browser)
    card = page.locator(f"#s{xss_card['id']}")
    expect(card.get_by_test_id("post")).to_contain_text(XSS)
    assert page.evaluate("window.__xss") is None
    assert card.locator("img, script").count() == 0


def test_a_cross_site_form_post_is_refused(server: str, browser, tmp_path) -> None:  # noqa: ANN001
    page = _signed_in_page(server, browser)
    target = page.locator(".card").first.get_attribute("data-id")
    evil = tmp_path / "evil.html"
    evil.write_text(
        f'<form id="f" method="post" action="{server}/workspaces/crumb-and-kettle/'
        f'suggestions/{target}">'
        '<input name="action" value="approve">'
        '<input name="final_text" value="BUY NOW! 50% off, code CAKE50"></form>'
        '<script>document.getElementById("f").submit()</script>',
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    other = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=other.serve_forever, daemon=True)
    thread.start()
    try:
        with page.expect_navigation(url=re.compile("/workspaces/")):
            page.goto(f"http://127.0.0.1:{other.server_address[1]}/evil.html")
        assert "another site" in page.content()
    finally:
        other.shutdown()
        other.server_close()
    stored = [s["final_text"] for s in _api(server, "edited") + _api(server, "approved")]
    assert "BUY NOW! 50% off, code CAKE50" not in stored


def test_the_queue_is_usable_at_phone_width(server: str, browser) -> None:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 375, "height": 740}, has_touch=True)
    page = context.new_page()
    page.goto(server + "/signin")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("keys-button")).to_be_hidden()
    card = page.get_by_test_id("suggestion").first
    box = card.bounding_box()
    assert box and box["width"] <= 375
    skip = card.get_by_role("button", name="Skip")
    assert skip.bounding_box()["height"] >= 36  # big enough for a thumb
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 375
    context.close()
