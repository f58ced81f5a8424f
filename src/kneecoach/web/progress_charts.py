"""The charts a runner sees on their progress page and a clinician on the runner's page:
pain during and the next morning with the band where it ideally stays and the one it may
reach, the AKPS with the
band of the MCID, and the adherence calendar — drawn from the progress view, whose bands
carry their bounds, labels and sources."""

from typing import Any

from kneecoach.services.pose import FppaHistoryView, fppa_chart
from kneecoach.services.progress import CalendarView, ProgressView
from kneecoach.web.charts import adherence_calendar, line_chart


def calendar_chart(calendar: CalendarView) -> str:
    """The adherence calendar of the progress view: only the days due are missed when not
    done, the days a pause held read as paused (the services say which)."""
    return adherence_calendar(
        calendar.planned,
        calendar.done,
        calendar.today,
        calendar.weeks,
        due=calendar.due,
        paused=calendar.paused,
        moved=calendar.moved,
    )


def alignment_chart(history: FppaHistoryView) -> str:
    """The knee-alignment tests (mean FPPA per leg) over the days, the published means ± 1
    SD shaded (the chart view's bands, with their labels)."""
    chart = fppa_chart(history)
    return line_chart(
        "Knee alignment (FPPA, degrees): mean of each test, per leg",
        list(chart.days),
        {"left": list(chart.left), "right": list(chart.right)},
        chart.top,
        bands=list(chart.bands),
    )


def progress_charts(view: ProgressView, alignment: FppaHistoryView | None = None) -> dict[str, Any]:
    """The charts as HTML: ``pain_chart``, ``akps_chart``, ``calendar``, and with the
    knee-alignment tests, ``alignment_chart`` beside the AKPS (and ``alignment``)."""
    report = view.history
    ideal, acceptable = report.pain_ideal, report.pain_acceptable
    pain = line_chart(
        f"Knee pain (0-{report.pain_max}): during sessions and the next morning",
        [s.date for s in report.sessions],
        {
            # each session as much as it hurt, as the bands judge it (its most painful
            # exercise's pain when higher than its own rating)
            "during": [s.peak_pain for s in report.sessions],
            "next morning": [s.pain_next_morning for s in report.sessions],
        },
        report.pain_max,
        bands=[(b.low, b.high, b.label) for b in (ideal, acceptable)],
    )
    akps = view.akps
    band = akps.band
    scores = line_chart(
        f"Kujala AKPS (0-{akps.score_max})" + (f"; the band is {band.label}" if band else ""),
        [r.taken_on for r in akps.results],
        {"AKPS": [r.score for r in akps.results]},
        akps.score_max,
        None if band is None else (band.low, band.high, band.label),
    )
    calendar = view.calendar
    charts: dict[str, Any] = {"alignment": alignment, "alignment_chart": ""}
    if alignment is not None:
        charts["alignment_chart"] = alignment_chart(alignment)
    return charts | {
        "pain_chart": pain,
        "akps_chart": scores,
        "calendar": calendar_chart(calendar),
    }
