"""Step rate: each activity's median step rate at easy pace (domain.steprate), worked out
for the activities already kept from their stored samples.

Revision ID: 0021
Revises: 0020
"""

import zlib

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

NOT_STEPS = ("cycle", "swim")
"""Sports whose cadence is not steps (pedal or stroke rate): no step rate."""


def upgrade() -> None:
    op.add_column("activities", sa.Column("step_rate", sa.Float, nullable=True))
    _backfill()


def _backfill() -> None:
    """One activity at a time, so memory holds one run's samples whatever the history."""
    from kneecoach.domain.steprate import easy_step_rate
    from kneecoach.storage.samples_codec import unpack

    connection = op.get_bind()
    table = sa.table(
        "activities",
        sa.column("id", sa.Integer),
        sa.column("sport", sa.String),
        sa.column("samples", sa.LargeBinary),
        sa.column("step_rate", sa.Float),
    )
    ids = connection.execute(
        sa.select(table.c.id).where(table.c.samples.is_not(None), table.c.sport.not_in(NOT_STEPS))
    ).scalars()
    for activity_id in list(ids):
        blob = connection.execute(
            sa.select(table.c.samples).where(table.c.id == activity_id)
        ).scalar_one()
        try:
            samples = unpack(blob)
        except (ValueError, zlib.error):  # not a samples blob: leave it without a step rate
            continue
        rate = easy_step_rate(samples.seconds, samples.distance, samples.speed, samples.cadence)
        if rate is not None:
            connection.execute(
                table.update().where(table.c.id == activity_id).values(step_rate=rate)
            )


def downgrade() -> None:
    op.drop_column("activities", "step_rate")
