"""JSON Schema files of the webhook payloads, one per event type: `<type>.v1.json`.

`python -m core.events.schemas` rewrites them from the pydantic models; a test checks that the
shipped files match and that real payloads validate against them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from core.events.payloads import DATA_FOR, VERSION, Envelope
from core.models.base import EventType

DIRECTORY = Path(__file__).parent


def path_for(event_type: EventType) -> Path:
    return DIRECTORY / f"{event_type.value}.v{VERSION}.json"


def schema_for(event_type: EventType) -> dict[str, Any]:
    """The JSON Schema of one event type's payload (envelope with that type's data)."""
    data_model = DATA_FOR[event_type]
    schema = Envelope.model_json_schema()
    data_schema = data_model.model_json_schema()
    defs = {**schema.pop("$defs", {}), **data_schema.pop("$defs", {})}
    for name in ("ReplyData", "AccountData", "TestData"):
        defs.pop(name, None)
    schema["properties"]["type"] = {"const": event_type.value, "title": "Type"}
    schema["properties"]["data"] = data_schema
    schema["required"] = ["type", "version", "timestamp", "data"]
    schema["$defs"] = {k: v for k, v in defs.items() if k != "EventType"}
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://rapport.invalid/webhooks/{event_type.value}.v{VERSION}.json"
    schema["title"] = f"{event_type.value} (version {VERSION})"
    return schema


def load(event_type: EventType) -> dict[str, Any]:
    """The shipped schema file of one event type."""
    return json.loads(path_for(event_type).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def write_all() -> list[Path]:
    paths = []
    for event_type in EventType:
        path = path_for(event_type)
        path.write_text(json.dumps(schema_for(event_type), indent=2) + "\n", encoding="utf-8")
        paths.append(path)
    return paths
