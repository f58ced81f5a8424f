"""Kujala AKPS results, in SQL."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from kneecoach.domain.outcomes import AkpsResult
from kneecoach.storage.sql.base import RoleStore
from kneecoach.storage.tables import akps_results


class SqlOutcomeStore(RoleStore):
    def add_akps(self, result: AkpsResult) -> None:
        with self._connections.transaction() as c:
            c.execute(
                akps_results.insert().values(
                    user_id=self._user_id,
                    taken_on=result.taken_on,
                    answers=list(result.answers),
                    score=result.score,
                    created_at=self._clock.now(),
                )
            )

    def akps_results(self) -> list[AkpsResult]:
        with self._connections.reading() as c:
            rows = c.execute(
                sa.select(akps_results.c.taken_on, akps_results.c.answers)
                .where(akps_results.c.user_id == self._user_id)
                .order_by(akps_results.c.taken_on, akps_results.c.id)
            ).all()
        return [AkpsResult(r.taken_on, tuple(r.answers)) for r in rows]

    def last_akps_on(self) -> dt.date | None:
        with self._connections.reading() as c:
            day: dt.date | None = c.execute(
                sa.select(sa.func.max(akps_results.c.taken_on)).where(
                    akps_results.c.user_id == self._user_id
                )
            ).scalar()
        return day
