"""suggestion: the attempt marker of a reply being posted (a retry after an unknown outcome
checks the platform before posting again)

Revision ID: posting_3
Revises: queue_index_1
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "posting_3"
down_revision: str | None = "queue_index_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("suggestion", sa.Column("posting_attempt_key", sa.String(100), nullable=True))
    op.add_column(
        "suggestion",
        sa.Column("posting_attempted_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_column("suggestion", "posting_attempted_at")
    op.drop_column("suggestion", "posting_attempt_key")
