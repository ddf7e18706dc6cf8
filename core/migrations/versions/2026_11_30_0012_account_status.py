"""account: when its health last changed, and how its last sync ended

Revision ID: account_status_1
Revises: webhook_fair_1
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "account_status_1"
down_revision: str | None = "webhook_fair_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("account", sa.Column("health_since", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "account", sa.Column("sync_finished_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.add_column("account", sa.Column("sync_result", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    op.drop_column("account", "sync_result")
    op.drop_column("account", "sync_finished_at")
    op.drop_column("account", "health_since")
