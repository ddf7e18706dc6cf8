"""The file connector: JSON Lines or CSV exports, one post per line (format in README)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from core.errors import ImportFileError
from core.logging import get_logger
from core.models import Platform
from ingest.connectors.base import Page
from ingest.schemas import PersonCreate, PostCreate

log = get_logger(__name__)

PAGE_SIZE = 5000


class FileRow(BaseModel):
    """One line of an import file."""

    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)

    platform: Platform = Field(description="x, facebook, instagram, mastodon or bluesky")
    post_id: str = Field(min_length=1, description="The platform's id of the post")
    author_id: str = Field(min_length=1, description="The platform's id of the author")
    author_handle: str = Field(min_length=1, description="@name, name@instance or name.bsky.social")
    author_name: str = Field(default="", description="Display name")
    text: str = Field(min_length=1, description="The post's text")
    created_at: datetime = Field(description="ISO 8601; without a zone it is taken as UTC")
    url: str | None = Field(default=None, description="Link to the post")
    lang: str | None = Field(default=None, description="Language code, e.g. en")
    in_reply_to_id: str | None = Field(default=None, description="Id of the post it replies to")
    mentions_business: bool = Field(
        default=False, description="The author @mentioned or quoted the business"
    )
    author_bot: bool = Field(default=False, description="The author is a bot account")
    deleted: bool = Field(default=False, description="Deleted upstream")

    @field_validator("url", "lang", "in_reply_to_id", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("mentions_business", "author_bot", "deleted", mode="before")
    @classmethod
    def _csv_bool(cls, value: Any) -> Any:
        return False if value in ("", None) else value

    def to_post(self, raw: dict[str, Any]) -> PostCreate:
        author = PersonCreate(
            platform=self.platform,
            external_id=self.author_id,
            handle=self.author_handle.lstrip("@"),
            display_name=self.author_name,
            flags={"bot": True} if self.author_bot else {},
        )
        return PostCreate(
            platform=self.platform,
            external_id=self.post_id,
            author=author,
            text=self.text,
            posted_at=self.created_at,
            lang=self.lang,
            url=self.url,
            in_reply_to=self.in_reply_to_id,
            summons_business=self.mentions_business,
            deleted=self.deleted,
            raw=raw,
        )


def _describe(error: ValidationError) -> str:
    parts = []
    for e in error.errors():
        where = ".".join(str(p) for p in e["loc"]) or "line"
        parts.append(f"{where}: {e['msg']}")
    return "; ".join(parts)


def _is_workspace_file(text: str) -> bool:
    """One JSON document with a workspace's fields (a post export has one object a line)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        return False
    return isinstance(document, dict) and bool({"display_name", "knowledge"} & document.keys())


def _records(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """(line number, record or None, error or None) for each non-empty line."""
    suffix = path.suffix.lower()
    text = path.read_text(encoding="utf-8-sig")
    if suffix in (".yaml", ".yml") or (suffix == ".json" and _is_workspace_file(text)):
        raise ImportFileError(
            f"{path.name} is a workspace file (a business's description), not posts: use "
            f"`rapport workspaces create NAME --from {path.name}` or "
            f"`rapport workspaces apply NAME {path.name}`."
        )
    if suffix in (".jsonl", ".ndjson", ".json"):
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, None, f"not valid JSON ({exc.msg})"
                continue
            if not isinstance(record, dict):
                yield number, None, "expected a JSON object"
                continue
            yield number, record, None
    elif suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        for record in reader:
            number = reader.line_num
            if None in record:
                yield number, None, "more fields than the header has"
                continue
            yield number, dict(record), None
    else:
        raise ImportFileError(
            f"{path.name}: unknown file type '{suffix}'. Use .jsonl (JSON Lines) or .csv."
        )


class FileConnector:
    """Reads one export file; yields pages of posts and per-line errors."""

    platform = "file"

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise ImportFileError(f"{path}: no such file")
        self.path = path

    def pages(
        self, *, cursors: dict[str, Any] | None = None, budget: object = None
    ) -> Iterator[Page]:
        page = Page(posts=[])
        for number, record, error in _records(self.path):
            if record is not None:
                try:
                    page.posts.append(FileRow.model_validate(record).to_post(record))
                except ValidationError as exc:
                    error = _describe(exc)
            if error:
                message = f"line {number}: {error}"
                log.warning("ingest.file.bad_line", file=self.path.name, line=number, error=error)
                page.errors.append(message)
            if len(page.posts) >= PAGE_SIZE:
                yield page
                page = Page(posts=[])
        yield page
