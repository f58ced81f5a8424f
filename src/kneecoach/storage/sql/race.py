"""The runner's race goal, in SQL: one row per runner."""

from __future__ import annotations

import sqlalchemy as sa

from kneecoach.domain.race import Call, ClinicianCall, RaceGoal, RaceRun
from kneecoach.storage.sql.base import RoleStore
from kneecoach.storage.tables import race_calls, race_goals, race_runs


class SqlRaceStore(RoleStore):
    def get(self) -> RaceGoal | None:
        with self._connections.reading() as c:
            row = c.execute(
                sa.select(race_goals).where(race_goals.c.user_id == self._user_id)
            ).first()
        if row is None:
            return None
        return RaceGoal(
            row.race_on, row.distance_m, row.set_on, row.start_km, row.target_seconds, row.set_by
        )

    def set(self, goal: RaceGoal) -> None:
        with self._connections.transaction() as c:
            c.execute(race_goals.delete().where(race_goals.c.user_id == self._user_id))
            c.execute(
                race_goals.insert().values(
                    user_id=self._user_id,
                    race_on=goal.race_on,
                    distance_m=goal.distance_m,
                    target_seconds=goal.target_seconds,
                    set_on=goal.set_on,
                    start_km=goal.start_km,
                    created_at=self._clock.now(),
                    set_by=goal.set_by,
                )
            )

    def clear(self) -> bool:
        with self._connections.transaction() as c:
            gone = c.execute(race_goals.delete().where(race_goals.c.user_id == self._user_id))
        return bool(gone.rowcount)

    def tell_run(self, run: RaceRun) -> None:
        with self._connections.transaction() as c:
            c.execute(
                race_runs.delete().where(
                    (race_runs.c.user_id == self._user_id) & (race_runs.c.day == run.day)
                )
            )
            c.execute(
                race_runs.insert().values(
                    user_id=self._user_id,
                    day=run.day,
                    pain_during=run.pain_during,
                    distance_km=run.distance_km,
                    created_at=self._clock.now(),
                )
            )

    def runs(self) -> list[RaceRun]:
        with self._connections.reading() as c:
            rows = c.execute(
                sa.select(race_runs)
                .where(race_runs.c.user_id == self._user_id)
                .order_by(race_runs.c.day)
            ).all()
        return [RaceRun(r.day, r.pain_during, r.distance_km) for r in rows]

    def call(self, made: ClinicianCall) -> None:
        with self._connections.transaction() as c:
            c.execute(
                race_calls.insert().values(
                    user_id=self._user_id,
                    kind=made.call.value,
                    day=made.day,
                    made_by=made.by,
                    created_at=self._clock.now(),
                )
            )

    def calls(self) -> list[ClinicianCall]:
        with self._connections.reading() as c:
            rows = c.execute(
                sa.select(race_calls)
                .where(race_calls.c.user_id == self._user_id)
                .order_by(race_calls.c.day, race_calls.c.id)
            ).all()
        return [ClinicianCall(Call(r.kind), r.day, r.made_by) for r in rows]
