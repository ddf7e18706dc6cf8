"""Getting people and posts in: connectors, idempotent storage, cursors, tasks."""
