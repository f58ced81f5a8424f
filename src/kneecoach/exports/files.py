"""Export files: a service's view laid out by its renderer, named and counted.

The services gather what a file holds (``services.exports``); the renderers beside this
module lay it out (FHIR, iCalendar, the program sheet). This module joins the two so that
every face — terminal, pages, API — downloads the same bytes under the same name, and the
services never depend on a file format.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter

from kneecoach.services.context import RunnerContext
from kneecoach.services.exports import (
    CountView,
    ExportView,
    calendar_plans,
    fhir_record,
    sheet_view,
)


def fhir_export(runner: RunnerContext, user: str) -> ExportView:
    """The FHIR R4 Bundle as a JSON file, validated resource by resource."""
    from kneecoach.exports.fhir import bundle

    data = bundle(fhir_record(runner, user))
    kinds = Counter(entry["resource"]["resourceType"] for entry in data["entry"])
    return ExportView(
        file_name=f"kneecoach-fhir-{runner.clock.today().isoformat()}.json",
        media_type="application/fhir+json",
        data=json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8"),
        counts=tuple(CountView(kind, count) for kind, count in kinds.items()),
    )


def calendar_for(
    runner: RunnerContext,
    user: str,
    weeks: int,
    *,
    start_time: dt.time,
    reminder_minutes: int,
    timezone: str,
) -> ExportView:
    """The coming ``weeks`` of sessions and of the race plan's runs as an iCalendar file,
    with how many of each."""
    from kneecoach.exports.ical import calendar
    from kneecoach.services.race import runs_between

    plans = calendar_plans(runner, weeks, timezone=timezone)
    today = runner.clock.today()
    runs = runs_between(runner, today, today + dt.timedelta(days=7 * weeks - 1))
    data = calendar(
        plans,
        user,
        start_time=start_time,
        reminder_minutes=reminder_minutes,
        timezone=timezone,
        stamp=runner.clock.now(),
        runs=runs,
    )
    return ExportView(
        file_name="kneecoach-sessions.ics",
        media_type="text/calendar; charset=utf-8",
        data=data,
        counts=(CountView("sessions", len(plans)), CountView("runs", len(runs))),
    )


def sheet_for(runner: RunnerContext, weeks: int, pdf: bool) -> ExportView:
    """The printable program sheet with ``weeks`` of tick boxes, as PDF or HTML."""
    from kneecoach.exports.sheet import render_html, render_pdf

    view = sheet_view(runner, weeks)
    html = render_html(view)
    return ExportView(
        file_name=f"kneecoach-program.{'pdf' if pdf else 'html'}",
        media_type="application/pdf" if pdf else "text/html; charset=utf-8",
        data=render_pdf(html) if pdf else html.encode(),
        counts=(CountView("exercises", len(view.exercises)), CountView("days", len(view.days))),
    )
