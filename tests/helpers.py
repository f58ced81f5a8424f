"""Small builders shared by the tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

import sqlalchemy as sa

from kneecoach.domain.activity import Activity, Sport
from kneecoach.domain.catalogue import Equipment
from kneecoach.domain.profile import Knee, Profile
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import FixedClock, Storage

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


def activity(
    start: dt.datetime, km: float = 5.0, minutes: float = 30.0, **changes: Any
) -> Activity:
    """A run as a file gives one: ``km`` from ``start`` over ``minutes`` (moving all the
    while), no heart rate, cadence or samples; ``changes`` set any other field."""
    made = Activity(
        sport=Sport.RUN,
        start=start,
        elapsed_s=minutes * 60.0,
        moving_s=minutes * 60.0,
        distance_m=km * 1000,
        ascent_m=None,
        avg_hr=None,
        max_hr=None,
        avg_cadence=None,
    )
    return replace(made, **changes)


def runner_on(storage: Storage, day: dt.date = MONDAY, name: str = "local") -> RunnerContext:
    """A runner's record on ``storage`` with the clock fixed on ``day``."""
    user = storage.user_id(name)
    return RunnerContext(storage.for_runner(user), FixedClock(day), user)


class Calendar:
    """A seeded app's one clock, moved by the test to each day a record is made on (and left
    on the tests' today before the app is used)."""

    def __init__(self, day: dt.date) -> None:
        self.day = day

    def today(self) -> dt.date:
        return self.day

    def now(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time(12, 0), tzinfo=dt.UTC)


@contextmanager
def counting() -> Iterator[list[str]]:
    """The SQL statements sent by any engine while inside (a test's app has the only one)."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        # (connection, cursor, statement, parameters, context, executemany)
        seen.append(args[2])

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
