"""The runner's whole record as one backup document, in SQL (see ``storage.backup``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from kneecoach.storage.sql.base import RoleStore


class SqlBackupStore(RoleStore):
    def export(self, now: dt.datetime) -> dict[str, Any]:
        from kneecoach.storage.backup import export_user

        with self._connections.reading() as c:
            return export_user(c, self._user_id, now)

    def restore(self, document: Any) -> dict[str, dict[str, int]]:
        from kneecoach.storage.backup import restore_user

        with self._connections.transaction() as c:
            self._connections.kept.clear()  # what role stores keep of the record is read afresh
            report = restore_user(c, self._user_id, document)
        return {"added": report.added, "skipped": report.skipped}
