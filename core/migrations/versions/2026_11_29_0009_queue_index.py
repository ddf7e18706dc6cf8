"""suggestion: an index for the review queue's order and keyset pages

Revision ID: queue_index_1
Revises: signin_1
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from alembic import op

revision: str = "queue_index_1"
down_revision: str | None = "signin_1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_suggestion_workspace_id_score_id", "suggestion", ["workspace_id", "score", "id"]
    )


def downgrade() -> None:
    op.drop_index("ix_suggestion_workspace_id_score_id", table_name="suggestion")
