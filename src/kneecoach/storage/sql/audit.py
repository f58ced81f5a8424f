"""The audit log in SQL: one INSERT per request that reads or changes someone else's record
(several entries, for a list of runners, in the same statement)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa

from kneecoach.services.ports import AuditEntry
from kneecoach.storage.sql.connections import Connections
from kneecoach.storage.tables import audit_log, users


class SqlAuditLog:
    def __init__(self, connections: Connections) -> None:
        self._connections = connections

    def record(self, entries: Sequence[AuditEntry]) -> None:
        if not entries:
            return
        rows = [
            {
                "at": e.at,
                "actor_id": e.actor_id,
                "actor_name": e.actor_name[:200],
                "runner_id": e.runner_id,
                "action": e.action[:200],
                "address": e.address[:64],
                "allowed": e.allowed,
            }
            for e in entries
        ]
        with self._connections.transaction() as c:
            c.execute(audit_log.insert(), rows)

    def entries(
        self,
        *,
        runner_id: int | None = None,
        since: dt.datetime | None = None,
        before: dt.datetime | None = None,
    ) -> list[AuditEntry]:
        query = (
            sa.select(audit_log, users.c.name.label("runner_name"))
            .select_from(audit_log.outerjoin(users, users.c.id == audit_log.c.runner_id))
            .order_by(audit_log.c.at, audit_log.c.id)
        )
        if runner_id is not None:
            query = query.where(audit_log.c.runner_id == runner_id)
        if since is not None:
            query = query.where(audit_log.c.at >= since)
        if before is not None:
            query = query.where(audit_log.c.at < before)
        with self._connections.reading() as c:
            return [
                AuditEntry(
                    at=_utc(row.at),
                    actor_id=row.actor_id,
                    actor_name=row.actor_name,
                    runner_id=row.runner_id,
                    action=row.action,
                    address=row.address,
                    allowed=bool(row.allowed),
                    runner_name=row.runner_name,
                )
                for row in c.execute(query)
            ]


def _utc(at: dt.datetime) -> dt.datetime:
    """SQLite gives back naive times: they were written in UTC."""
    return at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
