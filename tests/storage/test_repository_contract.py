"""One contract for every storage: the in-memory fake, SQLite and PostgreSQL agree."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.journal import Checkin, LoggedSession, LoggedSet, Side
from kneecoach.domain.profile import StartSide
from kneecoach.domain.redflags import ScreeningResult, red_flag
from kneecoach.services.ports import NO_USER_ID, Conflict, Screening, SessionEnd, StoredProfile
from kneecoach.storage.database import open_database
from kneecoach.storage.memory import MemoryStorage
from kneecoach.storage.sql import SqlStorage
from tests.conftest import fresh_database
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def storage(request, tmp_path):
    if request.param == "memory":
        yield MemoryStorage()
        return
    engine = open_database(fresh_database(request.param, request, tmp_path))
    yield SqlStorage(engine)
    engine.dispose()


@pytest.fixture
def sql_storage(database_url):
    engine = open_database(database_url)
    yield SqlStorage(engine)
    engine.dispose()


def _session(day=MONDAY, pain=2, notes="") -> LoggedSession:
    return LoggedSession(
        performed_on=day,
        pain_during=pain,
        effort=4,
        notes=notes,
        sets=(
            LoggedSet("roll-down", "body-weight", Side.BOTH, 1, reps=10),
            LoggedSet("bulgarian-split-squat", "weighted", Side.LEFT, 1, reps=15, load_kg=4.5),
            LoggedSet("hip-flexor-stretch", "kneeling", Side.RIGHT, 1, hold_seconds=40),
        ),
    )


CLEAR = Screening(MONDAY, ScreeningResult(flagged=()))


def test_finding_a_user_never_creates_one_and_the_unknown_user_reads_an_empty_record(storage):
    assert storage.find_user("zed") is None
    assert storage.find_user("zed") is None
    nobody = storage.for_runner(NO_USER_ID)
    assert nobody.profile.get() is None
    assert nobody.journal.sessions(MONDAY, MONDAY) == []
    zed = storage.user_id("zed")
    assert storage.find_user("zed") == zed != NO_USER_ID


def test_users_are_created_once_and_kept_apart(storage):
    alice = storage.user_id("alice")
    assert storage.user_id("alice") == alice
    bob = storage.user_id("bob")
    assert bob != alice
    storage.for_runner(alice).profile.save(StoredProfile(profile(), "runners-knee"), CLEAR)
    assert storage.for_runner(bob).profile.get() is None
    storage.for_runner(alice).journal.add_session(_session(), replace=False)
    assert storage.for_runner(bob).journal.sessions(MONDAY, MONDAY) == []


def test_a_profile_round_trips(storage):
    record = storage.for_runner(storage.user_id("local"))
    stored = StoredProfile(
        profile(
            equipment=frozenset(Equipment), heaviest_dumbbell_kg=12.5, start_side=StartSide.GOOD
        ),
        "runners-knee",
    )
    record.profile.save(stored, CLEAR)
    assert record.profile.get() == stored
    changed = StoredProfile(profile(pain_at_rest=5), "runners-knee")
    record.profile.save(changed, CLEAR)
    assert record.profile.get() == changed


def test_the_screening_kept_last_wins(storage):
    record = storage.for_runner(storage.user_id("local"))
    flagged = Screening(MONDAY, ScreeningResult((red_flag("locking"), red_flag("numbness"))))
    record.profile.save(StoredProfile(profile(), "runners-knee"), flagged)
    assert record.profile.latest_screening() == flagged
    later = Screening(MONDAY + dt.timedelta(days=3), ScreeningResult(()))
    record.profile.add_screening(later)
    assert record.profile.latest_screening() == later


def test_a_session_round_trips_with_every_set(storage):
    record = storage.for_runner(storage.user_id("local"))
    session_id = record.journal.add_session(_session(notes="felt good"), replace=False)
    [kept] = record.journal.sessions(MONDAY, MONDAY)
    assert kept == _session(notes="felt good")
    assert kept.id == session_id


def test_a_second_session_on_the_same_day_is_refused_unless_replacing(storage):
    record = storage.for_runner(storage.user_id("local"))
    record.journal.add_session(_session(pain=2), replace=False)
    with pytest.raises(Conflict, match="already logged for 2026-11-23"):
        record.journal.add_session(_session(pain=4), replace=False)
    assert record.journal.sessions(MONDAY, MONDAY)[0].pain_during == 2
    record.journal.add_session(_session(pain=4), replace=True)
    [kept] = record.journal.sessions(MONDAY, MONDAY)
    assert kept.pain_during == 4
    assert len(kept.sets) == 3


def test_sessions_are_returned_in_date_order_within_the_range(storage):
    record = storage.for_runner(storage.user_id("local"))
    for offset in (4, 0, 2, 9):
        record.journal.add_session(_session(MONDAY + dt.timedelta(offset)), replace=False)
    days = [s.performed_on for s in record.journal.sessions(MONDAY, MONDAY + dt.timedelta(5))]
    assert days == [MONDAY, MONDAY + dt.timedelta(2), MONDAY + dt.timedelta(4)]


def test_a_checkin_replaces_that_days_and_says_what_it_replaced(storage):
    record = storage.for_runner(storage.user_id("local"))
    assert record.journal.save_checkin(Checkin(MONDAY, 3)) is None
    assert record.journal.save_checkin(Checkin(MONDAY, 1)) == Checkin(MONDAY, 3)
    record.journal.save_checkin(Checkin(MONDAY + dt.timedelta(1), 0))
    assert record.journal.checkins(MONDAY, MONDAY + dt.timedelta(1)) == [
        Checkin(MONDAY, 1),
        Checkin(MONDAY + dt.timedelta(1), 0),
    ]


def test_a_failed_session_write_leaves_nothing_behind(sql_storage):
    storage = sql_storage
    record = storage.for_runner(storage.user_id("local"))
    broken = _session()
    object.__setattr__(broken, "pain_during", 11)  # past the domain, into the database check
    with pytest.raises(Exception, match=r"(?i)check"):
        record.journal.add_session(broken, replace=False)
    assert record.journal.sessions(MONDAY, MONDAY) == []
    import sqlalchemy as sa

    from kneecoach.storage.tables import session_sets

    with storage.engine.connect() as c:
        assert c.execute(sa.select(sa.func.count()).select_from(session_sets)).scalar() == 0


def test_replacing_keeps_the_old_session_when_the_new_one_fails(sql_storage):
    storage = sql_storage
    record = storage.for_runner(storage.user_id("local"))
    record.journal.add_session(_session(pain=2), replace=False)
    broken = dataclasses.replace(_session(pain=3))
    object.__setattr__(broken, "pain_during", 42)
    with pytest.raises(Exception, match=r"(?i)check"):
        record.journal.add_session(broken, replace=True)
    [kept] = record.journal.sessions(MONDAY, MONDAY)
    assert kept.pain_during == 2 and len(kept.sets) == 3


def _set(exercise="bulgarian-split-squat", side=Side.LEFT, number=1, reps=15):
    return LoggedSet(exercise, "body-weight", side, number, reps=reps)


def test_a_guided_session_keeps_each_set_as_it_is_done(storage):
    record = storage.for_runner(storage.user_id("local"))
    session_id = record.journal.start_session(MONDAY, replace=False)
    record.journal.save_set(session_id, _set(number=1))
    record.journal.save_set(session_id, _set(number=2, reps=9))
    unfinished = record.journal.unfinished_session()
    assert unfinished.id == session_id and unfinished.performed_on == MONDAY
    assert [(s.set_number, s.reps) for s in unfinished.sets] == [(1, 15), (2, 9)]
    assert record.journal.sessions(MONDAY, MONDAY) == []


def test_a_repeated_set_replaces_the_one_kept(storage):
    record = storage.for_runner(storage.user_id("local"))
    session_id = record.journal.start_session(MONDAY, replace=False)
    record.journal.save_set(session_id, _set(reps=9))
    record.journal.save_set(session_id, _set(reps=15))
    assert [s.reps for s in record.journal.unfinished_session().sets] == [15]


def test_a_session_keeps_pain_during_each_exercise_it_was_given_for(storage):
    record = storage.for_runner(storage.user_id("local"))
    given = dataclasses.replace(
        _session(), exercise_pain=(("bulgarian-split-squat", 6), ("roll-down", 1))
    )
    record.journal.add_session(given, replace=False)
    [kept] = record.journal.sessions(MONDAY, MONDAY)
    assert dict(kept.exercise_pain) == {"bulgarian-split-squat": 6, "roll-down": 1}
    assert kept.pain_of("hip-flexor-stretch") is None


def test_the_pains_of_finished_sessions_are_read_without_their_sets(storage):
    from kneecoach.domain.journal import SessionPain

    record = storage.for_runner(storage.user_id("local"))
    given = dataclasses.replace(_session(pain=3), exercise_pain=(("bulgarian-split-squat", 6),))
    record.journal.add_session(given, replace=False)
    later = MONDAY + dt.timedelta(days=2)
    record.journal.add_session(_session(later, pain=1), replace=False)
    unfinished = record.journal.start_session(MONDAY + dt.timedelta(days=3), replace=False)
    record.journal.save_exercise_pain(unfinished, "roll-down", 8)
    pains = record.journal.session_pains(MONDAY, MONDAY + dt.timedelta(days=6))
    assert pains == [
        SessionPain(MONDAY, 3, (("bulgarian-split-squat", 6),)),
        SessionPain(later, 1),
    ]
    assert [p.peak_pain for p in pains] == [6, 1]
    assert pains == [SessionPain.of(s) for s in record.journal.sessions(MONDAY, later)]
    assert record.journal.session_pains(later + dt.timedelta(days=1), later) == []


def test_a_guided_session_keeps_the_highest_pain_reported_for_each_exercise(storage):
    record = storage.for_runner(storage.user_id("local"))
    session_id = record.journal.start_session(MONDAY, replace=False)
    record.journal.save_set(session_id, _set())
    record.journal.save_exercise_pain(session_id, "roll-down", 4)
    record.journal.save_exercise_pain(session_id, "bulgarian-split-squat", 2)
    record.journal.save_exercise_pain(session_id, "roll-down", 6)
    record.journal.save_exercise_pain(session_id, "roll-down", 3)
    finished = record.journal.finish_session(session_id, SessionEnd(6))
    assert dict(finished.exercise_pain) == {"roll-down": 6, "bulgarian-split-squat": 2}
    [kept] = record.journal.sessions(MONDAY, MONDAY)
    assert dict(kept.exercise_pain) == {"roll-down": 6, "bulgarian-split-squat": 2}
    with pytest.raises(Conflict):
        record.journal.save_exercise_pain(session_id, "roll-down", 1)


def test_an_unfinished_session_keeps_the_easier_ways_taken_and_the_pain_per_exercise(storage):
    from kneecoach.domain.timeline import Adjustment

    record = storage.for_runner(storage.user_id("local"))
    session_id = record.journal.start_session(MONDAY, replace=False)
    record.journal.save_set(session_id, _set())
    record.journal.save_exercise_pain(session_id, "bulgarian-split-squat", 6)
    record.journal.save_adjustment(session_id, "bulgarian-split-squat", Adjustment(range="partial"))
    record.journal.save_adjustment(
        session_id, "bulgarian-split-squat", Adjustment(reps=12, range="partial")
    )
    record.journal.save_adjustment(session_id, "fire-hydrant", Adjustment(variant="easy"))
    stopped = record.journal.unfinished_session()
    assert stopped is not None
    assert dict(stopped.exercise_pain) == {"bulgarian-split-squat": 6}
    assert dict(stopped.adjustments) == {
        "bulgarian-split-squat": Adjustment(reps=12, range="partial"),
        "fire-hydrant": Adjustment(variant="easy"),
    }
    record.journal.finish_session(session_id, SessionEnd(6))
    with pytest.raises(Conflict):
        record.journal.save_adjustment(session_id, "fire-hydrant", Adjustment(reps=3))


def test_finishing_a_session_logs_it_with_its_pain(storage):
    record = storage.for_runner(storage.user_id("local"))
    session_id = record.journal.start_session(MONDAY, replace=False)
    record.journal.save_set(session_id, _set())
    finished = record.journal.finish_session(session_id, SessionEnd(3, 6, "guided"))
    assert finished.pain_during == 3 and finished.id == session_id
    assert record.journal.unfinished_session() is None
    [kept] = record.journal.sessions(MONDAY, MONDAY)
    assert (kept.pain_during, kept.effort, kept.notes, len(kept.sets)) == (3, 6, "guided", 1)


def test_an_unfinished_session_holds_its_day(storage):
    record = storage.for_runner(storage.user_id("local"))
    record.journal.start_session(MONDAY, replace=False)
    with pytest.raises(Conflict, match="unfinished guided session"):
        record.journal.add_session(_session(), replace=False)
    with pytest.raises(Conflict, match="unfinished guided session"):
        record.journal.start_session(MONDAY, replace=False)


def test_nobody_writes_into_someone_elses_session(storage):
    alice, bob = storage.user_id("alice"), storage.user_id("bob")
    session_id = storage.for_runner(alice).journal.start_session(MONDAY, replace=False)
    with pytest.raises(Conflict):
        storage.for_runner(bob).journal.save_set(session_id, _set())
    with pytest.raises(Conflict):
        storage.for_runner(bob).journal.finish_session(session_id, SessionEnd(2))
    assert storage.for_runner(bob).journal.unfinished_session() is None


def test_akps_results_round_trip_oldest_first(storage):
    from kneecoach.domain.outcomes import AkpsResult

    record = storage.for_runner(storage.user_id("local"))
    later = AkpsResult(MONDAY + dt.timedelta(7), (1,) * 13)
    first = AkpsResult(MONDAY, (2,) * 13)
    record.outcomes.save_akps(later)
    record.outcomes.save_akps(first)
    assert record.outcomes.akps_results() == [first, later]
    assert storage.for_runner(storage.user_id("other")).outcomes.akps_results() == []


def test_an_akps_retaken_the_same_day_replaces_that_days_result(storage):
    from kneecoach.domain.outcomes import AkpsResult

    record = storage.for_runner(storage.user_id("local"))
    first = AkpsResult(MONDAY, (1,) * 13)
    retake = AkpsResult(MONDAY, (2,) * 13)
    assert record.outcomes.save_akps(first) is None
    assert record.outcomes.save_akps(retake) == first
    assert record.outcomes.akps_results() == [retake]
    assert record.outcomes.last_akps_on() == MONDAY
    other = storage.for_runner(storage.user_id("other"))
    other.outcomes.save_akps(first)
    assert record.outcomes.akps_results() == [retake]  # another runner's day is their own


def test_a_day_with_two_akps_rows_reads_as_the_one_kept_last(sql_storage):
    """Rows written before retakes replaced (or restored from such a backup) read as one."""
    from kneecoach.domain.outcomes import AkpsResult
    from kneecoach.storage.tables import akps_results

    user = sql_storage.user_id("local")
    kept = dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC)
    with sql_storage.engine.begin() as c:
        for answers, minutes in (((1,) * 13, 0), ((2,) * 13, 30)):
            c.execute(
                akps_results.insert().values(
                    user_id=user,
                    taken_on=MONDAY,
                    answers=list(answers),
                    score=AkpsResult(MONDAY, answers).score,
                    created_at=kept + dt.timedelta(minutes=minutes),
                )
            )
    results = sql_storage.for_runner(user).outcomes.akps_results()
    assert results == [AkpsResult(MONDAY, (2,) * 13)]


def _decision(before, after, day=MONDAY):
    from kneecoach.domain.evidence import PRODUCT_DEFAULT, SILBERNAGEL_2007
    from kneecoach.domain.progression import Action, Decision

    return Decision(
        "bulgarian-split-squat",
        Action.PROGRESS,
        before,
        after,
        "two good sessions",
        (SILBERNAGEL_2007, PRODUCT_DEFAULT),
        day,
        day - dt.timedelta(1),
    )


def test_decisions_move_levels_and_undo_puts_them_back(storage):
    from kneecoach.domain.progression import Level
    from kneecoach.services.ports import StoredLevel

    record = storage.for_runner(storage.user_id("local"))
    seed, up, more = (Level("body-weight", 2, reps=r) for r in (15, 18, 20))
    record.plan.record_decisions([_decision(seed, up)])
    record.plan.record_decisions([_decision(up, more, MONDAY + dt.timedelta(3))])
    assert record.plan.levels()["bulgarian-split-squat"] == StoredLevel(more)
    [first, second] = record.plan.decisions()
    assert first.decision == _decision(seed, up) and not first.undone
    undone = record.plan.undo_decision(second.id)
    assert undone.undone and undone.decision.after == more
    assert record.plan.levels()["bulgarian-split-squat"].level == up
    assert record.plan.undo_decision(second.id) is None
    assert record.plan.undo_decision(first.id).decision.before == seed
    assert record.plan.levels()["bulgarian-split-squat"].level == seed
    assert [d.undone for d in record.plan.decisions()] == [True, True]


def test_a_levels_range_of_motion_is_kept_with_the_level_and_its_decisions(storage):
    from kneecoach.domain.progression import Level
    from kneecoach.services.ports import StoredLevel

    record = storage.for_runner(storage.user_id("local"))
    partial = Level("body-weight", 2, reps=15, range="partial")
    full = Level("body-weight", 2, reps=15, range="full")
    record.plan.set_level("bulgarian-split-squat", StoredLevel(partial, pinned=False))
    assert record.plan.levels()["bulgarian-split-squat"].level == partial
    record.plan.record_decisions([_decision(partial, full)])
    assert record.plan.levels()["bulgarian-split-squat"].level.range == "full"
    [kept] = record.plan.decisions()
    assert (kept.decision.before.range, kept.decision.after.range) == ("partial", "full")
    record.plan.undo_decision(kept.id)
    assert record.plan.levels()["bulgarian-split-squat"].level.range == "partial"


def test_a_runner_cannot_undo_another_runners_decision(storage):
    from kneecoach.domain.progression import Level

    mine = storage.for_runner(storage.user_id("local"))
    theirs = storage.for_runner(storage.user_id("other"))
    seed, up = Level("body-weight", 2, reps=15), Level("body-weight", 2, reps=18)
    theirs.plan.record_decisions([_decision(seed, up)])
    [kept] = theirs.plan.decisions()
    assert mine.plan.undo_decision(kept.id) is None
    assert not theirs.plan.decisions()[0].undone


def test_a_pinned_level_stays_pinned_through_decisions(storage):
    from kneecoach.domain.progression import Level
    from kneecoach.services.ports import StoredLevel

    record = storage.for_runner(storage.user_id("local"))
    seed = Level("body-weight", 2, reps=15)
    record.plan.set_level("bulgarian-split-squat", StoredLevel(seed, pinned=True))
    record.plan.record_decisions([_decision(seed, Level("body-weight", 2, reps=18))])
    assert record.plan.levels()["bulgarian-split-squat"].pinned


def test_swelling_and_pain_after_are_kept(storage):
    record = storage.for_runner(storage.user_id("local"))
    record.journal.save_checkin(Checkin(MONDAY, 2, swelling=True))
    assert record.journal.checkins(MONDAY, MONDAY) == [Checkin(MONDAY, 2, True)]
    session = dataclasses.replace(_session(), pain_after=4)
    record.journal.add_session(session, replace=False)
    assert record.journal.sessions(MONDAY, MONDAY)[0].pain_after == 4


def test_a_use_case_that_fails_half_way_keeps_none_of_its_writes(storage):
    from kneecoach.domain.outcomes import AkpsResult

    record = storage.for_runner(storage.user_id("local"))
    record.journal.save_checkin(Checkin(MONDAY, 1))
    with pytest.raises(RuntimeError), record.transaction():
        record.journal.add_session(_session(), replace=False)
        record.journal.save_checkin(Checkin(MONDAY, 5))
        record.outcomes.save_akps(AkpsResult(MONDAY, (1,) * 13))
        assert record.journal.sessions(MONDAY, MONDAY), "a use case reads its own writes"
        raise RuntimeError("something went wrong half-way")
    assert record.journal.sessions(MONDAY, MONDAY) == []
    assert record.journal.checkins(MONDAY, MONDAY) == [Checkin(MONDAY, 1)]
    assert record.outcomes.akps_results() == []


def test_a_use_case_that_succeeds_keeps_all_its_writes(storage):
    record = storage.for_runner(storage.user_id("local"))
    with record.transaction():
        record.journal.add_session(_session(), replace=False)
        with record.transaction():  # a nested use case joins the enclosing one
            record.journal.save_checkin(Checkin(MONDAY, 2))
    again = storage.for_runner(storage.user_id("local"))
    assert len(again.journal.sessions(MONDAY, MONDAY)) == 1
    assert again.journal.checkins(MONDAY, MONDAY) == [Checkin(MONDAY, 2)]


def _run(
    day_offset=0, km=5.0, *, minutes=0.0, fmt="", device=False, sport=None, name="Morning run"
):
    from kneecoach.domain.activity import Sport
    from tests.helpers import activity

    start = dt.datetime.combine(MONDAY + dt.timedelta(day_offset), dt.time(7), dt.UTC)
    return activity(
        start + dt.timedelta(minutes=minutes),
        km,
        30,
        sport=sport or Sport.RUN,
        moving_s=1750.0,
        ascent_m=12.0,
        name=name,
        format=fmt,
        device_distance=device,
    )


def test_the_same_activity_from_two_files_is_kept_once_with_both_sources(storage):
    from kneecoach.domain.merging import Outcome
    from kneecoach.services.ports import ImportedFile

    record = storage.for_runner(storage.user_id("local"))
    added, merged, already = Outcome.ADDED, Outcome.MERGED, Outcome.ALREADY_KEPT
    assert record.activities.add(ImportedFile("a.fit", (_run(0), _run(2)))) == (added, added)
    assert record.activities.add(ImportedFile("export.zip/b.gpx", (_run(2),))) == (merged,)
    assert record.activities.add(ImportedFile("export.zip/b.gpx", (_run(2),))) == (already,)
    kept = record.activities.all()
    assert [k.activity.distance_m for k in kept] == [5000.0, 5000.0]
    assert kept[1].sources == ("a.fit", "export.zip/b.gpx")
    assert record.activities.set_effort(kept[0].id, 4)
    assert record.activities.get(kept[0].id).effort == 4
    other = storage.for_runner(storage.user_id("other"))
    assert other.activities.get(kept[0].id) is None
    assert not other.activities.set_effort(kept[0].id, 9)


def test_a_ride_from_four_files_is_one_activity_with_the_watchs_figures(storage):
    from kneecoach.domain.activity import Sport
    from kneecoach.services.ports import ImportedFile

    record = storage.for_runner(storage.user_id("local"))
    ride = {"sport": Sport.CYCLE, "name": ""}
    record.activities.add(ImportedFile("strava.gpx", (_run(0, 0.899, fmt="gpx", **ride),)))
    record.activities.add(
        ImportedFile("garmin.tcx", (_run(0, 0.7, fmt="tcx", device=True, **ride),))
    )
    record.activities.add(
        ImportedFile("watch.fit", (_run(0, 0.668, fmt="fit", device=True, **ride),))
    )
    record.activities.add(ImportedFile("garmin.gpx", (_run(0, 0.9, minutes=1, fmt="gpx", **ride),)))
    (kept,) = record.activities.all()
    assert kept.activity.distance_m == 668.0 and kept.activity.sport is Sport.CYCLE
    assert kept.activity.format == "fit"
    assert sorted(kept.sources) == ["garmin.gpx", "garmin.tcx", "strava.gpx", "watch.fit"]
    assert record.activities.get(kept.id).activity.distance_m == 668.0


def test_files_in_any_order_give_the_same_activities(storage):
    import itertools

    from kneecoach.services.ports import ImportedFile

    files = [
        ImportedFile("run.gpx", (_run(0, 5.2, fmt="gpx"),)),
        ImportedFile("run.tcx", (_run(0, 5.1, minutes=1, fmt="tcx", device=True),)),
        ImportedFile("run.fit", (_run(0, 5.0, fmt="fit", device=True),)),
    ]
    seen = set()
    for number, order in enumerate(itertools.permutations(files)):
        record = storage.for_runner(storage.user_id(f"runner-{number}"))
        for found in order:
            record.activities.add(found)
        kept = record.activities.all()
        seen.add(tuple((k.activity.distance_m, k.activity.start, k.sources) for k in kept))
    assert seen == {((5000.0, _run(0).start, ("run.fit", "run.gpx", "run.tcx")),)}


def test_a_file_spanning_two_kept_activities_joins_them_keeping_the_effort(storage):
    from kneecoach.domain.merging import Outcome
    from kneecoach.services.ports import ImportedFile

    record = storage.for_runner(storage.user_id("local"))
    record.activities.add(ImportedFile("first.gpx", (_run(0, fmt="gpx"),)))
    record.activities.add(ImportedFile("later.gpx", (_run(0, minutes=29, fmt="gpx"),)))
    first, later = record.activities.all()
    assert record.activities.set_effort(later.id, 6)
    whole = dataclasses.replace(_run(0, 9.0, fmt="fit", device=True), elapsed_s=3600.0)
    assert record.activities.add(ImportedFile("watch.fit", (whole,))) == (Outcome.MERGED,)
    (kept,) = record.activities.all()
    assert kept.id == first.id and kept.effort == 6 and kept.activity.distance_m == 9000.0
    assert sorted(kept.sources) == ["first.gpx", "later.gpx", "watch.fit"]


def test_entry_checks_and_stage_runs_round_trip(storage):
    from kneecoach.domain.return_to_run import EntryCheck, StageRun

    record = storage.for_runner(storage.user_id("local"))
    assert record.return_to_run.latest_entry_check() is None
    check = EntryCheck(MONDAY, True, 10, 10, 1)
    record.return_to_run.add_entry_check(check)
    assert record.return_to_run.latest_entry_check() == check
    record.return_to_run.log_stage_run(StageRun(MONDAY + dt.timedelta(2), 1))
    record.return_to_run.log_stage_run(StageRun(MONDAY + dt.timedelta(1), 1))
    record.return_to_run.log_stage_run(StageRun(MONDAY + dt.timedelta(2), 2))
    assert record.return_to_run.stage_runs() == [
        StageRun(MONDAY + dt.timedelta(1), 1),
        StageRun(MONDAY + dt.timedelta(2), 2),
    ]


def test_sets_of_one_session_arriving_at_once_open_one_session_and_keep_every_set(sql_storage):
    """The browser player posts each set as it ends; at speed, or on a slow network, several
    arrive together, each in its own request thread."""
    import threading

    user = sql_storage.user_id("local")
    barrier = threading.Barrier(6)
    errors: list[BaseException] = []

    def post(number: int) -> None:
        record = sql_storage.for_runner(user)
        barrier.wait()
        try:
            with record.transaction():
                session_id = record.journal.open_session(MONDAY)
                record.journal.save_set(session_id, _set(number=number))
            record.journal.save_checkin(Checkin(MONDAY, number % 3))
        except BaseException as error:  # pragma: no cover - the failure is the assertion
            errors.append(error)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(1, 7)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    kept = sql_storage.for_runner(user).journal.unfinished_session()
    assert sorted(s.set_number for s in kept.sets) == [1, 2, 3, 4, 5, 6]
    assert len(sql_storage.for_runner(user).journal.checkins(MONDAY, MONDAY)) == 1


def test_opening_the_session_of_a_finished_day_is_refused(storage):
    record = storage.for_runner(storage.user_id("local"))
    first = record.journal.open_session(MONDAY)
    assert record.journal.open_session(MONDAY) == first
    record.journal.save_set(first, _set())
    record.journal.finish_session(first, SessionEnd(2))
    with pytest.raises(Conflict, match="already logged"):
        record.journal.open_session(MONDAY)


def _looked(runner_id: int, at: dt.datetime, action: str = "viewed progress"):
    from kneecoach.services.ports import AuditEntry

    return AuditEntry(at, 1, "ana", runner_id, action, "10.0.0.1")


def test_the_audit_log_keeps_entries_by_runner_and_period(storage):
    ben = storage.user_id("ben")
    noon = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    log = storage.audit()
    log.record([_looked(ben, noon), _looked(ben, noon + dt.timedelta(days=1), "viewed history")])
    log.record([_looked(ben + 100, noon)])
    mine = storage.for_runner(ben).audit.entries(runner_id=ben)
    assert [(e.action, e.runner_name, e.address, e.at) for e in mine] == [
        ("viewed progress", "ben", "10.0.0.1", noon),
        ("viewed history", "ben", "10.0.0.1", noon + dt.timedelta(days=1)),
    ]
    later = log.entries(since=noon + dt.timedelta(hours=1))
    assert [e.action for e in later] == ["viewed history"]
    first_day = log.entries(before=noon + dt.timedelta(hours=1))
    assert [(e.runner_id, e.runner_name) for e in first_day] == [(ben, "ben"), (ben + 100, None)]


def test_an_audit_entry_of_a_change_that_failed_is_not_kept(storage):
    ben = storage.user_id("ben")
    record = storage.for_runner(ben)
    noon = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    with pytest.raises(RuntimeError), record.transaction():
        record.audit.record([_looked(ben, noon, "changed prescription of Squat")])
        raise RuntimeError("the change failed")
    assert storage.audit().entries() == []


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def idempotency_store(request, tmp_path):
    from kneecoach.storage.idempotency import SqlIdempotencyStore
    from kneecoach.storage.memory import MemoryIdempotencyStore

    if request.param == "memory":
        yield MemoryIdempotencyStore(), 1
        return
    engine = open_database(fresh_database(request.param, request, tmp_path))
    yield SqlIdempotencyStore(engine), SqlStorage(engine).user_id("ana")
    engine.dispose()


def test_an_idempotency_key_is_claimed_once_answered_and_forgotten_when_it_expires(
    idempotency_store,
):
    from kneecoach.services.ports import KeptAnswer

    store, user = idempotency_store
    now = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    day = dt.timedelta(days=1)
    assert store.claim(user, "k1", "fp", now, now + day) is None
    assert store.claim(user, "k1", "other", now, now + day) == KeptAnswer("fp")
    store.keep(user, "k1", 201, b'{"id": 1}', "application/json")
    assert store.claim(user, "k1", "fp", now, now + day) == KeptAnswer(
        "fp", 201, b'{"id": 1}', "application/json"
    )
    later = now + day
    assert store.claim(user, "k1", "new", later, later + day) is None
    store.release(user, "k1")
    assert store.claim(user, "k1", "newer", later, later + day) is None


def test_an_answer_of_500_or_more_is_not_kept_so_a_retry_runs_again(idempotency_store):
    from kneecoach.services import idempotency

    store, user = idempotency_store
    now = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    assert idempotency.begin(store, user, "k", "fp", now) is None
    with pytest.raises(idempotency.StillAnswering):
        idempotency.begin(store, user, "k", "fp", now)
    idempotency.finish(store, user, "k", 503, b"{}", "application/json")
    assert idempotency.begin(store, user, "k", "fp", now) is None
    idempotency.finish(store, user, "k", 201, b"{}", "application/json")
    assert idempotency.begin(store, user, "k", "fp", now) == idempotency.Replay(
        201, b"{}", "application/json"
    )
    with pytest.raises(idempotency.KeyReused):
        idempotency.begin(store, user, "k", "other", now)


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_expired_idempotency_keys_do_not_pile_up_though_a_claim_no_longer_sweeps_them_all(
    kind, request, tmp_path
):
    import sqlalchemy as sa

    from kneecoach.storage.idempotency import SqlIdempotencyStore
    from kneecoach.storage.tables import idempotency_keys

    engine = open_database(fresh_database(kind, request, tmp_path))
    store, user = SqlIdempotencyStore(engine), SqlStorage(engine).user_id("ana")
    now = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    day = dt.timedelta(days=1)
    for n in range(100):
        assert store.claim(user, f"old-{n}", "fp", now, now + day) is None
    later = now + 2 * day
    for n in range(100):
        assert store.claim(user, f"new-{n}", "fp", later, later + day) is None
    with engine.connect() as c:
        expired = c.execute(
            sa.select(sa.func.count()).where(idempotency_keys.c.expires_at <= later)
        ).scalar()
    engine.dispose()
    assert expired == 0


def test_a_runner_keeps_one_race_goal_which_a_new_one_replaces_and_clear_forgets(storage):
    from kneecoach.domain.race import RaceGoal

    record = storage.for_runner(storage.user_id("local"))
    other = storage.for_runner(storage.user_id("other"))
    assert record.race.get() is None
    assert record.race.clear() is False
    first = RaceGoal(MONDAY + dt.timedelta(weeks=10), 10000.0, MONDAY, 9.6, 3300)
    record.race.set(first)
    assert record.race.get() == first
    second = RaceGoal(MONDAY + dt.timedelta(weeks=20), 21097.5, MONDAY + dt.timedelta(1), 12.5)
    record.race.set(second)
    assert record.race.get() == second
    assert other.race.get() is None
    assert record.race.clear() is True
    assert record.race.get() is None


def test_the_clinicians_race_decisions_are_kept_oldest_first_and_outlive_the_goal(storage):
    from kneecoach.domain.race import Call, ClinicianCall, RaceGoal

    record = storage.for_runner(storage.user_id("local"))
    other = storage.for_runner(storage.user_id("other"))
    theirs = RaceGoal(MONDAY + dt.timedelta(weeks=10), 10000.0, MONDAY, 9.6, None, "dr lee")
    record.race.set(theirs)
    assert record.race.get() == theirs and record.race.get().set_by == "dr lee"
    assert record.race.calls() == []
    made = [
        ClinicianCall(Call.HOLD, MONDAY + dt.timedelta(days=2), "dr lee"),
        ClinicianCall(Call.STEP_BACK, MONDAY + dt.timedelta(days=2), "dr lee"),
        ClinicianCall(Call.RELEASE, MONDAY + dt.timedelta(days=9), "dr kim"),
    ]
    for call in made:
        record.race.call(call)
    assert record.race.calls() == made
    assert record.race.clear() is True
    assert record.race.calls() == made  # a clinician's decision stands after the goal goes
    assert other.race.calls() == []


def test_a_race_goal_set_in_a_use_case_that_fails_is_not_kept(storage):
    from kneecoach.domain.race import RaceGoal

    record = storage.for_runner(storage.user_id("local"))
    with pytest.raises(RuntimeError), record.transaction():
        record.race.set(RaceGoal(MONDAY + dt.timedelta(weeks=10), 5000.0, MONDAY, 5.0))
        raise RuntimeError("half way")
    assert record.race.get() is None


def test_a_knee_alignment_test_is_kept_one_a_day_per_leg_a_retake_replacing_it(storage):
    from kneecoach.domain.pose import FppaRecord

    record = storage.for_runner(storage.user_id("local"))
    other = storage.for_runner(storage.user_id("other"))
    assert record.alignment.results() == []
    first = FppaRecord(MONDAY, "left", (10.0, 12.5, 11.25))
    assert record.alignment.save(first) is None
    right = FppaRecord(MONDAY, "right", (4.0, 5.0, 6.0))
    assert record.alignment.save(right) is None
    retake = FppaRecord(MONDAY, "left", (9.0, 9.5, 10.0))
    assert record.alignment.save(retake) == first
    later = FppaRecord(MONDAY + dt.timedelta(days=28), "left", (-2.5, 0.0, 1.0))
    record.alignment.save(later)
    assert record.alignment.results() == [retake, right, later]
    assert other.alignment.results() == []


def test_a_source_renamed_or_dropped_revises_its_activity_or_removes_it(storage):
    from kneecoach.domain.activity import Sport
    from kneecoach.services.ports import ImportedFile

    record = storage.for_runner(storage.user_id("local"))
    record.activities.add(ImportedFile("strava/12", (_run(0, fmt="strava", device=True),)))
    record.activities.add(ImportedFile("strava/123", (_run(1, fmt="strava", device=True),)))
    record.activities.add(ImportedFile("park.gpx", (_run(1, 4.9, fmt="gpx", name="Park"),)))
    renamed = record.activities.revise_source("strava/12", title="Tempo", sport=Sport.CYCLE)
    assert renamed is not None and not renamed.gone
    first, second = record.activities.all()
    assert first.activity.name == "Tempo" and first.activity.sport is Sport.CYCLE
    assert first.origins[0].title == "Tempo"

    assert record.activities.drop_source("strava/1") is None  # no prefix matches
    kept = record.activities.drop_source("strava/123")
    assert kept is not None and not kept.gone
    (left,) = [a for a in record.activities.all() if a.id == second.id]
    assert left.sources == ("park.gpx",) and left.activity.name == "Park"
    assert left.activity.distance_m == 5000.0  # the figures kept stay

    gone = record.activities.drop_source("strava/12")
    assert gone is not None and gone.gone
    assert [a.id for a in record.activities.all()] == [second.id]
    other = storage.for_runner(storage.user_id("other"))
    assert other.activities.drop_source("park.gpx") is None
    assert len(record.activities.all()) == 1
