"""What every role store of a runner shares: its connections, whose record it is, and the
clock that stamps what it writes."""

from __future__ import annotations

from kneecoach.services.ports import Clock
from kneecoach.storage.sql.connections import Connections


class RoleStore:
    def __init__(self, connections: Connections, user_id: int, clock: Clock) -> None:
        self._connections = connections
        self._user_id = user_id
        self._clock = clock
