"""When a job waits on someone else's limits (a Strava sync between two windows), until
when: its page says so instead of showing progress that stands still.

Revision ID: 0032
Revises: 0031
"""

import sqlalchemy as sa
from alembic import op

revision = "0032"
down_revision = "0031"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN rebuilds no table (SQLite too)
    op.add_column("jobs", sa.Column("waiting_until", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("waiting_until")
