"""suggestion: posting by Rapport (state, the platform's id of the reply, error)

Revision ID: posting_1
Revises: webhooks_1
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "posting_1"
down_revision: str | None = "webhooks_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("suggestion", sa.Column("posting_status", sa.String(length=32), nullable=True))
    op.add_column(
        "suggestion", sa.Column("posted_external_id", sa.String(length=200), nullable=True)
    )
    op.add_column("suggestion", sa.Column("posted_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("suggestion", sa.Column("posting_error", sa.Text(), nullable=True))
    op.create_index(
        op.f("ix_suggestion_posting_status"), "suggestion", ["posting_status"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_suggestion_posting_status"), table_name="suggestion")
    op.drop_column("suggestion", "posting_error")
    op.drop_column("suggestion", "posted_at")
    op.drop_column("suggestion", "posted_external_id")
    op.drop_column("suggestion", "posting_status")
