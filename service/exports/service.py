"""Exports as CSV, JSON Lines or Parquet, written batch by batch as the rows stream in.

One function, `export`, serves the CLI, the API and the download buttons: it yields the file's
bytes in chunks, so a million rows never sit in memory.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
from rapidfuzz.distance import Levenshtein
from sqlalchemy.orm import Session

from service.exports import repository
from service.exports.schemas import ExportFormat, ExportKind, Period

Progress = Callable[[int], None]

_TIME = pa.timestamp("us", tz="UTC")
_STRINGS = pa.list_(pa.string())

# The columns of each export, in order, with their Parquet types.
SCHEMAS: dict[ExportKind, pa.Schema] = {
    ExportKind.SUGGESTIONS: pa.schema(
        [
            ("suggestion_id", pa.int64()),
            ("created_at", _TIME),
            ("decided_at", _TIME),
            ("status", pa.string()),
            ("seconds_to_decide", pa.float64()),
            ("occasion", pa.string()),
            ("route", pa.string()),
            ("backend", pa.string()),
            ("drafter_version", pa.string()),
            ("score", pa.float64()),
            ("guard_passed", pa.bool_()),
            ("draft", pa.string()),
            ("final_text", pa.string()),
            ("edit_distance", pa.int64()),
            ("knowledge_used", _STRINGS),
            ("delivery_state", pa.string()),
            ("platform", pa.string()),
            ("post_external_id", pa.string()),
            ("post_url", pa.string()),
            ("posted_at", _TIME),
            ("person_handle", pa.string()),
        ]
    ),
    ExportKind.PEOPLE: pa.schema(
        [
            ("person_id", pa.int64()),
            ("platform", pa.string()),
            ("external_id", pa.string()),
            ("handle", pa.string()),
            ("display_name", pa.string()),
            ("profile_url", pa.string()),
            ("first_seen_at", _TIME),
            ("last_seen_at", _TIME),
            ("posts", pa.int64()),
            (
                "interests",
                pa.list_(
                    pa.struct(
                        [("kind", pa.string()), ("label", pa.string()), ("weight", pa.float64())]
                    )
                ),
            ),
        ]
    ),
    ExportKind.POSTS: pa.schema(
        [
            ("post_id", pa.int64()),
            ("platform", pa.string()),
            ("external_id", pa.string()),
            ("url", pa.string()),
            ("posted_at", _TIME),
            ("person_handle", pa.string()),
            ("text", pa.string()),
            ("lang", pa.string()),
            ("in_reply_to", pa.string()),
            ("summons_business", pa.bool_()),
            ("deleted", pa.bool_()),
            ("model_version", pa.string()),
            ("language", pa.string()),
            ("sentiment", pa.string()),
            ("emotion", pa.string()),
            ("intent", pa.string()),
            ("topics", pa.map_(pa.string(), pa.float64())),
            ("keyphrases", _STRINGS),
            ("entities", pa.list_(pa.struct([("kind", pa.string()), ("text", pa.string())]))),
            ("has_question", pa.bool_()),
            ("hostile", pa.bool_()),
            ("flags", _STRINGS),
        ]
    ),
    ExportKind.DAILY: pa.schema(
        [
            ("day", pa.date32()),
            ("posts", pa.int64()),
            ("people_posting", pa.int64()),
            ("suggestions", pa.int64()),
            ("drafts", pa.int64()),
            ("cards", pa.int64()),
            ("approved", pa.int64()),
            ("edited", pa.int64()),
            ("rejected", pa.int64()),
            ("snoozed", pa.int64()),
            ("expired", pa.int64()),
            ("pending", pa.int64()),
            ("approval_rate", pa.float64()),
            ("median_seconds_to_approve", pa.float64()),
        ]
    ),
}

_VERSION_NUMBER = re.compile(r"-\d+$")

# A batch is columnar: the schema's column names, in order, each with its values. The query
# selects every column in the schema's order (computed ones as NULL); the functions below fill
# in what SQL doesn't compute.
Columns = dict[str, list[Any]]


def _backend(version: str | None) -> str:
    """ "openai-compatible:llama3" -> "openai-compatible", "composer-2" -> "composer"."""
    return _VERSION_NUMBER.sub("", (version or "").split(":", 1)[0])


def _suggestions(columns: Columns) -> None:
    columns["edit_distance"] = [
        Levenshtein.distance(draft or "", final) if final is not None else None
        for draft, final in zip(columns["draft"], columns["final_text"], strict=True)
    ]
    backends: dict[str | None, str] = {}  # a handful of versions: each parsed once
    columns["backend"] = [
        backends.get(v) or backends.setdefault(v, _backend(v)) for v in columns["drafter_version"]
    ]


def _topics(value: dict[str, Any] | None) -> dict[str, float] | None:
    return None if value is None else {str(k): float(v) for k, v in value.items()}


def _entities(value: list[Any] | None) -> list[dict[str, str]] | None:
    if value is None:
        return None
    return [
        {"kind": str(e.get("kind", "")), "text": str(e.get("text", ""))}
        for e in value
        if isinstance(e, dict)
    ]


def _posts(columns: Columns) -> None:
    columns["topics"] = [_topics(t) for t in columns["topics"]]
    columns["entities"] = [_entities(e) for e in columns["entities"]]


def _daily(columns: Columns) -> None:
    rates: list[float | None] = []
    for approved, edited, rejected in zip(
        columns["approved"], columns["edited"], columns["rejected"], strict=True
    ):
        decided = approved + edited + rejected
        rates.append((approved + edited) / decided if decided else None)
    columns["approval_rate"] = rates


def _nothing(columns: Columns) -> None:
    return None


COMPLETE: dict[ExportKind, Callable[[Columns], None]] = {
    ExportKind.SUGGESTIONS: _suggestions,
    ExportKind.PEOPLE: _nothing,
    ExportKind.POSTS: _posts,
    ExportKind.DAILY: _daily,
}


def filename(*, workspace: str, kind: ExportKind, fmt: ExportFormat, period: Period) -> str:
    """What a downloaded export is called: crumb-and-kettle-suggestions-2026-11-01_now.csv."""
    return f"{workspace}-{kind.value}-{period.slug()}.{fmt.value}"


def count(session: Session, *, workspace_id: int, kind: ExportKind, period: Period) -> int:
    return repository.count_rows(session, workspace_id=workspace_id, kind=kind, period=period)


def batches(
    session: Session,
    *,
    workspace_id: int,
    kind: ExportKind,
    period: Period,
    batch_size: int = 10_000,
) -> Iterator[Columns]:
    """The export's rows as columns (the schema's, in order), batch by batch."""
    complete = COMPLETE[kind]
    names = SCHEMAS[kind].names
    for keys, rows in repository.stream_rows(
        session, workspace_id=workspace_id, kind=kind, period=period, batch_size=batch_size
    ):
        if keys != names:
            raise RuntimeError(f"{kind} query columns {keys} differ from the schema {names}")
        if not rows:
            continue
        columns = {
            name: list(values) for name, values in zip(names, zip(*rows, strict=True), strict=True)
        }
        complete(columns)
        yield columns


def export(
    session: Session,
    *,
    workspace_id: int,
    kind: ExportKind,
    fmt: ExportFormat,
    period: Period,
    progress: Progress | None = None,
    batch_size: int = 10_000,
) -> Iterator[bytes]:
    """The export file's bytes, chunk by chunk (one chunk per batch of rows)."""
    columns = batches(
        session, workspace_id=workspace_id, kind=kind, period=period, batch_size=batch_size
    )
    writer = WRITERS[fmt]
    for chunk, rows in writer(SCHEMAS[kind], columns):
        if rows and progress is not None:
            progress(rows)
        if chunk:
            yield chunk


# --- formats ---------------------------------------------------------------------------------
# Each writer turns batches of records into (bytes, rows in them) chunks.

Chunks = Iterator[tuple[bytes, int]]


def _rows(columns: Columns) -> int:
    return len(next(iter(columns.values())))


def write_jsonl(schema: pa.Schema, batches: Iterator[Columns]) -> Chunks:
    option = orjson.OPT_APPEND_NEWLINE | orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS
    names = schema.names
    dumps = orjson.dumps
    for columns in batches:
        # Each line goes into the buffer at once: orjson's bytes are over-allocated, and ten
        # thousand of them kept in a list would take ten times the memory of the text.
        buffer = io.BytesIO()
        for row in zip(*columns.values(), strict=True):
            buffer.write(dumps(dict(zip(names, row, strict=True)), option=option))
        yield buffer.getvalue(), _rows(columns)


def _csv_converters(schema: pa.Schema) -> dict[str, Callable[[Any], str]]:
    """The columns whose CSV text differs from str(): times (ISO 8601), booleans (true/false),
    lists, structs and maps (JSON). None is written empty by the csv module itself."""
    out: dict[str, Callable[[Any], str]] = {}
    for column in schema:
        if pa.types.is_timestamp(column.type):
            out[column.name] = datetime.isoformat
        elif pa.types.is_boolean(column.type):
            out[column.name] = lambda v: "true" if v else "false"
        elif pa.types.is_nested(column.type):
            out[column.name] = lambda v: orjson.dumps(v).decode()
    return out


def write_csv(schema: pa.Schema, batches: Iterator[Columns]) -> Chunks:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(schema.names)
    yield buffer.getvalue().encode(), 0
    converters = _csv_converters(schema)
    for columns in batches:
        buffer.seek(0)
        buffer.truncate()
        for name, convert in converters.items():
            columns[name] = [None if v is None else convert(v) for v in columns[name]]
        writer.writerows(zip(*columns.values(), strict=True))
        yield buffer.getvalue().encode(), _rows(columns)


class _ChunkSink(io.RawIOBase):
    """A write-only file that hands over what was written since the last `take`."""

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._position = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self._chunks.append(chunk)
        self._position += len(chunk)
        return len(chunk)

    def tell(self) -> int:
        return self._position

    def take(self) -> bytes:
        out, self._chunks = b"".join(self._chunks), []
        return out


def write_parquet(schema: pa.Schema, batches: Iterator[Columns]) -> Chunks:
    """One row group per batch; each is handed on as soon as it is written."""
    sink = _ChunkSink()
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        for columns in batches:
            writer.write_batch(pa.RecordBatch.from_pydict(columns, schema=schema))
            yield sink.take(), _rows(columns)
    yield sink.take(), 0


WRITERS: dict[ExportFormat, Callable[[pa.Schema, Iterator[Columns]], Chunks]] = {
    ExportFormat.CSV: write_csv,
    ExportFormat.JSONL: write_jsonl,
    ExportFormat.PARQUET: write_parquet,
}


def columns(kind: ExportKind) -> Sequence[str]:
    return list(SCHEMAS[kind].names)
