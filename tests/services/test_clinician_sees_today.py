"""The clinician's page on a runner shows, beside each exercise's ladder level, what the
runner is set to do today — fitted by the same service function Today uses — and no
session at all while the program is paused."""

from __future__ import annotations

import datetime as dt

from kneecoach.domain.planning import Paused, RestDay, SessionPlan
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import clinic, journal, onboarding, today
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import FixedClock
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile

HYDRANT = "fire-hydrant"


def _runner(storage: MemoryStorage, day: dt.date = MONDAY) -> RunnerContext:
    user = storage.user_id("ben")
    return RunnerContext(storage.for_runner(user), FixedClock(day), user)


def _irritable(storage: MemoryStorage) -> RunnerContext:
    """A runner whose knee hurts 4/10 at rest: irritable from the first day."""
    runner = _runner(storage)
    onboarding.onboard(
        runner, profile(pain_at_rest=4), onboarding.answers_from_flags([]), AgeBand.ADULT
    )
    return runner


def test_the_clinician_sees_the_variant_and_dosage_the_runners_today_has_for_an_irritable_knee():
    runner = _irritable(MemoryStorage())
    plan = today.plan_for(runner, MONDAY)
    assert isinstance(plan, SessionPlan)
    detail = clinic.runner_detail(runner, "ben")
    assert detail.progress is not None and detail.progress.day is not None
    assert detail.progress.day.kind == "session"
    rows = {row.exercise: row for row in detail.progress.exercises}
    for planned in plan.exercises:
        shown = rows[planned.exercise.key].today
        assert shown is not None, planned.exercise.key
        assert (
            shown.level.variant,
            shown.variant_name,
            shown.level.sets,
            shown.level.reps,
            shown.level.hold_seconds,
            shown.level.load_kg,
        ) == (
            planned.variant.key,
            planned.variant.name,
            planned.dosage.sets,
            planned.dosage.reps,
            planned.dosage.hold_seconds,
            planned.load_kg,
        ), planned.exercise.key
    hydrant = rows[HYDRANT]
    assert hydrant.today is not None and hydrant.today.adjusted
    assert hydrant.today.level.variant == "kneeling" != hydrant.level.variant
    assert hydrant.today.notes and all(note.sources for note in hydrant.today.notes)
    assert any("your knee pain is high" in note.text for note in hydrant.today.notes)


def test_a_paused_runner_has_no_session_today_on_the_clinicians_page():
    storage = MemoryStorage()
    runner = _irritable(storage)
    done = journal.planned_as_done(today.session_for(runner, MONDAY))
    journal.record_session(runner, MONDAY, done, 8)  # 8/10 during pauses the program
    later = _runner(storage, MONDAY + dt.timedelta(days=2))
    assert isinstance(today.plan_for(later), Paused)
    detail = clinic.runner_detail(later, "ben")
    assert detail.progress is not None and detail.progress.day is not None
    assert detail.progress.day.kind == "paused" and detail.progress.day.paused
    assert all(row.today is None for row in detail.progress.exercises)
    assert all(row.level.described for row in detail.progress.exercises)


def test_on_a_rest_day_the_clinician_sees_the_next_session_and_what_an_extra_one_would_be():
    storage = MemoryStorage()
    _irritable(storage)
    tuesday = MONDAY + dt.timedelta(days=1)  # three sessions a week: Tuesday is a rest day
    runner = _runner(storage, tuesday)
    plan = today.plan_for(runner, tuesday)
    assert isinstance(plan, RestDay)
    detail = clinic.runner_detail(runner, "ben")
    assert detail.progress is not None and detail.progress.day is not None
    assert detail.progress.day.kind == "rest"
    assert detail.progress.day.next_session == plan.next_session
    extra = {p.exercise.key: p for p in today.session_for(runner, tuesday).exercises}
    for row in detail.progress.exercises:
        assert row.today is not None
        assert row.today.level.variant == extra[row.exercise].variant.key
