"""A clinic dashboard's row is made from one read of each part of the runner's record, so
the first look of a day costs the same few statements per runner however long the record,
and says what the history says."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from kneecoach.bootstrap import Runtime, build
from kneecoach.config import load_settings
from kneecoach.domain.planning import SessionPlan
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import clinic, journal, onboarding, today
from kneecoach.services.context import RunnerContext
from kneecoach.services.history import history
from kneecoach.services.read_once import read_once
from tests.helpers import MONDAY, Calendar, counting, profile

pytestmark = pytest.mark.own_dates

STATEMENTS_PER_ROW = 8
"""The profile, the screening, the sessions, their sets, the check-ins, the AKPS results
and the activities: each read once; and the session in progress, if any (none here)."""


def _runtime(tmp_path) -> Runtime:
    settings = load_settings(
        {
            "KNEECOACH_DATA_DIR": str(tmp_path / "data"),
            "KNEECOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'kneecoach.db'}",
        }
    )
    return build(settings, clock=Calendar(MONDAY))


def _logging(runtime: Runtime, name: str, days: int) -> tuple[RunnerContext, Calendar]:
    """A runner who logs every planned session of ``days`` days, with pain rising, and
    checks in the next morning."""
    clock = Calendar(MONDAY)
    runner = runtime.runner(runtime.storage.user_id(name), clock)
    onboarding.onboard(runner, profile(), onboarding.answers_from_flags([]), AgeBand.ADULT)
    for offset in range(days):
        clock.day = MONDAY + dt.timedelta(days=offset)
        if offset and isinstance(today.plan_for(runner, clock.day - dt.timedelta(1)), SessionPlan):
            journal.record_checkin(runner, 1, clock.day)
        if isinstance(today.plan_for(runner, clock.day), SessionPlan):
            plan = today.session_for(runner, clock.day)
            journal.record_session(
                runner, clock.day, journal.planned_as_done(plan), min(1 + offset // 4, 4)
            )
    return runtime.runner(runner.user_id, clock), clock


def _row_statements(runner: RunnerContext) -> Counter[str]:
    fresh = RunnerContext(runner.store, runner.clock, runner.user_id, runner.preferences)
    with counting() as seen:
        clinic.summarise_runner(fresh, "ben")
    return Counter(seen)


def test_a_dashboard_row_reads_each_part_of_the_record_once(tmp_path):
    runner, _ = _logging(_runtime(tmp_path), "ben", 21)
    seen = _row_statements(runner)
    assert max(seen.values()) == 1, seen.most_common(3)
    assert sum(seen.values()) == STATEMENTS_PER_ROW


def test_a_longer_record_costs_a_row_no_more_statements(tmp_path):
    runtime = _runtime(tmp_path)
    short, _ = _logging(runtime, "ben", 3)
    long, _ = _logging(runtime, "cal", 21)
    assert sum(_row_statements(long).values()) == sum(_row_statements(short).values())


def test_a_row_read_once_says_what_the_runners_history_says(tmp_path):
    runner, _ = _logging(_runtime(tmp_path), "ben", 24)
    row = clinic.summarise_runner(runner, "ben")
    report = history(runner)
    assert report.adherence.session_rate is not None
    assert row.adherence == report.adherence.session_rate
    assert row.last_session == report.sessions[-1].date
    assert row.pain_latest == report.sessions[-1].pain_during
    assert row.pain_trend == "rising"


def test_a_session_logged_through_a_read_once_context_is_read_back(tmp_path):
    runner, clock = _logging(_runtime(tmp_path), "ben", 3)
    once = read_once(runner)
    before = once.store.journal.sessions(MONDAY, MONDAY + dt.timedelta(days=30))
    clock.day = MONDAY + dt.timedelta(days=4)
    plan = today.session_for(once, clock.day)
    journal.record_session(once, clock.day, journal.planned_as_done(plan), 2)
    after = once.store.journal.sessions(MONDAY, MONDAY + dt.timedelta(days=30))
    assert [s.performed_on for s in after] == [*(s.performed_on for s in before), clock.day]
    assert read_once(once) is once  # already read once: not wrapped again
