"""Kujala AKPS results, in SQL: one a day, a retake replacing that day's result."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from kneecoach.domain.outcomes import AkpsResult, one_a_day
from kneecoach.storage.sql.base import RoleStore
from kneecoach.storage.tables import akps_results


class SqlOutcomeStore(RoleStore):
    def save_akps(self, result: AkpsResult) -> AkpsResult | None:
        mine_that_day = (akps_results.c.user_id == self._user_id) & (
            akps_results.c.taken_on == result.taken_on
        )
        with self._connections.transaction() as c:
            earlier = c.execute(
                sa.select(akps_results.c.answers)
                .where(mine_that_day)
                .order_by(akps_results.c.created_at.desc(), akps_results.c.id.desc())
                .limit(1)
            ).first()
            c.execute(akps_results.delete().where(mine_that_day))
            c.execute(
                akps_results.insert().values(
                    user_id=self._user_id,
                    taken_on=result.taken_on,
                    answers=list(result.answers),
                    score=result.score,
                    created_at=self._clock.now(),
                )
            )
        return None if earlier is None else AkpsResult(result.taken_on, tuple(earlier.answers))

    def akps_results(self) -> list[AkpsResult]:
        """One a day even where a day holds two rows (two retakes at the same moment, or a
        restored backup's): the one kept last stands."""
        with self._connections.reading() as c:
            rows = c.execute(
                sa.select(akps_results.c.taken_on, akps_results.c.answers)
                .where(akps_results.c.user_id == self._user_id)
                .order_by(akps_results.c.taken_on, akps_results.c.created_at, akps_results.c.id)
            ).all()
        return one_a_day([AkpsResult(r.taken_on, tuple(r.answers)) for r in rows])

    def last_akps_on(self) -> dt.date | None:
        with self._connections.reading() as c:
            day: dt.date | None = c.execute(
                sa.select(sa.func.max(akps_results.c.taken_on)).where(
                    akps_results.c.user_id == self._user_id
                )
            ).scalar()
        return day
