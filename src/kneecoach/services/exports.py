"""Calendar and program sheet for a runner: the same for the command line and the web."""

from __future__ import annotations

import datetime as dt

from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.prescription import session_days
from kneecoach.services.context import RunnerContext
from kneecoach.services.onboarding import current_screening
from kneecoach.services.today import session_for


def calendar_for(
    runner: RunnerContext,
    user: str,
    weeks: int,
    *,
    start_time: dt.time,
    reminder_minutes: int,
    timezone: str,
) -> tuple[bytes, int]:
    """The coming ``weeks`` of sessions as iCalendar bytes, and how many sessions."""
    from kneecoach.config import zone
    from kneecoach.exports.ical import calendar

    if not 1 <= weeks <= 52:
        raise InvalidInput(f"weeks must be from 1 to 52, not {weeks}")
    zone(timezone)
    stored = runner.stored_profile()
    screening = current_screening(runner)
    if not screening.clear:
        raise InvalidInput(f"no sessions while the program is paused: {screening.advice}")
    first = runner.clock.today()
    days = session_days(
        stored.profile.start_date,
        stored.profile.sessions_per_week,
        first,
        first + dt.timedelta(days=7 * weeks - 1),
    )
    plans = [session_for(runner, day) for day in days]
    data = calendar(
        plans,
        user,
        start_time=start_time,
        reminder_minutes=reminder_minutes,
        timezone=timezone,
        stamp=runner.clock.now(),
    )
    return data, len(plans)


def sheet_for(runner: RunnerContext, weeks: int, pdf: bool) -> bytes:
    """The printable program sheet with ``weeks`` of tick boxes, as PDF or HTML."""
    from kneecoach.exports.sheet import render_html, render_pdf

    if not 1 <= weeks <= 8:
        raise InvalidInput(f"weeks must be from 1 to 8, not {weeks}")
    stored = runner.stored_profile()
    today = runner.clock.today()
    days = session_days(
        stored.profile.start_date,
        stored.profile.sessions_per_week,
        today,
        today + dt.timedelta(days=7 * weeks - 1),
    )
    plan = session_for(runner, days[0] if days else today)
    html = render_html(plan, stored.profile, days[:16], today)
    return render_pdf(html) if pdf else html.encode()
