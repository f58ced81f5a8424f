"""Range of motion as a step of an exercise's level: the split squat starts in a partial
range for an irritable knee and deepens before load. Levels kept before have no range, which
the ladder reads as the fullest (the seed's).

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN: rebuilding "levels" would drop the triggers that count its changes
    op.add_column("levels", sa.Column("range_of_motion", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("levels") as batch:
        batch.drop_column("range_of_motion")
