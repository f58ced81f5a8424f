"""Whether an activity read from a file could have happened: a person on Earth, in this
century, not tomorrow.

A file is written by a device or a program we do not control: a broken clock writes the
year 1 or 9999, a broken GPS writes a latitude of 200°. Such an activity is refused with the
reason, before it reaches the history — kept, it would shift every load figure (the load
runs from the first activity to the last) or make date arithmetic overflow.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from kneecoach.domain.activity import Activity
from kneecoach.domain.journal import EARLIEST_DAY

FUTURE_TOLERANCE = dt.timedelta(days=1)
"""An activity may start up to a day after today's date: its start is in UTC and the
runner's today is local, and a device's clock can be a little ahead (kneecoach default)."""
LONGEST_ACTIVITY = dt.timedelta(days=14)
"""No single activity lasts longer than this; the longest multi-day races end within it
(kneecoach default)."""


def implausibility(activity: Activity, today: dt.date) -> str | None:
    """Why ``activity`` cannot be a real one, or None when it can."""
    start = activity.start
    if start.date() < EARLIEST_DAY:
        return (
            f"starts on {start.date().isoformat()}, before {EARLIEST_DAY.isoformat()}, "
            "the earliest day kneecoach accepts (is the device's clock wrong?)"
        )
    latest = today + FUTURE_TOLERANCE
    if start.date() > latest:
        return (
            f"starts on {start.date().isoformat()}, in the future (today is "
            f"{today.isoformat()}; is the device's clock wrong?)"
        )
    for what, value in (("duration", activity.elapsed_s), ("distance", activity.distance_m)):
        if not math.isfinite(value) or value < 0:
            return f"has an impossible {what} ({value})"
    if activity.elapsed_s > LONGEST_ACTIVITY.total_seconds():
        days = activity.elapsed_s / 86_400
        return f"lasts {days:.0f} days, longer than any activity ({LONGEST_ACTIVITY.days} days)"
    return _impossible_position(activity)


def _impossible_position(activity: Activity) -> str | None:
    """A recorded point off the globe (missing points, NaN, are fine: no GPS fix)."""
    samples = activity.samples
    for what, values, bound in (
        ("latitude", samples.latitude, 90.0),
        ("longitude", samples.longitude, 180.0),
    ):
        recorded = values[~np.isnan(values)]
        off = recorded[np.abs(recorded) > bound]
        if off.shape[0]:
            return (
                f"has a point at {what} {float(off[0]):g}°, outside -{bound:g}° to {bound:g}° "
                f"({off.shape[0]} such point{'s' if off.shape[0] != 1 else ''})"
            )
    return None
