"""The accounts page in a real browser: an account whose token was revoked is reconnected from
its settings form, then synced (the real Mastodon.py reading payloads served by `responses`)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import responses
from cryptography.fernet import Fernet
from playwright.sync_api import expect

from core.database import open_database, session_scope
from core.models import AccountHealth, Role
from core.secrets import fernet
from core.settings import Settings
from ingest import accounts
from service.app import create_app
from tests.e2e.conftest import serving
from tests.factories import PASSWORD, make_user, make_workspace
from tests.mastodon_payloads import BASE, account, mention, status

EMAIL = "owner@honey.example"
REVOKED = "Mastodon refused the access token: the token was revoked"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not shutil.which("chromium"), reason="needs Debian's chromium package"),
]


@pytest.fixture(scope="module")
def server(new_database) -> Iterator[str]:  # noqa: ANN001
    settings = Settings(
        _env_file=None, database_url=new_database(), secret_key=Fernet.generate_key().decode()
    )
    db = open_database(settings)
    with session_scope(db) as session:
        workspace = make_workspace(session, name="honey", display_name="Honey & Crumb")
        make_user(session, email=EMAIL, workspace=workspace, role=Role.OWNER)
        broken = accounts.add_account(
            session,
            workspace_id=workspace.id,
            platform="mastodon",
            handle="honeyandcrumb",
            values={"api_base_url": BASE, "access_token": "revoked-token"},
            fernet=fernet(settings),
        )
        accounts.set_health(broken, AccountHealth.NEEDS_RECONNECT, REVOKED, now=datetime.now(UTC))
    with serving(create_app(settings, db)) as base:
        yield base
    db.close()


def _serve_mastodon(rsps: responses.RequestsMock) -> None:
    me, maria = account("1", "honeyandcrumb"), account("10", "maria@mastodon.scot")
    rsps.get(f"{BASE}/api/v1/accounts/verify_credentials", json=me)
    rsps.get(
        f"{BASE}/api/v1/notifications",
        json=[mention("900", status("5000", maria, "<p>@honeyandcrumb open on Sunday?</p>"))],
    )
    rsps.get(f"{BASE}/api/v1/accounts/1/followers", json=[maria])
    rsps.get(
        f"{BASE}/api/v1/accounts/10/statuses",
        json=[status("6000", maria, "<p>Rye starter, day three.</p>")],
    )


def test_an_owner_reconnects_a_broken_account_and_syncs_it(
    server: str,
    browser,  # noqa: ANN001
    tmp_path,  # noqa: ANN001
) -> None:
    page = browser.new_page()
    page.goto(server + "/workspaces/honey/accounts")
    assert "/signin" in page.url
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.url == server + "/workspaces/honey/accounts"

    row = page.get_by_test_id("account").filter(has_text="honeyandcrumb")
    expect(row.get_by_test_id("health")).to_contain_text("needs reconnect")
    expect(row.get_by_test_id("health-detail")).to_have_text(REVOKED)
    expect(page.get_by_role("link", name="Accounts")).to_have_attribute("aria-current", "page")
    page.screenshot(path=str(tmp_path / "accounts-broken.png"), full_page=True)

    row.get_by_role("link", name="Reconnect").click()
    expect(page.get_by_role("heading", name="Reconnect mastodon honeyandcrumb")).to_be_visible()
    expect(page.get_by_label("Instance URL")).to_have_value(BASE)
    token = page.get_by_label("Access token")
    expect(token).to_have_value("")  # a stored secret is never sent back to the browser
    token.fill("a-fresh-token")
    with page.expect_navigation():
        page.get_by_role("button", name="Reconnect").click()

    assert page.url.startswith(server + "/workspaces/honey/accounts?")
    expect(page.get_by_test_id("note")).to_contain_text("Reconnected mastodon honeyandcrumb")
    row = page.get_by_test_id("account").filter(has_text="honeyandcrumb")
    expect(row.get_by_test_id("health")).to_contain_text("ok")
    expect(row.get_by_test_id("health")).not_to_contain_text("needs reconnect")
    expect(row.get_by_test_id("last-sync")).to_have_text("never")

    with responses.RequestsMock() as rsps:  # the server runs in this process: same transport
        rsps.add_passthru(server)
        _serve_mastodon(rsps)
        with page.expect_navigation():
            row.get_by_role("button", name="Sync now").click()
    expect(page.get_by_test_id("note")).to_contain_text(
        "Synced mastodon honeyandcrumb: 2 new posts"
    )
    row = page.get_by_test_id("account").filter(has_text="honeyandcrumb")
    expect(row.get_by_test_id("sync-result")).to_contain_text("2 new posts, 0 updated")
    expect(row.get_by_test_id("health")).to_contain_text("ok")
    page.screenshot(path=str(tmp_path / "accounts-synced.png"), full_page=True)
    page.close()
