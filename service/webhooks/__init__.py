"""Webhooks out: endpoints per workspace, signed delivery from the outbox, retries, replay."""
