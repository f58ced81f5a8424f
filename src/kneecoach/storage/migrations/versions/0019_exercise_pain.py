"""Pain during each exercise of a session, kept beside the session's own figure.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN: a nullable column needs no table rebuild
    op.add_column("sessions", sa.Column("exercise_pain", sa.JSON, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("exercise_pain")
