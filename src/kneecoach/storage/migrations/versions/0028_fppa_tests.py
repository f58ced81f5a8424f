"""Knee-alignment tests: the frontal plane projection angle of a single-leg squat, one test a
day per leg, its 3 trials in degrees (domain.pose).

Revision ID: 0028
Revises: 0027
"""

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0027"
branch_labels = None
depends_on = None

TABLE = "fppa_tests"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("taken_on", sa.Date, nullable=False),
        sa.Column("side", sa.String(5), nullable=False),
        sa.Column("trials", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("user_id", "taken_on", "side", name="uq_fppa_tests_user_day_side"),
        sa.CheckConstraint("side IN ('left', 'right')", name="ck_fppa_tests_side"),
    )
    # the runner's data revision (0011) rises with every change to their tests
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
