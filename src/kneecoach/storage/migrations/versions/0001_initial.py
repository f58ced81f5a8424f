"""Initial schema: users, profiles, red-flag screenings, sessions with their sets, check-ins.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _user_fk(table: str) -> sa.Column[int]:
    return sa.Column(
        "user_id",
        sa.Integer,
        sa.ForeignKey("users.id", ondelete="CASCADE", name=f"fk_{table}_user_id_users"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False, server_default="runner"),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("name", name="uq_users_name"),
    )
    op.create_table(
        "profiles",
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE", name="fk_profiles_user_id_users"),
            nullable=False,
        ),
        sa.Column("affected_knee", sa.String(10), nullable=False),
        sa.Column("pain_at_rest", sa.Integer, nullable=False),
        sa.Column("pain_running", sa.Integer, nullable=False),
        sa.Column("equipment", sa.JSON, nullable=False),
        sa.Column("heaviest_dumbbell_kg", sa.Float, nullable=True),
        sa.Column("sessions_per_week", sa.Integer, nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("program_key", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_profiles"),
        sa.CheckConstraint("pain_at_rest BETWEEN 0 AND 10", name="ck_profiles_pain_at_rest"),
        sa.CheckConstraint("pain_running BETWEEN 0 AND 10", name="ck_profiles_pain_running"),
        sa.CheckConstraint(
            "sessions_per_week BETWEEN 1 AND 7", name="ck_profiles_sessions_per_week"
        ),
    )
    op.create_table(
        "screenings",
        sa.Column("id", sa.Integer, nullable=False),
        _user_fk("screenings"),
        sa.Column("taken_on", sa.Date, nullable=False),
        sa.Column("flagged", sa.JSON, nullable=False),
        sa.Column("clear", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_screenings"),
    )
    op.create_index("ix_screenings_user_taken", "screenings", ["user_id", "taken_on"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, nullable=False),
        _user_fk("sessions"),
        sa.Column("performed_on", sa.Date, nullable=False),
        sa.Column("pain_during", sa.Integer, nullable=False),
        sa.Column("effort", sa.Integer, nullable=True),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sessions"),
        sa.UniqueConstraint("user_id", "performed_on", name="uq_sessions_user_day"),
        sa.CheckConstraint("pain_during BETWEEN 0 AND 10", name="ck_sessions_pain_during"),
    )
    op.create_table(
        "session_sets",
        sa.Column("id", sa.Integer, nullable=False),
        sa.Column(
            "session_id",
            sa.Integer,
            sa.ForeignKey(
                "sessions.id", ondelete="CASCADE", name="fk_session_sets_session_id_sessions"
            ),
            nullable=False,
        ),
        sa.Column("exercise", sa.String(100), nullable=False),
        sa.Column("variant", sa.String(100), nullable=False),
        sa.Column("side", sa.String(10), nullable=False),
        sa.Column("set_number", sa.Integer, nullable=False),
        sa.Column("reps", sa.Integer, nullable=True),
        sa.Column("hold_seconds", sa.Integer, nullable=True),
        sa.Column("load_kg", sa.Float, nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name="pk_session_sets"),
    )
    op.create_index("ix_session_sets_session", "session_sets", ["session_id"])
    op.create_table(
        "checkins",
        sa.Column("id", sa.Integer, nullable=False),
        _user_fk("checkins"),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("pain_morning", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_checkins"),
        sa.UniqueConstraint("user_id", "date", name="uq_checkins_user_day"),
        sa.CheckConstraint("pain_morning BETWEEN 0 AND 10", name="ck_checkins_pain_morning"),
    )


def downgrade() -> None:
    for table in ("checkins", "session_sets", "sessions", "screenings", "profiles", "users"):
        op.drop_table(table)
