"""An activity's samples in a table of their own (activity_samples), apart from its row:
another file of an activity only adds itself to the row's origins, and a database writes
a row whole, so with the samples in it every such file rewrote them.

Revision ID: 0031
Revises: 0030
"""

import sqlite3

import sqlalchemy as sa
from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activity_samples",
        sa.Column(
            "activity_id",
            sa.Integer,
            sa.ForeignKey("activities.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("samples", sa.LargeBinary, nullable=False),
    )
    op.execute(
        "INSERT INTO activity_samples (activity_id, samples) "
        "SELECT id, samples FROM activities WHERE samples IS NOT NULL"
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    if not sqlite or sqlite3.sqlite_version_info >= (3, 35):
        # a plain DROP COLUMN (SQLite 3.35 and later; no table rebuilt): the activities'
        # revision triggers (0011, 0014) and indexes stay as they are
        op.execute("ALTER TABLE activities DROP COLUMN samples")
        return
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("samples")
    for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        name = f"kc_revision_activities_{event.lower()}"  # gone with the table rebuilt
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON activities "
            f"BEGIN UPDATE users SET revision = revision + 1 WHERE id = {row}.user_id; END"
        )


def downgrade() -> None:
    # ADD COLUMN rebuilds no table (SQLite too): the revision triggers stay as they are
    op.add_column("activities", sa.Column("samples", sa.LargeBinary, nullable=True))
    op.execute(
        "UPDATE activities SET samples = (SELECT s.samples FROM activity_samples s "
        "WHERE s.activity_id = activities.id)"
    )
    op.drop_table("activity_samples")
