"""Syncing a connected Mastodon account into PostgreSQL: idempotent, crash-safe, health kept."""

from collections.abc import Iterator
from typing import Any

import pytest
import responses
from cryptography.fernet import Fernet
from sqlalchemy import func, select

from core.database import Database, session_scope
from core.models import Account, AccountHealth, Post
from ingest import accounts
from ingest import service as ingest_service
from ingest.connectors import MastodonConnector, MastodonSettings, NeedsReconnect, Page
from ingest.sync import sync_account
from tests.mastodon_payloads import BASE, account, mention, status

KEY = Fernet(Fernet.generate_key())
ME = account("1", "crumbandkettle")
FOLLOWERS = [account(str(10 + i), f"person{i}@mastodon.scot") for i in range(4)]


def _register(rsps: responses.RequestsMock) -> None:
    rsps.get(f"{BASE}/api/v1/accounts/verify_credentials", json=ME)
    rsps.get(
        f"{BASE}/api/v1/notifications",
        json=[mention("900", status("5000", FOLLOWERS[0], "<p>@crumbandkettle hi!</p>"))],
    )
    rsps.get(f"{BASE}/api/v1/accounts/1/followers", json=FOLLOWERS)
    for i, person in enumerate(FOLLOWERS):
        rsps.get(
            f"{BASE}/api/v1/accounts/{person['id']}/statuses",
            json=[
                status(f"{6000 + 10 * i + k}", person, f"<p>Post {k} by {i}</p>") for k in range(3)
            ],
        )


def _connect(db: Database, *, platform: str, values: dict[str, Any]) -> int:
    with session_scope(db) as session:
        ws, _ = ingest_service.get_or_create_workspace(session, name=f"{platform}-ws")
        return accounts.add_account(
            session,
            workspace_id=ws.id,
            platform=platform,
            handle="crumbandkettle",
            values=values,
            fernet=KEY,
        ).id


@pytest.fixture
def account_id(db: Database) -> int:
    return _connect(
        db, platform="mastodon", values={"api_base_url": BASE, "access_token": "s3cret-token"}
    )


def _posts(db: Database) -> list[str]:
    with session_scope(db) as session:
        return sorted(session.scalars(select(Post.external_id)))


def test_credentials_are_encrypted_at_rest(db: Database, account_id: int) -> None:
    with session_scope(db) as session:
        acct = session.get(Account, account_id)
        assert b"s3cret-token" not in acct.credentials_encrypted
        assert "access_token" not in acct.settings
        settings = accounts.connector_settings(acct, KEY)
        assert settings.access_token.get_secret_value() == "s3cret-token"
        assert "s3cret" not in repr(settings)


def test_sync_twice_stores_once_and_advances_cursors(db: Database, account_id: int) -> None:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _register(rsps)
        first = sync_account(db, account_id=account_id, fernet=KEY)
        second = sync_account(db, account_id=account_id, fernet=KEY)
        urls = [c.request.url for c in rsps.calls]
    assert first.result.posts_new == 13 and first.result.people_new == 4
    assert second.result.posts_new == 0
    assert any("since_id=6002" in u for u in urls[len(urls) // 2 :])
    with session_scope(db) as session:
        acct = session.get(Account, account_id)
        assert acct.cursors["mentions"] == "900"
        assert acct.cursors["since:10"] == "6002"
        assert acct.health == AccountHealth.OK
        assert sum(day["reads"] for day in acct.spend.values()) == first.pages + second.pages
        summoned = session.scalar(select(Post).where(Post.external_id == "5000"))
        assert summoned.summons_business is True


class _Crashing:
    """Wraps a connector and dies after `pages` pages, like a killed worker."""

    platform = "mastodon"

    def __init__(self, inner: MastodonConnector, pages: int) -> None:
        self.inner, self.left = inner, pages

    def pages(self, *, cursors: dict[str, Any], budget: Any = None) -> Iterator[Page]:
        for page in self.inner.pages(cursors=cursors, budget=budget):
            if self.left == 0:
                raise KeyboardInterrupt("killed between pages")
            self.left -= 1
            yield page


def test_a_crash_between_pages_loses_and_duplicates_nothing(db: Database, account_id: int) -> None:
    settings = MastodonSettings(api_base_url=BASE, access_token="s3cret-token")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        _register(rsps)
        with pytest.raises(KeyboardInterrupt):
            sync_account(
                db,
                account_id=account_id,
                fernet=KEY,
                connector=_Crashing(MastodonConnector(settings), pages=2),
            )
        partial = _posts(db)
        sync_account(db, account_id=account_id, fernet=KEY)
    after = _posts(db)
    assert 0 < len(partial) < len(after)
    assert len(after) == len(set(after)) == 13
    with session_scope(db) as session:
        assert session.scalar(select(func.count()).select_from(Post)) == 13


def test_a_revoked_token_marks_the_account_needs_reconnect(db: Database, account_id: int) -> None:
    with responses.RequestsMock() as rsps:
        rsps.get(
            f"{BASE}/api/v1/accounts/verify_credentials",
            status=401,
            json={"error": "The access token was revoked"},
        )
        with pytest.raises(NeedsReconnect):
            sync_account(db, account_id=account_id, fernet=KEY)
    with session_scope(db) as session:
        acct = session.get(Account, account_id)
        assert acct.health == AccountHealth.NEEDS_RECONNECT
        assert "revoked" in acct.health_detail


def test_a_revoked_token_tells_the_webhooks_once(db: Database, account_id: int) -> None:
    from core.events import schemas
    from core.models import EventType, WebhookDelivery, WebhookEndpoint

    with session_scope(db) as session:
        acct = session.get(Account, account_id)
        session.add(
            WebhookEndpoint(
                workspace_id=acct.workspace_id,
                url="http://93.184.216.34/hooks",
                secret_encrypted=b"-",
                event_types=[EventType.ACCOUNT_NEEDS_RECONNECT.value],
            )
        )
    for _ in range(2):  # the second failure finds it already broken: no second event
        with responses.RequestsMock() as rsps:
            rsps.get(
                f"{BASE}/api/v1/accounts/verify_credentials",
                status=401,
                json={"error": "The access token was revoked"},
            )
            with pytest.raises(NeedsReconnect):
                sync_account(db, account_id=account_id, fernet=KEY)
    with session_scope(db) as session:
        (delivery,) = session.scalars(select(WebhookDelivery))
        data = delivery.payload["data"]
        assert delivery.event_type == EventType.ACCOUNT_NEEDS_RECONNECT
        assert (data["account_id"], data["health"]) == (account_id, "needs-reconnect")
        assert "Reconnect" in data["detail"]
        import jsonschema

        jsonschema.validate(delivery.payload, schemas.load(EventType.ACCOUNT_NEEDS_RECONNECT))


def test_x_sync_stops_at_the_daily_budget_and_says_so(db: Database) -> None:
    from tests.unit.connectors.test_x import _register as register_x

    acct_id = _connect(
        db,
        platform="x",
        values={"username": "crumbandkettle", "bearer_token": "AAAA", "daily_budget_usd": 0.1},
    )
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        register_x(rsps)
        report = sync_account(db, account_id=acct_id, fernet=KEY)
        again = sync_account(db, account_id=acct_id, fernet=KEY)
    assert report.stopped and "budget" in report.stopped
    assert report.result.posts_new == 2
    assert again.result.posts_new == 0 and again.stopped  # today's budget stays spent
    with session_scope(db) as session:
        acct = session.get(Account, acct_id)
        assert acct.health == AccountHealth.OVER_BUDGET
        assert 0 < sum(day["cost_usd"] for day in acct.spend.values()) <= 0.1
        summoned = session.scalars(
            select(Post.summons_business).where(Post.workspace_id == acct.workspace_id)
        ).all()
        assert summoned == [True, True]
