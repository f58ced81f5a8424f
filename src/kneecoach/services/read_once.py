"""A runner's record read once for a use case that only reads it and reads it many times.

The dashboard's row of a runner (services.clinic) asks for the same sessions and check-ins
from the history, the latest verdict, the load's too-much days and the starting levels'
irritability, each over its own period: four reads of the journal, its sets included, for
one row. ``read_once`` gives the use case a context whose journal is read once, over every
day a record can hold, and answers each period from memory, in the order the store gives.

Only the journal and the screenings are kept: every other part of the record is read once
per row already.
A write through the context is passed on and forgets what was read, so a use case that
does write after all never reads its own record stale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import TYPE_CHECKING

from kneecoach.domain.journal import EARLIEST_DAY
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import (
    ActivityStore,
    AlignmentStore,
    AuditLog,
    BackupStore,
    JournalStore,
    NoticeStore,
    OutcomeStore,
    PlanStore,
    ProfileStore,
    RaceStore,
    ReturnToRunStore,
    RunnerStore,
    Screening,
    SessionEnd,
    StoredProfile,
    UnfinishedSession,
)

if TYPE_CHECKING:
    from kneecoach.domain.journal import Checkin, LoggedSession, LoggedSet, SessionPain
    from kneecoach.domain.timeline import Adjustment

LAST_DAY = dt.date(9999, 12, 31)
"""Past any day a record holds: the one read covers them all."""


def read_once(runner: RunnerContext) -> RunnerContext:
    """``runner`` with its journal read at most once (see the module)."""
    if isinstance(runner.store, ReadOnceStore):
        return runner
    return replace(runner, store=ReadOnceStore(runner.store))


def read_once_from(
    runner: RunnerContext, sessions: Sequence[LoggedSession], checkins: Sequence[Checkin]
) -> RunnerContext:
    """``runner`` with its journal already read (every session and check-in it holds, by
    date), as a read of several runners' journals at once gives them."""
    journal = ReadOnceJournal(runner.store.journal, sessions, checkins)
    return replace(runner, store=ReadOnceStore(runner.store, journal))


class ReadOnceJournal:
    """The journal answered from one read of it; a write goes to the store and clears it."""

    def __init__(
        self,
        inner: JournalStore,
        sessions: Sequence[LoggedSession] | None = None,
        checkins: Sequence[Checkin] | None = None,
    ) -> None:
        self._inner = inner
        self._sessions = None if sessions is None else list(sessions)
        self._checkins = None if checkins is None else list(checkins)

    def sessions(self, first: dt.date, last: dt.date) -> list[LoggedSession]:
        if self._sessions is None:
            self._sessions = self._inner.sessions(EARLIEST_DAY, LAST_DAY)
        return [s for s in self._sessions if first <= s.performed_on <= last]

    def session_pains(self, first: dt.date, last: dt.date) -> list[SessionPain]:
        from kneecoach.domain.journal import SessionPain

        return [SessionPain.of(s) for s in self.sessions(first, last)]

    def checkins(self, first: dt.date, last: dt.date) -> list[Checkin]:
        if self._checkins is None:
            self._checkins = self._inner.checkins(EARLIEST_DAY, LAST_DAY)
        return [c for c in self._checkins if first <= c.date <= last]

    def _forget(self) -> None:
        self._sessions = self._checkins = None

    def add_session(self, session: LoggedSession, *, replace: bool) -> int:
        self._forget()
        return self._inner.add_session(session, replace=replace)

    def start_session(self, day: dt.date, *, replace: bool) -> int:
        self._forget()
        return self._inner.start_session(day, replace=replace)

    def open_session(self, day: dt.date) -> int:
        self._forget()
        return self._inner.open_session(day)

    def unfinished_session(self) -> UnfinishedSession | None:
        return self._inner.unfinished_session()

    def save_set(self, session_id: int, done: LoggedSet) -> None:
        self._forget()
        self._inner.save_set(session_id, done)

    def save_exercise_pain(self, session_id: int, exercise: str, pain: int) -> None:
        self._forget()
        self._inner.save_exercise_pain(session_id, exercise, pain)

    def save_adjustment(self, session_id: int, exercise: str, adjustment: Adjustment) -> None:
        self._forget()
        self._inner.save_adjustment(session_id, exercise, adjustment)

    def finish_session(self, session_id: int, end: SessionEnd) -> LoggedSession:
        self._forget()
        return self._inner.finish_session(session_id, end)

    def save_checkin(self, checkin: Checkin) -> Checkin | None:
        self._forget()
        return self._inner.save_checkin(checkin)


class ReadOnceProfile:
    """The profile store with its screenings read once: the latest is the last of them, so
    a use case that asks for both (the pause in force and the pauses' history) reads them
    in one statement."""

    def __init__(self, inner: ProfileStore) -> None:
        self._inner = inner
        self._screenings: list[Screening] | None = None

    def get(self) -> StoredProfile | None:
        return self._inner.get()

    def save(self, stored: StoredProfile, screening: Screening) -> None:
        self._screenings = None
        self._inner.save(stored, screening)

    def add_screening(self, screening: Screening) -> None:
        self._screenings = None
        self._inner.add_screening(screening)

    def screenings(self) -> list[Screening]:
        if self._screenings is None:
            self._screenings = self._inner.screenings()
        return list(self._screenings)

    def latest_screening(self) -> Screening | None:
        kept = self.screenings()
        return kept[-1] if kept else None

    def followed_by_clinician(self) -> bool:
        return self._inner.followed_by_clinician()


class ReadOnceStore:
    """A runner's store whose journal and screenings are read once; every other port is the
    store's own."""

    def __init__(self, inner: RunnerStore, journal: ReadOnceJournal | None = None) -> None:
        self._inner = inner
        self._journal = journal or ReadOnceJournal(inner.journal)
        self._profile = ReadOnceProfile(inner.profile)

    @property
    def journal(self) -> JournalStore:
        return self._journal

    @property
    def profile(self) -> ProfileStore:
        return self._profile

    @property
    def plan(self) -> PlanStore:
        return self._inner.plan

    @property
    def outcomes(self) -> OutcomeStore:
        return self._inner.outcomes

    @property
    def activities(self) -> ActivityStore:
        return self._inner.activities

    @property
    def return_to_run(self) -> ReturnToRunStore:
        return self._inner.return_to_run

    @property
    def race(self) -> RaceStore:
        return self._inner.race

    @property
    def alignment(self) -> AlignmentStore:
        return self._inner.alignment

    @property
    def backup(self) -> BackupStore:
        return self._inner.backup

    @property
    def notices(self) -> NoticeStore:
        return self._inner.notices

    @property
    def audit(self) -> AuditLog:
        return self._inner.audit

    def transaction(self) -> AbstractContextManager[None]:
        return self._inner.transaction()
