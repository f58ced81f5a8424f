"""An in-memory repository with the same behaviour as the SQL one, for fast service tests."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

from kneecoach.domain.journal import Checkin, LoggedSession
from kneecoach.services.ports import Conflict, Screening, StoredProfile


class MemoryRepository:
    def __init__(self) -> None:
        self._users: dict[str, int] = {}
        self._profiles: dict[int, StoredProfile] = {}
        self._screenings: dict[int, list[Screening]] = {}
        self._sessions: dict[tuple[int, dt.date], LoggedSession] = {}
        self._checkins: dict[tuple[int, dt.date], Checkin] = {}
        self._ids = itertools.count(1)

    def user_id(self, name: str) -> int:
        return self._users.setdefault(name, len(self._users) + 1)

    def profile(self, user_id: int) -> StoredProfile | None:
        return self._profiles.get(user_id)

    def save_profile(self, user_id: int, stored: StoredProfile, screening: Screening) -> None:
        self._profiles[user_id] = stored
        self.add_screening(user_id, screening)

    def add_screening(self, user_id: int, screening: Screening) -> None:
        self._screenings.setdefault(user_id, []).append(screening)

    def latest_screening(self, user_id: int) -> Screening | None:
        kept = self._screenings.get(user_id)
        if not kept:
            return None
        return max(enumerate(kept), key=lambda pair: (pair[1].taken_on, pair[0]))[1]

    def add_session(self, user_id: int, session: LoggedSession, *, replace: bool) -> int:
        key = (user_id, session.performed_on)
        if key in self._sessions and not replace:
            raise Conflict(f"a session is already logged for {session.performed_on.isoformat()}")
        session_id = next(self._ids)
        self._sessions[key] = _with_id(session, session_id)
        return session_id

    def sessions(self, user_id: int, first: dt.date, last: dt.date) -> list[LoggedSession]:
        return sorted(
            (s for (u, d), s in self._sessions.items() if u == user_id and first <= d <= last),
            key=lambda s: s.performed_on,
        )

    def save_checkin(self, user_id: int, checkin: Checkin) -> Checkin | None:
        previous = self._checkins.get((user_id, checkin.date))
        self._checkins[(user_id, checkin.date)] = checkin
        return previous

    def checkins(self, user_id: int, first: dt.date, last: dt.date) -> list[Checkin]:
        return sorted(
            (c for (u, d), c in self._checkins.items() if u == user_id and first <= d <= last),
            key=lambda c: c.date,
        )


def _with_id(session: LoggedSession, session_id: int) -> LoggedSession:
    return replace(session, id=session_id)
