"""Sessions (logged whole, or guided set by set) and check-ins, in SQL."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from kneecoach.domain.journal import Checkin, LoggedSession, LoggedSet, SessionPain, Side
from kneecoach.domain.pain import highest_pain
from kneecoach.domain.timeline import Adjustment
from kneecoach.services.ports import Conflict, SessionEnd, UnfinishedSession
from kneecoach.storage.sql.base import RoleStore
from kneecoach.storage.sql.connections import inserted_id
from kneecoach.storage.tables import checkins, session_sets, sessions

_SET_COLUMNS = (
    "session_id",
    "exercise",
    "variant",
    "side",
    "set_number",
    "reps",
    "hold_seconds",
    "load_kg",
)


def _set_row(session_id: int, s: LoggedSet) -> dict[str, Any]:
    return {
        "session_id": session_id,
        "exercise": s.exercise,
        "variant": s.variant,
        "side": s.side.value,
        "set_number": s.set_number,
        "reps": s.reps,
        "hold_seconds": s.hold_seconds,
        "load_kg": s.load_kg,
    }


def _pains(kept: Any) -> tuple[tuple[str, int], ...]:
    """Pain per exercise as a session row keeps it (an object of exercise: pain)."""
    return tuple((str(k), int(v)) for k, v in (kept or {}).items())


def _adjustments(kept: Any) -> tuple[tuple[str, Adjustment], ...]:
    """The changes taken in a session as its row keeps them (exercise: {reps, variant,
    range})."""
    return tuple(
        (str(k), Adjustment(v.get("reps"), v.get("variant"), v.get("range")))
        for k, v in (kept or {}).items()
    )


# The statements every set and check-in runs, built once (building one costs more than
# running it on SQLite); each call passes only its values.
_SETS_OF = (
    sa.select(
        session_sets.c.session_id,
        session_sets.c.exercise,
        session_sets.c.variant,
        session_sets.c.side,
        session_sets.c.set_number,
        session_sets.c.reps,
        session_sets.c.hold_seconds,
        session_sets.c.load_kg,
    )
    .where(session_sets.c.session_id.in_(sa.bindparam("ids", expanding=True)))
    .order_by(session_sets.c.id)
)
_SESSIONS_BETWEEN = (
    sa.select(sessions)
    .where(
        sessions.c.user_id == sa.bindparam("user"),
        sessions.c.status == "complete",
        sessions.c.performed_on.between(sa.bindparam("first"), sa.bindparam("last")),
    )
    .order_by(sessions.c.performed_on)
)
_PAINS_BETWEEN = (
    sa.select(sessions.c.performed_on, sessions.c.pain_during, sessions.c.exercise_pain)
    .where(
        sessions.c.user_id == sa.bindparam("user"),
        sessions.c.status == "complete",
        sessions.c.performed_on.between(sa.bindparam("first"), sa.bindparam("last")),
    )
    .order_by(sessions.c.performed_on)
)
_SESSION_OF_DAY = sa.select(sessions.c.id, sessions.c.status).where(
    sessions.c.user_id == sa.bindparam("user"), sessions.c.performed_on == sa.bindparam("day")
)
_OWN_UNFINISHED = sa.select(sessions.c.performed_on).where(
    sessions.c.id == sa.bindparam("session"),
    sessions.c.user_id == sa.bindparam("user"),
    sessions.c.status == "unfinished",
)
_CHECKINS_BETWEEN = (
    sa.select(checkins.c.date, checkins.c.pain_morning, checkins.c.swelling)
    .where(
        checkins.c.user_id == sa.bindparam("user"),
        checkins.c.date.between(sa.bindparam("first"), sa.bindparam("last")),
    )
    .order_by(checkins.c.date)
)
_CHECKIN_OF_DAY = sa.select(checkins.c.id, checkins.c.pain_morning, checkins.c.swelling).where(
    checkins.c.user_id == sa.bindparam("user"), checkins.c.date == sa.bindparam("day")
)
_SET_VALUES = ("variant", "reps", "hold_seconds", "load_kg")
_CHECKIN_VALUES = ("pain_morning", "swelling", "created_at")


@functools.cache
def _upserts(dialect: str) -> tuple[Any, Any, Any]:
    """Opening a day's session, keeping a set and keeping a check-in, in the dialect's
    INSERT … ON CONFLICT, built once per dialect."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    open_day = (
        insert(sessions)
        .values(
            user_id=sa.bindparam("user_id"),
            performed_on=sa.bindparam("performed_on"),
            pain_during=None,
            notes="",
            created_at=sa.bindparam("created_at"),
            status="unfinished",
        )
        .on_conflict_do_nothing(index_elements=["user_id", "performed_on"])
    )
    a_set = insert(session_sets).values({k: sa.bindparam(k) for k in _SET_COLUMNS})
    a_set = a_set.on_conflict_do_update(
        index_elements=["session_id", "exercise", "side", "set_number"],
        set_={k: a_set.excluded[k] for k in _SET_VALUES},
    )
    a_checkin = insert(checkins).values(
        {k: sa.bindparam(k) for k in ("user_id", "date", *_CHECKIN_VALUES)}
    )
    a_checkin = a_checkin.on_conflict_do_update(
        index_elements=["user_id", "date"],
        set_={k: a_checkin.excluded[k] for k in _CHECKIN_VALUES},
    )
    return open_day, a_set, a_checkin


_SIDES = {side.value: side for side in Side}


def _sets(c: Connection, ids: list[int]) -> dict[int, list[LoggedSet]]:
    found: dict[int, list[LoggedSet]] = {i: [] for i in ids}
    if not ids:
        return found
    # each row unpacked as a tuple: a long record holds thousands of sets, and a row's
    # attributes and the Side enum's lookup by value were most of the time reading them
    rows = c.execute(_SETS_OF, {"ids": ids}).all()
    for session_id, exercise, variant, side, set_number, reps, hold, load in rows:
        found[session_id].append(
            LoggedSet(exercise, variant, _SIDES[side], set_number, reps, hold, load)
        )
    return found


class SqlJournalStore(RoleStore):
    def add_session(self, session: LoggedSession, *, replace: bool) -> int:
        with self._connections.transaction() as c:
            self._clear_day(c, session.performed_on, replace)
            session_id = self._insert_day(
                c,
                session.performed_on,
                sessions.insert().values(
                    user_id=self._user_id,
                    performed_on=session.performed_on,
                    pain_during=session.pain_during,
                    effort=session.effort,
                    notes=session.notes,
                    created_at=self._clock.now(),
                    status="complete",
                    pain_after=session.pain_after,
                    exercise_pain=dict(session.exercise_pain) or None,
                ),
            )
            c.execute(session_sets.insert(), [_set_row(session_id, s) for s in session.sets])
            return session_id

    @staticmethod
    def _insert_day(c: Connection, day: dt.date, insert: sa.Insert) -> int:
        """Insert the day's session row: another request that kept one for the same day a
        moment ago (the unique day) makes it a Conflict, not a database error."""
        try:
            return inserted_id(c.execute(insert))
        except sa.exc.IntegrityError as error:
            if "unique" not in str(error.orig).lower():  # a CHECK: not a race, a bug
                raise
            raise Conflict(f"a session is already logged for {day.isoformat()}") from None

    def _clear_day(self, c: Connection, day: dt.date, replace: bool) -> None:
        row = c.execute(
            sa.select(sessions.c.id, sessions.c.status).where(
                sessions.c.user_id == self._user_id, sessions.c.performed_on == day
            )
        ).first()
        if row is None:
            return
        if not replace:
            what = (
                "an unfinished guided session is"
                if row.status != "complete"
                else "a session is already"
            )
            raise Conflict(f"{what} logged for {day.isoformat()}")
        c.execute(sessions.delete().where(sessions.c.id == row.id))

    def start_session(self, day: dt.date, *, replace: bool) -> int:
        with self._connections.transaction() as c:
            self._clear_day(c, day, replace)
            return self._insert_day(
                c,
                day,
                sessions.insert().values(
                    user_id=self._user_id,
                    performed_on=day,
                    pain_during=None,
                    notes="",
                    created_at=self._clock.now(),
                    status="unfinished",
                ),
            )

    def open_session(self, day: dt.date) -> int:
        with self._connections.transaction() as c:
            c.execute(
                _upserts(c.dialect.name)[0],
                {"user_id": self._user_id, "performed_on": day, "created_at": self._clock.now()},
            )
            row = c.execute(_SESSION_OF_DAY, {"user": self._user_id, "day": day}).one()
        if row.status == "complete":
            raise Conflict(f"a session is already logged for {day.isoformat()}")
        return int(row.id)

    def unfinished_session(self) -> UnfinishedSession | None:
        with self._connections.reading() as c:
            row = c.execute(
                sa.select(
                    sessions.c.id,
                    sessions.c.performed_on,
                    sessions.c.exercise_pain,
                    sessions.c.adjustments,
                )
                .where(sessions.c.user_id == self._user_id, sessions.c.status == "unfinished")
                .order_by(sessions.c.performed_on.desc())
                .limit(1)
            ).first()
            if row is None:
                return None
            sets = _sets(c, [row.id])[row.id]
        return UnfinishedSession(
            row.id,
            row.performed_on,
            tuple(sets),
            _pains(row.exercise_pain),
            _adjustments(row.adjustments),
        )

    def save_set(self, session_id: int, done: LoggedSet) -> None:
        with self._connections.transaction() as c:
            self._own_unfinished(c, session_id)
            c.execute(_upserts(c.dialect.name)[1], _set_row(session_id, done))

    def save_exercise_pain(self, session_id: int, exercise: str, pain: int) -> None:
        self._keep_for_exercise(
            session_id, sessions.c.exercise_pain, exercise, pain, keep=highest_pain
        )

    def save_adjustment(self, session_id: int, exercise: str, adjustment: Adjustment) -> None:
        change = {"reps": adjustment.reps, "variant": adjustment.variant, "range": adjustment.range}
        self._keep_for_exercise(session_id, sessions.c.adjustments, exercise, change)

    def _keep_for_exercise(
        self,
        session_id: int,
        column: sa.Column[Any],
        exercise: str,
        value: Any,
        keep: Callable[[Any, Any], Any] = lambda _before, now: now,
    ) -> None:
        """Set one exercise's entry in a JSON column of the runner's unfinished session:
        ``keep`` chooses between the entry there before (if any) and the new one."""
        with self._connections.transaction() as c:
            self._own_unfinished(c, session_id)
            kept = dict(
                c.execute(sa.select(column).where(sessions.c.id == session_id)).scalar_one() or {}
            )
            kept[exercise] = value if exercise not in kept else keep(kept[exercise], value)
            c.execute(
                sessions.update().where(sessions.c.id == session_id).values({column.name: kept})
            )

    def finish_session(self, session_id: int, end: SessionEnd) -> LoggedSession:
        with self._connections.transaction() as c:
            day = self._own_unfinished(c, session_id)
            sets = _sets(c, [session_id])[session_id]
            kept, changes = c.execute(
                sa.select(sessions.c.exercise_pain, sessions.c.adjustments).where(
                    sessions.c.id == session_id
                )
            ).one()
            session = LoggedSession(
                day,
                end.pain_during,
                tuple(sets),
                end.effort,
                end.notes,
                session_id,
                exercise_pain=_pains(kept),
                eased=tuple(changes or {}),
            )
            c.execute(
                sessions.update()
                .where(sessions.c.id == session_id)
                .values(
                    pain_during=end.pain_during,
                    effort=end.effort,
                    notes=end.notes,
                    status="complete",
                )
            )
        return session

    def _own_unfinished(self, c: Connection, session_id: int) -> dt.date:
        row = c.execute(_OWN_UNFINISHED, {"session": session_id, "user": self._user_id}).first()
        if row is None:
            raise Conflict(f"there is no unfinished session {session_id} of yours")
        day: dt.date = row.performed_on
        return day

    def sessions(self, first: dt.date, last: dt.date) -> list[LoggedSession]:
        with self._connections.reading() as c:
            rows = c.execute(
                _SESSIONS_BETWEEN, {"user": self._user_id, "first": first, "last": last}
            ).all()
            sets = _sets(c, [r.id for r in rows])
        return [
            LoggedSession(
                performed_on=r.performed_on,
                pain_during=r.pain_during,
                effort=r.effort,
                notes=r.notes,
                sets=tuple(sets[r.id]),
                id=r.id,
                pain_after=r.pain_after,
                exercise_pain=_pains(r.exercise_pain),
                eased=tuple(r.adjustments or {}),
            )
            for r in rows
        ]

    def session_pains(self, first: dt.date, last: dt.date) -> list[SessionPain]:
        with self._connections.reading() as c:
            rows = c.execute(
                _PAINS_BETWEEN, {"user": self._user_id, "first": first, "last": last}
            ).all()
        return [SessionPain(day, during, _pains(kept)) for day, during, kept in rows]

    def save_checkin(self, checkin: Checkin) -> Checkin | None:
        with self._connections.transaction() as c:
            row = c.execute(_CHECKIN_OF_DAY, {"user": self._user_id, "day": checkin.date}).first()
            c.execute(
                _upserts(c.dialect.name)[2],
                {
                    "user_id": self._user_id,
                    "date": checkin.date,
                    "pain_morning": checkin.pain_morning,
                    "swelling": checkin.swelling,
                    "created_at": self._clock.now(),
                },
            )
            return None if row is None else Checkin(checkin.date, row.pain_morning, row.swelling)

    def checkins(self, first: dt.date, last: dt.date) -> list[Checkin]:
        with self._connections.reading() as c:
            rows = c.execute(
                _CHECKINS_BETWEEN, {"user": self._user_id, "first": first, "last": last}
            ).all()
        return [Checkin(r.date, r.pain_morning, r.swelling) for r in rows]
