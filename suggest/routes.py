"""The one table of platform rules: may a reply go out by API, or must a person post it?"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from core.models import DeliveryRoute, Platform


@dataclass(frozen=True)
class PlatformRule:
    max_chars: int
    api_reply: str  # "always", "when-summoned" or "never"
    why: str


RULES: dict[Platform, PlatformRule] = {
    Platform.X: PlatformRule(
        280,
        "when-summoned",
        "X lets an app reply by API only when the author mentioned or quoted the business "
        "(one reply per interaction); otherwise a person posts it.",
    ),
    Platform.MASTODON: PlatformRule(500, "always", "Mastodon allows replies by API."),
    Platform.BLUESKY: PlatformRule(300, "always", "Bluesky allows replies by API."),
    Platform.FACEBOOK: PlatformRule(
        8000, "always", "A Page may reply by API to comments and visitor posts on its own feed."
    ),
    Platform.INSTAGRAM: PlatformRule(
        2200, "always", "An Instagram business account may reply by API to comments on its media."
    ),
    Platform.FILE: PlatformRule(280, "never", "Imported from a file: a person posts the reply."),
}


@dataclass(frozen=True)
class Route:
    route: DeliveryRoute
    handoff_url: str | None
    why: str


def route_for(
    *,
    platform: Platform,
    post_external_id: str,
    post_url: str | None,
    summons_business: bool,
    already_replied: bool,
    draft: str,
) -> Route:
    """Decide how an approved reply reaches the platform."""
    rule = RULES[platform]
    allowed = rule.api_reply == "always" or (
        rule.api_reply == "when-summoned" and summons_business and not already_replied
    )
    if allowed:
        return Route(DeliveryRoute.API, None, rule.why)
    return Route(
        DeliveryRoute.HANDOFF, handoff_url(platform, post_external_id, post_url, draft), rule.why
    )


def handoff_url(
    platform: Platform, post_external_id: str, post_url: str | None, draft: str
) -> str | None:
    """The link a person clicks to post the reply themselves."""
    if platform == Platform.X:
        return (
            f"https://x.com/intent/tweet?in_reply_to={quote(post_external_id)}&text={quote(draft)}"
        )
    return post_url
