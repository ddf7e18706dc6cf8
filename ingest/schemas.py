"""What connectors yield and what the workspace file says, normalized across platforms."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, time
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_serializer,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from core.models import AccountHealth, Platform


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


SLUG = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
SLUG_RULE = (
    "a workspace name is 1 to 64 lowercase letters, digits and hyphens, starting and ending "
    "with a letter or digit (e.g. 'crumb-and-kettle'); the display name can be anything"
)
LANGUAGE = re.compile(r"^[a-z]{2,3}$")


def check_slug(value: str) -> str:
    """The name itself, or a ValueError that says what a name may be."""
    if not SLUG.match(value):
        raise ValueError(f"'{value}' is not a valid name: {SLUG_RULE}")
    return value


def slugify(text: str) -> str:
    """A workspace name made from a display name ('Crumb & Kettle' -> 'crumb-kettle')."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64].strip("-")


Name = Annotated[
    str,
    AfterValidator(check_slug),
    Field(
        description=SLUG_RULE[0].upper() + SLUG_RULE[1:] + ".",
        examples=["crumb-and-kettle"],
        json_schema_extra={"pattern": SLUG.pattern},
    ),
]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class KnowledgeSnippet(BaseModel):
    """A fact the drafts may use, in the business's own words."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200, description="Unique within the workspace.")
    text: str = Field(min_length=1, max_length=4000, description="What to say; plain sentences.")
    tags: list[Line] = Field(
        default_factory=list,
        description="Optional words to group by. 'about-us' marks what the business says about "
        "itself (its orders, hours, services): drafts use it only for people who ask.",
    )

    @field_validator("title", "text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be blank")
        return value


class Cadence(BaseModel):
    """How often the business replies."""

    model_config = ConfigDict(extra="forbid")

    replies_per_day: int = Field(default=60, ge=1, le=1000, description="At most this many.")
    days_between_replies: int = Field(
        default=2, ge=0, le=365, description="Days between two replies to the same person."
    )


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"'{value}' is not a time zone: use an IANA name such as 'Europe/London' or 'UTC'"
        ) from None
    return value


def _language(value: str) -> str:
    if not LANGUAGE.match(value):
        raise ValueError(f"'{value}' is not a language code: use ISO 639-1 such as 'en' or 'fr'")
    return value


class WorkspaceFile(BaseModel):
    """A business described in one file (YAML or JSON): who it is, how it talks, what it knows.

    `rapport workspaces create/export/apply` read and write it; its JSON Schema is published
    as `rapport workspaces schema` and `ingest/workspace.schema.json`.
    """

    model_config = ConfigDict(extra="forbid", title="Rapport workspace")

    name: Name
    display_name: str = Field(min_length=1, max_length=200, description="Shown to people.")
    description: str = Field(default="", max_length=4000, description="What the business is.")
    helps_with: list[Line] = Field(
        default_factory=list, description="What it can help people with, one topic a line."
    )
    voice: str = Field(
        default="warm, brief, plain words", max_length=500, description="How replies sound."
    )
    languages: list[Annotated[str, AfterValidator(_language)]] = Field(
        default_factory=lambda: ["en"], min_length=1, description="Languages it writes in."
    )
    timezone: Annotated[str, AfterValidator(_timezone)] = Field(
        default="UTC", description="IANA time zone name, e.g. 'Europe/London'."
    )
    ready_at: time = Field(
        default=time(7, 0), description="Local time (HH:MM) the morning queue is ready."
    )
    cadence: Cadence = Field(default_factory=Cadence)
    products: list[Line] = Field(
        default_factory=list,
        description="Its own products and brand words: a reply never advertises them.",
    )
    banned_phrases: list[Line] = Field(
        default_factory=list, description="Words a reply must never contain."
    )
    knowledge: list[KnowledgeSnippet] = Field(default_factory=list)

    @field_validator("ready_at", mode="before")
    @classmethod
    def _h_mm(cls, value: Any) -> Any:
        # "7:30" as well as "07:30"
        if isinstance(value, str) and re.fullmatch(r"\d:\d\d", value.strip()):
            return "0" + value.strip()
        return value

    @field_validator("ready_at")
    @classmethod
    def _minutes(cls, value: time) -> time:
        return value.replace(second=0, microsecond=0, tzinfo=None)

    @field_serializer("ready_at")
    def _hh_mm(self, value: time) -> str:
        return value.strftime("%H:%M")

    @field_validator("knowledge")
    @classmethod
    def _unique_titles(cls, snippets: list[KnowledgeSnippet]) -> list[KnowledgeSnippet]:
        seen: dict[str, int] = {}
        for index, snippet in enumerate(snippets):
            key = snippet.title.casefold()
            if key in seen:
                # `index` lets the error point at the snippet itself: knowledge[3].title.
                raise PydanticCustomError(
                    "duplicate_title",
                    "'{title}' is already the title of knowledge[{first}]; titles must be unique",
                    {"index": index, "title": snippet.title, "first": seen[key]},
                )
            seen[key] = index
        return snippets


# The name the ingest stage used before the file existed; same model.
WorkspaceCreate = WorkspaceFile


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


class AccountRead(BaseModel):
    """A connected account as the accounts page and API show it (never its secrets)."""

    id: int
    platform: Platform
    handle: str
    health: AccountHealth
    health_detail: str
    health_since: datetime | None
    last_synced_at: datetime | None = Field(description="When the last page of posts was stored.")
    sync_finished_at: datetime | None = Field(description="When the last sync ended, ok or not.")
    sync_result: str = Field(description="How the last sync ended, in one line.")
    reads_today: int = Field(description="Resources read from the platform today (UTC).")
    spend_today_usd: float = Field(description="What today's reads cost (pay-per-use platforms).")
    spend_cap_usd: float | None = Field(description="The daily read budget; None: no cap.")
    post_replies: bool = Field(description="Rapport posts approved replies for this account.")
    settings: dict[str, Any] = Field(description="The connector settings, secrets left out.")


class SettingField(BaseModel):
    """One connector setting as a form field: its title and description are the label and
    the hint; a secret's stored value is never shown."""

    name: str
    title: str
    description: str
    kind: str  # text, password, number, checkbox
    step: str | None = None
    required: bool
    value: str


class KnowledgeRead(KnowledgeSnippet):
    """A snippet as stored, with its version: send it back with an edit (`If-Match`, or the
    form's `version`) and a change made by someone else since is a 409, not lost."""

    version: str
