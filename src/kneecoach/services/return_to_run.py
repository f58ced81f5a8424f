"""Return to running: record the entry check and the runs, and say what comes next.

A run counts as an attempt at the current stage when it is logged here, or when an
imported run matches the stage's distance; the next morning's check-in judges it — no
swelling and no more pain than before means tolerated.
"""

from __future__ import annotations

import datetime as dt

from kneecoach.domain.journal import check_not_future
from kneecoach.domain.return_to_run import (
    STAGES,
    Attempt,
    EntryCheck,
    Progress,
    StageRun,
    match_stage,
    progress,
)
from kneecoach.services.context import RunnerContext


def record_check(runner: RunnerContext, check: EntryCheck) -> Progress:
    runner.stored_profile()
    check_not_future(check.taken_on, runner.clock.today(), "the check date")
    runner.store.return_to_run.add_entry_check(check)
    return status(runner)


def _attempts(runner: RunnerContext, check: EntryCheck | None) -> list[Attempt]:
    if check is None:
        return []
    from kneecoach.domain.activity import is_run  # numpy: only once running has started

    profile = runner.stored_profile().profile
    checkins = {
        c.date: c
        for c in runner.store.journal.checkins(
            check.taken_on - dt.timedelta(days=7), runner.clock.today()
        )
    }
    logged = {run.day: run.stage for run in runner.store.return_to_run.stage_runs()}
    imported = {
        a.activity.start.date(): a.activity.distance_m
        for a in runner.store.activities.all()
        if is_run(a.activity) and a.activity.start.date() >= check.taken_on
    }
    days = sorted(d for d in set(logged) | set(imported) if d >= check.taken_on)
    attempts: list[Attempt] = []
    for day in days:
        current = progress(check, attempts, day).stage
        if day in logged:
            stage, source = logged[day], "logged"
        elif current is not None and match_stage(imported[day], current):
            stage, source = current.number, "imported"
        else:
            continue
        morning = checkins.get(day + dt.timedelta(days=1))
        before = [c for c in checkins.values() if day - dt.timedelta(days=3) <= c.date <= day]
        baseline = before[-1].pain_morning if before else profile.pain_at_rest
        tolerated = (
            None if morning is None else (not morning.swelling and morning.pain_morning <= baseline)
        )
        attempts.append(Attempt(day, stage, tolerated, source))
    return attempts


def status(runner: RunnerContext) -> Progress:
    check = runner.store.return_to_run.latest_entry_check()
    return progress(check, _attempts(runner, check), runner.clock.today())


def attempts(runner: RunnerContext) -> list[Attempt]:
    return _attempts(runner, runner.store.return_to_run.latest_entry_check())


def log_run(runner: RunnerContext, day: dt.date | None = None) -> Progress:
    """Log today's (or ``day``'s) run at the current stage."""
    day = check_not_future(day or runner.clock.today(), runner.clock.today(), "the run date")
    now = status(runner)
    if now.stage is None:
        from kneecoach.domain.errors import InvalidInput

        raise InvalidInput(f"return to running has not started: {now.message}")
    runner.store.return_to_run.log_stage_run(StageRun(day, now.stage.number))
    return status(runner)


def run_due(runner: RunnerContext, day: dt.date) -> str | None:
    """The return-to-run stage due on ``day`` in words, once the entry criteria are met."""
    check = runner.store.return_to_run.latest_entry_check()
    if check is None:
        return None
    now = progress(check, _attempts(runner, check), runner.clock.today())
    if now.stage is None or now.finished or now.next_run_on is None or now.next_run_on > day:
        return None
    return now.stage.describe() + " — level ground."


__all__ = ["STAGES", "attempts", "log_run", "record_check", "run_due", "status"]
