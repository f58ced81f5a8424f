"""A user's whole record as one versioned JSON document, and back — losslessly.

Every table that belongs to a user is written row by row (every column but the database
ids), so a restore reproduces each table exactly, on SQLite or PostgreSQL. A restore is
checked completely before anything is written, then written in one transaction; rows the
database already holds (the same session day, check-in day, activity, decision…) are
skipped, so restoring twice adds nothing.

Format (version 2): {"format": "kneecoach-backup", "version": 2, "exported_at": ISO time,
"tables": {table: [row, ...]}}. Dates and times are ISO 8601 text, binary columns (packed
activity samples) base64, JSON columns as they are. A session's sets sit inside it under
"sets". Version 2 gives each activity its origins (every file's account of it) and the time
span they cover instead of version 1's fingerprint; a version 1 backup still restores, its
activities' origins made from their sources and figures. The race goal (table "race_goals",
one row), the runs of its plan told about (table "race_runs"), the knee-alignment tests
(table "fppa_tests"), the clinician's decisions on the race plan (table "race_calls") and
who set the race goal (column "set_by") came later within version 2: a backup without them
restores as it did.
"""

from __future__ import annotations

import base64
import datetime as dt
import zlib
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kneecoach.domain.errors import InvalidInput
from kneecoach.storage.origins_codec import legacy_origins
from kneecoach.storage.sql.activities import LONG_SPAN_S
from kneecoach.storage.sql.connections import inserted_id
from kneecoach.storage.tables import (
    activities,
    activity_samples,
    akps_results,
    checkins,
    decisions,
    fppa_tests,
    levels,
    profiles,
    race_calls,
    race_goals,
    race_runs,
    rtr_checks,
    rtr_runs,
    screenings,
    session_sets,
    sessions,
)

FORMAT = "kneecoach-backup"
VERSION = 2

USER_TABLES: tuple[sa.Table, ...] = (
    profiles,
    screenings,
    sessions,
    checkins,
    akps_results,
    levels,
    decisions,
    activities,
    rtr_checks,
    rtr_runs,
    race_goals,
    race_runs,
    fppa_tests,
    race_calls,
)
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "profiles": (),
    "screenings": ("taken_on", "created_at"),
    "sessions": ("performed_on",),
    "checkins": ("date",),
    "akps_results": ("taken_on", "created_at"),
    "levels": ("exercise",),
    "decisions": ("exercise", "decided_on", "created_at"),
    "activities": ("start",),
    "rtr_checks": ("taken_on", "created_at"),
    "rtr_runs": ("day",),
    "race_goals": (),
    "race_runs": ("day",),
    "fppa_tests": ("taken_on", "side"),
    "race_calls": ("kind", "day", "created_at"),
}
RANGES = {
    "pain_at_rest": (0, 10),
    "pain_running": (0, 10),
    "pain_during": (0, 10),
    "pain_after": (0, 10),
    "pain_morning": (0, 10),
    "effort": (0, 10),
    "score": (0, 100),
    "sessions_per_week": (1, 7),
    "test_pain": (0, 10),
}


class BackupError(InvalidInput):
    """A backup that cannot be restored: the message names the place and the reason."""


def _out(value: Any, column: sa.Column[Any]) -> Any:
    if value is None:
        return None
    if isinstance(column.type, sa.LargeBinary):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _columns(table: sa.Table) -> list[sa.Column[Any]]:
    return [c for c in table.columns if c.name not in ("id", "user_id", "session_id")]


def export_user(c: Connection, user_id: int, now: dt.datetime) -> dict[str, Any]:
    tables: dict[str, list[dict[str, Any]]] = {}
    for table in USER_TABLES:
        order = [table.c.id] if "id" in table.c else list(table.primary_key.columns)
        rows = c.execute(sa.select(table).where(table.c.user_id == user_id).order_by(*order)).all()
        samples = _samples(c, user_id) if table is activities else {}
        out = []
        for row in rows:
            item = {col.name: _out(getattr(row, col.name), col) for col in _columns(table)}
            if table is activities:  # kept apart in the database, in the row in a backup
                item["samples"] = _out(samples.get(row.id), activity_samples.c.samples)
            if table is sessions:
                sets = c.execute(
                    sa.select(session_sets)
                    .where(session_sets.c.session_id == row.id)
                    .order_by(session_sets.c.id)
                ).all()
                item["sets"] = [
                    {c2.name: _out(getattr(s, c2.name), c2) for c2 in _columns(session_sets)}
                    for s in sets
                ]
            out.append(item)
        tables[table.name] = out
    return {"format": FORMAT, "version": VERSION, "exported_at": now.isoformat(), "tables": tables}


def _samples(c: Connection, user_id: int) -> dict[int, bytes]:
    """The packed samples of the user's activities, by activity id."""
    query = (
        sa.select(activity_samples.c.activity_id, activity_samples.c.samples)
        .join(activities, activities.c.id == activity_samples.c.activity_id)
        .where(activities.c.user_id == user_id)
    )
    return {row.activity_id: row.samples for row in c.execute(query)}


def _in(value: Any, column: sa.Column[Any], where: str) -> Any:
    """Check one value against its column and turn it back into what the database holds."""
    if value is None:
        if not column.nullable and column.server_default is None:
            raise BackupError(f"{where}: is missing (null) but required")
        return None
    kind = column.type
    try:
        if isinstance(kind, sa.LargeBinary):
            return base64.b64decode(value, validate=True)
        if isinstance(kind, sa.DateTime):
            moment = dt.datetime.fromisoformat(value)
            return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        if isinstance(kind, sa.Date):
            return dt.date.fromisoformat(value)
    except (ValueError, TypeError):
        what = kind.__class__.__name__.lower()
        raise BackupError(f"{where}: {value!r} is not a valid {what}") from None
    if isinstance(kind, sa.Boolean):
        if not isinstance(value, bool):
            raise BackupError(f"{where}: expected true or false, got {value!r}")
    elif isinstance(kind, sa.Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            raise BackupError(f"{where}: expected a whole number, got {value!r}")
    elif isinstance(kind, sa.Float):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise BackupError(f"{where}: expected a number, got {value!r}")
        value = float(value)
    elif isinstance(kind, sa.String | sa.Text):
        if not isinstance(value, str):
            raise BackupError(f"{where}: expected text, got {value!r}")
        longest = getattr(kind, "length", None)
        if longest is not None and len(value) > longest:
            raise BackupError(f"{where}: longer than {longest} characters")
    if column.name == "exercise_pain":
        _check_exercise_pain(value, where)
    if column.name == "adjustments":
        _check_adjustments(value, where)
    bounds = RANGES.get(column.name)
    if bounds and not bounds[0] <= value <= bounds[1]:
        raise BackupError(f"{where}: must be from {bounds[0]} to {bounds[1]}, got {value}")
    return value


def _check_exercise_pain(value: Any, where: str) -> None:
    """A session's pain per exercise: an object of exercise names to whole numbers 0–10."""
    if not isinstance(value, dict):
        raise BackupError(f"{where}: expected an object of exercise: pain")
    for exercise, pain in value.items():
        if isinstance(pain, bool) or not isinstance(pain, int) or not 0 <= pain <= 10:
            raise BackupError(f"{where}.{exercise}: must be a whole number from 0 to 10")


def _check_adjustments(value: Any, where: str) -> None:
    """The changes taken in a session: an object of exercise names to {reps, variant,
    range}, each null or a whole number of reps from 1 / a key."""
    if not isinstance(value, dict):
        raise BackupError(f"{where}: expected an object of exercise: change")
    for exercise, change in value.items():
        if not isinstance(change, dict) or set(change) - {"reps", "variant", "range"}:
            raise BackupError(f"{where}.{exercise}: expected an object of reps, variant, range")
        reps = change.get("reps")
        if reps is not None and (isinstance(reps, bool) or not isinstance(reps, int) or reps < 1):
            raise BackupError(f"{where}.{exercise}.reps: must be a whole number from 1")
        for name in ("variant", "range"):
            key = change.get(name)
            if key is not None and (not isinstance(key, str) or not 0 < len(key) <= 60):
                raise BackupError(f"{where}.{exercise}.{name}: must be a key")


def _row(table: sa.Table, raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise BackupError(f"{where}: expected an object")
    known = {c.name for c in _columns(table)} | ({"sets"} if table is sessions else set())
    if table is activities:
        known.add("samples")
    unknown = sorted(set(raw) - known)
    if unknown:
        raise BackupError(f"{where}.{unknown[0]}: not a field of {table.name}")
    row = {
        col.name: _in(raw.get(col.name), col, f"{where}.{col.name}")
        for col in _columns(table)
        if col.name in raw or not (col.nullable or col.server_default is not None)
    }
    if table is activities and raw.get("samples") is not None:
        row["samples"] = _in(raw["samples"], activity_samples.c.samples, f"{where}.samples")
    return row


def read_backup(document: Any) -> dict[str, list[tuple[dict[str, Any], list[dict[str, Any]]]]]:
    """Check a whole backup; returns rows per table (sessions with their sets)."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BackupError('not a kneecoach backup (no "format": "kneecoach-backup")')
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise BackupError("version: expected a whole number")
    if version > VERSION:
        raise BackupError(
            f"version {version} was written by a newer kneecoach; this one reads up to "
            f"version {VERSION}: update kneecoach to restore it"
        )
    tables = document.get("tables")
    if not isinstance(tables, dict):
        raise BackupError("tables: expected an object of tables")
    unknown = sorted(set(tables) - {t.name for t in USER_TABLES})
    if unknown:
        raise BackupError(f"tables.{unknown[0]}: not a kneecoach table")
    checked: dict[str, list[tuple[dict[str, Any], list[dict[str, Any]]]]] = {}
    for table in USER_TABLES:
        rows = tables.get(table.name, [])
        if not isinstance(rows, list):
            raise BackupError(f"tables.{table.name}: expected a list")
        checked[table.name] = []
        for index, raw in enumerate(rows):
            where = f"tables.{table.name}[{index}]"
            if table is activities and version < 2:
                raw = _activity_v1(raw, where)
            row = _row(table, raw, where)
            if table is activities and "step_rate" not in raw:
                row["step_rate"] = _step_rate(row)
            sets: list[dict[str, Any]] = []
            if table is sessions:
                raw_sets = raw.get("sets", [])
                if not isinstance(raw_sets, list):
                    raise BackupError(f"{where}.sets: expected a list")
                sets = [_row(session_sets, s, f"{where}.sets[{j}]") for j, s in enumerate(raw_sets)]
            checked[table.name].append((row, sets))
    return checked


def _step_rate(row: dict[str, Any]) -> float | None:
    """An activity's step rate from its samples, for a backup written before activities
    kept one (as migration 0021 does for a database)."""
    from kneecoach.domain.steprate import easy_step_rate
    from kneecoach.storage.samples_codec import unpack

    blob = row.get("samples")
    if not blob or row.get("sport") in ("cycle", "swim"):
        return None
    try:
        samples = unpack(blob)
    except (ValueError, zlib.error):
        return None  # a blob that is not samples restores as it is, without a step rate
    return easy_step_rate(samples.seconds, samples.distance, samples.speed, samples.cadence)


def _activity_v1(raw: Any, where: str) -> Any:
    """A version 1 activity as version 2 keeps it: no fingerprint; origins from its sources
    and its own figures; the span its time covers."""
    if not isinstance(raw, dict):
        return raw
    row = {k: v for k, v in raw.items() if k != "fingerprint"}
    try:
        start = dt.datetime.fromisoformat(str(row["start"]))
        start = (start if start.tzinfo else start.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
        elapsed = float(row["elapsed_s"])
        sources = [str(name) for name in row["sources"]]
        origins = legacy_origins(
            sources,
            str(row["sport"]),
            start,
            elapsed,
            float(row["distance_m"]),
            0,
            str(row.get("name", "")),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise BackupError(f"{where}: not an activity of a version 1 backup ({error})") from None
    end = start + dt.timedelta(seconds=max(elapsed, 0.0))
    return row | {
        "origins": origins,
        "span_start": start.isoformat(),
        "span_end": end.isoformat(),
        "long_span": (end - start).total_seconds() > LONG_SPAN_S,
    }


@dataclass
class RestoreReport:
    added: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)


def _exists(c: Connection, table: sa.Table, user_id: int, row: dict[str, Any]) -> bool:
    query = sa.select(sa.literal(1)).select_from(table).where(_match(table, user_id, row))
    return c.execute(query.limit(1)).first() is not None


def _match(table: sa.Table, user_id: int, row: dict[str, Any]) -> Any:
    condition = table.c.user_id == user_id
    for key in NATURAL_KEYS[table.name]:
        condition = condition & (table.c[key] == row[key])
    return condition


def _same(c: Connection, table: sa.Table, user_id: int, row: dict[str, Any]) -> bool:
    kept = c.execute(sa.select(table).where(_match(table, user_id, row))).first()
    if kept is None:
        return False
    return all(_out(getattr(kept, k), table.c[k]) == _out(v, table.c[k]) for k, v in row.items())


def _delete(c: Connection, table: sa.Table, user_id: int, row: dict[str, Any]) -> None:
    c.execute(table.delete().where(_match(table, user_id, row)))


def _has_program(c: Connection, user_id: int) -> bool:
    query = sa.select(sa.literal(1)).where(profiles.c.user_id == user_id)
    return c.execute(query.limit(1)).first() is not None


def _check_same_program(c: Connection, user_id: int, backed_up: Any) -> None:
    """A backup goes back into the program it came from, or into an account without one:
    restoring another program over this one would change its start, its levels and its
    history without a word (someone else's backup, or an old one of a program set up again
    since)."""
    kept = c.execute(sa.select(profiles.c.start_date).where(profiles.c.user_id == user_id)).scalar()
    if kept is None or not backed_up:
        return
    theirs = backed_up[0][0]["start_date"]
    if _out(theirs, profiles.c.start_date) != _out(kept, profiles.c.start_date):
        raise BackupError(
            f"this backup holds a program started on {theirs}, and this account's program "
            f"started on {kept}: restore a backup into the program it came from, or into an "
            "account without a program; nothing was restored"
        )


STANDING = ("screenings", "decisions", "race_calls", "levels")
"""The tables that say where a program stands (a pause and who lifted it, the steps taken
and prescribed and what they judged, a clinician's calls on the race plan, an exercise's
level once it has one). Their rows are never deleted, and which one stands is the last one
kept (a screening, a call of the same day), whatever its date; a level the account holds is
kept as it is (``restore_user``), one it does not would set the exercise there with no step
taken."""


def _check_nothing_new(c: Connection, user_id: int, checked: dict[str, Any]) -> None:
    """Into a program already under way, a restore fills in what is missing and never
    changes where the program stands: a row of ``STANDING`` the account does not hold would
    (written last, it is the one that stands: a pause lifted, a clinician's decision or hold
    undone, under any name and whatever its date), so the whole restore is refused. The
    account's own backup holds none: those rows are never deleted."""
    for name in STANDING:
        table = next(t for t in USER_TABLES if t.name == name)
        for at, (row, _) in enumerate(checked[name]):
            if not _exists(c, table, user_id, row):
                raise BackupError(
                    f"tables.{name}[{at}]: not one this account holds: into a program under "
                    "way a restore fills in what is missing and never changes where the "
                    "program stands now (a pause, a step, a clinician's decision); restore it "
                    "into an account without a program instead; nothing was restored"
                )


def restore_user(c: Connection, user_id: int, document: Any) -> RestoreReport:
    """Check everything first, then write it all on the caller's transaction (all or
    nothing). Into an account whose program is under way, nothing that says where it
    stands now is replaced or added (``_check_nothing_new``)."""
    checked = read_backup(document)
    _check_same_program(c, user_id, checked["profiles"])
    under_way = _has_program(c, user_id)
    if under_way:
        _check_nothing_new(c, user_id, checked)
    report = RestoreReport()
    for table in USER_TABLES:
        added = skipped = 0
        for row, sets in checked[table.name]:
            if table in (profiles, levels, race_goals):
                # one per user (or exercise): the backup's wins in an account without a
                # program; in one under way the account's stands (its levels, pinned or
                # prescribed by a clinician, are where it is now)
                if _same(c, table, user_id, row) or (under_way and _exists(c, table, user_id, row)):
                    skipped += 1
                    continue
                _delete(c, table, user_id, row)
            elif _exists(c, table, user_id, row):
                skipped += 1
                continue
            samples = row.pop("samples", None) if table is activities else None
            result = c.execute(table.insert().values(user_id=user_id, **row))
            if samples is not None:
                c.execute(
                    activity_samples.insert().values(
                        activity_id=inserted_id(result), samples=samples
                    )
                )
            if table is sessions and sets:
                session_id = inserted_id(result)
                c.execute(session_sets.insert(), [{"session_id": session_id, **s} for s in sets])
            added += 1
        report.added[table.name] = added
        report.skipped[table.name] = skipped
    return report
