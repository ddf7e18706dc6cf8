"""Connectors, one module (later one subpackage) per platform, and the explicit registry."""

from ingest.connectors.base import (
    BadItem,
    Connector,
    ConnectorError,
    NeedsReconnect,
    Page,
    RetriableError,
)
from ingest.connectors.file import FileConnector, FileRow

REGISTRY: dict[str, type] = {
    "file": FileConnector,
}

__all__ = [
    "REGISTRY",
    "BadItem",
    "Connector",
    "ConnectorError",
    "FileConnector",
    "FileRow",
    "NeedsReconnect",
    "Page",
    "RetriableError",
]
