"""Rewrite the shipped JSON Schema files from the payload models."""

from core.events.schemas import write_all

for written in write_all():
    print(written)  # noqa: T201
