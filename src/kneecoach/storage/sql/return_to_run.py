"""Return-to-running entry checks and stage runs, in SQL."""

from __future__ import annotations

import sqlalchemy as sa

from kneecoach.domain.return_to_run import EntryCheck, StageRun
from kneecoach.storage.sql.base import RoleStore
from kneecoach.storage.tables import rtr_checks, rtr_runs


class SqlReturnToRunStore(RoleStore):
    def add_entry_check(self, check: EntryCheck) -> None:
        with self._connections.transaction() as c:
            c.execute(
                rtr_checks.insert().values(
                    user_id=self._user_id,
                    taken_on=check.taken_on,
                    brisk_walk=check.brisk_walk_30_min,
                    squats=check.single_leg_squats,
                    hops=check.single_leg_hops,
                    test_pain=check.test_pain,
                    created_at=self._clock.now(),
                )
            )

    def latest_entry_check(self) -> EntryCheck | None:
        with self._connections.reading() as c:
            row = c.execute(
                sa.select(rtr_checks)
                .where(rtr_checks.c.user_id == self._user_id)
                .order_by(rtr_checks.c.id.desc())
                .limit(1)
            ).first()
        if row is None:
            return None
        return EntryCheck(row.taken_on, row.brisk_walk, row.squats, row.hops, row.test_pain)

    def log_stage_run(self, run: StageRun) -> None:
        mine = (rtr_runs.c.user_id == self._user_id) & (rtr_runs.c.day == run.day)
        with self._connections.transaction() as c:
            c.execute(rtr_runs.delete().where(mine))
            c.execute(
                rtr_runs.insert().values(
                    user_id=self._user_id,
                    day=run.day,
                    stage=run.stage,
                    created_at=self._clock.now(),
                )
            )

    def stage_runs(self) -> list[StageRun]:
        with self._connections.reading() as c:
            rows = c.execute(
                sa.select(rtr_runs.c.day, rtr_runs.c.stage)
                .where(rtr_runs.c.user_id == self._user_id)
                .order_by(rtr_runs.c.day)
            ).all()
        return [StageRun(r.day, r.stage) for r in rows]
