"""workspace: time zone, ready time and cadence (what the workspace file declares)

Revision ID: workspace_file_1
Revises: post_private_1
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "workspace_file_1"
down_revision: str | None = "post_private_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "workspace",
        sa.Column("timezone", sa.String(length=64), server_default="UTC", nullable=False),
    )
    op.add_column(
        "workspace",
        sa.Column("ready_at", sa.Time(), server_default=sa.text("'07:00'"), nullable=False),
    )
    op.add_column(
        "workspace",
        sa.Column("replies_per_day", sa.Integer(), server_default="60", nullable=False),
    )
    op.add_column(
        "workspace",
        sa.Column("days_between_replies", sa.Integer(), server_default="2", nullable=False),
    )


def downgrade() -> None:
    for column in ("days_between_replies", "replies_per_day", "ready_at", "timezone"):
        op.drop_column("workspace", column)
