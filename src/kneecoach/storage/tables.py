"""The schema, one for SQLite and PostgreSQL. Every row belongs to a user.

Changes go through an Alembic migration in ``migrations/versions`` as well as here; a test
checks that the migrated database matches these tables.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("role", String(20), nullable=False, server_default="runner"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("password_hash", String(200), nullable=True),
    Column("revision", Integer, nullable=False, server_default="0"),
    Column("email", String(254), nullable=True),
    # raised by triggers on every change to the user's record (migration 0011)
    Index(
        "uq_users_one_owner",
        "role",
        unique=True,
        sqlite_where=text("role = 'owner'"),
        postgresql_where=text("role = 'owner'"),
    ),
)

login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("account", String(100), nullable=True),
    Column("client", String(64), nullable=False),
    Column("failed_at", DateTime(timezone=True), nullable=False),
    Index("ix_login_failures_account", "account", "failed_at"),
    Index("ix_login_failures_client", "client", "failed_at"),
)

profiles = Table(
    "profiles",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("affected_knee", String(10), nullable=False),
    Column("pain_at_rest", Integer, nullable=False),
    Column("pain_running", Integer, nullable=False),
    Column("equipment", JSON, nullable=False),
    Column("heaviest_dumbbell_kg", Float, nullable=True),
    Column("sessions_per_week", Integer, nullable=False),
    Column("start_date", Date, nullable=False),
    Column("program_key", String(100), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("start_side", String(10), nullable=False, server_default="affected"),
    CheckConstraint("pain_at_rest BETWEEN 0 AND 10", name="pain_at_rest"),
    CheckConstraint("pain_running BETWEEN 0 AND 10", name="pain_running"),
    CheckConstraint("sessions_per_week BETWEEN 1 AND 7", name="sessions_per_week"),
)

screenings = Table(
    "screenings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("taken_on", Date, nullable=False),
    Column("flagged", JSON, nullable=False),
    Column("clear", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("age_band", String(10), nullable=True),
    Column("lifted_by", String(100), nullable=True),
    Column("seen_clinician_on", Date, nullable=True),
    Index("ix_screenings_user_taken", "user_id", "taken_on"),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("performed_on", Date, nullable=False),
    Column("pain_during", Integer, nullable=True),
    Column("effort", Integer, nullable=True),
    Column("notes", Text, nullable=False, server_default=""),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status", String(12), nullable=False, server_default="complete"),
    Column("pain_after", Integer, nullable=True),
    Column("exercise_pain", JSON, nullable=True),
    Column("adjustments", JSON, nullable=True),
    UniqueConstraint("user_id", "performed_on", name="uq_sessions_user_day"),
    CheckConstraint("pain_during BETWEEN 0 AND 10", name="pain_during"),
)

session_sets = Table(
    "session_sets",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("session_id", Integer, ForeignKey("sessions.id", ondelete="CASCADE"), nullable=False),
    Column("exercise", String(100), nullable=False),
    Column("variant", String(100), nullable=False),
    Column("side", String(10), nullable=False),
    Column("set_number", Integer, nullable=False),
    Column("reps", Integer, nullable=True),
    Column("hold_seconds", Integer, nullable=True),
    Column("load_kg", Float, nullable=False, server_default="0"),
    Index("ix_session_sets_session", "session_id"),
    UniqueConstraint("session_id", "exercise", "side", "set_number", name="uq_session_sets_set"),
)

checkins = Table(
    "checkins",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("date", Date, nullable=False),
    Column("pain_morning", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("swelling", Boolean, nullable=False, server_default=false()),
    UniqueConstraint("user_id", "date", name="uq_checkins_user_day"),
    CheckConstraint("pain_morning BETWEEN 0 AND 10", name="pain_morning"),
)

akps_results = Table(
    "akps_results",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("taken_on", Date, nullable=False),
    Column("answers", JSON, nullable=False),
    Column("score", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_akps_results_user_taken", "user_id", "taken_on"),
    CheckConstraint("score BETWEEN 0 AND 100", name="score"),
)

levels = Table(
    "levels",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("exercise", String(100), primary_key=True),
    Column("variant", String(100), nullable=False),
    Column("sets", Integer, nullable=False),
    Column("reps", Integer, nullable=True),
    Column("hold_seconds", Integer, nullable=True),
    Column("load_kg", Float, nullable=False, server_default="0"),
    Column("range_of_motion", String(16), nullable=True),
    Column("pinned", Boolean, nullable=False, server_default=false()),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("exercise", String(100), nullable=False),
    Column("decided_on", Date, nullable=False),
    Column("based_on", Date, nullable=True),
    Column("action", String(10), nullable=False),
    Column("why", Text, nullable=False),
    Column("sources", JSON, nullable=False),
    Column("before", JSON, nullable=False),
    Column("after", JSON, nullable=False),
    Column("undone", Boolean, nullable=False, server_default=false()),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_decisions_user_exercise", "user_id", "exercise"),
)

activities = Table(
    "activities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("sport", String(12), nullable=False),
    Column("start", DateTime(timezone=True), nullable=False),
    Column("day", Date, nullable=False),
    Column("elapsed_s", Float, nullable=False),
    Column("moving_s", Float, nullable=False),
    Column("distance_m", Float, nullable=False),
    Column("ascent_m", Float, nullable=True),
    Column("avg_hr", Float, nullable=True),
    Column("max_hr", Float, nullable=True),
    Column("avg_cadence", Float, nullable=True),
    Column("indoor", Boolean, nullable=False, server_default=false()),
    Column("name", String(200), nullable=False, server_default=""),
    Column("sources", JSON, nullable=False),
    Column("laps", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("effort", Integer, nullable=True),
    Column("origins", JSON, nullable=False),
    Column("span_start", DateTime(timezone=True), nullable=False),
    Column("span_end", DateTime(timezone=True), nullable=False),
    Column("long_span", Boolean, nullable=False, server_default=false()),
    Column("step_rate", Float, nullable=True),
    Index("ix_activities_user_day", "user_id", "day"),
    Index("ix_activities_user_span", "user_id", "span_start"),
    Index("ix_activities_user_long", "user_id", "long_span", "span_start"),
)

activity_samples = Table(
    "activity_samples",
    metadata,
    Column(
        "activity_id",
        Integer,
        ForeignKey("activities.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("samples", LargeBinary, nullable=False),
)
"""An activity's samples (packed: storage.samples_codec), apart from the activity's row:
another file of the activity, which only adds itself to the row's origins, then never
rewrites them (a row is written whole), and reading the activities never reads them."""

rtr_checks = Table(
    "rtr_checks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("taken_on", Date, nullable=False),
    Column("brisk_walk", Boolean, nullable=False),
    Column("squats", Integer, nullable=False),
    Column("hops", Integer, nullable=False),
    Column("test_pain", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

rtr_runs = Table(
    "rtr_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("day", Date, nullable=False),
    Column("stage", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("user_id", "day", name="uq_rtr_runs_user_day"),
)

fppa_tests = Table(
    "fppa_tests",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("taken_on", Date, nullable=False),
    Column("side", String(5), nullable=False),
    Column("trials", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("user_id", "taken_on", "side", name="uq_fppa_tests_user_day_side"),
    CheckConstraint("side IN ('left', 'right')", name="side"),
)

race_goals = Table(
    "race_goals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("race_on", Date, nullable=False),
    Column("distance_m", Float, nullable=False),
    Column("target_seconds", Integer, nullable=True),
    Column("set_on", Date, nullable=False),
    Column("start_km", Float, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("set_by", String(200), nullable=True),
    UniqueConstraint("user_id", name="uq_race_goals_user"),
)

race_calls = Table(
    "race_calls",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("day", Date, nullable=False),
    Column("made_by", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("kind IN ('hold', 'release', 'step-back')", name="kind"),
)

race_runs = Table(
    "race_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("day", Date, nullable=False),
    Column("pain_during", Integer, nullable=False),
    Column("distance_km", Float, nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint("pain_during BETWEEN 0 AND 10", name="pain_during"),
    UniqueConstraint("user_id", "day", name="uq_race_runs_user_day"),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)

invites = Table(
    "invites",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("clinician_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("used_by", Integer, nullable=True),
    Column("role", String(20), nullable=False, server_default="runner"),
    # the account it makes: a runner (followed by the inviting clinician) or a clinician
)
password_resets = Table(
    "password_resets",
    metadata,
    # one row per reset asked for, of an unknown name too (user_id NULL, no token): the
    # throttle counts them per account and per client address (migration 0020)
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=True),
    Column("client", String(64), nullable=False),
    Column("requested_at", DateTime(timezone=True), nullable=False),
    Column("token_hash", String(64), nullable=True, unique=True),
    Column("expires_at", DateTime(timezone=True), nullable=True),
    Column("used_at", DateTime(timezone=True), nullable=True),
    Index("ix_password_resets_user", "user_id", "requested_at"),
    Index("ix_password_resets_client", "client", "requested_at"),
)

care = Table(
    "care",
    metadata,
    Column("clinician_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("runner_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

calendar_feeds = Table(
    "calendar_feeds",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("to_address", String(254), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("queued_at", DateTime(timezone=True), nullable=False),
    Column("next_try_at", DateTime(timezone=True), nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("claimed_until", DateTime(timezone=True), nullable=True),
    Column("sent_at", DateTime(timezone=True), nullable=True),
    Column("given_up_at", DateTime(timezone=True), nullable=True),
    Column("last_error", String(500), nullable=True),
    Index("ix_outbox_due", "sent_at", "next_try_at"),
)
"""Emails waiting to go: queued in the transaction of what caused them, sent by a sender
outside any request (``services.mail``), so a slow mail server never holds a page up."""

audit_log = Table(
    "audit_log",
    metadata,
    # no foreign keys: an entry outlives the accounts it names, and a refused attempt may
    # name a runner who does not exist (migration 0015)
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor_id", Integer, nullable=False),
    Column("actor_name", String(200), nullable=False),
    Column("runner_id", BigInteger, nullable=False),
    Column("action", String(200), nullable=False),
    Column("address", String(64), nullable=False),
    Column("allowed", Boolean, nullable=False),
    Index("ix_audit_log_runner_at", "runner_id", "at"),
    Index("ix_audit_log_at", "at"),
)

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("key", String(255), primary_key=True),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=True),
    Column("body", LargeBinary, nullable=True),
    Column("media_type", String(100), nullable=True),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Index("ix_idempotency_keys_expires_at", "expires_at"),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("state", String(20), nullable=False),
    Column("folder", String(100), nullable=False),
    Column("inputs", JSON, nullable=False),
    Column("files_total", Integer, nullable=False, server_default="0"),
    Column("files_done", Integer, nullable=False, server_default="0"),
    Column("files_failed", Integer, nullable=False, server_default="0"),
    Column("added", Integer, nullable=False, server_default="0"),
    Column("merged", Integer, nullable=False, server_default="0"),
    Column("waiting_until", DateTime(timezone=True), nullable=True),
    Column("result", JSON, nullable=True),
    Column("error", String(500), nullable=True),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=True),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("lease_owner", String(100), nullable=True),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    Index("ix_jobs_state", "state", "id"),
    Index("ix_jobs_user_id", "user_id"),
)
"""Long work queued by a request and run by a worker process (services.jobs): an upload's
import, with its progress, its result, and who holds it until when (the lease)."""

strava_connections = Table(
    "strava_connections",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("athlete_id", BigInteger, nullable=False),
    Column("athlete_name", String(200), nullable=False),
    Column("scope", String(100), nullable=False),
    Column("tokens", LargeBinary, nullable=False),
    Column("connected_at", DateTime(timezone=True), nullable=False),
    Column("history_from", Date, nullable=False),
    Column("reached", DateTime(timezone=True), nullable=True),
    Column("newest", DateTime(timezone=True), nullable=True),
    Column("history_done", Boolean, nullable=False, server_default=false()),
    Column("synced", Integer, nullable=False, server_default="0"),
    Column("last_sync_at", DateTime(timezone=True), nullable=True),
    Column("reconnect", String(300), nullable=True),
    Index("ix_strava_connections_athlete", "athlete_id"),
)
"""A runner's Strava connection: its tokens encrypted (Fernet, KNEECOACH_SECRET_KEY) and how
far back the history sync has got (services.strava)."""

strava_limits = Table(
    "strava_limits",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("short_limit", Integer, nullable=False),
    Column("short_usage", Integer, nullable=False),
    Column("daily_limit", Integer, nullable=False),
    Column("daily_usage", Integer, nullable=False),
    Column("observed_at", DateTime(timezone=True), nullable=False),
)
"""The rate limits Strava last announced to this deployment (one row): every runner's sync
reads them before asking, so all of them stay within the application's limits together."""
