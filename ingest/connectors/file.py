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
from ingest.schemas import PersonCreate, PostCreate, clean

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


# Signatures of files people pick by mistake; each is refused in one sentence.
_NOT_TEXT = {
    b"PK\x03\x04": "a ZIP archive (an .xlsx workbook?)",
    b"\x1f\x8b": "a gzip archive",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"PAR1": "a Parquet file",
    b"SQLite format 3": "an SQLite database",
}
# Share of unreadable bytes (control bytes, invalid UTF-8) above which a file is not text.
_BINARY_SHARE = 0.25
_MAX_FIELD = 16 * 1024 * 1024


def _refuse_if_not_text(path: Path, data: bytes) -> None:
    for magic, what in _NOT_TEXT.items():
        if data.startswith(magic):
            raise ImportFileError(
                f"{path.name} is {what}, not a text file: export JSON Lines or CSV (UTF-8)."
            )
    sample = data[:65536].replace(b"\x00", b"")
    if not sample.strip():
        if data.strip(b"\x00 \t\r\n"):
            return
        raise ImportFileError(f"{path.name} is empty: there is nothing to import.")
    text = sample.decode("utf-8", errors="replace")
    unreadable = sum(1 for ch in text if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\n\r\f"))
    if unreadable / len(text) > _BINARY_SHARE:
        raise ImportFileError(
            f"{path.name} is not a text file ({unreadable / len(text):.0%} of its first bytes "
            "are unreadable): export JSON Lines or CSV (UTF-8)."
        )


def _physical_lines(path: Path) -> Iterator[tuple[int, str | None, str | None]]:
    """(line number, text or None, error or None) for each line, as an editor numbers them.

    NUL bytes are dropped; a line that is not UTF-8 is reported (with where) and skipped, so one
    bad byte costs one line, not the file. UTF-16 files (with their byte-order mark) are read
    as such.
    """
    data = path.read_bytes()
    # A UTF-16 export of JSON or CSV (ASCII keys, commas, digits) is full of NUL bytes; without
    # them, the two bytes are just a bad first line.
    sample = data[:4096]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) and sample.count(0) * 4 >= len(sample):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            pass  # not really UTF-16: read it line by line below
    _refuse_if_not_text(path, data)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for number, raw in enumerate(data.split(b"\n"), start=1):
        raw = raw.replace(b"\x00", b"").rstrip(b"\r")
        try:
            yield number, raw.decode("utf-8"), None
        except UnicodeDecodeError as exc:
            yield (
                number,
                None,
                f"not UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                "save the file as UTF-8",
            )


def _json_records(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    for number, line, error in _physical_lines(path):
        if error:
            yield number, None, error
            continue
        assert line is not None
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            yield number, None, f"not valid JSON ({msg})"
            continue
        if not isinstance(record, dict):
            yield number, None, "expected a JSON object"
            continue
        yield number, record, None


def _csv_fields(text: str) -> list[str] | None:
    """The fields of one CSV record, or None when its quotes do not close."""
    if text.count('"') % 2:
        return None
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error:
        return None
    if len(rows) != 1:
        return [] if not rows else None
    return rows[0]


def _csv_records(path: Path) -> Iterator[tuple[int, dict[str, Any] | None, str | None]]:
    """CSV records; a quoted field may span lines, but an unclosed quote never swallows a
    following line that is a valid record on its own: the broken line alone is reported."""
    header: list[str] | None = None
    pending: list[tuple[int, str]] = []  # the lines of a record whose quote is still open
    quotes = 0  # quote characters in the pending lines: odd means a quoted field is open

    def record(fields: list[str]) -> tuple[dict[str, Any] | None, str | None]:
        assert header is not None
        if len(fields) > len(header):
            return None, "more fields than the header has"
        return dict(zip(header, fields + [""] * (len(header) - len(fields)), strict=True)), None

    def valid_alone(line: str) -> bool:
        fields = _csv_fields(line)
        if not fields or header is None:
            return False
        values, error = record(fields)
        if error or values is None:
            return False
        try:
            FileRow.model_validate(values)
        except ValidationError:
            return False
        return True

    def unclosed() -> tuple[int, None, str]:
        return pending[0][0], None, "a quote opened on this line is never closed"

    old_limit = csv.field_size_limit(_MAX_FIELD)
    try:
        for number, line, error in _physical_lines(path):
            if error:
                if pending:
                    yield unclosed()
                    pending, quotes = [], 0
                yield number, None, error
                continue
            assert line is not None
            if pending and valid_alone(line):
                yield unclosed()
                pending, quotes = [], 0
            pending.append((number, line))
            quotes += line.count('"')
            if quotes % 2:
                continue  # the quote is still open: the record goes on
            joined = "\n".join(text for _, text in pending)
            first = pending[0][0]
            pending, quotes = [], 0
            fields = _csv_fields(joined)
            if fields is None:
                yield first, None, "the quotes of this record do not match"
                continue
            if not joined.strip():
                continue
            if header is None:
                header = [name.strip() for name in fields]
                continue
            values, problem = record(fields)
            yield first, values, problem
        if pending:
            yield unclosed()
            # the lines after the unclosed quote may still be records of their own
            for number, line in pending[1:]:
                fields = _csv_fields(line)
                if fields and header is not None and line.strip():
                    values, problem = record(fields)
                    yield number, values, problem
    finally:
        csv.field_size_limit(old_limit)


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
    if suffix in (".yaml", ".yml") or (
        suffix == ".json"
        and _is_workspace_file(path.read_bytes().decode("utf-8-sig", errors="replace"))
    ):
        raise ImportFileError(
            f"{path.name} is a workspace file (a business's description), not posts: use "
            f"`rapport workspaces create NAME --from {path.name}` or "
            f"`rapport workspaces apply NAME {path.name}`."
        )
    if suffix in (".jsonl", ".ndjson", ".json"):
        yield from _json_records(path)
    elif suffix == ".csv":
        yield from _csv_records(path)
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
                record = clean(record)
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
