"""A session is too much when one of its exercises hurt above 5/10, even when the runner rated
the session lower overall: the pain-monitoring model judges each exercise by its own pain,
and the knee is already held irritable for it (domain.irritability), so the clinician's
dashboard and the load's warnings say the same."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach.domain.redflags import AgeBand
from kneecoach.services import adaptation, clinic, journal, onboarding, today
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import FixedClock
from kneecoach.storage.memory import MemoryStorage
from tests.helpers import MONDAY, profile

pytestmark = pytest.mark.own_dates

TUESDAY = MONDAY + dt.timedelta(days=1)


def _split_squat_at(exercise_pain: int) -> RunnerContext:
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
    journal.record_checkin(on(TUESDAY), 1, TUESDAY)
    return on(TUESDAY)


def test_a_split_squat_at_6_in_a_session_rated_3_is_a_last_session_too_much():
    runner = _split_squat_at(6)
    row = clinic.summarise_runner(runner, "ben")
    assert row.reason == "too-much"
    [flag] = [f for f in row.flags if f.text.startswith("last session too much")]
    assert "Bulgarian split squat reached 6/10" in flag.text
    assert adaptation.too_much_days(runner, MONDAY, TUESDAY) == [MONDAY]


def test_a_split_squat_at_5_in_a_session_rated_3_is_not():
    runner = _split_squat_at(5)
    assert clinic.summarise_runner(runner, "ben").reason is None
    assert adaptation.too_much_days(runner, MONDAY, TUESDAY) == []
