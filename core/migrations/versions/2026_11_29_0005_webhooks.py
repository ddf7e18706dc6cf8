"""webhooks: event id per delivery, attempt log, response status, endpoint health

Revision ID: webhooks_1
Revises: workspace_file_1
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "webhooks_1"
down_revision: str | None = "workspace_file_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "webhook_endpoint",
        sa.Column("last_attempt_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.add_column("webhook_endpoint", sa.Column("last_status_code", sa.Integer(), nullable=True))
    op.add_column(
        "webhook_endpoint",
        sa.Column("consecutive_failures", sa.Integer(), server_default="0", nullable=False),
    )
    op.add_column("webhook_delivery", sa.Column("event_id", sa.String(length=64), nullable=True))
    op.execute("UPDATE webhook_delivery SET event_id = 'msg_legacy_' || id")
    op.alter_column("webhook_delivery", "event_id", nullable=False)
    op.add_column("webhook_delivery", sa.Column("response_status", sa.Integer(), nullable=True))
    op.add_column(
        "webhook_delivery",
        sa.Column(
            "attempt_log",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default="[]",
            nullable=False,
        ),
    )
    op.alter_column(
        "webhook_delivery",
        "event_type",
        type_=sa.String(length=32),
        existing_type=sa.String(length=64),
    )
    op.alter_column(
        "webhook_delivery", "status", type_=sa.String(length=32), existing_type=sa.String(16)
    )
    op.create_unique_constraint(
        op.f("uq_webhook_delivery_endpoint_id_event_id"),
        "webhook_delivery",
        ["endpoint_id", "event_id"],
    )
    op.create_index(
        "ix_webhook_delivery_status_next_attempt_at",
        "webhook_delivery",
        ["status", "next_attempt_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_delivery_status_next_attempt_at", table_name="webhook_delivery")
    op.drop_constraint(
        op.f("uq_webhook_delivery_endpoint_id_event_id"), "webhook_delivery", type_="unique"
    )
    op.alter_column(
        "webhook_delivery", "status", type_=sa.String(length=16), existing_type=sa.String(32)
    )
    op.alter_column(
        "webhook_delivery", "event_type", type_=sa.String(length=64), existing_type=sa.String(32)
    )
    op.drop_column("webhook_delivery", "attempt_log")
    op.drop_column("webhook_delivery", "response_status")
    op.drop_column("webhook_delivery", "event_id")
    op.drop_column("webhook_endpoint", "consecutive_failures")
    op.drop_column("webhook_endpoint", "last_status_code")
    op.drop_column("webhook_endpoint", "last_attempt_at")
