"""A database left at an older revision with a runner's activities in it, written as that
revision's tables hold them: for the tests of what an upgrade does with data kept before."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from kneecoach.storage.database import create_engine, upgrade

DAY = dt.date(2026, 11, 23)


def activities_at(
    database_url: str, revision: str, rows: list[tuple[str, int, bytes | None]]
) -> None:
    """Upgrade the database to ``revision`` (at most 0030, whose activities keep their
    samples in the row) and keep user 1 ('local') with one ten-minute, 1.8 km activity per
    row — its sport, the hour of DAY it starts at (UTC) and its packed samples or None."""
    engine = create_engine(database_url)
    upgrade(engine, revision)
    with engine.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO users (id, name, role, created_at) "
                "VALUES (1, 'local', 'runner', CURRENT_TIMESTAMP)"
            )
        )
        for sport, hour, blob in rows:
            when = dt.datetime.combine(DAY, dt.time(hour), dt.UTC)
            c.execute(
                sa.text(
                    "INSERT INTO activities (user_id, sport, start, day, elapsed_s, moving_s, "
                    "distance_m, indoor, name, sources, laps, samples, created_at, origins, "
                    "span_start, span_end, long_span) VALUES (1, :sport, :start, :day, "
                    "600, 600, 1800, :no, '', '[]', '[]', :blob, CURRENT_TIMESTAMP, '[]', "
                    ":start, :end, :no)"
                ),
                {
                    "sport": sport,
                    "start": when,
                    "day": DAY.isoformat(),
                    "end": when + dt.timedelta(minutes=10),
                    "no": False,
                    "blob": blob,
                },
            )
    engine.dispose()
