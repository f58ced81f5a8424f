"""Adherence is judged against the plan in force on the day of each session: the levels as
they stood then, not as they stand now."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach import definitions
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import adaptation, history, journal, onboarding, review, today
from kneecoach.services.clinic import summarise_runner
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import FixedClock
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates


class Runner:
    """A runner who does every planned set on every planned day, and checks in each morning."""

    def __init__(self) -> None:
        self.storage = MemoryStorage()
        self.user = self.storage.user_id("runner")
        onboarding.onboard(
            self.on(MONDAY), profile(), onboarding.answers_from_flags([]), AgeBand.ADULT
        )

    def on(self, day: dt.date) -> RunnerContext:
        return RunnerContext(self.storage.for_runner(self.user), FixedClock(day), self.user)

    def live(self, days: int, first: dt.date = MONDAY) -> dt.date:
        for offset in range(days):
            day = first + dt.timedelta(days=offset)
            on_day = self.on(day)
            journal.record_checkin(on_day, 0)
            if isinstance(today.plan_for(on_day), today.SessionPlan):
                done = journal.planned_as_done(today.session_for(on_day, day))
                journal.record_session(on_day, day, done, 1)
        return first + dt.timedelta(days=days)


def test_every_planned_set_done_is_full_adherence_while_the_levels_rise():
    runner = Runner()
    end = runner.live(28) - dt.timedelta(days=1)
    shown = history.history(runner.on(end))
    planned = [s.sets_planned for s in shown.sessions]
    assert planned[0] == 27 and planned[-1] > planned[0]  # the levels rose
    assert all(s.sets_done == s.sets_planned for s in shown.sessions)
    assert shown.adherence.set_rate == 1.0
    assert shown.adherence.sets_planned == sum(planned)
    week = review.weekly_review(runner.on(end)).sessions
    assert week.sets_done == week.sets_planned > 3 * 27
    assert summarise_runner(runner.on(end), "runner").adherence == 1.0


def test_a_past_day_is_logged_as_planned_at_the_levels_of_that_day():
    runner = Runner()
    end = runner.live(21)
    first_plan = today.session_for(runner.on(end), MONDAY)
    assert first_plan.planned_sets == 27
    squat = next(p for p in first_plan.exercises if p.exercise.key == "bulgarian-split-squat")
    assert (squat.dosage.sets, squat.dosage.reps) == (2, 15)
    now = adaptation.levels(runner.on(end), definitions.program())["bulgarian-split-squat"]
    assert (now.level.sets, now.level.reps) != (2, 15)


def _squat(plan: today.SessionPlan) -> tuple[int, int | None, str | None]:
    item = next(p for p in plan.exercises if p.exercise.key == "bulgarian-split-squat")
    return item.dosage.sets, item.dosage.reps, item.range_key


def test_a_step_drawn_from_a_days_own_session_applies_from_the_next_day():
    runner = Runner()
    on_monday = runner.on(MONDAY)
    journal.record_session(
        on_monday, MONDAY, journal.planned_as_done(today.session_for(on_monday, MONDAY)), 6
    )
    [decision] = [
        d.decision
        for d in runner.storage.for_runner(runner.user).plan.decisions()
        if d.decision.exercise == "bulgarian-split-squat"
    ]
    assert decision.decided_on == decision.based_on == MONDAY  # stepped down at once
    tuesday = MONDAY + dt.timedelta(days=1)
    assert _squat(today.session_for(runner.on(tuesday), MONDAY)) == (2, 15, "full")
    assert _squat(today.session_for(runner.on(tuesday), tuesday)) == (2, 15, "partial")
