"""Imported activities, one per activity however many files (domain.merging), with their
samples packed, in SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kneecoach.domain.activity import Activity, Sport
from kneecoach.domain.merging import SAME_START_S, Origin, Outcome, Revision
from kneecoach.services.ports import ImportedFile, StoredActivity
from kneecoach.storage.origins_codec import origin_in, origin_out
from kneecoach.storage.sql.base import RoleStore
from kneecoach.storage.tables import activities, users


def _stored_activity(row: Any, blob: bytes | None) -> StoredActivity:
    from kneecoach.domain.activity import Activity, Lap, Samples, Sport
    from kneecoach.domain.merging import richest
    from kneecoach.storage.samples_codec import unpack

    start = row.start if row.start.tzinfo else row.start.replace(tzinfo=dt.UTC)
    origins = tuple(origin_in(o) for o in row.origins)
    shown = richest(origins) if origins else None
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
            format=shown.format if shown else "",
            device_distance=shown.device_distance if shown else False,
            step_rate=row.step_rate,
        ),
        sources=tuple(row.sources),
        effort=row.effort,
        origins=origins,
    )


LONG_SPAN_S = 86400.0
"""Activities spanning longer than this are looked up apart, so the search by start time
can stay a narrow range of the index."""


def _span(origins: tuple[Origin, ...]) -> dict[str, Any]:
    begin = min(o.start for o in origins)
    end = max(o.end for o in origins)
    return {
        "span_start": begin,
        "span_end": end,
        "long_span": (end - begin).total_seconds() > LONG_SPAN_S,
    }


def _figures(activity: Activity) -> dict[str, Any]:
    from kneecoach.storage.samples_codec import pack

    return {
        "start": activity.start,
        "day": activity.start.date(),
        "elapsed_s": activity.elapsed_s,
        "moving_s": activity.moving_s,
        "distance_m": activity.distance_m,
        "ascent_m": activity.ascent_m,
        "avg_hr": activity.avg_hr,
        "max_hr": activity.max_hr,
        "avg_cadence": activity.avg_cadence,
        "step_rate": activity.step_rate,
        "indoor": activity.indoor,
        "laps": [[lap.start.isoformat(), lap.elapsed_s, lap.distance_m] for lap in activity.laps],
        "samples": pack(activity.samples) if len(activity.samples) else None,
    }


FIGURES = (
    "start",
    "day",
    "elapsed_s",
    "moving_s",
    "distance_m",
    "ascent_m",
    "avg_hr",
    "max_hr",
    "avg_cadence",
    "step_rate",
    "indoor",
    "laps",
    "samples",
)


_MINE = activities.c.user_id == sa.bindparam("b_user")
_NEAR = sa.select(activities.c.id, activities.c.origins).where(
    _MINE,
    sa.or_(
        activities.c.span_start.between(sa.bindparam("b_from"), sa.bindparam("b_high")),
        (activities.c.long_span == sa.true()) & (activities.c.span_start <= sa.bindparam("b_high")),
    ),
    activities.c.span_end >= sa.bindparam("b_low"),
)
_INSERT = activities.insert()
_UPDATE = activities.update().where(_MINE, activities.c.id == sa.bindparam("b_id"))
_FIGURES_OF = sa.select(*(activities.c[n] for n in FIGURES)).where(
    _MINE, activities.c.id == sa.bindparam("b_id")
)
_EFFORTS = (
    sa.select(activities.c.id, activities.c.effort, activities.c.origins)
    .where(_MINE, activities.c.id.in_(sa.bindparam("b_ids", expanding=True)))
    .order_by(activities.c.id)
)
_DELETE = activities.delete().where(
    _MINE, activities.c.id.in_(sa.bindparam("b_ids", expanding=True))
)
_LOCK = sa.select(users.c.id).where(users.c.id == sa.bindparam("b_user")).with_for_update()
"""Statements built once: an import runs them thousands of times."""


class SqlActivityStore(RoleStore):
    def add(self, found: ImportedFile) -> tuple[Outcome, ...]:
        from kneecoach.domain.merging import Outcome, merge

        outcomes: list[Outcome] = []
        me = {"b_user": self._user_id}
        with self._connections.transaction() as c:
            if c.dialect.name == "postgresql":  # one import at a time per runner (SQLite
                c.execute(_LOCK, me)  # writes one transaction at a time anyway)
            for activity in found.activities:
                new = Origin.of(activity, found.source)
                plan = merge(new, self._near(c, new))
                outcomes.append(plan.outcome)
                if plan.outcome is Outcome.ALREADY_KEPT:
                    continue
                kept = {
                    "sport": plan.sport.value,
                    "name": plan.title[:200],
                    "sources": list(dict.fromkeys(o.name for o in plan.origins)),
                    "origins": [origin_out(o) for o in plan.origins],
                    **_span(plan.origins),
                }
                if plan.keep is None:
                    row = {"user_id": self._user_id, "created_at": self._clock.now()}
                    c.execute(_INSERT, row | _figures(activity) | kept)
                    continue
                if plan.richest == new:
                    kept |= _figures(activity)
                if plan.drop:
                    joined = c.execute(_EFFORTS, me | {"b_ids": [plan.keep, *plan.drop]}).all()
                    kept["effort"] = next((r.effort for r in joined if r.effort is not None), None)
                    owner = next(
                        (
                            r.id
                            for r in joined
                            if r.id != plan.keep
                            and plan.richest in (origin_in(o) for o in r.origins)
                        ),
                        None,
                    )
                    if owner is not None:  # the richest file came with a joined activity
                        figures = c.execute(_FIGURES_OF, me | {"b_id": owner}).one()
                        kept |= dict(figures._mapping)
                    c.execute(_DELETE, me | {"b_ids": list(plan.drop)})
                c.execute(_UPDATE, me | {"b_id": plan.keep} | kept)
        return tuple(outcomes)

    def _near(self, c: Connection, new: Origin) -> list[tuple[int, tuple[Origin, ...]]]:
        """The kept activities that could be the same as ``new``: those spanning a time
        near it (a narrow range of the start-time index, and the few long ones)."""
        slack = dt.timedelta(seconds=SAME_START_S)
        low, high = new.start - slack, new.end + slack
        rows = c.execute(
            _NEAR,
            {
                "b_user": self._user_id,
                "b_from": low - dt.timedelta(seconds=LONG_SPAN_S),
                "b_high": high,
                "b_low": low,
            },
        ).all()
        return [(r.id, tuple(origin_in(o) for o in r.origins)) for r in sorted(rows)]

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

    def _holding(self, c: Connection, source: str) -> Any:
        """The runner's activity that lists ``source`` among its sources (the JSON list's
        text holds it quoted, so 'strava/12' never matches 'strava/123')."""
        quoted = '%"' + source.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + '"%'
        rows = c.execute(
            sa.select(activities.c.id, activities.c.origins, activities.c.sources).where(
                activities.c.user_id == self._user_id,
                sa.cast(activities.c.sources, sa.Text).like(quoted, escape="\\"),
            )
        ).all()
        return next((r for r in rows if source in r.sources), None)

    def has_source(self, source: str) -> bool:
        with self._connections.reading() as c:
            return self._holding(c, source) is not None

    def drop_source(self, source: str) -> Revision | None:
        from kneecoach.domain.merging import without

        with self._connections.transaction() as c:
            row = self._holding(c, source)
            if row is None:
                return None
            revision = without(tuple(origin_in(o) for o in row.origins), source)
            if revision is None:
                return None
            self._revise(c, row.id, revision)
            return revision

    def revise_source(
        self, source: str, *, title: str | None = None, sport: Sport | None = None
    ) -> Revision | None:
        from kneecoach.domain.merging import edited

        with self._connections.transaction() as c:
            row = self._holding(c, source)
            if row is None:
                return None
            revision = edited(
                tuple(origin_in(o) for o in row.origins), source, title=title, sport=sport
            )
            if revision is None:
                return None
            self._revise(c, row.id, revision)
            return revision

    def _revise(self, c: Connection, activity_id: int, revision: Revision) -> None:
        me = {"b_user": self._user_id}
        if revision.gone:
            c.execute(_DELETE, me | {"b_ids": [activity_id]})
            return
        kept = {
            "sport": revision.sport.value,
            "name": revision.title[:200],
            "sources": list(dict.fromkeys(o.name for o in revision.origins)),
            "origins": [origin_out(o) for o in revision.origins],
            **_span(revision.origins),
        }
        c.execute(_UPDATE, me | {"b_id": activity_id} | kept)
