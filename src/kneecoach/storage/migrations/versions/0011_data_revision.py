"""A revision number per user, raised by the database on every change to their record.

Pages that are read far more often than they change (Today above all) are kept rendered,
keyed by this number; triggers raise it whatever writes (the app, a restore, a clinician
in another process), so a kept page can never outlive the data it shows.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

RECORD_TABLES = (
    "profiles",
    "screenings",
    "sessions",
    "checkins",
    "akps_results",
    "levels",
    "decisions",
    "activities",
    "rtr_checks",
    "rtr_runs",
)
"""Tables with a user_id; session_sets reach their user through their session."""

SETS_OWNER = "(SELECT user_id FROM sessions WHERE id = {row}.session_id)"


def _sqlite_triggers() -> list[str]:
    statements = []
    for table in (*RECORD_TABLES, "session_sets"):
        for event, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            owner = SETS_OWNER.format(row=row) if table == "session_sets" else f"{row}.user_id"
            statements.append(
                f"CREATE TRIGGER kc_revision_{table}_{event.lower()} AFTER {event} ON {table} "
                f"BEGIN UPDATE users SET revision = revision + 1 WHERE id = {owner}; END"
            )
    return statements


def _postgresql_triggers() -> list[str]:
    statements = []
    for name, owner in (
        ("kc_bump_revision", "{row}.user_id"),
        ("kc_bump_revision_via_session", SETS_OWNER),
    ):
        statements.append(
            f"""CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    UPDATE users SET revision = revision + 1 WHERE id = {owner.format(row="OLD")};
                ELSE
                    UPDATE users SET revision = revision + 1 WHERE id = {owner.format(row="NEW")};
                END IF;
                RETURN NULL;
            END $$"""
        )
    for table in (*RECORD_TABLES, "session_sets"):
        function = "kc_bump_revision_via_session" if table == "session_sets" else "kc_bump_revision"
        statements.append(
            f"CREATE TRIGGER kc_revision AFTER INSERT OR UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}()"
        )
    return statements


def upgrade() -> None:
    op.add_column("users", sa.Column("revision", sa.Integer, nullable=False, server_default="0"))
    dialect = op.get_bind().dialect.name
    for statement in _postgresql_triggers() if dialect == "postgresql" else _sqlite_triggers():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in (*RECORD_TABLES, "session_sets"):
            op.execute(f"DROP TRIGGER kc_revision ON {table}")
        op.execute("DROP FUNCTION kc_bump_revision()")
        op.execute("DROP FUNCTION kc_bump_revision_via_session()")
    else:
        for table in (*RECORD_TABLES, "session_sets"):
            for event in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER kc_revision_{table}_{event}")
    with op.batch_alter_table("users") as batch:
        batch.drop_column("revision")
