"""What adapting reads: only the sessions a decision can still use and the mornings around
them, however long the runner's record is (services.adaptation._judged)."""

from __future__ import annotations

import datetime as dt

import pytest

from kneecoach.services import adaptation, journal
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import FixedClock
from tests.services.test_adaptation_scenarios import Runner

pytestmark = pytest.mark.own_dates


def _asked(monkeypatch, runner_store):
    """The periods the journal is asked for, by kind, as the store answers them."""
    asked: list[tuple[str, dt.date, dt.date]] = []
    for kind in ("sessions", "checkins"):
        real = getattr(runner_store.journal, kind)

        def spy(first, last, real=real, kind=kind):
            asked.append((kind, first, last))
            return real(first, last)

        monkeypatch.setattr(runner_store.journal, kind, spy)
    return asked


def test_a_check_in_after_weeks_of_decisions_reads_from_the_earliest_undecided_day(monkeypatch):
    runner = Runner()
    end = runner.live(10 * 7)
    last_based_on = {}
    for d in runner.decisions():
        if d.based_on is not None:
            last_based_on[d.exercise] = d.based_on
    earliest = min(last_based_on.values())
    store = runner.storage.for_runner(runner.user)
    asked = _asked(monkeypatch, store)

    adaptation.adapt(RunnerContext(store, FixedClock(end), runner.user))

    sessions = [(first, last) for kind, first, last in asked if kind == "sessions"]
    assert sessions[0] == (earliest + dt.timedelta(days=1), end)
    first_undecided = min(
        s.performed_on for s in store.journal.sessions(earliest + dt.timedelta(days=1), end)
    )
    checkins = [(first, last) for kind, first, last in asked if kind == "checkins"]
    assert checkins[0] == (first_undecided - dt.timedelta(days=adaptation.CHECKINS_BEFORE), end)


def test_a_check_in_before_any_session_reads_no_check_ins_to_judge_one(monkeypatch):
    runner = Runner()
    day = runner.storage.for_runner(runner.user).profile.get().profile.start_date
    store = runner.storage.for_runner(runner.user)
    asked = _asked(monkeypatch, store)

    journal.record_checkin(RunnerContext(store, FixedClock(day), runner.user), 2)

    judging = [(kind, first) for kind, first, last in asked if last == day]
    assert judging == [("sessions", day)]


def test_the_mornings_read_are_all_a_verdict_needs(monkeypatch):
    """The same twelve weeks with every judgement reading check-ins from LOOK_BACK_DAYS
    before its first session: the same decisions."""
    narrow = Runner()
    narrow.live(12 * 7)
    wide = Runner()
    monkeypatch.setattr(adaptation, "CHECKINS_BEFORE", adaptation.LOOK_BACK_DAYS)
    wide.live(12 * 7)
    assert narrow.decisions() == wide.decisions()
