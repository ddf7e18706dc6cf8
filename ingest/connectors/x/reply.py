"""Posting a reply on X with tweepy's v2 Client (user context, OAuth 1.0a).

Only a post that summoned the business may be answered by API, once per interaction (checked by
the caller, see suggest/routes.py); everything else is handed off to a person. X has no
idempotency key and reading back the account's own posts is paid for, so a try whose outcome is
unknown is not repeated here: the caller asks a person to look before retrying.
"""

from __future__ import annotations

import functools
from typing import Any

from ingest.connectors.x import XSettings, x_errors


def _secret(value: Any) -> str:
    return str(value.get_secret_value()) if value else ""


def post_reply(settings: XSettings, *, in_reply_to_id: str, text: str, client: Any = None) -> str:
    """Post `text` in reply to post `in_reply_to_id`; return the new post's id."""
    import tweepy

    if client is None:
        client = tweepy.Client(
            consumer_key=_secret(settings.consumer_key),
            consumer_secret=_secret(settings.consumer_secret),
            access_token=_secret(settings.access_token),
            access_token_secret=_secret(settings.access_token_secret),
        )
        # tweepy sets no timeout: a post that hangs would hold the posting job
        client.session.request = functools.partial(client.session.request, timeout=30)
    with x_errors(reply_to=in_reply_to_id):
        response = client.create_tweet(
            text=text, in_reply_to_tweet_id=in_reply_to_id, user_auth=True
        )
    return str(response.data["id"])
