"""Return to running: entry-criteria checks and the runs logged as stage attempts.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _user(table: str) -> sa.Column[int]:
    return sa.Column(
        "user_id",
        sa.Integer,
        sa.ForeignKey("users.id", ondelete="CASCADE", name=f"fk_{table}_user_id_users"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "rtr_checks",
        sa.Column("id", sa.Integer, nullable=False),
        _user("rtr_checks"),
        sa.Column("taken_on", sa.Date, nullable=False),
        sa.Column("brisk_walk", sa.Boolean, nullable=False),
        sa.Column("squats", sa.Integer, nullable=False),
        sa.Column("hops", sa.Integer, nullable=False),
        sa.Column("test_pain", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rtr_checks"),
    )
    op.create_table(
        "rtr_runs",
        sa.Column("id", sa.Integer, nullable=False),
        _user("rtr_runs"),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("stage", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rtr_runs"),
        sa.UniqueConstraint("user_id", "day", name="uq_rtr_runs_user_day"),
    )


def downgrade() -> None:
    op.drop_table("rtr_runs")
    op.drop_table("rtr_checks")
