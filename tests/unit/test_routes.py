from urllib.parse import parse_qs, urlparse

from core.models import DeliveryRoute, Platform
from suggest.routes import route_for


def _route(platform: Platform, summoned: bool, already: bool = False):
    return route_for(
        platform=platform,
        post_external_id="1860000000000000001",
        post_url="https://example.social/@a/1",
        summons_business=summoned,
        already_replied=already,
        draft="Congratulations, Callum! How will you celebrate?",
    )


def test_x_replies_by_api_only_when_summoned_and_only_once() -> None:
    assert _route(Platform.X, summoned=True).route == DeliveryRoute.API
    assert _route(Platform.X, summoned=True, already=True).route == DeliveryRoute.HANDOFF
    handoff = _route(Platform.X, summoned=False)
    assert handoff.route == DeliveryRoute.HANDOFF
    url = urlparse(handoff.handoff_url or "")
    query = parse_qs(url.query)
    assert url.netloc == "x.com" and url.path == "/intent/tweet"
    assert query["in_reply_to"] == ["1860000000000000001"]
    assert query["text"] == ["Congratulations, Callum! How will you celebrate?"]


def test_open_platforms_reply_by_api() -> None:
    assert _route(Platform.MASTODON, summoned=False).route == DeliveryRoute.API
    assert _route(Platform.BLUESKY, summoned=False).route == DeliveryRoute.API


def test_imported_posts_are_handed_to_a_person_with_the_post_link() -> None:
    route = _route(Platform.FILE, summoned=True)
    assert route.route == DeliveryRoute.HANDOFF
    assert route.handoff_url == "https://example.social/@a/1"


def test_authors_who_opted_out_get_no_suggestion() -> None:
    from suggest.selection import opted_out

    assert opted_out({"bot": True}) == "written by a bot account"
    assert "noindex" in (opted_out({"noindex": True}) or "")
    assert "logged-out" in (opted_out({"labels": ["!no-unauthenticated"]}) or "")
    assert opted_out({"indexable": True, "labels": []}) is None
