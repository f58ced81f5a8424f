"""Each exercise's level for the runner, and the decisions that moved it, in SQL."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from kneecoach.domain.evidence import source_by_key
from kneecoach.domain.progression import Action, Decision, Level
from kneecoach.services.ports import StoredDecision, StoredLevel
from kneecoach.storage.sql.base import RoleStore
from kneecoach.storage.tables import decisions, levels


def _level(data: dict[str, Any]) -> Level:
    return Level(
        data["variant"],
        data["sets"],
        data.get("reps"),
        data.get("hold_seconds"),
        float(data.get("load_kg") or 0.0),
        data.get("range"),
    )


def _stored_decision(row: Any) -> StoredDecision:
    return StoredDecision(
        id=row.id,
        decision=Decision(
            exercise=row.exercise,
            action=Action(row.action),
            before=_level(row.before),
            after=_level(row.after),
            why=row.why,
            sources=tuple(source_by_key(k) for k in row.sources),
            decided_on=row.decided_on,
            based_on=row.based_on,
        ),
        undone=row.undone,
    )


# read on every request that plans or writes a runner's day: built once
_LEVELS = sa.select(levels).where(levels.c.user_id == sa.bindparam("user"))
_DECISIONS = (
    sa.select(decisions).where(decisions.c.user_id == sa.bindparam("user")).order_by(decisions.c.id)
)


class SqlPlanStore(RoleStore):
    def levels(self) -> dict[str, StoredLevel]:
        with self._connections.reading() as c:
            rows = c.execute(_LEVELS, {"user": self._user_id}).all()
        return {
            r.exercise: StoredLevel(
                Level(r.variant, r.sets, r.reps, r.hold_seconds, r.load_kg, r.range_of_motion),
                r.pinned,
            )
            for r in rows
        }

    def _pinned(self, c: Connection, exercise: str) -> bool:
        return bool(
            c.execute(
                sa.select(levels.c.pinned).where(
                    levels.c.user_id == self._user_id, levels.c.exercise == exercise
                )
            ).scalar()
        )

    def _put_level(self, c: Connection, exercise: str, level: Level, pinned: bool) -> None:
        mine = (levels.c.user_id == self._user_id) & (levels.c.exercise == exercise)
        c.execute(levels.delete().where(mine))
        c.execute(
            levels.insert().values(
                user_id=self._user_id,
                exercise=exercise,
                variant=level.variant,
                sets=level.sets,
                reps=level.reps,
                hold_seconds=level.hold_seconds,
                load_kg=level.load_kg,
                range_of_motion=level.range,
                pinned=pinned,
                updated_at=self._clock.now(),
            )
        )

    def record_decisions(self, made: list[Decision]) -> None:
        with self._connections.transaction() as c:
            for d in made:
                c.execute(
                    decisions.insert().values(
                        user_id=self._user_id,
                        exercise=d.exercise,
                        decided_on=d.decided_on,
                        based_on=d.based_on,
                        action=d.action.value,
                        why=d.why,
                        sources=[src.key for src in d.sources],
                        before=d.before.as_dict(),
                        after=d.after.as_dict(),
                        undone=False,
                        created_at=self._clock.now(),
                    )
                )
                self._put_level(c, d.exercise, d.after, self._pinned(c, d.exercise))

    def decisions(self) -> list[StoredDecision]:
        with self._connections.reading() as c:
            rows = c.execute(_DECISIONS, {"user": self._user_id}).all()
        return [_stored_decision(r) for r in rows]

    def undo_decision(self, decision_id: int) -> StoredDecision | None:
        with self._connections.transaction() as c:
            row = c.execute(
                sa.select(decisions).where(
                    decisions.c.user_id == self._user_id,
                    decisions.c.id == decision_id,
                    decisions.c.undone == sa.false(),
                )
            ).first()
            if row is None:
                return None
            c.execute(decisions.update().where(decisions.c.id == row.id).values(undone=True))
            stored = _stored_decision(row)
            self._put_level(c, row.exercise, stored.decision.before, self._pinned(c, row.exercise))
        return StoredDecision(stored.id, stored.decision, undone=True)

    def set_level(self, exercise: str, stored: StoredLevel) -> None:
        with self._connections.transaction() as c:
            self._put_level(c, exercise, stored.level, stored.pinned)
