"""The split squat's range of motion as a step of its ladder: an irritable knee starts in a
partial range, depth comes back before load, and a bad session takes range off first."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach.domain.evidence import POWERS_2014, PRODUCT_DEFAULT
from kneecoach.domain.progression import SESSIONS_TO_PROGRESS
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import adaptation, journal, onboarding, today
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import FixedClock
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates

SQUAT = "bulgarian-split-squat"


class Runner:
    def __init__(self, pain_at_rest: int) -> None:
        self.storage = MemoryStorage()
        self.user = self.storage.user_id("runner")
        onboarding.onboard(
            self.on(MONDAY),
            profile(pain_at_rest=pain_at_rest),
            onboarding.answers_from_flags([]),
            AgeBand.ADULT,
        )

    def on(self, day: dt.date) -> RunnerContext:
        return RunnerContext(self.storage.for_runner(self.user), FixedClock(day), self.user)

    def squat_today(self, day: dt.date) -> today.PlannedExercise:
        plan = today.plan_for(self.on(day))
        assert isinstance(plan, today.SessionPlan)
        return next(i for i in plan.exercises if i.exercise.key == SQUAT)

    def session(self, day: dt.date, pain_during: int) -> None:
        """Every planned set done, with that pain, and a calm check-in the next morning."""
        on_day = self.on(day)
        done = journal.planned_as_done(today.session_for(on_day, day))
        journal.record_session(on_day, day, done, pain_during)
        journal.record_checkin(self.on(day + dt.timedelta(days=1)), 0)


def _session_days(count: int) -> list[dt.date]:
    days, day = [], MONDAY
    while len(days) < count:
        if day.weekday() in (0, 2, 4):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def test_a_runner_with_an_irritable_knee_sees_the_split_squat_in_partial_range_today():
    runner = Runner(pain_at_rest=5)
    squat = runner.squat_today(MONDAY)
    assert squat.range_key == "partial"
    assert squat.range_text == "partial range: bend to about 45°"
    assert (squat.dosage.sets, squat.dosage.reps) == (2, 15)
    assert any(POWERS_2014 in note.sources for note in squat.notes)


def test_a_runner_without_an_irritable_knee_starts_at_the_seeds_full_range():
    runner = Runner(pain_at_rest=1)
    squat = runner.squat_today(MONDAY)
    assert (squat.range_key, squat.dosage.sets, squat.dosage.reps) == ("full", 2, 15)
    assert not any(POWERS_2014 in note.sources for note in squat.notes)


def test_partial_range_goes_to_full_after_the_rules_ideal_sessions_at_the_same_dosage():
    runner = Runner(pain_at_rest=5)
    days = _session_days(SESSIONS_TO_PROGRESS + 1)
    for number, day in enumerate(days[:-1], start=1):
        runner.session(day, pain_during=1)
        shown = runner.squat_today(days[number])
        assert shown.range_key == ("full" if number == SESSIONS_TO_PROGRESS else "partial")
    squat = runner.squat_today(days[-1])
    assert (squat.range_key, squat.dosage.sets, squat.dosage.reps) == ("full", 2, 15)
    [step] = [
        d.decision
        for d in runner.storage.for_runner(runner.user).plan.decisions()
        if d.decision.exercise == SQUAT
    ]
    assert "partial range → full range" in step.why and "depth before load" in step.why
    assert POWERS_2014 in step.sources and PRODUCT_DEFAULT in step.sources


def test_a_bad_session_at_full_range_takes_the_split_squat_back_to_partial_range_first():
    runner = Runner(pain_at_rest=1)
    monday, wednesday = _session_days(2)
    runner.session(monday, pain_during=6)
    squat = runner.squat_today(wednesday)
    assert (squat.range_key, squat.dosage.sets, squat.dosage.reps) == ("partial", 2, 15)
    status = {row.exercise: row for row in adaptation.status(runner.on(wednesday))}
    assert status[SQUAT].level.range == "partial"
    assert status[SQUAT].latest is not None
    assert "full range → partial range" in status[SQUAT].latest.why
    assert status["fire-hydrant"].level.range is None


def test_an_irritable_knee_back_at_full_range_returns_to_partial_range_on_a_bad_session():
    runner = Runner(pain_at_rest=5)
    days = _session_days(SESSIONS_TO_PROGRESS + 2)
    for day in days[:SESSIONS_TO_PROGRESS]:
        runner.session(day, pain_during=1)
    assert runner.squat_today(days[SESSIONS_TO_PROGRESS]).range_key == "full"
    runner.session(days[SESSIONS_TO_PROGRESS], pain_during=6)
    squat = runner.squat_today(days[-1])
    assert (squat.range_key, squat.dosage.sets, squat.dosage.reps) == ("partial", 2, 15)


def test_the_weekly_review_and_the_sheet_show_next_weeks_split_squat_in_partial_range():
    from kneecoach.presenters import plan_line
    from kneecoach.services import exports, review

    runner = Runner(pain_at_rest=5)
    sunday = MONDAY + dt.timedelta(days=6)
    shown = review.weekly_review(runner.on(sunday))
    squat = next(i for i in shown.next_plan if i.name == "Bulgarian split squat")
    assert squat.range_text == "partial range: bend to about 45°"
    assert plan_line(squat).endswith(", body weight, partial range: bend to about 45°")
    hydrant = next(i for i in shown.next_plan if i.name == "Fire hydrant")
    assert hydrant.range_text is None and "range" not in plan_line(hydrant)
    sheet = exports.sheet_view(runner.on(MONDAY), 2)
    on_sheet = next(e for e in sheet.exercises if e.key == SQUAT)
    assert on_sheet.range_text == "partial range: bend to about 45°"
    assert "about 45°" in on_sheet.cue
