"""sign-in: password hashes, token roles and prefixes

Revision ID: signin_1
Revises: posting_2
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "signin_1"
down_revision: str | None = "posting_2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("user", sa.Column("password_hash", sa.String(length=200), nullable=True))
    op.add_column(
        "api_token",
        sa.Column(
            "role",
            sa.Enum("owner", "reviewer", "viewer", name="role", native_enum=False, length=32),
            nullable=False,
            server_default="viewer",
        ),
    )
    op.add_column(
        "api_token", sa.Column("prefix", sa.String(length=16), nullable=False, server_default="")
    )
    op.alter_column("api_token", "role", server_default=None)
    op.alter_column("api_token", "prefix", server_default=None)


def downgrade() -> None:
    op.drop_column("api_token", "prefix")
    op.drop_column("api_token", "role")
    op.drop_column("user", "password_hash")
