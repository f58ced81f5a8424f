"""Guided sessions: sessions kept while they run (unfinished until pain is given), sets
saved one at a time, and which leg starts each round.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(
            sa.Column("status", sa.String(12), nullable=False, server_default="complete")
        )
        batch.alter_column("pain_during", existing_type=sa.Integer, nullable=True)
    with op.batch_alter_table("session_sets") as batch:
        batch.create_unique_constraint(
            "uq_session_sets_set", ["session_id", "exercise", "side", "set_number"]
        )
    with op.batch_alter_table("profiles") as batch:
        batch.add_column(
            sa.Column("start_side", sa.String(10), nullable=False, server_default="affected")
        )


def downgrade() -> None:
    with op.batch_alter_table("profiles") as batch:
        batch.drop_column("start_side")
    with op.batch_alter_table("session_sets") as batch:
        batch.drop_constraint("uq_session_sets_set", type_="unique")
    op.execute("DELETE FROM sessions WHERE status <> 'complete'")
    with op.batch_alter_table("sessions") as batch:
        batch.alter_column("pain_during", existing_type=sa.Integer, nullable=False)
        batch.drop_column("status")
