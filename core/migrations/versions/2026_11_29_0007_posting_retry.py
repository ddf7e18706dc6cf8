"""suggestion: when to try posting again after a rate limit or an outage

Revision ID: posting_2
Revises: posting_1
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "posting_2"
down_revision: str | None = "posting_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "suggestion",
        sa.Column("posting_next_attempt_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("suggestion", "posting_next_attempt_at")
