"""The runs of the race plan a runner told about: the day, the pain during the run and,
when no watch recorded it, its distance (domain.race.RaceRun); one per runner and day.

Revision ID: 0027
Revises: 0026
"""

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

TABLE = "race_runs"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("pain_during", sa.Integer, nullable=False),
        sa.Column("distance_km", sa.Float, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("pain_during BETWEEN 0 AND 10", name="ck_race_runs_pain_during"),
        sa.UniqueConstraint("user_id", "day", name="uq_race_runs_user_day"),
    )
    # the runner's data revision (0011) rises with every run they tell about
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
