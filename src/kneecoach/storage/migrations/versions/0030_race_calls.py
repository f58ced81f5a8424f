"""A clinician's decisions on a runner's race plan: who set the race goal (a clinician's name,
or none for the runner), and the holds, releases and steps back a clinician made, each with
the day and their name (domain.race.ClinicianCall). Clearing the goal keeps them: a
clinician's decision stands until a clinician changes it.

Revision ID: 0030
Revises: 0029
"""

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0029"
branch_labels = None
depends_on = None

TABLE = "race_calls"


def upgrade() -> None:
    # a plain ADD COLUMN (no table rebuilt): the goal's revision triggers stay as they are
    op.add_column("race_goals", sa.Column("set_by", sa.String(200), nullable=True))
    op.create_table(
        TABLE,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("made_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('hold', 'release', 'step-back')", name="ck_race_calls_kind"),
    )
    # the runner's data revision (0011) rises with every decision on their plan
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
    with op.batch_alter_table("race_goals") as batch:
        batch.drop_column("set_by")
