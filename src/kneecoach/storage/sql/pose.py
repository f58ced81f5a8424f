"""Knee-alignment tests, in SQL: one a day per leg, a retake replacing that day's test."""

from __future__ import annotations

import sqlalchemy as sa

from kneecoach.domain.pose import FppaRecord, one_test_a_day
from kneecoach.storage.sql.base import RoleStore
from kneecoach.storage.tables import fppa_tests


class SqlAlignmentStore(RoleStore):
    def save(self, record: FppaRecord) -> FppaRecord | None:
        same = (
            (fppa_tests.c.user_id == self._user_id)
            & (fppa_tests.c.taken_on == record.taken_on)
            & (fppa_tests.c.side == record.side)
        )
        with self._connections.transaction() as c:
            earlier = c.execute(sa.select(fppa_tests.c.trials).where(same)).scalar()
            c.execute(fppa_tests.delete().where(same))
            c.execute(
                fppa_tests.insert().values(
                    user_id=self._user_id,
                    taken_on=record.taken_on,
                    side=record.side,
                    trials=list(record.trials),
                    created_at=self._clock.now(),
                )
            )
        if earlier is None:
            return None
        return FppaRecord(record.taken_on, record.side, tuple(float(v) for v in earlier))

    def results(self) -> list[FppaRecord]:
        with self._connections.reading() as c:
            rows = c.execute(
                sa.select(fppa_tests.c.taken_on, fppa_tests.c.side, fppa_tests.c.trials)
                .where(fppa_tests.c.user_id == self._user_id)
                .order_by(fppa_tests.c.taken_on, fppa_tests.c.side)
            ).all()
        return one_test_a_day(
            [FppaRecord(r.taken_on, r.side, tuple(float(v) for v in r.trials)) for r in rows]
        )
