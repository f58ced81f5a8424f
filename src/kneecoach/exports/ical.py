"""The coming sessions as an RFC 5545 calendar, with a reminder before each.

UIDs are derived from the runner and the day, so exporting again updates the events a
calendar already has instead of adding copies.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from kneecoach.domain.planning import SessionPlan


def uid(user: str, day: dt.date) -> str:
    digest = hashlib.sha256(f"{user}|{day.isoformat()}".encode()).hexdigest()[:20]
    return f"session-{day.isoformat()}-{digest}@kneecoach"


def run_uid(user: str, day: dt.date) -> str:
    digest = hashlib.sha256(f"{user}|run|{day.isoformat()}".encode()).hexdigest()[:20]
    return f"run-{day.isoformat()}-{digest}@kneecoach"


def describe_run(run: Any) -> str:
    """A run of the race plan (a services.race.RaceRunToday) as an event's description."""
    lines = [run.text]
    if run.step_rate_target is not None:
        lines.append(
            f"Step rate about {run.step_rate_target} a minute (never beyond "
            f"{run.step_rate_ceiling})."
        )
    lines.append("After it: log the run with its pain. Next morning: the check-in.")
    lines.append("Sources: " + "; ".join(s.citation for s in run.sources))
    return "\n".join(lines)


def describe(plan: SessionPlan) -> str:
    lines = [f"Week {plan.week} of {plan.weeks}" + (f", {plan.phase} phase" if plan.phase else "")]
    for order, item in enumerate(plan.exercises, start=1):
        load = f", {item.load_kg:g} kg" if item.load_kg else ""
        depth = f", {item.range_text}" if item.range_text else ""
        lines.append(
            f"{order}. {item.exercise.name} ({item.variant.name.lower()}): "
            f"{item.dosage.describe()}{load}{depth}, rest {item.rest_seconds} s"
        )
    lines.append("Guided: the session player. Next morning: the check-in.")
    lines.append("kneecoach coaches, it does not diagnose: see a clinician about red flags.")
    return "\n".join(lines)


def calendar(
    plans: Sequence[SessionPlan],
    user: str,
    *,
    start_time: dt.time,
    reminder_minutes: int,
    timezone: str,
    stamp: dt.datetime,
    runs: Sequence[Any] = (),
) -> bytes:
    """The sessions, each with a reminder, and the race plan's ``runs`` as all-day events."""
    from icalendar import Alarm, Calendar, Event

    zone = ZoneInfo(timezone)
    cal = Calendar()
    cal.add("prodid", "-//kneecoach//sessions//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "kneecoach sessions")
    for plan in plans:
        event = Event()
        begin = dt.datetime.combine(plan.date, start_time, tzinfo=zone)
        event.add("uid", uid(user, plan.date))
        event.add("dtstamp", stamp)
        event.add("dtstart", begin)
        event.add("dtend", begin + dt.timedelta(seconds=round(plan.seconds)))
        event.add("summary", "Knee exercises (kneecoach)")
        event.add("description", describe(plan))
        if reminder_minutes > 0:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", "Knee exercises soon")
            alarm.add("trigger", dt.timedelta(minutes=-reminder_minutes))
            event.add_component(alarm)
        cal.add_component(event)
    for run in runs:
        event = Event()
        event.add("uid", run_uid(user, run.day))
        event.add("dtstamp", stamp)
        event.add("dtstart", run.day)
        event.add("dtend", run.day + dt.timedelta(days=1))
        event.add("summary", f"{run.text.split(' — ')[0]} (kneecoach race plan)")
        event.add("description", describe_run(run))
        cal.add_component(event)
    return bytes(cal.to_ical())
