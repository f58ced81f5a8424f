"""One contract for every repository: the in-memory fake, SQLite and PostgreSQL agree."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.journal import Checkin, LoggedSession, LoggedSet, Side
from kneecoach.domain.profile import StartSide
from kneecoach.domain.redflags import ScreeningResult, red_flag
from kneecoach.services.ports import Conflict, Screening, StoredProfile
from kneecoach.storage.database import open_database
from kneecoach.storage.memory import MemoryRepository
from kneecoach.storage.sql import SqlRepository
from tests.conftest import fresh_database
from tests.helpers import MONDAY, profile


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def repository(request, tmp_path):
    if request.param == "memory":
        yield MemoryRepository()
        return
    engine = open_database(fresh_database(request.param, request, tmp_path))
    yield SqlRepository(engine)
    engine.dispose()


@pytest.fixture
def sql_repository(database_url):
    engine = open_database(database_url)
    yield SqlRepository(engine)
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


def test_users_are_created_once_and_kept_apart(repository):
    alice = repository.user_id("alice")
    assert repository.user_id("alice") == alice
    bob = repository.user_id("bob")
    assert bob != alice
    repository.save_profile(alice, StoredProfile(profile(), "runners-knee"), CLEAR)
    assert repository.profile(bob) is None
    repository.add_session(alice, _session(), replace=False)
    assert repository.sessions(bob, MONDAY, MONDAY) == []


def test_a_profile_round_trips(repository):
    user = repository.user_id("local")
    stored = StoredProfile(
        profile(
            equipment=frozenset(Equipment), heaviest_dumbbell_kg=12.5, start_side=StartSide.GOOD
        ),
        "runners-knee",
    )
    repository.save_profile(user, stored, CLEAR)
    assert repository.profile(user) == stored
    changed = StoredProfile(profile(pain_at_rest=5), "runners-knee")
    repository.save_profile(user, changed, CLEAR)
    assert repository.profile(user) == changed


def test_the_screening_kept_last_wins(repository):
    user = repository.user_id("local")
    flagged = Screening(MONDAY, ScreeningResult((red_flag("locking"), red_flag("numbness"))))
    repository.save_profile(user, StoredProfile(profile(), "runners-knee"), flagged)
    assert repository.latest_screening(user) == flagged
    later = Screening(MONDAY + dt.timedelta(days=3), ScreeningResult(()))
    repository.add_screening(user, later)
    assert repository.latest_screening(user) == later


def test_a_session_round_trips_with_every_set(repository):
    user = repository.user_id("local")
    session_id = repository.add_session(user, _session(notes="felt good"), replace=False)
    [kept] = repository.sessions(user, MONDAY, MONDAY)
    assert kept == _session(notes="felt good")
    assert kept.id == session_id


def test_a_second_session_on_the_same_day_is_refused_unless_replacing(repository):
    user = repository.user_id("local")
    repository.add_session(user, _session(pain=2), replace=False)
    with pytest.raises(Conflict, match="already logged for 2026-11-23"):
        repository.add_session(user, _session(pain=4), replace=False)
    assert repository.sessions(user, MONDAY, MONDAY)[0].pain_during == 2
    repository.add_session(user, _session(pain=4), replace=True)
    [kept] = repository.sessions(user, MONDAY, MONDAY)
    assert kept.pain_during == 4
    assert len(kept.sets) == 3


def test_sessions_are_returned_in_date_order_within_the_range(repository):
    user = repository.user_id("local")
    for offset in (4, 0, 2, 9):
        repository.add_session(user, _session(MONDAY + dt.timedelta(offset)), replace=False)
    days = [s.performed_on for s in repository.sessions(user, MONDAY, MONDAY + dt.timedelta(5))]
    assert days == [MONDAY, MONDAY + dt.timedelta(2), MONDAY + dt.timedelta(4)]


def test_a_checkin_replaces_that_days_and_says_what_it_replaced(repository):
    user = repository.user_id("local")
    assert repository.save_checkin(user, Checkin(MONDAY, 3)) is None
    assert repository.save_checkin(user, Checkin(MONDAY, 1)) == Checkin(MONDAY, 3)
    repository.save_checkin(user, Checkin(MONDAY + dt.timedelta(1), 0))
    assert repository.checkins(user, MONDAY, MONDAY + dt.timedelta(1)) == [
        Checkin(MONDAY, 1),
        Checkin(MONDAY + dt.timedelta(1), 0),
    ]


def test_a_failed_session_write_leaves_nothing_behind(sql_repository):
    repository = sql_repository
    user = repository.user_id("local")
    broken = _session()
    object.__setattr__(broken, "pain_during", 11)  # past the domain, into the database check
    with pytest.raises(Exception, match=r"(?i)check"):
        repository.add_session(user, broken, replace=False)
    assert repository.sessions(user, MONDAY, MONDAY) == []
    import sqlalchemy as sa

    from kneecoach.storage.tables import session_sets

    with repository.engine.connect() as c:
        assert c.execute(sa.select(sa.func.count()).select_from(session_sets)).scalar() == 0


def test_replacing_keeps_the_old_session_when_the_new_one_fails(sql_repository):
    repository = sql_repository
    user = repository.user_id("local")
    repository.add_session(user, _session(pain=2), replace=False)
    broken = dataclasses.replace(_session(pain=3))
    object.__setattr__(broken, "pain_during", 42)
    with pytest.raises(Exception, match=r"(?i)check"):
        repository.add_session(user, broken, replace=True)
    [kept] = repository.sessions(user, MONDAY, MONDAY)
    assert kept.pain_during == 2 and len(kept.sets) == 3


def _set(exercise="bulgarian-split-squat", side=Side.LEFT, number=1, reps=15):
    return LoggedSet(exercise, "body-weight", side, number, reps=reps)


def test_a_guided_session_keeps_each_set_as_it_is_done(repository):
    user = repository.user_id("local")
    session_id = repository.start_session(user, MONDAY, replace=False)
    repository.save_set(user, session_id, _set(number=1))
    repository.save_set(user, session_id, _set(number=2, reps=9))
    unfinished = repository.unfinished_session(user)
    assert unfinished.id == session_id and unfinished.performed_on == MONDAY
    assert [(s.set_number, s.reps) for s in unfinished.sets] == [(1, 15), (2, 9)]
    assert repository.sessions(user, MONDAY, MONDAY) == []


def test_a_repeated_set_replaces_the_one_kept(repository):
    user = repository.user_id("local")
    session_id = repository.start_session(user, MONDAY, replace=False)
    repository.save_set(user, session_id, _set(reps=9))
    repository.save_set(user, session_id, _set(reps=15))
    assert [s.reps for s in repository.unfinished_session(user).sets] == [15]


def test_finishing_a_session_logs_it_with_its_pain(repository):
    user = repository.user_id("local")
    session_id = repository.start_session(user, MONDAY, replace=False)
    repository.save_set(user, session_id, _set())
    finished = repository.finish_session(user, session_id, 3, 6, "guided")
    assert finished.pain_during == 3 and finished.id == session_id
    assert repository.unfinished_session(user) is None
    [kept] = repository.sessions(user, MONDAY, MONDAY)
    assert (kept.pain_during, kept.effort, kept.notes, len(kept.sets)) == (3, 6, "guided", 1)


def test_an_unfinished_session_holds_its_day(repository):
    user = repository.user_id("local")
    repository.start_session(user, MONDAY, replace=False)
    with pytest.raises(Conflict, match="unfinished guided session"):
        repository.add_session(user, _session(), replace=False)
    with pytest.raises(Conflict, match="unfinished guided session"):
        repository.start_session(user, MONDAY, replace=False)


def test_nobody_writes_into_someone_elses_session(repository):
    alice, bob = repository.user_id("alice"), repository.user_id("bob")
    session_id = repository.start_session(alice, MONDAY, replace=False)
    with pytest.raises(Conflict):
        repository.save_set(bob, session_id, _set())
    with pytest.raises(Conflict):
        repository.finish_session(bob, session_id, 2, None, "")
    assert repository.unfinished_session(bob) is None


def test_akps_results_round_trip_oldest_first(repository):
    from kneecoach.domain.outcomes import AkpsResult

    user = repository.user_id("local")
    later = AkpsResult(MONDAY + dt.timedelta(7), (1,) * 13)
    first = AkpsResult(MONDAY, (2,) * 13)
    repository.add_akps(user, later)
    repository.add_akps(user, first)
    assert repository.akps_results(user) == [first, later]
    assert repository.akps_results(repository.user_id("other")) == []


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


def test_decisions_move_levels_and_undo_puts_them_back(repository):
    from kneecoach.domain.progression import Level
    from kneecoach.services.ports import StoredLevel

    user = repository.user_id("local")
    seed, up, more = (Level("body-weight", 2, reps=r) for r in (15, 18, 20))
    repository.record_decisions(user, [_decision(seed, up)])
    repository.record_decisions(user, [_decision(up, more, MONDAY + dt.timedelta(3))])
    assert repository.levels(user)["bulgarian-split-squat"] == StoredLevel(more)
    [first, _second] = repository.decisions(user)
    assert first.decision == _decision(seed, up) and not first.undone
    undone = repository.undo_last_decision(user)
    assert undone.undone and undone.decision.after == more
    assert repository.levels(user)["bulgarian-split-squat"].level == up
    assert repository.undo_last_decision(user).decision.before == seed
    assert repository.undo_last_decision(user) is None
    assert [d.undone for d in repository.decisions(user)] == [True, True]


def test_a_pinned_level_stays_pinned_through_decisions(repository):
    from kneecoach.domain.progression import Level
    from kneecoach.services.ports import StoredLevel

    user = repository.user_id("local")
    seed = Level("body-weight", 2, reps=15)
    repository.set_level(user, "bulgarian-split-squat", StoredLevel(seed, pinned=True))
    repository.record_decisions(user, [_decision(seed, Level("body-weight", 2, reps=18))])
    assert repository.levels(user)["bulgarian-split-squat"].pinned


def test_swelling_and_pain_after_are_kept(repository):
    user = repository.user_id("local")
    repository.save_checkin(user, Checkin(MONDAY, 2, swelling=True))
    assert repository.checkins(user, MONDAY, MONDAY) == [Checkin(MONDAY, 2, True)]
    session = dataclasses.replace(_session(), pain_after=4)
    repository.add_session(user, session, replace=False)
    assert repository.sessions(user, MONDAY, MONDAY)[0].pain_after == 4
