"""Setting up a new business in a real browser, from an empty database (no model needed):
the first user, then the business, then its knowledge."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from core.database import open_database
from core.settings import Settings
from service.app import create_app
from tests.e2e.conftest import serving

EMAIL = "me@honey.example"
PASSWORD = "a long enough password"
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not shutil.which("chromium"), reason="needs Debian's chromium package"),
]


@pytest.fixture(scope="module")
def server(new_database) -> Iterator[str]:  # noqa: ANN001
    settings = Settings(_env_file=None, database_url=new_database())
    db = open_database(settings)
    with serving(create_app(settings, db)) as base:
        yield base
    db.close()


def test_first_run_sets_up_a_business_with_knowledge(server: str, browser, tmp_path) -> None:  # noqa: ANN001
    page = browser.new_page()
    page.goto(server + "/")
    # Nobody can sign in yet: the first user is made here, on the server's own machine.
    assert page.url == server + "/first-user"
    page.get_by_label("Email").fill(EMAIL)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password_again]").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Create and sign in").click()
    # Signed in, and no business yet: set one up.
    assert page.url == server + "/setup"
    assert page.get_by_role("heading", name="Welcome to Rapport").is_visible()
    assert page.get_by_test_id("me").inner_text() == EMAIL

    # A snippet without its text: the form comes back with the error and what was typed.
    page.get_by_test_id("display-name").fill("Honey & Crumb")
    page.get_by_test_id("description").fill("A small bakery by the sea in Portobello.")
    page.get_by_test_id("helps-with").fill("baking bread at home\nwalks by the sea")
    page.get_by_test_id("snippet-title-0").fill("Opening hours")
    page.get_by_test_id("snippet-text-0").fill("Open 8:00 to 16:00, closed on Mondays.")
    page.get_by_test_id("snippet-title-1").fill("Dogs")
    page.get_by_test_id("create").click()
    assert "knowledge[1].text" in page.get_by_test_id("errors").inner_text()
    assert page.get_by_test_id("snippet-text-0").input_value().startswith("Open 8:00")
    page.screenshot(path=str(tmp_path / "setup-error.png"), full_page=True)

    page.get_by_test_id("snippet-text-1").fill("Dogs are welcome inside.")
    page.get_by_test_id("create").click()
    assert page.url == server + "/workspaces/honey-crumb/start"
    assert "2 knowledge snippets" in page.get_by_test_id("summary").inner_text()
    page.screenshot(path=str(tmp_path / "start.png"), full_page=True)

    page.get_by_role("link", name="Knowledge").first.click()
    assert page.get_by_test_id("snippet").count() == 2
    file = page.request.get(server + "/api/workspaces/honey-crumb").json()
    assert file["display_name"] == "Honey & Crumb"
    assert file["helps_with"] == ["baking bread at home", "walks by the sea"]
    assert [k["title"] for k in file["knowledge"]] == ["Opening hours", "Dogs"]
    mine = page.request.get(server + "/api/workspaces").json()
    assert [(w["name"], w["role"]) for w in mine] == [("honey-crumb", "owner")]
    # Today is the business's queue now, not the set-up page.
    page.get_by_role("link", name="Today").click()
    page.wait_for_url(server + "/?workspace=honey-crumb")


def test_the_knowledge_page_adds_searches_and_deletes(server: str, browser, tmp_path) -> None:  # noqa: ANN001
    page = browser.new_page()
    page.goto(server + "/workspaces/honey-crumb/knowledge")
    assert "/signin?next=" in page.url  # a new browser: sign in, then back to this page
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    assert page.url == server + "/workspaces/honey-crumb/knowledge"
    page.get_by_text("Add a snippet").click()
    page.get_by_test_id("add-title").fill("Parking")
    page.get_by_test_id("add-text").fill("Free parking on Bath Street after 18:00.")
    page.get_by_test_id("add").click()
    assert page.get_by_test_id("saved").inner_text() == "Added “Parking”."
    assert page.get_by_test_id("knowledge-count").inner_text() == "3 snippets"
    page.screenshot(path=str(tmp_path / "knowledge.png"), full_page=True)

    page.get_by_test_id("search").fill("parking")
    page.get_by_test_id("search").press("Enter")
    page.wait_for_url("**/knowledge?q=parking")
    titles = page.get_by_test_id("snippet-title")
    assert [titles.nth(i).input_value() for i in range(titles.count())] == ["Parking"]

    page.get_by_test_id("snippet").nth(0).get_by_test_id("delete").click()
    assert page.get_by_test_id("saved").inner_text() == "Deleted “Parking”."
    assert page.get_by_test_id("knowledge-count").inner_text() == "2 snippets"
