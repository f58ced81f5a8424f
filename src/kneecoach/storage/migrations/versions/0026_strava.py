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


TABLE = "strava_connections"


def upgrade() -> None:
    op.create_table(
        TABLE,
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
        sa.Column("newest", sa.DateTime(timezone=True), nullable=True),
        sa.Column("history_done", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("synced", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_sync_at", sa.DateTime(timezone=True), nullable=True),
    )
    # the runner's data revision (0011) rises with every change to their connection
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER kc_revision AFTER INSERT OR UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION kc_bump_revision()"
        )
    else:
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            op.execute(
                f"CREATE TRIGGER kc_revision_{TABLE}_{event.lower()} AFTER {event} ON {TABLE} "
                f"BEGIN UPDATE users SET revision = revision + 1 WHERE id = {row}.user_id; END"
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
    op.drop_table(TABLE)
