"""Strava connections (tokens encrypted at rest, the history sync's progress) and the rate
limits Strava last announced, shared by every runner's sync.

Revision ID: 0026
Revises: 0025
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "strava_connections",
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("athlete_id", sa.BigInteger, nullable=False),
        sa.Column("athlete_name", sa.String(200), nullable=False),
        sa.Column("scope", sa.String(100), nullable=False),
        sa.Column("tokens", sa.LargeBinary, nullable=False),
        sa.Column("connected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("history_from", sa.Date, nullable=False),
        sa.Column("reached", sa.DateTime(timezone=True), nullable=True),
        sa.Column("history_done", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("synced", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "strava_limits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("short_limit", sa.Integer, nullable=False),
        sa.Column("short_usage", sa.Integer, nullable=False),
        sa.Column("daily_limit", sa.Integer, nullable=False),
        sa.Column("daily_usage", sa.Integer, nullable=False),
        sa.Column("observed_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("strava_limits")
    op.drop_table("strava_connections")
