"""A clinician's prescribed variant stands on the runner's Today however irritable the knee,
with the clinician's note beside it; a pause still pauses everything. The clinician's
"Today" column shows what the runner's Today shows, and "as the level" only when it is."""

from __future__ import annotations

import dataclasses
import datetime as dt

from kneecoach.domain.planning import Paused, SessionPlan
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import adaptation, clinic, journal, onboarding, today
from kneecoach.services.context import RunnerContext, Visitor
from kneecoach.services.ports import FixedClock
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile

HYDRANT = "fire-hydrant"
SQUAT = "bulgarian-split-squat"
WEDNESDAY = MONDAY + dt.timedelta(days=2)


def _on(storage: MemoryStorage, day: dt.date) -> RunnerContext:
    user = storage.user_id("ben")
    return RunnerContext(storage.for_runner(user), FixedClock(day), user)


def _irritable(storage: MemoryStorage) -> RunnerContext:
    runner = _on(storage, MONDAY)
    onboarding.onboard(
        runner, profile(pain_at_rest=4), onboarding.answers_from_flags([]), AgeBand.ADULT
    )
    return runner


def _prescribe_standing(runner: RunnerContext) -> None:
    clinician = dataclasses.replace(runner, visitor=Visitor(9, "dr lee", "127.0.0.1"))
    adaptation.prescribe(
        clinician, "fire hydrant", "standing", 3, 10, 0, note="standing is fine", pinned=True
    )


def _hydrant(plan: SessionPlan):
    return next(p for p in plan.exercises if p.exercise.key == HYDRANT)


def test_todays_plan_keeps_the_clinicians_standing_fire_hydrant_for_an_irritable_knee():
    storage = MemoryStorage()
    runner = _irritable(storage)
    before = today.plan_for(runner, MONDAY)
    assert isinstance(before, SessionPlan) and _hydrant(before).variant.key == "kneeling"
    _prescribe_standing(runner)
    plan = today.plan_for(_on(storage, MONDAY), MONDAY)
    assert isinstance(plan, SessionPlan)
    hydrant = _hydrant(plan)
    assert (hydrant.variant.key, hydrant.dosage.sets, hydrant.dosage.reps) == ("standing", 3, 10)
    assert hydrant.set_by_clinician == "standing is fine"
    assert hydrant.notes[0].text == "Set by your clinician: standing is fine"
    assert not any("knee pain is high" in n.text for n in hydrant.notes)
    others = [p for p in plan.exercises if p.exercise.key != HYDRANT]
    assert all(p.set_by_clinician is None for p in others)


def test_the_clinicians_fire_hydrant_stands_after_a_painful_session_while_nothing_pauses():
    storage = MemoryStorage()
    runner = _irritable(storage)
    _prescribe_standing(runner)
    done = journal.planned_as_done(today.session_for(runner, MONDAY))
    journal.record_session(runner, MONDAY, done, 6)  # above 5/10: irritable, not paused
    plan = today.plan_for(_on(storage, WEDNESDAY), WEDNESDAY)
    assert isinstance(plan, SessionPlan)
    hydrant = _hydrant(plan)
    assert hydrant.variant.key == "standing"
    assert hydrant.notes[0].text == "Set by your clinician: standing is fine"


def test_a_pain_of_eight_pauses_the_clinicians_prescription_too():
    storage = MemoryStorage()
    runner = _irritable(storage)
    _prescribe_standing(runner)
    done = journal.planned_as_done(today.session_for(runner, MONDAY))
    journal.record_session(runner, MONDAY, done, 8)
    later = _on(storage, WEDNESDAY)
    assert isinstance(today.plan_for(later, WEDNESDAY), Paused)
    assert today.fitted_today(later, WEDNESDAY)[1] is None


def test_the_clinicians_today_column_shows_the_clinicians_variant_and_note():
    storage = MemoryStorage()
    runner = _irritable(storage)
    _prescribe_standing(runner)
    detail = clinic.runner_detail(_on(storage, MONDAY), "ben")
    assert detail.progress is not None
    row = next(r for r in detail.progress.exercises if r.exercise == HYDRANT)
    assert row.today is not None
    assert row.today.level.variant == "standing" and not row.today.adjusted
    assert row.today.set_by_clinician == "standing is fine"
    assert row.today.notes[0].text == "Set by your clinician: standing is fine"


def test_the_clinicians_today_column_shows_the_range_and_notes_the_runners_today_shows():
    storage = MemoryStorage()
    runner = _irritable(storage)  # an irritable knee starts the split squat in a partial range
    plan = today.plan_for(runner, MONDAY)
    assert isinstance(plan, SessionPlan)
    squat = next(p for p in plan.exercises if p.exercise.key == SQUAT)
    assert squat.range_text
    detail = clinic.runner_detail(runner, "ben")
    assert detail.progress is not None
    for planned in plan.exercises:
        row = next(r for r in detail.progress.exercises if r.exercise == planned.exercise.key)
        assert row.today is not None
        assert row.today.range_text == planned.range_text
        assert row.today.level.range == planned.range_key
        assert row.today.notes == planned.notes


def test_the_clinicians_column_says_as_the_level_only_when_todays_dosage_is_the_level():
    storage = MemoryStorage()
    runner = _on(storage, MONDAY)
    onboarding.onboard(runner, profile(), onboarding.answers_from_flags([]), AgeBand.ADULT)
    done = journal.planned_as_done(today.session_for(runner, MONDAY))
    journal.record_session(runner, MONDAY, done, 6)  # too much: steps back from tomorrow
    kept = storage.for_runner(storage.user_id("ben")).plan.decisions()
    stepped = {k.decision.exercise for k in kept if k.decision.based_on == MONDAY}
    assert stepped
    planned = {p.exercise.key: p for p in today.session_for(_on(storage, MONDAY), MONDAY).exercises}
    detail = clinic.runner_detail(_on(storage, MONDAY), "ben")
    assert detail.progress is not None
    for row in detail.progress.exercises:
        assert row.today is not None
        dose = planned[row.exercise].dosage
        assert (row.today.level.sets, row.today.level.reps, row.today.level.hold_seconds) == (
            dose.sets,
            dose.reps,
            dose.hold_seconds,
        )
        differs = (
            row.today.level.variant,
            row.today.level.sets,
            row.today.level.reps,
            row.today.level.hold_seconds,
            row.today.level.load_kg,
        ) != (
            row.level.variant,
            row.level.sets,
            row.level.reps,
            row.level.hold_seconds,
            row.level.load_kg,
        )
        assert row.today.adjusted is (differs or row.exercise in stepped), row.exercise
        if row.exercise in stepped:
            assert row.today.adjusted
