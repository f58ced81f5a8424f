"""Clinics: single-use invitations from a clinician, and which runners a clinician follows.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "invites",
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column(
            "clinician_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_invites_clinician_id_users"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("used_by", sa.Integer, nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name="pk_invites"),
    )
    op.create_table(
        "care",
        sa.Column(
            "clinician_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_care_clinician_id_users"),
            nullable=False,
        ),
        sa.Column(
            "runner_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_care_runner_id_users"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("clinician_id", "runner_id", name="pk_care"),
    )


def downgrade() -> None:
    op.drop_table("care")
    op.drop_table("invites")
