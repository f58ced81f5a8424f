"""Twelve weeks of one runner, told once and played through each face (the services, the
terminal, the web): every planned set done; in week 3 a flare (split squat pain 8/10)
pauses the program; the clinician lifts the pause the next day; the split squat goes back to
its partial range while the other exercises keep progressing; return to running is
refused while paused and resumes with a new entry check after.

The story is a list of days, each with what the runner does; a face plays each day with its
own clock set to that day (never today's date)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kneecoach.domain.catalogue import Equipment

START = dt.date(2026, 1, 5)
"""A Monday: the program's first day."""
WEEKS = 12
END = START + dt.timedelta(days=7 * WEEKS - 1)
FLARE = START + dt.timedelta(days=14)
"""The Monday of week 3: the split squat hurts at 8/10."""
LIFT = FLARE + dt.timedelta(days=1)
"""The clinician sees the runner and lifts the pause the next day."""
FIRST_CHECK = START + dt.timedelta(days=8)
"""An entry check for return to running, passed, in week 2."""
SECOND_CHECK = LIFT + dt.timedelta(days=6)
"""After the flare voided the first check, a new one passed."""

EQUIPPED: dict[str, object] = {
    "equipment": frozenset(Equipment),
    "heaviest_dumbbell_kg": 10.0,
}
"""Every piece of equipment and dumbbells up to 10 kg: ladders long enough for 12 weeks."""

SQUAT = "bulgarian-split-squat"
SIX = (
    "roll-down",
    SQUAT,
    "fire-hydrant",
    "bent-knee-heel-raise",
    "elevated-single-leg-glute-bridge",
    "hip-flexor-stretch",
)
OTHERS = tuple(key for key in SIX if key != SQUAT)
CALM_PAIN = 1
FLARE_PAIN = 8
CLINICIAN = "dr-lee"


def pains_on(day: dt.date) -> dict[str, int]:
    """Pain during each exercise of the day's session: the flare's in the split squat."""
    flare = day == FLARE
    return {key: FLARE_PAIN if flare and key == SQUAT else CALM_PAIN for key in SIX}


def session_pain_on(day: dt.date) -> int:
    return max(pains_on(day).values())


def days() -> list[dt.date]:
    return [START + dt.timedelta(days=n) for n in range(7 * WEEKS)]


@dataclass(frozen=True, slots=True)
class Morning:
    """Every morning after the first: no pain, no swelling (so each session settles)."""

    pain: int = 0


def is_run_day(day: dt.date) -> bool:
    """The runner tries a stage run on Tuesdays, Thursdays and Saturdays when one is due."""
    return day.weekday() in (1, 3, 5)
