"""The store on SQLAlchemy Core (SQLite or PostgreSQL): one small store per role, each
scoped to one runner; every write is a transaction, and a use case may group several."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kneecoach.services.ports import Clock, Storage, SystemClock
from kneecoach.storage.sql.activities import SqlActivityStore
from kneecoach.storage.sql.audit import SqlAuditLog
from kneecoach.storage.sql.backup import SqlBackupStore
from kneecoach.storage.sql.connections import Connections, upsert
from kneecoach.storage.sql.journal import SqlJournalStore
from kneecoach.storage.sql.notices import SqlNoticeStore
from kneecoach.storage.sql.outcomes import SqlOutcomeStore
from kneecoach.storage.sql.plan import SqlPlanStore
from kneecoach.storage.sql.pose import SqlAlignmentStore
from kneecoach.storage.sql.profiles import SqlProfileStore
from kneecoach.storage.sql.race import SqlRaceStore
from kneecoach.storage.sql.return_to_run import SqlReturnToRunStore
from kneecoach.storage.tables import users


class SqlRunnerStore:
    """One runner's record, for one command or request."""

    def __init__(self, engine: Engine, user_id: int, clock: Clock) -> None:
        self._connections = Connections(engine)
        parts = (self._connections, user_id, clock)
        self.profile = SqlProfileStore(*parts)
        self.journal = SqlJournalStore(*parts)
        self.plan = SqlPlanStore(*parts)
        self.outcomes = SqlOutcomeStore(*parts)
        self.activities = SqlActivityStore(*parts)
        self.return_to_run = SqlReturnToRunStore(*parts)
        self.race = SqlRaceStore(*parts)
        self.alignment = SqlAlignmentStore(*parts)
        self.backup = SqlBackupStore(*parts)
        self.notices = SqlNoticeStore(*parts)
        self.audit = SqlAuditLog(self._connections)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._connections.transaction():
            yield


class SqlStorage:
    def __init__(self, engine: Engine, clock: Clock | None = None) -> None:
        self.engine = engine
        self.clock = clock or SystemClock()

    def user_id(self, name: str) -> int:
        with self.engine.begin() as c:
            found = c.execute(sa.select(users.c.id).where(users.c.name == name)).scalar()
            if found is None:
                c.execute(
                    upsert(c, users)
                    .values(name=name, role="runner", created_at=self.clock.now())
                    .on_conflict_do_nothing(index_elements=["name"])
                )
                found = c.execute(sa.select(users.c.id).where(users.c.name == name)).scalar_one()
            return int(found)

    def find_user(self, name: str) -> int | None:
        with self.engine.connect() as c:
            found = c.execute(sa.select(users.c.id).where(users.c.name == name)).scalar()
        return None if found is None else int(found)

    def for_runner(self, user_id: int) -> SqlRunnerStore:
        return SqlRunnerStore(self.engine, user_id, self.clock)

    def audit(self) -> SqlAuditLog:
        return SqlAuditLog(Connections(self.engine))


if TYPE_CHECKING:  # mypy checks that the SQL store fulfils the ports

    def _conforms(storage: SqlStorage) -> Storage:
        return storage


__all__ = ["SqlAuditLog", "SqlRunnerStore", "SqlStorage"]
