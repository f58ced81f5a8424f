"""Who lifts a pause, and the age band: each screen keeps the runner's age band, who
lifted a pause with it (a clinician's name, or 'runner') and the day a clinician saw the
runner as they stated it. An unanswered screen is kept as neither clear nor flagged.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (no table copy), so the data-revision triggers of 0011 stay
    op.add_column("screenings", sa.Column("age_band", sa.String(10), nullable=True))
    op.add_column("screenings", sa.Column("lifted_by", sa.String(100), nullable=True))
    op.add_column("screenings", sa.Column("seen_clinician_on", sa.Date, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("screenings") as batch:
        batch.drop_column("seen_clinician_on")
        batch.drop_column("lifted_by")
        batch.drop_column("age_band")
