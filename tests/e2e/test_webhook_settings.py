"""Webhook endpoints on the settings page, in a real browser, against a real receiver on
loopback that verifies every signature with the secret the page showed (loopback targets are
allowed here with RAPPORT_WEBHOOK_ALLOW_PRIVATE_TARGETS, as on a single host); and a reply
Rapport failed to post, retried from the Sent tab."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from core.database import open_database, session_scope
from core.models import PostingStatus, Role, SuggestionStatus
from core.settings import Settings
from service.app import create_app
from tests.e2e.conftest import serving
from tests.factories import PASSWORD, make_post, make_suggestion, make_user, make_workspace
from tests.webhook_receiver import Receiver

EMAIL = "owner@crumb.example"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not shutil.which("chromium"), reason="needs Debian's chromium package"),
]


@pytest.fixture(scope="module")
def server(new_database) -> Iterator[str]:  # noqa: ANN001
    settings = Settings(
        _env_file=None, database_url=new_database(), webhook_allow_private_targets=True
    )
    db = open_database(settings)
    with session_scope(db) as session:
        ws = make_workspace(session)
        make_user(session, email=EMAIL, workspace=ws, role=Role.OWNER)
        post = make_post(session, workspace_id=ws.id, external_id="109")
        make_suggestion(
            session,
            post=post,
            status=SuggestionStatus.APPROVED,
            final_text="Feed it twice a day!",
            decided_at=datetime.now(UTC),
            posting_status=PostingStatus.FAILED,
            posting_error="Mastodon refused the reply: Validation failed: Text too long",
        )
    with serving(create_app(settings, db)) as base:
        yield base
    db.close()


def _signed_in(server: str, browser):  # noqa: ANN001, ANN202
    page = browser.new_page()
    page.goto(server + "/signin")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    return page


def test_a_failed_post_is_retried_from_the_sent_tab(server: str, browser) -> None:  # noqa: ANN001
    page = _signed_in(server, browser)
    page.get_by_test_id("tab-sent").click()
    card = page.get_by_test_id("suggestion")
    expect(card.get_by_test_id("posting")).to_contain_text(
        "Posting to Mastodon failed: Mastodon refused the reply: Validation failed: Text too long"
    )
    card.get_by_test_id("retry").click()
    expect(page.get_by_test_id("empty")).to_be_visible()  # no longer in Sent: queued again
    page.get_by_test_id("tab-approved").click()
    expect(page.get_by_test_id("posting")).to_have_text("Rapport posts it to Mastodon in a moment")


def test_an_owner_adds_an_endpoint_sends_a_test_event_and_replays_a_dead_one(
    server: str,
    browser,  # noqa: ANN001
    tmp_path,  # noqa: ANN001
) -> None:
    answers = {"status": 200}
    with Receiver(answer=lambda n: (answers["status"], {})) as receiver:
        page = _signed_in(server, browser)
        page.goto(server + "/workspaces/test-ws/settings")
        expect(page.get_by_test_id("no-endpoints")).to_be_visible()

        page.get_by_test_id("endpoint-url").fill(receiver.url)
        page.get_by_test_id("endpoint-description").fill("Our scheduler")
        page.get_by_label("reply.approved").check()
        page.get_by_test_id("add").click()
        secret = page.get_by_test_id("secret").inner_text()
        assert secret.startswith("whsec_")
        row = page.get_by_test_id("endpoint")
        expect(row).to_contain_text(receiver.url)
        expect(row).to_contain_text("reply.approved")
        expect(row.get_by_test_id("endpoint-state")).to_have_text("active")
        page.screenshot(path=str(tmp_path / "webhooks-added.png"), full_page=True)
        # reloading the page never shows the secret again
        page.goto(server + "/workspaces/test-ws/settings")
        expect(page.get_by_test_id("new-secret")).to_have_count(0)
        assert secret not in page.content()

        receiver.secret = secret  # the receiver verifies with what the page showed
        page.get_by_test_id("send-test").click()
        expect(page.get_by_test_id("saved")).to_have_text(
            "Test event delivered: the endpoint answered 200."
        )
        (got,) = receiver.requests
        assert got.verified and got.payload and got.payload["type"] == "webhook.test"

        # a receiver that fails: the test event is dead-lettered, and replayed from the log
        answers["status"] = 500
        page.get_by_test_id("send-test").click()
        expect(page.get_by_test_id("saved")).to_contain_text(
            "Test event not delivered (answer: 500)"
        )
        expect(page.get_by_test_id("endpoint-state")).to_contain_text("1 dead")
        page.get_by_test_id("deliveries").click()
        dead = page.locator("[data-testid=delivery][data-status=dead]")
        expect(dead).to_have_count(1)
        expect(page.locator("[data-testid=delivery][data-status=delivered]")).to_have_count(1)
        dead.get_by_test_id("replay").click()
        expect(page.get_by_test_id("saved")).to_contain_text("queued again")
        expect(page.locator("[data-testid=delivery][data-status=pending]")).to_have_count(1)
        expect(page.get_by_test_id("replay")).to_have_count(0)

        page.get_by_role("link", name="← Settings").click()
        page.get_by_test_id("toggle").click()
        expect(page.get_by_test_id("endpoint-state")).to_contain_text("disabled")
        page.get_by_test_id("toggle").click()
        expect(page.get_by_test_id("endpoint-state")).to_contain_text("active")
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_test_id("remove").click()
        expect(page.get_by_test_id("saved")).to_contain_text("removed")
        expect(page.get_by_test_id("no-endpoints")).to_be_visible()
