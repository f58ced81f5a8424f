"""Adaptation: per-runner exercise levels, decisions with their reasons, Kujala AKPS
results, pain after a session, and swelling reported at check-in.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
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
        "akps_results",
        sa.Column("id", sa.Integer, nullable=False),
        _user("akps_results"),
        sa.Column("taken_on", sa.Date, nullable=False),
        sa.Column("answers", sa.JSON, nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_akps_results"),
        sa.CheckConstraint("score BETWEEN 0 AND 100", name="ck_akps_results_score"),
    )
    op.create_index("ix_akps_results_user_taken", "akps_results", ["user_id", "taken_on"])
    op.create_table(
        "levels",
        _user("levels"),
        sa.Column("exercise", sa.String(100), nullable=False),
        sa.Column("variant", sa.String(100), nullable=False),
        sa.Column("sets", sa.Integer, nullable=False),
        sa.Column("reps", sa.Integer, nullable=True),
        sa.Column("hold_seconds", sa.Integer, nullable=True),
        sa.Column("load_kg", sa.Float, nullable=False, server_default="0"),
        sa.Column("pinned", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", "exercise", name="pk_levels"),
    )
    op.create_table(
        "decisions",
        sa.Column("id", sa.Integer, nullable=False),
        _user("decisions"),
        sa.Column("exercise", sa.String(100), nullable=False),
        sa.Column("decided_on", sa.Date, nullable=False),
        sa.Column("based_on", sa.Date, nullable=True),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("why", sa.Text, nullable=False),
        sa.Column("sources", sa.JSON, nullable=False),
        sa.Column("before", sa.JSON, nullable=False),
        sa.Column("after", sa.JSON, nullable=False),
        sa.Column("undone", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_decisions"),
    )
    op.create_index("ix_decisions_user_exercise", "decisions", ["user_id", "exercise"])
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("pain_after", sa.Integer, nullable=True))
    with op.batch_alter_table("checkins") as batch:
        batch.add_column(
            sa.Column("swelling", sa.Boolean, nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("checkins") as batch:
        batch.drop_column("swelling")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("pain_after")
    op.drop_table("decisions")
    op.drop_table("levels")
    op.drop_table("akps_results")
