"""An in-memory repository with the same behaviour as the SQL one, for fast service tests.

The same contract tests (tests/storage/test_repository_contract.py) hold it to the SQL
repository's behaviour.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field, replace
from typing import Any

from kneecoach.domain.activity import Activity
from kneecoach.domain.journal import Checkin, LoggedSession, LoggedSet, Side
from kneecoach.domain.outcomes import AkpsResult
from kneecoach.domain.progression import Decision
from kneecoach.domain.return_to_run import EntryCheck
from kneecoach.services.ports import (
    Conflict,
    Screening,
    StoredActivity,
    StoredDecision,
    StoredLevel,
    StoredProfile,
    UnfinishedSession,
)


@dataclass
class _Open:
    user_id: int
    day: dt.date
    sets: dict[tuple[str, Side, int], LoggedSet] = field(default_factory=dict)


class MemoryRepository:
    def __init__(self) -> None:
        self._users: dict[str, int] = {}
        self._profiles: dict[int, StoredProfile] = {}
        self._screenings: dict[int, list[Screening]] = {}
        self._sessions: dict[tuple[int, dt.date], LoggedSession] = {}
        self._open: dict[int, _Open] = {}
        self._checkins: dict[tuple[int, dt.date], Checkin] = {}
        self._akps: dict[int, list[AkpsResult]] = {}
        self._levels: dict[int, dict[str, StoredLevel]] = {}
        self._decisions: dict[int, list[StoredDecision]] = {}
        self._activities: dict[int, list[StoredActivity]] = {}
        self._checks: dict[int, list[EntryCheck]] = {}
        self._stage_runs: dict[int, dict[dt.date, int]] = {}
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
        return kept[-1]

    def _clear_day(self, user_id: int, day: dt.date, replace: bool) -> None:
        open_ids = [i for i, o in self._open.items() if (o.user_id, o.day) == (user_id, day)]
        if (user_id, day) in self._sessions or open_ids:
            if not replace:
                what = "an unfinished guided session is" if open_ids else "a session is already"
                raise Conflict(f"{what} logged for {day.isoformat()}")
            self._sessions.pop((user_id, day), None)
            for i in open_ids:
                del self._open[i]

    def add_session(self, user_id: int, session: LoggedSession, *, replace: bool) -> int:
        self._clear_day(user_id, session.performed_on, replace)
        session_id = next(self._ids)
        self._sessions[(user_id, session.performed_on)] = _with_id(session, session_id)
        return session_id

    def sessions(self, user_id: int, first: dt.date, last: dt.date) -> list[LoggedSession]:
        return sorted(
            (s for (u, d), s in self._sessions.items() if u == user_id and first <= d <= last),
            key=lambda s: s.performed_on,
        )

    def start_session(self, user_id: int, day: dt.date, *, replace: bool) -> int:
        self._clear_day(user_id, day, replace)
        session_id = next(self._ids)
        self._open[session_id] = _Open(user_id, day)
        return session_id

    def unfinished_session(self, user_id: int) -> UnfinishedSession | None:
        mine = [(o.day, i) for i, o in self._open.items() if o.user_id == user_id]
        if not mine:
            return None
        day, session_id = max(mine)
        return UnfinishedSession(session_id, day, tuple(self._open[session_id].sets.values()))

    def _own(self, user_id: int, session_id: int) -> _Open:
        found = self._open.get(session_id)
        if found is None or found.user_id != user_id:
            raise Conflict(f"there is no unfinished session {session_id} of yours")
        return found

    def save_set(self, user_id: int, session_id: int, done: LoggedSet) -> None:
        kept = self._own(user_id, session_id).sets
        kept.pop((done.exercise, done.side, done.set_number), None)
        kept[(done.exercise, done.side, done.set_number)] = done

    def finish_session(
        self, user_id: int, session_id: int, pain_during: int, effort: int | None, notes: str
    ) -> LoggedSession:
        found = self._own(user_id, session_id)
        session = LoggedSession(
            found.day, pain_during, tuple(found.sets.values()), effort, notes, session_id
        )
        del self._open[session_id]
        self._sessions[(user_id, found.day)] = session
        return session

    def save_checkin(self, user_id: int, checkin: Checkin) -> Checkin | None:
        previous = self._checkins.get((user_id, checkin.date))
        self._checkins[(user_id, checkin.date)] = checkin
        return previous

    def checkins(self, user_id: int, first: dt.date, last: dt.date) -> list[Checkin]:
        return sorted(
            (c for (u, d), c in self._checkins.items() if u == user_id and first <= d <= last),
            key=lambda c: c.date,
        )

    def add_akps(self, user_id: int, result: AkpsResult) -> None:
        self._akps.setdefault(user_id, []).append(result)

    def akps_results(self, user_id: int) -> list[AkpsResult]:
        return sorted(self._akps.get(user_id, []), key=lambda r: r.taken_on)

    def last_akps_on(self, user_id: int) -> dt.date | None:
        kept = self._akps.get(user_id)
        return max(r.taken_on for r in kept) if kept else None

    def levels(self, user_id: int) -> dict[str, StoredLevel]:
        return dict(self._levels.get(user_id, {}))

    def record_decisions(self, user_id: int, made: list[Decision]) -> None:
        kept = self._decisions.setdefault(user_id, [])
        mine = self._levels.setdefault(user_id, {})
        for decision in made:
            kept.append(StoredDecision(next(self._ids), decision))
            pinned = mine[decision.exercise].pinned if decision.exercise in mine else False
            mine[decision.exercise] = StoredLevel(decision.after, pinned)

    def decisions(self, user_id: int) -> list[StoredDecision]:
        return list(self._decisions.get(user_id, []))

    def undo_last_decision(self, user_id: int) -> StoredDecision | None:
        kept = self._decisions.get(user_id, [])
        for position in range(len(kept) - 1, -1, -1):
            if not kept[position].undone:
                undone = replace(kept[position], undone=True)
                kept[position] = undone
                mine = self._levels.setdefault(user_id, {})
                exercise = undone.decision.exercise
                pinned = mine[exercise].pinned if exercise in mine else False
                mine[exercise] = StoredLevel(undone.decision.before, pinned)
                return undone
        return None

    def set_level(self, user_id: int, exercise: str, stored: StoredLevel) -> None:
        self._levels.setdefault(user_id, {})[exercise] = stored

    def add_activities(self, user_id: int, found: list[tuple[Activity, str]]) -> tuple[int, int]:
        kept = self._activities.setdefault(user_id, [])
        added = skipped = 0
        for activity, source in found:
            same = next(
                (i for i, a in enumerate(kept) if a.activity.fingerprint == activity.fingerprint),
                None,
            )
            if same is not None:
                if source not in kept[same].sources:
                    kept[same] = replace(kept[same], sources=(*kept[same].sources, source))
                skipped += 1
                continue
            kept.append(StoredActivity(next(self._ids), activity, (source,)))
            added += 1
        return added, skipped

    def activities(self, user_id: int) -> list[StoredActivity]:
        from kneecoach.domain.activity import Samples

        return [
            replace(a, activity=replace(a.activity, samples=Samples.empty()))
            for a in sorted(self._activities.get(user_id, []), key=lambda a: a.activity.start)
        ]

    def activity(self, user_id: int, activity_id: int) -> StoredActivity | None:
        return next((a for a in self._activities.get(user_id, []) if a.id == activity_id), None)

    def set_activity_effort(self, user_id: int, activity_id: int, effort: int) -> bool:
        kept = self._activities.get(user_id, [])
        for index, stored in enumerate(kept):
            if stored.id == activity_id:
                kept[index] = replace(stored, effort=effort)
                return True
        return False

    def add_entry_check(self, user_id: int, check: EntryCheck) -> None:
        self._checks.setdefault(user_id, []).append(check)

    def latest_entry_check(self, user_id: int) -> EntryCheck | None:
        kept = self._checks.get(user_id)
        return kept[-1] if kept else None

    def log_stage_run(self, user_id: int, day: dt.date, stage: int) -> None:
        self._stage_runs.setdefault(user_id, {})[day] = stage

    def stage_runs(self, user_id: int) -> list[tuple[dt.date, int]]:
        return sorted(self._stage_runs.get(user_id, {}).items())

    def export_backup(self, user_id: int, now: dt.datetime) -> dict[str, Any]:
        raise NotImplementedError("backups are made from a database (storage.backup)")

    def restore_backup(self, user_id: int, document: Any) -> dict[str, dict[str, int]]:
        raise NotImplementedError("backups are restored into a database (storage.backup)")


def _with_id(session: LoggedSession, session_id: int) -> LoggedSession:
    return replace(session, id=session_id)
