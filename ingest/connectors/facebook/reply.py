"""Posting a reply on Facebook with facebook-sdk's GraphAPI: a comment by the Page.

A visitor's post is answered with a comment on it; a comment with a reply to that comment (a
reply to a reply goes to the comment it belongs to: Facebook threads one level deep). The Graph
API has no idempotency key: after a try whose outcome is unknown, the comments on the same
object are read back and a comment by the Page with the same words is taken as the one posted.
OAuth error 190 means the owner must reconnect.
"""

from __future__ import annotations

from typing import Any

from ingest.connectors.facebook import FacebookSettings, graph_errors


def reply_target(external_id: str, raw: dict[str, Any]) -> str:
    """The object to comment on: the comment a reply belongs to, else the post or comment."""
    parent = (raw or {}).get("parent") or {}
    return str(parent.get("id") or external_id)


def _graph(settings: FacebookSettings) -> Any:
    import facebook

    graph = facebook.GraphAPI(
        access_token=settings.page_access_token.get_secret_value(), timeout=30
    )
    graph.version = settings.graph_version  # the paths work with any version
    return graph


def _already_posted(graph: Any, settings: FacebookSettings, target: str, text: str) -> str | None:
    """The id of a comment by the Page on `target` with exactly these words, if there is one."""
    with graph_errors(reply_to=target):
        page = graph.get_connections(
            target,
            "comments",
            fields="id,message,from",
            filter="stream",
            order="reverse_chronological",
            limit=100,
        )
    for comment in page.get("data", []):
        if (comment.get("from") or {}).get("id") == settings.page_id and (
            comment.get("message") or ""
        ).strip() == text.strip():
            return str(comment["id"])
    return None


def post_reply(
    settings: FacebookSettings,
    *,
    target: str,
    text: str,
    uncertain: bool,
    graph: Any = None,
) -> str:
    """Comment `text` on `target` as the Page; return the comment's id."""
    graph = graph or _graph(settings)
    if uncertain:
        found = _already_posted(graph, settings, target, text)
        if found:
            return found
    with graph_errors(reply_to=target):
        result = graph.put_object(parent_object=target, connection_name="comments", message=text)
    return str(result["id"])
