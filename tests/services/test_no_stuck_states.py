"""No stuck states: work done as the plan fitted it moves the level on."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach import definitions
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import adaptation, journal, onboarding, today
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import FixedClock
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates


def _on(storage: MemoryStorage, user: int, day: dt.date) -> RunnerContext:
    return RunnerContext(storage.for_runner(user), FixedClock(day), user)


def test_the_kneeling_fire_hydrant_done_in_full_for_a_painful_knee_progresses_the_hydrant():
    storage = MemoryStorage()
    user = storage.user_id("runner")
    onboarding.onboard(
        _on(storage, user, MONDAY),
        profile(pain_at_rest=4),
        onboarding.answers_from_flags([]),
        AgeBand.ADULT,
    )
    first_plan = today.session_for(_on(storage, user, MONDAY), MONDAY)
    hydrant = next(p for p in first_plan.exercises if p.exercise.key == "fire-hydrant")
    assert hydrant.variant.key == "kneeling"  # fitted easier than the level's standing
    for offset in range(10):  # every planned set done, no pain, a check-in each morning
        day = MONDAY + dt.timedelta(days=offset)
        on_day = _on(storage, user, day)
        journal.record_checkin(on_day, 0)
        if isinstance(today.plan_for(on_day), today.SessionPlan):
            done = journal.planned_as_done(today.session_for(on_day, day))
            journal.record_session(on_day, day, done, 0)
    end = _on(storage, user, MONDAY + dt.timedelta(days=10))
    level = adaptation.levels(end, definitions.program())["fire-hydrant"].level
    assert level.reps is not None and level.reps > 15


def _hydrant(runner: RunnerContext, day: dt.date) -> str:
    plan = today.session_for(runner, day)
    return next(p.variant.key for p in plan.exercises if p.exercise.key == "fire-hydrant")


def test_the_plan_eases_the_hydrant_when_the_mornings_hurt_and_stops_when_they_settle():
    storage = MemoryStorage()
    user = storage.user_id("runner")
    onboarding.onboard(
        _on(storage, user, MONDAY), profile(), onboarding.answers_from_flags([]), AgeBand.ADULT
    )
    assert _hydrant(_on(storage, user, MONDAY), MONDAY) == "standing"
    for offset in range(3):
        journal.record_checkin(_on(storage, user, MONDAY + dt.timedelta(days=offset)), 4)
    flared = MONDAY + dt.timedelta(days=3)
    assert _hydrant(_on(storage, user, flared), flared) == "kneeling"
    for offset in range(3, 17):
        journal.record_checkin(_on(storage, user, MONDAY + dt.timedelta(days=offset)), 0)
    settled = MONDAY + dt.timedelta(days=17)
    assert _hydrant(_on(storage, user, settled), settled) == "standing"
