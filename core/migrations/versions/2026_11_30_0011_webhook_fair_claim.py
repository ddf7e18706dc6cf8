"""webhook_delivery: each endpoint's waiting deliveries in order (fair batches take turns round
the endpoints)

Revision ID: webhook_fair_1
Revises: posting_3
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "webhook_fair_1"
down_revision: str | None = "posting_3"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_webhook_delivery_endpoint_id_waiting",
        "webhook_delivery",
        ["endpoint_id", "next_attempt_at", "id"],
        postgresql_where=sa.text("status IN ('pending', 'retrying')"),
    )


def downgrade() -> None:
    op.drop_index("ix_webhook_delivery_endpoint_id_waiting", table_name="webhook_delivery")
