"""The clinician's dashboard: every runner in a table that sorts by any column, the most
urgent first by default (the service's order of reasons), so the runner who needs a look is
at the top; each row names the most urgent reason and counts the others."""

from collections.abc import Callable
from typing import Any

from kneecoach.services.clinic import RunnerSummaryView

SORTS: dict[str, tuple[str, Callable[[RunnerSummaryView], Any]]] = {
    "warnings": ("Needs a look", lambda r: (r.urgency, len(r.flags))),
    "name": ("Runner", lambda r: r.name.lower()),
    "last": ("Last session", lambda r: r.last_session),
    "adherence": ("Adherence", lambda r: r.adherence),
    "pain": ("Pain trend", lambda r: r.pain_change),
    "akps": ("AKPS change", lambda r: r.akps_change.points if r.akps_change else None),
    "akps_due": ("AKPS due", lambda r: r.akps_due_on),
}
DEFAULT_SORT = "warnings"
ARROWS = {"rising": "↑", "steady": "→", "falling": "↓"}
"""The pain trend's direction (decided by the service) as an arrow."""
DESCENDING_FIRST = {"warnings", "pain", "last"}


def sorted_rows(
    rows: list[RunnerSummaryView], sort: str, order: str | None
) -> list[RunnerSummaryView]:
    """Sorted by ``sort``; runners without a value go last whichever the direction."""
    key = SORTS[sort][1]
    descending = (order or ("desc" if sort in DESCENDING_FIRST else "asc")) == "desc"
    known = [r for r in rows if key(r) is not None]
    unknown = [r for r in rows if key(r) is None]
    known.sort(key=lambda r: (key(r), r.name.lower()), reverse=descending)
    return known + sorted(unknown, key=lambda r: r.name.lower())


def columns(sort: str, order: str | None) -> list[dict[str, str]]:
    """Header links: each sorts by its column, and the current one flips the direction."""
    current = order or ("desc" if sort in DESCENDING_FIRST else "asc")
    out = []
    for key, (label, _) in SORTS.items():
        if key == sort:
            flip = "asc" if current == "desc" else "desc"
            aria = "descending" if current == "desc" else "ascending"
            out.append(
                {"key": key, "label": label, "href": f"?sort={key}&order={flip}", "aria": aria}
            )
        else:
            out.append({"key": key, "label": label, "href": f"?sort={key}", "aria": "none"})
    return out


def row_view(r: RunnerSummaryView) -> dict[str, Any]:
    trend = ""
    if r.pain_change is not None and r.pain_trend is not None:
        trend = f" {ARROWS[r.pain_trend]} {r.pain_change:+.1f}"
    return {
        "id": r.runner_id,
        "name": r.name,
        "set_up": r.set_up,
        "last": f"{r.last_session:%d %b}" if r.last_session else "—",
        "adherence": "—" if r.adherence is None else f"{r.adherence:.0%}",
        "pain": (
            "—" if r.pain_latest is None else f"{r.pain_latest}/10 (avg {r.pain_recent:.1f}{trend})"
        ),
        "akps": (
            "—"
            if r.akps_change is None
            else f"{r.akps_change.points:+d}" + (" ✓" if r.akps_change.meaningful else "")
        ),
        "flags": [{"text": f.text, "sources": f.labels} for f in r.lines[:1]],
        "more": len(r.lines) - 1 if r.lines else 0,
        "akps_due": "—" if r.akps_due_on is None else f"{r.akps_due_on:%d %b}",
        "morning": (
            "—"
            if r.morning_pain is None or r.morning_pain_on is None
            else f"{r.morning_pain}/10 on {r.morning_pain_on:%a %d %b}"
            + (", with swelling" if r.morning_swelling else "")
        ),
        "in_progress": (
            None
            if r.in_progress_sets is None
            else f"Today's session in progress: {r.in_progress_sets} "
            f"{'set' if r.in_progress_sets == 1 else 'sets'} kept so far"
        ),
    }
