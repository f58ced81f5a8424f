"""History: sessions done against the plan, and pain during and the morning after."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kneecoach.domain.adherence import Adherence, SessionSummary, summarise
from kneecoach.domain.journal import Checkin, check_range
from kneecoach.services.adaptation import effective_program
from kneecoach.services.context import RunnerContext


@dataclass(frozen=True, slots=True)
class History:
    first: dt.date
    last: dt.date
    sessions: list[SessionSummary]
    checkins: list[Checkin]
    adherence: Adherence


def history(
    runner: RunnerContext, first: dt.date | None = None, last: dt.date | None = None
) -> History:
    """From the program start (or ``first``) to today (or ``last``)."""
    stored = runner.stored_profile()
    profile = stored.profile
    last = last or runner.clock.today()
    first = first or min(profile.start_date, last)
    check_range(first, last)
    sessions = runner.store.journal.sessions(first, last)
    checkins = runner.store.journal.checkins(first, last + dt.timedelta(days=1))
    summaries, adherence = summarise(
        sessions,
        checkins,
        effective_program(runner),
        profile.start_date,
        profile.sessions_per_week,
        first,
        last,
    )
    return History(first, last, summaries, [c for c in checkins if c.date <= last], adherence)
