"""A session is too much when one of its exercises hurt above 5/10, even when the runner rated
the session lower overall: the pain-monitoring model judges each exercise by its own pain,
and the knee is already held irritable for it (domain.irritability), so the clinician's
dashboard and the load's warnings say the same."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach.services import adaptation, clinic, journal
from kneecoach.services.context import RunnerContext
from tests.helpers import MONDAY
from tests.services.test_irritable_by_an_exercise import split_squat_at

pytestmark = pytest.mark.own_dates

TUESDAY = MONDAY + dt.timedelta(days=1)


def _split_squat_at(exercise_pain: int) -> RunnerContext:
    on = split_squat_at(exercise_pain)
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
