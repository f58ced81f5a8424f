"""Imported activities, deduplicated by fingerprint, with their samples packed, in SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa

from kneecoach.services.ports import ImportedFile, StoredActivity
from kneecoach.storage.sql.base import RoleStore
from kneecoach.storage.tables import activities


def _stored_activity(row: Any, blob: bytes | None) -> StoredActivity:
    from kneecoach.domain.activity import Activity, Lap, Samples, Sport
    from kneecoach.storage.samples_codec import unpack

    start = row.start if row.start.tzinfo else row.start.replace(tzinfo=dt.UTC)
    return StoredActivity(
        id=row.id,
        activity=Activity(
            sport=Sport(row.sport),
            start=start.astimezone(dt.UTC),
            elapsed_s=row.elapsed_s,
            moving_s=row.moving_s,
            distance_m=row.distance_m,
            ascent_m=row.ascent_m,
            avg_hr=row.avg_hr,
            max_hr=row.max_hr,
            avg_cadence=row.avg_cadence,
            samples=unpack(blob) if blob else Samples.empty(),
            laps=tuple(
                Lap(dt.datetime.fromisoformat(when), elapsed, distance)
                for when, elapsed, distance in row.laps
            ),
            name=row.name,
            indoor=row.indoor,
        ),
        sources=tuple(row.sources),
        effort=row.effort,
    )


class SqlActivityStore(RoleStore):
    def add(self, found: ImportedFile) -> tuple[int, int]:
        from kneecoach.storage.samples_codec import pack

        added = skipped = 0
        source = found.source
        with self._connections.transaction() as c:
            for activity in found.activities:
                row = c.execute(
                    sa.select(activities.c.id, activities.c.sources).where(
                        activities.c.user_id == self._user_id,
                        activities.c.fingerprint == activity.fingerprint,
                    )
                ).first()
                if row is not None:
                    if source not in row.sources:
                        c.execute(
                            activities.update()
                            .where(activities.c.id == row.id)
                            .values(sources=[*row.sources, source])
                        )
                    skipped += 1
                    continue
                c.execute(
                    activities.insert().values(
                        user_id=self._user_id,
                        fingerprint=activity.fingerprint,
                        sport=activity.sport.value,
                        start=activity.start,
                        day=activity.start.date(),
                        elapsed_s=activity.elapsed_s,
                        moving_s=activity.moving_s,
                        distance_m=activity.distance_m,
                        ascent_m=activity.ascent_m,
                        avg_hr=activity.avg_hr,
                        max_hr=activity.max_hr,
                        avg_cadence=activity.avg_cadence,
                        indoor=activity.indoor,
                        name=activity.name[:200],
                        sources=[source],
                        laps=[
                            [lap.start.isoformat(), lap.elapsed_s, lap.distance_m]
                            for lap in activity.laps
                        ],
                        samples=pack(activity.samples) if len(activity.samples) else None,
                        created_at=self._clock.now(),
                    )
                )
                added += 1
        return added, skipped

    def all(self) -> list[StoredActivity]:
        columns = [c for c in activities.c if c.name != "samples"]
        with self._connections.reading() as c:
            rows = c.execute(
                sa.select(*columns)
                .where(activities.c.user_id == self._user_id)
                .order_by(activities.c.start, activities.c.id)
            ).all()
        return [_stored_activity(r, None) for r in rows]

    def get(self, activity_id: int) -> StoredActivity | None:
        with self._connections.reading() as c:
            row = c.execute(
                sa.select(activities).where(
                    activities.c.user_id == self._user_id, activities.c.id == activity_id
                )
            ).first()
        return None if row is None else _stored_activity(row, row.samples)

    def set_effort(self, activity_id: int, effort: int) -> bool:
        with self._connections.transaction() as c:
            done = c.execute(
                activities.update()
                .where(activities.c.user_id == self._user_id, activities.c.id == activity_id)
                .values(effort=effort)
            )
            return bool(done.rowcount)
