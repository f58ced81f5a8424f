"""Small builders shared by the tests."""

from __future__ import annotations

import datetime as dt

from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.profile import Knee, Profile

MONDAY = dt.date(2026, 11, 23)
ALL_EQUIPMENT = frozenset(Equipment)


def profile(**changes: object) -> Profile:
    values: dict[str, object] = {
        "affected_knee": Knee.LEFT,
        "pain_at_rest": 1,
        "pain_running": 3,
        "equipment": frozenset(Equipment) - {Equipment.DUMBBELLS},
        "sessions_per_week": 3,
        "start_date": MONDAY,
    }
    values.update(changes)
    return Profile(**values)  # type: ignore[arg-type]
