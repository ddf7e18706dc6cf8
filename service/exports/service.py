"""Exports as CSV, JSON Lines or Parquet, written batch by batch as the rows stream in.

One function, `export`, serves the CLI, the API and the download buttons: it yields the file's
bytes in chunks, so a million rows never sit in memory.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
from rapidfuzz.distance import Levenshtein
from sqlalchemy.orm import Session

from service.exports import repository
from service.exports.schemas import ExportFormat, ExportKind, Period

Record = dict[str, Any]
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


# Each function completes one record in place (the query selects every column in the schema's
# order, computed ones as NULL), so no dict is built twice.


def _suggestion(record: Record) -> Record:
    final = record["final_text"]
    record["edit_distance"] = (
        Levenshtein.distance(record["draft"] or "", final) if final is not None else None
    )
    knowledge = orjson.loads(record["knowledge_used"]) if record["knowledge_used"] else None
    record["knowledge_used"] = [str(k) for k in knowledge] if isinstance(knowledge, list) else []
    version = record["drafter_version"] or ""
    record["backend"] = _VERSION_NUMBER.sub("", version.split(":", 1)[0])
    return record


def _post(record: Record) -> Record:
    for key in ("keyphrases", "flags"):
        record[key] = list(record[key]) if record[key] is not None else None
    if record["topics"] is not None:
        record["topics"] = {str(k): float(v) for k, v in record["topics"].items()}
    if record["entities"] is not None:
        record["entities"] = [
            {"kind": str(e.get("kind", "")), "text": str(e.get("text", ""))}
            for e in record["entities"]
            if isinstance(e, dict)
        ]
    return record


def _daily(record: Record) -> Record:
    yes = record["approved"] + record["edited"]
    decided = yes + record["rejected"]
    record["approval_rate"] = yes / decided if decided else None
    return record


def _plain(record: Record) -> Record:
    return record


RECORDS: dict[ExportKind, Callable[[Record], Record]] = {
    ExportKind.SUGGESTIONS: _suggestion,
    ExportKind.PEOPLE: _plain,
    ExportKind.POSTS: _post,
    ExportKind.DAILY: _daily,
}


def filename(*, workspace: str, kind: ExportKind, fmt: ExportFormat, period: Period) -> str:
    """What a downloaded export is called: crumb-and-kettle-suggestions-2026-11-01_now.csv."""
    return f"{workspace}-{kind.value}-{period.slug()}.{fmt.value}"


def count(session: Session, *, workspace_id: int, kind: ExportKind, period: Period) -> int:
    return repository.count_rows(session, workspace_id=workspace_id, kind=kind, period=period)


def records(
    session: Session,
    *,
    workspace_id: int,
    kind: ExportKind,
    period: Period,
    batch_size: int = 10_000,
) -> Iterator[list[Record]]:
    """The export's rows as dicts (the schema's columns, in order), batch by batch."""
    complete = RECORDS[kind]
    names = SCHEMAS[kind].names
    for keys, rows in repository.stream_rows(
        session, workspace_id=workspace_id, kind=kind, period=period, batch_size=batch_size
    ):
        if keys != names:
            raise RuntimeError(f"{kind} query columns {keys} differ from the schema {names}")
        yield [complete(dict(zip(names, row, strict=True))) for row in rows]


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
    batches = records(
        session, workspace_id=workspace_id, kind=kind, period=period, batch_size=batch_size
    )
    writer = WRITERS[fmt]
    for chunk, rows in writer(SCHEMAS[kind], batches):
        if rows and progress is not None:
            progress(rows)
        if chunk:
            yield chunk


# --- formats ---------------------------------------------------------------------------------
# Each writer turns batches of records into (bytes, rows in them) chunks.

Chunks = Iterator[tuple[bytes, int]]


def _json_default(value: Any) -> Any:
    raise TypeError(f"cannot export a {type(value).__name__}")


def write_jsonl(schema: pa.Schema, batches: Iterator[list[Record]]) -> Chunks:
    option = orjson.OPT_APPEND_NEWLINE | orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS
    for batch in batches:
        yield (
            b"".join(orjson.dumps(r, option=option, default=_json_default) for r in batch),
            len(batch),
        )


def _cell(value: Any) -> Any:
    """A CSV cell: times in ISO 8601, true/false, lists and objects as JSON, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict):
        return orjson.dumps(value).decode()
    return value


def write_csv(schema: pa.Schema, batches: Iterator[list[Record]]) -> Chunks:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(schema.names)
    header = buffer.getvalue().encode()
    yield header, 0
    for batch in batches:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows([_cell(v) for v in r.values()] for r in batch)
        yield buffer.getvalue().encode(), len(batch)


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


def write_parquet(schema: pa.Schema, batches: Iterator[list[Record]]) -> Chunks:
    """One row group per batch; each is handed on as soon as it is written."""
    sink = _ChunkSink()
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        for batch in batches:
            columns = {name: [r[name] for r in batch] for name in schema.names}
            writer.write_batch(pa.RecordBatch.from_pydict(columns, schema=schema))
            yield sink.take(), len(batch)
    yield sink.take(), 0


WRITERS: dict[ExportFormat, Callable[[pa.Schema, Iterator[list[Record]]], Chunks]] = {
    ExportFormat.CSV: write_csv,
    ExportFormat.JSONL: write_jsonl,
    ExportFormat.PARQUET: write_parquet,
}


def columns(kind: ExportKind) -> Sequence[str]:
    return list(SCHEMAS[kind].names)
