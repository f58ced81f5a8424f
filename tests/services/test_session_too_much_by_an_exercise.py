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


def test_pain_too_much_in_a_session_left_unfinished_is_told_for_two_weeks_or_until_the_next():
    from kneecoach.services import guided, today

    on = split_squat_at(1)
    day = MONDAY + dt.timedelta(days=2)  # Wednesday: a planned session, left unfinished
    kept = guided.browser_session(on(day)).steps[0]
    journal_id = on(day).store.journal.open_session(day)
    on(day).store.journal.save_exercise_pain(journal_id, kept.exercise, 6)

    def reason(when: dt.date) -> tuple[str | None, list[str]]:
        row = clinic.summarise_runner(on(when), "ben")
        return row.reason, [f.text for f in row.flags if "not finished" in f.text]

    assert reason(day) == ("too-much", [reason(day)[1][0]])
    assert reason(day)[1][0].startswith("today's session, not finished: pain during")
    later = day + dt.timedelta(days=3)
    assert reason(later)[1][0].startswith(f"the session of {day:%a %d %b}, not finished")
    assert reason(day + dt.timedelta(days=14))[1] == []
    friday = day + dt.timedelta(days=2)
    done = journal.planned_as_done(today.session_for(on(friday), friday))
    journal.record_session(on(friday), friday, done, 2)
    assert reason(friday)[1] == []
