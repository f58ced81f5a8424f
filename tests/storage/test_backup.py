"""Backup and restore: lossless, table by table, SQLite to SQLite and to PostgreSQL."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
import sqlalchemy as sa

from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import adaptation, guided, journal, onboarding, outcomes, runs, today
from kneecoach.services.context import RunnerContext
from kneecoach.services.player import FakeClock, Player
from kneecoach.services.ports import FixedClock
from kneecoach.storage.backup import USER_TABLES, BackupError, _columns
from kneecoach.storage.database import open_database
from kneecoach.storage.sql import SqlStorage
from kneecoach.storage.tables import activities, activity_samples, session_sets, sessions
from tests.conftest import fresh_database
from tests.fitwriter import run_points, write_activity
from tests.helpers import MONDAY, profile, runner_on

pytestmark = pytest.mark.own_dates

NOW = dt.datetime(2026, 12, 20, 9, tzinfo=dt.UTC)


def _full_history(repository, tmp_path):
    """A runner with something in every table."""
    user = repository.user_id("local")

    def on(day):
        return RunnerContext(repository.for_runner(user), FixedClock(day), user)

    onboarding.onboard(
        on(MONDAY),
        profile(equipment=frozenset(Equipment), heaviest_dumbbell_kg=6),
        onboarding.answers_from_flags([]),
        AgeBand.ADULT,
    )
    for offset in range(21):
        day = MONDAY + dt.timedelta(days=offset)
        journal.record_checkin(on(day), 1 if offset % 5 else 0)
        plan = today.plan_for(on(day))
        if hasattr(plan, "exercises"):
            journal.record_session(
                on(day),
                day,
                journal.planned_as_done(plan),
                2,
                effort=5,
                notes=f"day {offset}",
                pain_after=1,
                exercise_pain={"bulgarian-split-squat": 2, "roll-down": 1},
            )
    outcomes.record_akps(on(MONDAY), [1, 2, 2, 2, 2, 3, 2, 2, 2, 2, 1, 1, 1])
    adaptation.pin(on(MONDAY), "bridge", True)
    stopped = guided.begin(on(MONDAY + dt.timedelta(days=22)))
    clock = FakeClock()
    player = Player(stopped.timeline, clock, stopped.keep)
    player.start()
    while clock.now < 300:
        clock.advance(1)
        player.poll()
    stopped.report_pain("roll-down", 1)  # pain kept with the unfinished session
    for i in range(3):
        start = dt.datetime.combine(MONDAY + dt.timedelta(days=i), dt.time(6), dt.UTC)
        (tmp_path / f"{i}.fit").write_bytes(write_activity(run_points(int(start.timestamp()), 600)))
    runs.import_paths(on(MONDAY + dt.timedelta(days=22)), [tmp_path], workers=1)
    from kneecoach.domain.return_to_run import EntryCheck
    from kneecoach.services import return_to_run

    # checked after the last session: a session too much after the check would void it
    return_to_run.record_check(
        on(MONDAY + dt.timedelta(days=22)),
        EntryCheck(MONDAY + dt.timedelta(days=21), True, 10, 10, 1),
    )
    return_to_run.log_run(on(MONDAY + dt.timedelta(days=22)), MONDAY + dt.timedelta(days=22))
    from kneecoach.services import race

    race.set_goal(on(MONDAY + dt.timedelta(days=22)), MONDAY + dt.timedelta(weeks=16), 10000, 3300)
    race.tell_run(on(MONDAY + dt.timedelta(days=22)), 2, MONDAY + dt.timedelta(days=22), 3.5)
    from kneecoach.domain.race import Call, ClinicianCall

    on(MONDAY + dt.timedelta(days=22)).store.race.call(
        ClinicianCall(Call.HOLD, MONDAY + dt.timedelta(days=22), "dr lee")
    )
    from kneecoach.services import pose

    for side, trials in (("left", (9.5, 11.0, 10.25)), ("right", (4.0, 5.5, 6.0))):
        pose.record_fppa(
            on(MONDAY + dt.timedelta(days=22)),
            {"side": side, "trials": [{"fppa": value} for value in trials]},
        )
    return user


def _plain(value):
    if isinstance(value, dt.datetime):
        aware = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC).isoformat()
    return value


def _table_rows(engine, user_id):
    """Every row of every user table (and each session's sets), without database ids."""
    out = {}
    with engine.connect() as c:
        for table in USER_TABLES:
            rows = c.execute(sa.select(table).where(table.c.user_id == user_id)).all()
            out[table.name] = sorted(
                repr({k: _plain(getattr(r, k)) for k in (col.name for col in _columns(table))})
                for r in rows
            )
        joined = c.execute(
            sa.select(sessions.c.performed_on, session_sets)
            .join(session_sets, session_sets.c.session_id == sessions.c.id)
            .where(sessions.c.user_id == user_id)
        ).all()
        out["session_sets"] = sorted(
            repr((r.performed_on, *(_plain(getattr(r, c.name)) for c in _columns(session_sets))))
            for r in joined
        )
        packed = c.execute(
            sa.select(activities.c.start, activity_samples.c.samples)
            .join(activity_samples, activity_samples.c.activity_id == activities.c.id)
            .where(activities.c.user_id == user_id)
        ).all()
        out["activity_samples"] = sorted(repr((_plain(r.start), r.samples)) for r in packed)
    return out


def _normalise(rows):
    # PostgreSQL and SQLite agree on values; timestamps differ only by tz rendering.
    return {
        k: [v.replace("tzinfo=datetime.timezone.utc", "tz") for v in vs] for k, vs in rows.items()
    }


@pytest.fixture
def source(tmp_path):
    repository = SqlStorage(open_database(f"sqlite:///{tmp_path / 'from.db'}"))
    user = _full_history(repository, tmp_path)
    return repository, user


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_a_backup_restores_every_table_exactly(source, kind, request, tmp_path):
    repository, user = source
    document = json.loads(json.dumps(repository.for_runner(user).backup.export(NOW)))
    assert all(document["tables"][t.name] for t in USER_TABLES), "every table has rows"
    assert all(row["samples"] for row in document["tables"]["activities"])
    target_dir = tmp_path / "target"
    target_dir.mkdir()
    target = SqlStorage(open_database(fresh_database(kind, request, target_dir)))
    target_user = target.user_id("someone-else-first") and target.user_id("local")
    report = target.for_runner(target_user).backup.restore(document)
    assert sum(report["added"].values()) > 0
    assert _table_rows(target.engine, target_user) == _table_rows(repository.engine, user)
    again = target.for_runner(target_user).backup.restore(document)
    assert sum(again["added"].values()) == 0
    assert target.for_runner(target_user).journal.unfinished_session() is not None


def _broken(document, change):
    copied = copy.deepcopy(document)
    change(copied)
    return copied


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(version=3), "version 3 was written by a newer kneecoach"),
        (lambda d: d.update(format="zip"), "not a kneecoach backup"),
        (
            lambda d: d["tables"]["checkins"][0].update(pain_morning=14),
            "tables.checkins[0].pain_morning: must be from 0 to 10, got 14",
        ),
        (
            lambda d: d["tables"]["sessions"][1]["sets"][0].update(reps="lots"),
            "tables.sessions[1].sets[0].reps: expected a whole number",
        ),
        (
            lambda d: d["tables"]["sessions"][0].update(performed_on="yesterday"),
            "tables.sessions[0].performed_on: 'yesterday' is not a valid date",
        ),
        (
            lambda d: d["tables"]["activities"][0].update(samples="%%%"),
            "tables.activities[0].samples",
        ),
        (
            lambda d: d["tables"]["sessions"][0].update(exercise_pain={"roll-down": 12}),
            "tables.sessions[0].exercise_pain.roll-down: must be a whole number from 0 to 10",
        ),
        (
            lambda d: d["tables"]["sessions"][0].update(exercise_pain=[3]),
            "tables.sessions[0].exercise_pain: expected an object of exercise: pain",
        ),
        (lambda d: d["tables"].update(passwords=[]), "tables.passwords: not a kneecoach table"),
        (
            lambda d: d["tables"]["levels"][0].update(colour="red"),
            "tables.levels[0].colour: not a field of levels",
        ),
    ],
)
def test_a_bad_backup_names_the_place_and_changes_nothing(source, tmp_path, change, message):
    repository, user = source
    document = json.loads(json.dumps(repository.for_runner(user).backup.export(NOW)))
    target = SqlStorage(open_database(f"sqlite:///{tmp_path / 'target.db'}"))
    target_user = target.user_id("local")
    before = _table_rows(target.engine, target_user)
    with pytest.raises(BackupError) as error:
        target.for_runner(target_user).backup.restore(_broken(document, change))
    assert message in str(error.value)
    assert _table_rows(target.engine, target_user) == before


def test_a_version_1_backup_still_restores_its_activities_with_their_sources(source, tmp_path):
    repository, user = source
    document = json.loads(json.dumps(repository.for_runner(user).backup.export(NOW)))
    assert document["version"] == 2
    kept = repository.for_runner(user).activities.all()
    old = copy.deepcopy(document)
    old["version"] = 1
    for row in old["tables"]["activities"]:
        for field in ("origins", "span_start", "span_end", "long_span"):
            del row[field]
        row["fingerprint"] = "0123456789abcdef01234567"
    target = SqlStorage(open_database(f"sqlite:///{tmp_path / 'old.db'}"))
    record = target.for_runner(target.user_id("local"))
    report = record.backup.restore(old)
    assert report["added"]["activities"] == len(kept) > 0
    restored = record.activities.all()
    assert [(a.sources, a.activity.distance_m) for a in restored] == [
        (a.sources, a.activity.distance_m) for a in kept
    ]
    assert all(o.name in a.sources for a in restored for o in a.origins)
    assert record.backup.restore(old)["added"]["activities"] == 0
    assert record.backup.restore(document)["added"]["activities"] == 0


def test_a_version_1_activity_that_is_not_one_is_refused_by_place(source):
    repository, user = source
    document = json.loads(json.dumps(repository.for_runner(user).backup.export(NOW)))
    document["version"] = 1
    row = document["tables"]["activities"][0]
    del row["start"]
    with pytest.raises(BackupError, match=r"tables\.activities\[0\]"):
        repository.for_runner(user).backup.restore(document)


def test_a_backup_of_another_program_is_refused_and_changes_nothing(source, tmp_path):
    repository, user = source
    document = json.loads(json.dumps(repository.for_runner(user).backup.export(NOW)))
    target = SqlStorage(open_database(f"sqlite:///{tmp_path / 'target.db'}"))
    start = MONDAY + dt.timedelta(days=16)
    olivia = runner_on(target, start, "olivia")
    onboarding.onboard(
        olivia, profile(start_date=start), onboarding.answers_from_flags([]), AgeBand.ADULT
    )
    before = _table_rows(target.engine, olivia.user_id)
    with pytest.raises(BackupError, match="this backup holds a program started on"):
        olivia.store.backup.restore(document)
    assert _table_rows(target.engine, olivia.user_id) == before


@pytest.mark.parametrize(
    ("table", "change"),
    [
        # a red-flag screen cleared after the pause, as a clinician would lift it
        (
            "screenings",
            lambda row: row.update(
                flagged=[], clear=True, lifted_by="Dr Anyone", created_at="2027-01-01T09:00:00"
            ),
        ),
        # a clinician's release of the race plan, made up
        ("race_calls", lambda row: row.update(kind="release", day="2027-01-01")),
        ("decisions", lambda row: row.update(decided_on="2027-01-01")),
    ],
)
def test_a_restore_into_a_program_under_way_never_adds_where_it_stands_now(source, table, change):
    """The attacker's find: a runner restored their own backup with a screening that lifted
    their pause in a clinician's name (and a clinician's race release): a backup holds the
    past, so a row later than any the account holds is refused, and nothing is written."""
    repository, user = source
    record = repository.for_runner(user)
    document = json.loads(json.dumps(record.backup.export(NOW)))
    forged = copy.deepcopy(document["tables"][table][-1])
    change(forged)
    document["tables"][table].append(forged)
    before = _table_rows(repository.engine, user)
    with pytest.raises(BackupError, match=f"tables.{table}\\[\\d+\\]: not one this account holds"):
        record.backup.restore(document)
    assert _table_rows(repository.engine, user) == before


def test_a_restore_into_a_program_under_way_keeps_its_levels(source):
    """A clinician's prescription (or a step since) is where the exercise stands: an older
    level in the backup does not replace it."""
    repository, user = source
    record = repository.for_runner(user)
    document = json.loads(json.dumps(record.backup.export(NOW)))
    for row in document["tables"]["levels"]:
        row.update(sets=1, pinned=False)
    before = _table_rows(repository.engine, user)
    report = record.backup.restore(document)
    assert report["added"]["levels"] == 0
    assert report["skipped"]["levels"] == len(document["tables"]["levels"])
    assert _table_rows(repository.engine, user) == before


def test_a_restore_into_a_paused_program_never_lifts_the_pause_with_an_older_screening(source):
    """The latest screening is where the program stands: a screening the account never held,
    dated before its pause (so no later than anything it holds), still came last once
    written and lifted the pause in a clinician's name. A restore into a program under way
    adds no screening, decision or race call of its own: one the account does not hold is
    refused, and nothing is written."""
    repository, user = source
    on_day = MONDAY + dt.timedelta(days=23)
    runner = RunnerContext(repository.for_runner(user), FixedClock(on_day), user)
    onboarding.pause_on_dislocation(runner)
    assert not onboarding.current_screening(runner).clear
    record = repository.for_runner(user)
    document = json.loads(json.dumps(record.backup.export(NOW)))
    forged = copy.deepcopy(document["tables"]["screenings"][0])
    held = dt.datetime.fromisoformat(forged["created_at"])
    forged.update(
        flagged=[],
        clear=True,
        lifted_by="Dr Anyone",
        created_at=(held - dt.timedelta(seconds=1)).isoformat(),
    )
    document["tables"]["screenings"].append(forged)
    before = _table_rows(repository.engine, user)
    with pytest.raises(BackupError, match=r"tables.screenings\[\d+\]"):
        record.backup.restore(document)
    assert _table_rows(repository.engine, user) == before
    assert not onboarding.current_screening(runner).clear


def test_a_restore_into_a_held_race_plan_never_releases_it_the_same_day(source):
    """A clinician's hold stands until a clinician releases it: a release the account never
    held, on the hold's own day and second, came after it once written (the calls of a day
    go in the order they were kept) and undid the hold."""
    repository, user = source
    record = repository.for_runner(user)
    document = json.loads(json.dumps(record.backup.export(NOW)))
    hold = next(r for r in document["tables"]["race_calls"] if r["kind"] == "hold")
    forged = copy.deepcopy(hold)
    forged.update(kind="release", made_by="Dr Anyone")
    document["tables"]["race_calls"].append(forged)
    before = _table_rows(repository.engine, user)
    with pytest.raises(BackupError, match=r"tables.race_calls\[\d+\]"):
        record.backup.restore(document)
    assert _table_rows(repository.engine, user) == before


def test_a_restore_into_a_program_under_way_never_moves_what_its_steps_are_based_on(source):
    """A decision's ``based_on`` is the last session it judged: sessions up to it are not
    judged again. One the account never held, dated in the past but based on a later day,
    would leave the sessions since (one that hurt too) unjudged."""
    repository, user = source
    record = repository.for_runner(user)
    document = json.loads(json.dumps(record.backup.export(NOW)))
    forged = copy.deepcopy(document["tables"]["decisions"][0])
    forged.update(based_on="2027-06-01", created_at="2026-01-01T00:00:00+00:00")
    document["tables"]["decisions"].append(forged)
    before = _table_rows(repository.engine, user)
    with pytest.raises(BackupError, match=r"tables.decisions\[\d+\]"):
        record.backup.restore(document)
    assert _table_rows(repository.engine, user) == before


def test_a_restore_into_a_program_under_way_never_sets_a_level_it_has_not_reached(source):
    """An exercise the program has not stepped yet has no level row: one in a backup (three
    sets of a harder variant, say) set it there without a decision, a step no rule or
    clinician made."""
    repository, user = source
    record = repository.for_runner(user)
    document = json.loads(json.dumps(record.backup.export(NOW)))
    held = {row["exercise"] for row in document["tables"]["levels"]}
    forged = copy.deepcopy(document["tables"]["levels"][0])
    unstepped = next(k for k in ("roll-down", "fire-hydrant", "bridge") if k not in held)
    forged.update(exercise=unstepped)
    document["tables"]["levels"].append(forged)
    before = _table_rows(repository.engine, user)
    with pytest.raises(BackupError, match=r"tables.levels\[\d+\]: not one this account holds"):
        record.backup.restore(document)
    assert _table_rows(repository.engine, user) == before
