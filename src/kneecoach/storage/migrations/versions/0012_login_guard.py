"""Logins that hold: failed attempts kept in the database (shared by every process, kept
across restarts) per account and per client address, and one owner at most.

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("account", sa.String(100), nullable=True),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_login_failures_account", "login_failures", ["account", "failed_at"])
    op.create_index("ix_login_failures_client", "login_failures", ["client", "failed_at"])
    op.create_index(
        "uq_users_one_owner",
        "users",
        ["role"],
        unique=True,
        sqlite_where=sa.text("role = 'owner'"),
        postgresql_where=sa.text("role = 'owner'"),
    )


def downgrade() -> None:
    op.drop_index("uq_users_one_owner", table_name="users")
    op.drop_table("login_failures")
