"""One activity however many files: each activity keeps every file's account of it
(origins) and the time span they cover, found by overlap instead of a fingerprint. Sources
that were a web upload's temporary path on the server become the uploaded file's name.

Revision ID: 0014
Revises: 0013
"""

import datetime as dt
import re
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

FORMATS = ("fit", "tcx", "gpx")
UPLOAD_PATH = re.compile(r"^.*kneecoach-upload-[^/\\]+[/\\]\d{4}-(.+)$")
"""Where web uploads were once written, their own name after it: only the name is kept."""


def _own_name(source: str) -> str:
    found = UPLOAD_PATH.match(source)
    return found.group(1) if found else source


LONG_SPAN_S = 86400.0


def _format(name: str) -> str:
    stem = name.lower().removesuffix(".gz")
    suffix = stem.rsplit(".", 1)[-1] if "." in stem else ""
    return suffix if suffix in FORMATS else ""


def _origins(row: Any, start: dt.datetime) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "format": _format(name),
            "sport": row.sport,
            "start": start.isoformat(),
            "elapsed_s": row.elapsed_s,
            "distance_m": row.distance_m,
            "device_distance": _format(name) in ("fit", "tcx"),
            "samples": 0,
            "title": row.name,
        }
        for name in dict.fromkeys(_own_name(source) for source in row.sources)
    ]


def _sqlite_revision_triggers() -> None:
    """SQLite's batch mode rebuilds the table, and its triggers (0011) go with it: put the
    ones that raise the user's revision back."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        name = f"kc_revision_activities_{event.lower()}"
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(
            f"CREATE TRIGGER {name} AFTER {event} ON activities "
            f"BEGIN UPDATE users SET revision = revision + 1 WHERE id = {row}.user_id; END"
        )


def upgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.add_column(sa.Column("origins", sa.JSON, nullable=True))
        batch.add_column(sa.Column("span_start", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("span_end", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("long_span", sa.Boolean, nullable=False, server_default=sa.false())
        )
    table = sa.table(
        "activities",
        sa.column("id", sa.Integer),
        sa.column("sport", sa.String),
        sa.column("start", sa.DateTime(timezone=True)),
        sa.column("elapsed_s", sa.Float),
        sa.column("distance_m", sa.Float),
        sa.column("name", sa.String),
        sa.column("sources", sa.JSON),
        sa.column("origins", sa.JSON),
        sa.column("span_start", sa.DateTime(timezone=True)),
        sa.column("span_end", sa.DateTime(timezone=True)),
        sa.column("long_span", sa.Boolean),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            table.c.id,
            table.c.sport,
            table.c.start,
            table.c.elapsed_s,
            table.c.distance_m,
            table.c.name,
            table.c.sources,
        )
    ).all()
    for row in rows:
        start = row.start if row.start.tzinfo else row.start.replace(tzinfo=dt.UTC)
        start = start.astimezone(dt.UTC)
        bind.execute(
            table.update()
            .where(table.c.id == row.id)
            .values(
                sources=list(dict.fromkeys(_own_name(source) for source in row.sources)),
                origins=_origins(row, start),
                span_start=start,
                span_end=start + dt.timedelta(seconds=max(row.elapsed_s, 0.0)),
                long_span=row.elapsed_s > LONG_SPAN_S,
            )
        )
    with op.batch_alter_table("activities") as batch:
        batch.alter_column("origins", existing_type=sa.JSON, nullable=False)
        batch.alter_column("span_start", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.alter_column("span_end", existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.drop_constraint("uq_activities_user_fingerprint", type_="unique")
        batch.drop_column("fingerprint")
    op.create_index("ix_activities_user_span", "activities", ["user_id", "span_start"])
    op.create_index("ix_activities_user_long", "activities", ["user_id", "long_span", "span_start"])
    _sqlite_revision_triggers()


def downgrade() -> None:
    op.drop_index("ix_activities_user_long", "activities")
    op.drop_index("ix_activities_user_span", "activities")
    with op.batch_alter_table("activities") as batch:
        batch.add_column(sa.Column("fingerprint", sa.String(32), nullable=True))
    bind = op.get_bind()
    bind.execute(sa.text("UPDATE activities SET fingerprint = 'id-' || CAST(id AS VARCHAR(20))"))
    with op.batch_alter_table("activities") as batch:
        batch.alter_column("fingerprint", existing_type=sa.String(32), nullable=False)
        batch.create_unique_constraint("uq_activities_user_fingerprint", ["user_id", "fingerprint"])
        batch.drop_column("long_span")
        batch.drop_column("span_end")
        batch.drop_column("span_start")
        batch.drop_column("origins")
    _sqlite_revision_triggers()
