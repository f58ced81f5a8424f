"""Accounts for a whole clinic: invitations that make a clinician, and password resets by
email (asked for, throttled, single use; only the token's hash kept).

Revision ID: 0020
Revises: 0019
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "invites", sa.Column("role", sa.String(20), nullable=False, server_default="runner")
    )
    op.create_table(
        "password_resets",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=True
        ),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("used_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_password_resets_user", "password_resets", ["user_id", "requested_at"])
    op.create_index("ix_password_resets_client", "password_resets", ["client", "requested_at"])


def downgrade() -> None:
    op.drop_table("password_resets")
    with op.batch_alter_table("invites") as batch:
        batch.drop_column("role")
