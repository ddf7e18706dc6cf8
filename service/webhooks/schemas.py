"""What the API and the CLI show of webhook endpoints and deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from core.models import DeliveryStatus, EventType


class EndpointCreate(BaseModel):
    url: str = Field(description="Where to POST events (https:// recommended).")
    event_types: list[str] = Field(
        default_factory=list,
        description="Event types to send (e.g. `reply.approved`); empty means every type.",
    )
    description: str = ""


class EndpointUpdate(BaseModel):
    url: str | None = None
    event_types: list[str] | None = None
    description: str | None = None
    active: bool | None = None


class EndpointRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    description: str
    event_types: list[EventType]
    active: bool
    created_at: datetime
    last_attempt_at: datetime | None
    last_status_code: int | None
    consecutive_failures: int
    waiting: int = Field(0, description="Deliveries pending or retrying.")
    dead: int = Field(0, description="Dead-lettered deliveries (replay them).")


class EndpointCreated(EndpointRead):
    secret: str = Field(
        description="The signing secret (Standard Webhooks `whsec_…`). Shown only now: keep it."
    )


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    endpoint_id: int
    event_id: str
    event_type: EventType
    suggestion_id: int | None
    status: DeliveryStatus
    attempts: int
    response_status: int | None
    last_error: str
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
    attempt_log: list[dict[str, Any]]
