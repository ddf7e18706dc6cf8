"""What connectors yield and what the workspace file says, normalized across platforms."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.models import Platform


def clean(value: Any) -> Any:
    """Strings as PostgreSQL can store them: no NUL characters, no lone surrogates.

    Applied to everything a connector or a file hands over (texts and the raw payload), so one
    odd character costs nothing instead of failing the whole page."""
    if isinstance(value, str):
        if "\x00" in value:
            value = value.replace("\x00", "")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            value = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)
        return value
    if isinstance(value, dict):
        return {clean(k): clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


class PersonCreate(BaseModel):
    """A person as a connector sees them."""

    platform: Platform
    external_id: str = Field(min_length=1, max_length=200)
    handle: str = Field(min_length=1, max_length=200)
    display_name: str = ""
    profile_url: str | None = None
    flags: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        return clean(value) if isinstance(value, dict) else value


class PostCreate(BaseModel):
    """A post as a connector sees it; `raw` keeps the platform's own payload."""

    platform: Platform
    external_id: str = Field(min_length=1, max_length=200)
    author: PersonCreate
    # Empty for a post with no words (an image without alt text, a sticker): kept, not read.
    text: str = ""
    posted_at: datetime
    lang: str | None = Field(default=None, max_length=8)
    url: str | None = None
    in_reply_to: str | None = None
    summons_business: bool = False
    # Seen only by the business (a direct or followers-only message): any reply stays private.
    private: bool = False
    deleted: bool = False
    raw: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _clean(cls, value: Any) -> Any:
        return clean(value) if isinstance(value, dict) else value

    @field_validator("posted_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return value if value.tzinfo else value.replace(tzinfo=UTC)


class KnowledgeSnippet(BaseModel):
    title: str
    text: str
    # "about-us" marks what the business says about itself (drafts only for those who ask).
    tags: list[str] = Field(default_factory=list)


class WorkspaceCreate(BaseModel):
    """A workspace definition (the bundled sample is one)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,99}$")
    display_name: str
    description: str = ""
    voice: str = "warm, brief, plain words"
    languages: list[str] = Field(default_factory=lambda: ["en"])
    helps_with: list[str] = Field(default_factory=list)
    own_products: list[str] = Field(default_factory=list)
    banned_phrases: list[str] = Field(default_factory=list)
    knowledge: list[KnowledgeSnippet] = Field(default_factory=list)


class StoreResult(BaseModel):
    """What one store call did."""

    people_new: int = 0
    posts_new: int = 0
    posts_updated: int = 0
    posts_unchanged: int = 0
    skipped: int = 0

    def add(self, other: StoreResult) -> None:
        for name in type(self).model_fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))
