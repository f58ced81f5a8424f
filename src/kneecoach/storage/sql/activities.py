"""Imported activities, one per activity however many files (domain.merging), with their
samples packed, in SQL."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kneecoach.domain.activity import Activity, Sport
from kneecoach.domain.merging import SAME_START_S, Origin, Outcome, Revision
from kneecoach.services.ports import ImportedFile, StoredActivity
from kneecoach.storage.origins_codec import origin_in, origin_out
from kneecoach.storage.sql.base import RoleStore
from kneecoach.storage.sql.connections import inserted_id
from kneecoach.storage.tables import activities, activity_samples, users


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
    """The activity's figures as its row holds them (its samples apart: _packed)."""
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
    }


def _packed(activity: Activity) -> bytes | None:
    from kneecoach.storage.samples_codec import pack

    return pack(activity.samples) if len(activity.samples) else None


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
)


_MINE = activities.c.user_id == sa.bindparam("b_user")
_SPANS = (
    activities.c.id,
    activities.c.origins,
    activities.c.span_start,
    activities.c.span_end,
    activities.c.long_span,
    activities.c.sport,
    activities.c.name,
)
_STRETCH = sa.select(*_SPANS).where(
    _MINE,
    activities.c.span_start >= sa.bindparam("b_from"),
    activities.c.span_start < sa.bindparam("b_until"),
)
_LONG = sa.select(*_SPANS).where(_MINE, activities.c.long_span == sa.true())
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
_SAMPLES_IN = activity_samples.insert()
_SAMPLES_OUT = activity_samples.delete().where(
    activity_samples.c.activity_id == sa.bindparam("b_id")
)
_SAMPLES_GONE = activity_samples.delete().where(
    activity_samples.c.activity_id.in_(sa.bindparam("b_ids", expanding=True))
)
_SAMPLES_MOVED = (
    activity_samples.update()
    .where(activity_samples.c.activity_id == sa.bindparam("b_from"))
    .values(activity_id=sa.bindparam("b_to"))
)
_REVISION = sa.select(users.c.revision).where(users.c.id == sa.bindparam("b_user"))
_LOCK = _REVISION.with_for_update()
"""Statements built once: an import runs them thousands of times."""

STRETCH_DAYS = 32
"""The runner's activities are read for matching this many days at a time (see _Known)."""
_STRETCH_S = STRETCH_DAYS * 86400.0
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_SLACK = dt.timedelta(seconds=SAME_START_S)
_LONG_SPAN = dt.timedelta(seconds=LONG_SPAN_S)


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _stretch(moment: dt.datetime) -> int:
    return int((moment - _EPOCH).total_seconds() // _STRETCH_S)


def _day(moment: dt.datetime) -> int:
    return int((moment - _EPOCH).total_seconds() // 86400.0)


@dataclass(frozen=True, slots=True)
class _Span:
    start: dt.datetime
    end: dt.datetime
    long: bool
    origins: tuple[Origin, ...]
    sport: str
    name: str
    """The activity's sport and name as the database holds them."""


class _Known:
    """The runner's kept activities as matching needs them (time span and origins), read
    from the database a stretch of :data:`STRETCH_DAYS` at a time when first needed (the
    long ones at once) and kept up to date by the store's own writes, so keeping a file
    asks the database nothing but to write it.

    It stays true while nothing else writes the record: ``revision`` is the user's revision
    number (raised by the database on every change to their record, migration 0011) as
    the store's own writes leave it; a transaction that finds another number reads afresh.
    """

    def __init__(self, revision: int) -> None:
        self.revision = revision
        self.spans: dict[int, _Span] = {}
        self.days: dict[int, set[int]] = {}
        """The ids of the activities starting on each day (days since 1970, UTC): a
        file's candidates are those of the two or three days near it, not of a stretch."""
        self.read: set[int] = set()
        self.long: set[int] = set()
        self.long_read = False
        self.pending: dict[int, dict[str, Any]] = {}
        """Rows to update before the transaction commits (by id: the values to set), so
        the files of an import that only add themselves to an activity's origins are
        written together."""

    def put(self, activity_id: int, span: _Span) -> None:
        self.drop(activity_id)
        self.spans[activity_id] = span
        self.days.setdefault(_day(span.start), set()).add(activity_id)
        if span.long:
            self.long.add(activity_id)

    def drop(self, activity_id: int) -> None:
        old = self.spans.pop(activity_id, None)
        if old is not None:
            self.days.get(_day(old.start), set()).discard(activity_id)
            self.long.discard(activity_id)

    def _rows(self, rows: Any) -> None:
        for row in rows:
            origins = tuple(origin_in(o) for o in row.origins)
            span = _Span(
                _utc(row.span_start),
                _utc(row.span_end),
                bool(row.long_span),
                origins,
                row.sport,
                row.name,
            )
            self.put(row.id, span)

    def near(
        self, c: Connection, user_id: int, new: Origin
    ) -> list[tuple[int, tuple[Origin, ...]]]:
        """The kept activities that could be the same as ``new``: those spanning a time
        near it (as the database's start-time index would find them)."""
        low, high = new.start - _SLACK, new.end + _SLACK
        earliest = low - _LONG_SPAN
        first, last = _stretch(earliest), _stretch(high)
        missing = [n for n in range(first, last + 1) if n not in self.read]
        if missing:
            self._rows(
                c.execute(
                    _STRETCH,
                    {
                        "b_user": user_id,
                        "b_from": _EPOCH + dt.timedelta(seconds=missing[0] * _STRETCH_S),
                        "b_until": _EPOCH + dt.timedelta(seconds=(missing[-1] + 1) * _STRETCH_S),
                    },
                )
            )
            self.read.update(range(missing[0], missing[-1] + 1))
        if not self.long_read:
            self._rows(c.execute(_LONG, {"b_user": user_id}))
            self.long_read = True
        found: dict[int, tuple[Origin, ...]] = {}
        for day in range(_day(earliest), _day(high) + 1):
            for activity_id in self.days.get(day, ()):
                span = self.spans[activity_id]
                if span.end >= low and earliest <= span.start <= high:
                    found[activity_id] = span.origins
        for activity_id in self.long:
            span = self.spans[activity_id]
            if span.end >= low and span.start <= high:
                found[activity_id] = span.origins
        return sorted(found.items())


class SqlActivityStore(RoleStore):
    def _known(self, c: Connection) -> _Known:
        """What matching needs of the kept activities, checked once per transaction: read
        afresh when the record changed otherwise than by this store's writes (or a
        transaction of them did not commit)."""
        kept = self._connections.kept
        me = {"b_user": self._user_id}
        known: _Known | None = kept.get("activities")
        if known is not None and kept.get("activities_checked") == self._connections.generation:
            return known
        query = _LOCK if c.dialect.name == "postgresql" else _REVISION  # one import at a
        revision = c.execute(query, me).scalar_one()  # time per runner (SQLite: one writer)
        if known is None or known.revision != revision:
            known = _Known(revision)
            kept["activities"] = known
        kept["activities_checked"] = self._connections.generation
        return known

    def _write_pending(self, c: Connection) -> None:
        """Update the rows left pending, those setting the same columns in one go."""
        known: _Known | None = self._connections.kept.get("activities")
        if known is None or not known.pending:
            return
        alike: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        for activity_id, values in known.pending.items():
            row = {"b_user": self._user_id, "b_id": activity_id} | values
            alike.setdefault(tuple(sorted(values)), []).append(row)
        known.pending = {}
        for rows in alike.values():
            c.execute(_UPDATE, rows)
            # one row each (ids of this runner kept in this transaction)
            known.revision += len(rows)

    def add(self, found: ImportedFile) -> tuple[Outcome, ...]:
        from kneecoach.domain.merging import Outcome, merge

        outcomes: list[Outcome] = []
        me = {"b_user": self._user_id}
        with self._connections.transaction(settle=False) as c:
            known = self._known(c)
            for activity in found.activities:
                new = Origin.of(activity, found.source)
                plan = merge(new, known.near(c, self._user_id, new))
                outcomes.append(plan.outcome)
                if plan.outcome is Outcome.ALREADY_KEPT:
                    continue
                span = _span(plan.origins)
                kept: dict[str, Any] = {
                    "sources": list(dict.fromkeys(o.name for o in plan.origins)),
                    "origins": [origin_out(o) for o in plan.origins],
                }
                heading = {"sport": plan.sport.value, "name": plan.title[:200]}
                changed = _Span(
                    span["span_start"],
                    span["span_end"],
                    span["long_span"],
                    plan.origins,
                    heading["sport"],
                    heading["name"],
                )
                if plan.keep is None:
                    row = {"user_id": self._user_id, "created_at": self._clock.now()}
                    kept |= heading | span
                    done = c.execute(_INSERT, row | _figures(activity) | kept)
                    known.revision += done.rowcount
                    activity_id = inserted_id(done)
                    known.put(activity_id, changed)
                    packed = _packed(activity)
                    if packed is not None:
                        c.execute(_SAMPLES_IN, {"activity_id": activity_id, "samples": packed})
                    continue
                before = known.spans.get(plan.keep)
                if before is None or (before.start, before.end, before.long) != (
                    changed.start,
                    changed.end,
                    changed.long,
                ):
                    kept |= span
                if before is None or (before.sport, before.name) != (changed.sport, changed.name):
                    kept |= heading
                if plan.richest != new and not plan.drop:  # it only adds itself as a source
                    known.pending[plan.keep] = known.pending.get(plan.keep, {}) | kept
                    self._connections.pending("activities", self._write_pending)
                    known.put(plan.keep, changed)
                    continue
                kept = known.pending.pop(plan.keep, {}) | kept
                if plan.drop:  # what the joined activities hold is read: written first
                    self._write_pending(c)
                if plan.richest == new:  # its figures and samples replace those kept
                    kept |= _figures(activity)
                    c.execute(_SAMPLES_OUT, {"b_id": plan.keep})
                    packed = _packed(activity)
                    if packed is not None:
                        c.execute(_SAMPLES_IN, {"activity_id": plan.keep, "samples": packed})
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
                        c.execute(_SAMPLES_OUT, {"b_id": plan.keep})
                        c.execute(_SAMPLES_MOVED, {"b_from": owner, "b_to": plan.keep})
                    c.execute(_SAMPLES_GONE, {"b_ids": list(plan.drop)})
                    gone = c.execute(_DELETE, me | {"b_ids": list(plan.drop)})
                    known.revision += gone.rowcount
                    for dropped in plan.drop:
                        known.drop(dropped)
                    kept |= span
                done = c.execute(_UPDATE, me | {"b_id": plan.keep} | kept)
                known.revision += done.rowcount
                known.put(plan.keep, changed)
        return tuple(outcomes)

    def all(self) -> list[StoredActivity]:
        with self._connections.reading() as c:
            rows = c.execute(
                sa.select(activities)
                .where(activities.c.user_id == self._user_id)
                .order_by(activities.c.start, activities.c.id)
            ).all()
        return [_stored_activity(r, None) for r in rows]

    def get(self, activity_id: int) -> StoredActivity | None:
        with self._connections.reading() as c:
            row = c.execute(
                sa.select(activities, activity_samples.c.samples)
                .outerjoin(activity_samples, activity_samples.c.activity_id == activities.c.id)
                .where(activities.c.user_id == self._user_id, activities.c.id == activity_id)
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
        self._connections.kept.pop("activities", None)  # read afresh by the next import
        me = {"b_user": self._user_id}
        if revision.gone:
            c.execute(_SAMPLES_GONE, {"b_ids": [activity_id]})
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
