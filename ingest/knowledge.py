"""A workspace's knowledge snippets, one at a time: list, search, add, edit, remove.

The snippets are one JSONB list on the workspace row, so every writer locks that row and
re-reads it first (`repository.lock_workspace`): two edits at once are applied one after the
other, each to the list as the other left it, and neither is lost. An edit or removal may
carry the `version` of the snippet as its editor saw it; if the snippet changed since, it is a
Conflict (409) and nothing is written.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from sqlalchemy.orm import Session

from core.errors import Conflict, NotFound, StaleVersion
from core.models import Workspace
from ingest import repository
from ingest.schemas import KnowledgeRead, KnowledgeSnippet


def version(snippet: dict[str, Any] | KnowledgeSnippet) -> str:
    """A fingerprint of the snippet's title, text and tags: it changes with any of them."""
    data = snippet.model_dump() if isinstance(snippet, KnowledgeSnippet) else snippet
    content = [data["title"], data["text"], list(data.get("tags") or [])]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()[:16]


def _read(snippet: dict[str, Any]) -> KnowledgeRead:
    return KnowledgeRead.model_validate({**snippet, "version": version(snippet)})


def snippets(workspace: Workspace) -> list[KnowledgeRead]:
    return [_read(k) for k in workspace.knowledge or []]


def search(workspace: Workspace, *, query: str) -> list[KnowledgeRead]:
    """Snippets that contain the query's words, those with the most of them first."""
    words = [w for w in re.findall(r"\w+", query.casefold()) if w]
    if not words:
        return snippets(workspace)
    scored = []
    for index, snippet in enumerate(snippets(workspace)):
        haystack = " ".join([snippet.title, snippet.text, *snippet.tags]).casefold()
        hits = sum(1 for w in words if w in haystack)
        if hits:
            scored.append((-hits, index, snippet))
    return [snippet for *_, snippet in sorted(scored, key=lambda t: (t[0], t[1]))]


def find(workspace: Workspace, title: str) -> int:
    """The position of the snippet titled `title` (case-insensitive), or NotFound."""
    for index, snippet in enumerate(workspace.knowledge or []):
        if str(snippet["title"]).casefold() == title.strip().casefold():
            return index
    raise NotFound(f"No knowledge snippet titled '{title}' in '{workspace.name}'.")


def _locked_index(session: Session, workspace: Workspace, title: str, expected: str | None) -> int:
    """The snippet's position in the locked, fresh list; Conflict if it changed since the
    editor saw it (`expected` is the version they saw)."""
    repository.lock_workspace(session, workspace_id=workspace.id)
    index = find(workspace, title)
    if expected is not None and version(workspace.knowledge[index]) != expected.strip('"'):
        raise StaleVersion(
            f"“{title}” was changed by someone else since you opened it, so nothing was "
            "saved. Reload to see their version, then make your change again."
        )
    return index


def _store(workspace: Workspace, new: list[dict[str, Any]]) -> None:
    seen: set[str] = set()
    for snippet in new:
        key = str(snippet["title"]).casefold()
        if key in seen:
            raise Conflict(
                f"A knowledge snippet titled '{snippet['title']}' already exists: "
                "pick another title."
            )
        seen.add(key)
    # A new list, so that SQLAlchemy sees the JSONB column change.
    workspace.knowledge = new


def add(session: Session, *, workspace: Workspace, snippet_in: KnowledgeSnippet) -> KnowledgeRead:
    repository.lock_workspace(session, workspace_id=workspace.id)
    _store(workspace, [*(workspace.knowledge or []), snippet_in.model_dump()])
    session.flush()
    return _read(snippet_in.model_dump())


def edit(
    session: Session,
    *,
    workspace: Workspace,
    title: str,
    snippet_in: KnowledgeSnippet,
    expected_version: str | None = None,
) -> KnowledgeRead:
    """Replace the snippet titled `title` (its title may change too)."""
    index = _locked_index(session, workspace, title, expected_version)
    new = list(workspace.knowledge or [])
    new[index] = snippet_in.model_dump()
    _store(workspace, new)
    session.flush()
    return _read(new[index])


def remove(
    session: Session, *, workspace: Workspace, title: str, expected_version: str | None = None
) -> KnowledgeSnippet:
    index = _locked_index(session, workspace, title, expected_version)
    new = list(workspace.knowledge or [])
    removed = new.pop(index)
    _store(workspace, new)
    session.flush()
    return KnowledgeSnippet.model_validate(removed)
