"""Connectors, one subpackage per platform, and the explicit registry of account connectors."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from core.models import Platform
from ingest.connectors.base import (
    BadItem,
    Budget,
    Connector,
    ConnectorError,
    NeedsReconnect,
    NoAnswer,
    OverBudget,
    Page,
    RetriableError,
    Unreachable,
)
from ingest.connectors.bluesky import BlueskyConnector, BlueskySettings
from ingest.connectors.facebook import FacebookConnector, FacebookSettings
from ingest.connectors.file import FileConnector, FileRow
from ingest.connectors.mastodon import MastodonConnector, MastodonSettings
from ingest.connectors.x import XConnector, XSettings


@dataclass(frozen=True)
class ConnectorSpec:
    """A platform an account can be connected on: its settings form and its connector."""

    platform: Platform
    settings: type[BaseModel]
    build: Callable[[Any], Connector]


REGISTRY: dict[Platform, ConnectorSpec] = {
    Platform.MASTODON: ConnectorSpec(Platform.MASTODON, MastodonSettings, MastodonConnector),
    Platform.BLUESKY: ConnectorSpec(Platform.BLUESKY, BlueskySettings, BlueskyConnector),
    Platform.X: ConnectorSpec(Platform.X, XSettings, XConnector),
    Platform.FACEBOOK: ConnectorSpec(Platform.FACEBOOK, FacebookSettings, FacebookConnector),
}

__all__ = [
    "REGISTRY",
    "BadItem",
    "BlueskyConnector",
    "BlueskySettings",
    "Budget",
    "Connector",
    "ConnectorError",
    "ConnectorSpec",
    "FacebookConnector",
    "FacebookSettings",
    "FileConnector",
    "FileRow",
    "MastodonConnector",
    "MastodonSettings",
    "NeedsReconnect",
    "NoAnswer",
    "OverBudget",
    "Page",
    "RetriableError",
    "Unreachable",
    "XConnector",
    "XSettings",
]
