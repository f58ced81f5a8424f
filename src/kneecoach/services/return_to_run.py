"""Return to running: record the entry check and the runs, and say what comes next.

A run counts as an attempt at the current stage when it is logged here, or when an
imported run matches the stage's distance (one far beyond it is flagged, with the reason);
the next morning's check-in judges it — no swelling and no more pain than before means
tolerated. While the program is paused, no run is due and neither a run nor an entry check
is kept (Conflict, with the reason); a session judged too much voids the entry check.
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
    TooMuchSession,
    beyond_stage,
    match_stage,
    paused_refusal,
    progress,
)
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import Conflict


def _refuse_while_paused(runner: RunnerContext) -> None:
    from kneecoach.services.onboarding import current_screening

    screening = current_screening(runner)
    if not screening.clear:
        raise Conflict(paused_refusal(screening.advice))


def record_check(runner: RunnerContext, check: EntryCheck) -> Progress:
    """Keep an entry check; refused (Conflict, with the reason) while the program is paused."""
    runner.stored_profile()
    check_not_future(check.taken_on, runner.clock.today(), "the check date")
    _refuse_while_paused(runner)
    runner.store.return_to_run.add_entry_check(check)
    return status(runner)


def _too_much(runner: RunnerContext, since: dt.date) -> list[TooMuchSession]:
    """The sessions since ``since`` that the pain-monitoring model judged too much."""
    from kneecoach.domain.pain import Band
    from kneecoach.services.adaptation import verdict_of

    today = runner.clock.today()
    sessions = runner.store.journal.sessions(since, today)
    if not sessions:
        return []
    checkins = runner.store.journal.checkins(since - dt.timedelta(days=14), today)
    at_rest = runner.stored_profile().profile.pain_at_rest
    found = []
    for session in sessions:
        verdict = verdict_of(session, checkins, at_rest)
        if verdict.band is Band.TOO_MUCH:
            found.append(TooMuchSession(session.performed_on, verdict.reason))
    return found


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
    imported: dict[dt.date, float] = {}
    for a in runner.store.activities.all():
        day = a.activity.start.date()
        if is_run(a.activity) and day >= check.taken_on:
            imported[day] = max(imported.get(day, 0.0), a.activity.distance_m)
    days = sorted(d for d in set(logged) | set(imported) if d >= check.taken_on)
    attempts: list[Attempt] = []
    for day in days:
        current = progress(check, attempts, day).stage
        flag = None
        if day in logged:
            stage, source = logged[day], "logged"
        elif current is None:
            continue
        elif match_stage(imported[day], current) or (flag := beyond_stage(imported[day], current)):
            stage, source = current.number, "imported"
        else:
            continue
        morning = checkins.get(day + dt.timedelta(days=1))
        before = [c for c in checkins.values() if day - dt.timedelta(days=3) <= c.date <= day]
        baseline = before[-1].pain_morning if before else profile.pain_at_rest
        tolerated = (
            None if morning is None else (not morning.swelling and morning.pain_morning <= baseline)
        )
        attempts.append(Attempt(day, stage, tolerated, source, flag))
    return attempts


def status(runner: RunnerContext) -> Progress:
    """Where return to running stands: paused with the program, the entry check void after a
    session too much, stages stepped back after a bad run. A read."""
    from kneecoach.services.onboarding import current_screening

    check = runner.store.return_to_run.latest_entry_check()
    screening = current_screening(runner)
    return progress(
        check,
        _attempts(runner, check),
        runner.clock.today(),
        paused=None if screening.clear else screening.advice,
        paused_sources=(screening.source,),
        too_much=_too_much(runner, check.taken_on) if check is not None else (),
    )


def attempts(runner: RunnerContext) -> list[Attempt]:
    return _attempts(runner, runner.store.return_to_run.latest_entry_check())


def log_run(runner: RunnerContext, day: dt.date | None = None) -> Progress:
    """Log today's (or ``day``'s) run at the current stage; refused (Conflict, with the
    reason) while the program is paused."""
    day = check_not_future(day or runner.clock.today(), runner.clock.today(), "the run date")
    now = status(runner)
    if now.paused:
        raise Conflict(now.refusal or "return to running is paused")
    if now.stage is None:
        from kneecoach.domain.errors import InvalidInput

        raise InvalidInput(f"return to running has not started: {now.message}")
    runner.store.return_to_run.log_stage_run(StageRun(day, now.stage.number))
    return status(runner)


def run_due(runner: RunnerContext, day: dt.date) -> str | None:
    """The return-to-run stage due on ``day`` in words, once the entry criteria are met."""
    if runner.store.return_to_run.latest_entry_check() is None:
        return None
    now = status(runner)
    if now.stage is None or not now.can_run or now.next_run_on is None or now.next_run_on > day:
        return None
    return now.stage.describe() + " — level ground."


__all__ = ["STAGES", "attempts", "log_run", "record_check", "run_due", "status"]
