"""The charts a runner sees on their progress page and a clinician on the runner's page:
pain during and the next morning, the AKPS with the MCID band, and the adherence calendar."""

import datetime as dt
from typing import Any

from kneecoach.domain.outcomes import MCID
from kneecoach.domain.prescription import session_days
from kneecoach.services.context import RunnerContext
from kneecoach.services.history import History, history
from kneecoach.services.outcomes import akps_history
from kneecoach.web.charts import adherence_calendar, line_chart

CALENDAR_WEEKS = 12


def progress_charts(coach: RunnerContext, report: History | None = None) -> dict[str, Any]:
    """The three charts; pass the runner's history when the page has read it already."""
    report = report or history(coach)
    days = [s.session.performed_on for s in report.sessions]
    pain = line_chart(
        "Knee pain (0-10): during sessions and the next morning",
        days,
        {
            "during": [s.session.pain_during for s in report.sessions],
            "next morning": [s.morning_pain for s in report.sessions],
        },
        10,
        (0, 2, "the ideal band, 2/10 or less"),
    )
    kept = akps_history(coach)
    first = kept.results[0].score if kept.results else 0
    akps = line_chart(
        f"Kujala AKPS (0-100); the band is a change of less than {MCID} points from the first",
        [r.taken_on for r in kept.results],
        {"AKPS": [r.score for r in kept.results]},
        100,
        (max(0, first - MCID), min(100, first + MCID), f"within the {MCID}-point MCID"),
    )
    profile = coach.stored_profile().profile
    today = coach.clock.today()
    first = today - dt.timedelta(weeks=CALENDAR_WEEKS)
    planned = session_days(profile.start_date, profile.sessions_per_week, first, today)
    calendar = adherence_calendar(planned, days, today, CALENDAR_WEEKS)
    return {"pain_chart": pain, "akps_chart": akps, "calendar": calendar}
