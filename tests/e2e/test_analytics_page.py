"""The analytics page in a real browser: charts drawn, an export downloaded and read back."""

from __future__ import annotations

import httpx
import pyarrow.parquet as pq

from tests.e2e.test_review_page import (  # noqa: F401 - fixtures
    _signed_in_page,
    api_headers,
    pytestmark,
    reviewer_headers,
    server,
)

WS = "crumb-and-kettle"


def test_analytics_page_draws_charts_and_downloads_an_export(
    server: str,  # noqa: F811
    browser,  # noqa: ANN001
    tmp_path,  # noqa: ANN001
) -> None:
    pending = httpx.get(f"{server}/api/workspaces/{WS}/suggestions", headers=api_headers).json()
    drafted = next(s for s in pending if s["draft"])
    httpx.post(
        f"{server}/api/workspaces/{WS}/suggestions/{drafted['id']}/decision",
        json={"action": "approve"},
        headers=reviewer_headers,
    ).raise_for_status()

    page = _signed_in_page(server, browser)  # a page that downloads, signed in as the owner
    with page.expect_navigation():
        page.get_by_role("link", name="Analytics").click()
    assert page.get_by_test_id("per-day").locator("rect").count() > 0
    assert page.get_by_test_id("audience").locator("rect").count() > 0
    assert page.get_by_test_id("approval-rate").inner_text() == "100%"
    page.screenshot(path=str(tmp_path / "analytics.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_test_id("downloads").get_by_role("link", name="PARQUET").first.click()
    assert download.value.suggested_filename.startswith(f"{WS}-suggestions-")
    table = pq.read_table(download.value.path())
    assert drafted["id"] in table.column("suggestion_id").to_pylist()
    statuses = dict(
        zip(
            table.column("suggestion_id").to_pylist(),
            table.column("status").to_pylist(),
            strict=True,
        )
    )
    assert statuses[drafted["id"]] == "approved"
