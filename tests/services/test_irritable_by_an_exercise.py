"""An exercise that hurt above 5/10 makes the knee irritable for the next two weeks even when
the runner rated the session lower overall: the pain-monitoring model judges each exercise
by its own pain (evidence §8), so the next sessions are eased (the kneeling fire hydrant)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from kneecoach.domain.planning import SessionPlan
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import journal, onboarding, today
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import FixedClock
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates

WEDNESDAY = MONDAY + dt.timedelta(days=2)


def split_squat_at(exercise_pain: int) -> Callable[[dt.date], RunnerContext]:
    """A runner whose Monday session, rated 3/10, had the split squat at ``exercise_pain``:
    their record on any day."""
    storage = MemoryStorage()
    user = storage.user_id("ben")

    def on(day: dt.date) -> RunnerContext:
        return RunnerContext(storage.for_runner(user), FixedClock(day), user)

    onboarding.onboard(
        on(MONDAY), profile(pain_at_rest=1), onboarding.answers_from_flags([]), AgeBand.ADULT
    )
    done = journal.planned_as_done(today.session_for(on(MONDAY), MONDAY))
    journal.record_session(
        on(MONDAY), MONDAY, done, 3, exercise_pain={"bulgarian-split-squat": exercise_pain}
    )
    return on


def _hydrant_on_wednesday(exercise_pain: int):
    plan = today.plan_for(split_squat_at(exercise_pain)(WEDNESDAY), WEDNESDAY)
    assert isinstance(plan, SessionPlan)
    [hydrant] = [p for p in plan.exercises if p.exercise.key == "fire-hydrant"]
    return hydrant


def test_a_split_squat_at_6_in_a_session_rated_3_eases_the_next_session():
    assert _hydrant_on_wednesday(6).variant.key == "kneeling"


def test_a_split_squat_at_5_in_a_session_rated_3_does_not():
    assert _hydrant_on_wednesday(5).variant.key == "standing"


def test_the_eased_exercise_says_which_exercise_hurt_and_when():
    said = " ".join(note.text for note in _hydrant_on_wednesday(6).notes)
    assert f"Bulgarian split squat hurt 6/10 during the session on {MONDAY:%a %d %b}" in said
