"""Notices about one runner, written to the outbox on the runner's own connection: a pause
and its notice to the clinician are kept together, or neither is."""

from __future__ import annotations

import sqlalchemy as sa

from kneecoach.services.ports import Mail
from kneecoach.storage.outbox import queue_on
from kneecoach.storage.sql.base import RoleStore
from kneecoach.storage.tables import care, users


class SqlNoticeStore(RoleStore):
    def care_team_emails(self) -> list[str]:
        with self._connections.reading() as c:
            found = c.execute(
                sa.select(users.c.email)
                .join(care, care.c.clinician_id == users.c.id)
                .where(care.c.runner_id == self._user_id, users.c.email.is_not(None))
                .order_by(users.c.id)
            ).scalars()
            return [str(address) for address in found]

    def runner_name(self) -> str:
        with self._connections.reading() as c:
            return str(
                c.execute(sa.select(users.c.name).where(users.c.id == self._user_id)).scalar_one()
            )

    def queue(self, mail: Mail) -> None:
        with self._connections.transaction() as c:
            queue_on(c, mail, self._clock.now())
