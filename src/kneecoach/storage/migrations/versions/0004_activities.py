"""Activities imported from GPX, TCX and FIT files, with their samples packed in one blob.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_activities_user_id_users"),
            nullable=False,
        ),
        sa.Column("fingerprint", sa.String(32), nullable=False),
        sa.Column("sport", sa.String(12), nullable=False),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("elapsed_s", sa.Float, nullable=False),
        sa.Column("moving_s", sa.Float, nullable=False),
        sa.Column("distance_m", sa.Float, nullable=False),
        sa.Column("ascent_m", sa.Float, nullable=True),
        sa.Column("avg_hr", sa.Float, nullable=True),
        sa.Column("max_hr", sa.Float, nullable=True),
        sa.Column("avg_cadence", sa.Float, nullable=True),
        sa.Column("indoor", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("name", sa.String(200), nullable=False, server_default=""),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("laps", sa.JSON, nullable=False),
        sa.Column("samples", sa.LargeBinary, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_activities"),
        sa.UniqueConstraint("user_id", "fingerprint", name="uq_activities_user_fingerprint"),
    )
    op.create_index("ix_activities_user_day", "activities", ["user_id", "day"])


def downgrade() -> None:
    op.drop_table("activities")
