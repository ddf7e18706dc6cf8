"""Mastodon API payloads in the documented shapes (written by the project for tests)."""

from __future__ import annotations

from typing import Any

BASE = "https://mastodon.example"


def account(id_: str, acct: str, **overrides: Any) -> dict[str, Any]:
    value = {
        "id": id_,
        "username": acct.split("@")[0],
        "acct": acct,
        "display_name": acct.split("@")[0].title(),
        "locked": False,
        "bot": False,
        "discoverable": True,
        "indexable": True,
        "noindex": False,
        "group": False,
        "created_at": "2024-03-01T00:00:00.000Z",
        "note": "<p>Runner, baker.</p>",
        "url": f"{BASE}/@{acct.split('@')[0]}",
        "uri": f"{BASE}/users/{acct}",
        "avatar": f"{BASE}/avatars/original/missing.png",
        "avatar_static": f"{BASE}/avatars/original/missing.png",
        "header": f"{BASE}/headers/original/missing.png",
        "header_static": f"{BASE}/headers/original/missing.png",
        "followers_count": 12,
        "following_count": 40,
        "statuses_count": 130,
        "last_status_at": "2026-11-24",
        "emojis": [],
        "fields": [],
    }
    value.update(overrides)
    return value


def status(id_: str, author: dict[str, Any], html: str, **overrides: Any) -> dict[str, Any]:
    value = {
        "id": id_,
        "created_at": "2026-11-24T09:30:00.000Z",
        "in_reply_to_id": None,
        "in_reply_to_account_id": None,
        "sensitive": False,
        "spoiler_text": "",
        "visibility": "public",
        "language": "en",
        "uri": f"{BASE}/users/{author['acct']}/statuses/{id_}",
        "url": f"{BASE}/@{author['username']}/{id_}",
        "replies_count": 0,
        "reblogs_count": 0,
        "favourites_count": 1,
        "edited_at": None,
        "content": html,
        "reblog": None,
        "application": None,
        "account": author,
        "media_attachments": [],
        "mentions": [],
        "tags": [],
        "emojis": [],
        "card": None,
        "poll": None,
    }
    value.update(overrides)
    return value


def mention(id_: str, st: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": id_,
        "type": "mention",
        "created_at": st["created_at"],
        "account": st["account"],
        "status": st,
    }
