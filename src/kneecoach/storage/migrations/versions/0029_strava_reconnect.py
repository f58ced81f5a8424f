"""A Strava connection that needs connecting again (Strava refused its refresh token, or the
athlete revoked kneecoach there) keeps why, and connections are found by athlete (Strava's
webhook events name the athlete).

Revision ID: 0029
Revises: 0028
"""

import sqlalchemy as sa
from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN (no table rebuild): the table's revision triggers stay
    op.add_column("strava_connections", sa.Column("reconnect", sa.String(300), nullable=True))
    op.create_index("ix_strava_connections_athlete", "strava_connections", ["athlete_id"])


def downgrade() -> None:
    op.drop_index("ix_strava_connections_athlete", "strava_connections")
    with op.batch_alter_table("strava_connections") as batch:
        batch.drop_column("reconnect")
