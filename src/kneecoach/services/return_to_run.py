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
    match_stage,
    progress,
)
from kneecoach.services.context import Coach


def record_check(coach: Coach, check: EntryCheck) -> Progress:
    coach.stored_profile()
    check_not_future(check.taken_on, coach.clock.today(), "the check date")
    coach.repository.add_entry_check(coach.user_id, check)
    return status(coach)


def _attempts(coach: Coach, check: EntryCheck | None) -> list[Attempt]:
    if check is None:
        return []
    from kneecoach.domain.activity import Sport  # numpy: only once running has started

    profile = coach.stored_profile().profile
    checkins = {
        c.date: c
        for c in coach.repository.checkins(
            coach.user_id, check.taken_on - dt.timedelta(days=7), coach.clock.today()
        )
    }
    logged = dict(coach.repository.stage_runs(coach.user_id))
    imported = {
        a.activity.start.date(): a.activity.distance_m
        for a in coach.repository.activities(coach.user_id)
        if a.activity.sport is Sport.RUN and a.activity.start.date() >= check.taken_on
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


def status(coach: Coach) -> Progress:
    check = coach.repository.latest_entry_check(coach.user_id)
    return progress(check, _attempts(coach, check), coach.clock.today())


def attempts(coach: Coach) -> list[Attempt]:
    return _attempts(coach, coach.repository.latest_entry_check(coach.user_id))


def log_run(coach: Coach, day: dt.date | None = None) -> Progress:
    """Log today's (or ``day``'s) run at the current stage."""
    day = check_not_future(day or coach.clock.today(), coach.clock.today(), "the run date")
    now = status(coach)
    if now.stage is None:
        from kneecoach.domain.errors import InvalidInput

        raise InvalidInput(f"return to running has not started: {now.message}")
    coach.repository.log_stage_run(coach.user_id, day, now.stage.number)
    return status(coach)


def run_due(coach: Coach, day: dt.date) -> str | None:
    """The return-to-run stage due on ``day`` in words, once the entry criteria are met."""
    check = coach.repository.latest_entry_check(coach.user_id)
    if check is None:
        return None
    now = progress(check, _attempts(coach, check), coach.clock.today())
    if now.stage is None or now.finished or now.next_run_on is None or now.next_run_on > day:
        return None
    return now.stage.describe() + " — level ground."


__all__ = ["STAGES", "attempts", "log_run", "record_check", "run_due", "status"]
