"""A race goal per runner: the race day, its distance, an optional target time, and the day
it was set with the weekly distance the build-up starts from (domain.race).

Revision ID: 0025
Revises: 0022
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0022"
branch_labels = None
depends_on = None

TABLE = "race_goals"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("race_on", sa.Date, nullable=False),
        sa.Column("distance_m", sa.Float, nullable=False),
        sa.Column("target_seconds", sa.Integer, nullable=True),
        sa.Column("set_on", sa.Date, nullable=False),
        sa.Column("start_km", sa.Float, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", name="uq_race_goals_user"),
    )
    # the runner's data revision (0011) rises with every change to their goal
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER kc_revision AFTER INSERT OR UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION kc_bump_revision()"
        )
        return
    for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        op.execute(
            f"CREATE TRIGGER kc_revision_{TABLE}_{event.lower()} AFTER {event} ON {TABLE} "
            f"BEGIN UPDATE users SET revision = revision + 1 WHERE id = {row}.user_id; END"
        )


def downgrade() -> None:
    op.drop_table(TABLE)
