"""The easier ways taken during a guided session (fewer reps, a smaller range, the easier
variant), kept with the session so that a browser player, a reload and the logged session
all follow them.

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN: a nullable column needs no table rebuild
    op.add_column("sessions", sa.Column("adjustments", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("adjustments")
