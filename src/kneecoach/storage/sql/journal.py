"""Sessions (logged whole, or guided set by set) and check-ins, in SQL."""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kneecoach.domain.journal import Checkin, LoggedSession, LoggedSet, Side
from kneecoach.domain.timeline import Adjustment
from kneecoach.services.ports import Conflict, SessionEnd, UnfinishedSession
from kneecoach.storage.sql.base import RoleStore
from kneecoach.storage.sql.connections import inserted_id, upsert
from kneecoach.storage.tables import checkins, session_sets, sessions


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


def _sets(c: Connection, ids: list[int]) -> dict[int, list[LoggedSet]]:
    found: dict[int, list[LoggedSet]] = {i: [] for i in ids}
    if not ids:
        return found
    for s in c.execute(
        sa.select(session_sets)
        .where(session_sets.c.session_id.in_(ids))
        .order_by(session_sets.c.id)
    ):
        found[s.session_id].append(
            LoggedSet(
                exercise=s.exercise,
                variant=s.variant,
                side=Side(s.side),
                set_number=s.set_number,
                reps=s.reps,
                hold_seconds=s.hold_seconds,
                load_kg=s.load_kg,
            )
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
        mine = (sessions.c.user_id == self._user_id) & (sessions.c.performed_on == day)
        with self._connections.transaction() as c:
            c.execute(
                upsert(c, sessions)
                .values(
                    user_id=self._user_id,
                    performed_on=day,
                    pain_during=None,
                    notes="",
                    created_at=self._clock.now(),
                    status="unfinished",
                )
                .on_conflict_do_nothing(index_elements=["user_id", "performed_on"])
            )
            row = c.execute(sa.select(sessions.c.id, sessions.c.status).where(mine)).one()
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
            row = _set_row(session_id, done)
            statement = upsert(c, session_sets).values(row)
            c.execute(
                statement.on_conflict_do_update(
                    index_elements=["session_id", "exercise", "side", "set_number"],
                    set_={
                        k: statement.excluded[k]
                        for k in ("variant", "reps", "hold_seconds", "load_kg")
                    },
                )
            )

    def save_exercise_pain(self, session_id: int, exercise: str, pain: int) -> None:
        with self._connections.transaction() as c:
            self._own_unfinished(c, session_id)
            kept = c.execute(
                sa.select(sessions.c.exercise_pain).where(sessions.c.id == session_id)
            ).scalar_one()
            c.execute(
                sessions.update()
                .where(sessions.c.id == session_id)
                .values(exercise_pain={**(kept or {}), exercise: pain})
            )

    def save_adjustment(self, session_id: int, exercise: str, adjustment: Adjustment) -> None:
        change = {"reps": adjustment.reps, "variant": adjustment.variant, "range": adjustment.range}
        with self._connections.transaction() as c:
            self._own_unfinished(c, session_id)
            kept = c.execute(
                sa.select(sessions.c.adjustments).where(sessions.c.id == session_id)
            ).scalar_one()
            c.execute(
                sessions.update()
                .where(sessions.c.id == session_id)
                .values(adjustments={**(kept or {}), exercise: change})
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
        row = c.execute(
            sa.select(sessions.c.performed_on).where(
                sessions.c.id == session_id,
                sessions.c.user_id == self._user_id,
                sessions.c.status == "unfinished",
            )
        ).first()
        if row is None:
            raise Conflict(f"there is no unfinished session {session_id} of yours")
        day: dt.date = row.performed_on
        return day

    def sessions(self, first: dt.date, last: dt.date) -> list[LoggedSession]:
        with self._connections.reading() as c:
            rows = c.execute(
                sa.select(sessions)
                .where(
                    sessions.c.user_id == self._user_id,
                    sessions.c.status == "complete",
                    sessions.c.performed_on.between(first, last),
                )
                .order_by(sessions.c.performed_on)
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

    def save_checkin(self, checkin: Checkin) -> Checkin | None:
        with self._connections.transaction() as c:
            row = c.execute(
                sa.select(checkins.c.id, checkins.c.pain_morning, checkins.c.swelling).where(
                    checkins.c.user_id == self._user_id, checkins.c.date == checkin.date
                )
            ).first()
            values = {
                "pain_morning": checkin.pain_morning,
                "swelling": checkin.swelling,
                "created_at": self._clock.now(),
            }
            c.execute(
                upsert(c, checkins)
                .values(user_id=self._user_id, date=checkin.date, **values)
                .on_conflict_do_update(index_elements=["user_id", "date"], set_=values)
            )
            return None if row is None else Checkin(checkin.date, row.pain_morning, row.swelling)

    def checkins(self, first: dt.date, last: dt.date) -> list[Checkin]:
        with self._connections.reading() as c:
            rows = c.execute(
                sa.select(checkins.c.date, checkins.c.pain_morning, checkins.c.swelling)
                .where(checkins.c.user_id == self._user_id, checkins.c.date.between(first, last))
                .order_by(checkins.c.date)
            ).all()
        return [Checkin(r.date, r.pain_morning, r.swelling) for r in rows]
