"""The ports the services depend on: a repository for what is kept, and a clock.

``storage.sql.SqlRepository`` and ``storage.memory.MemoryRepository`` implement the
repository; every method that writes is one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # for annotations only: importing them costs start-up time
    from kneecoach.domain.activity import Activity
    from kneecoach.domain.journal import Checkin, LoggedSession, LoggedSet
    from kneecoach.domain.outcomes import AkpsResult
    from kneecoach.domain.profile import Profile
    from kneecoach.domain.progression import Decision, Level
    from kneecoach.domain.redflags import ScreeningResult
    from kneecoach.domain.return_to_run import EntryCheck


class StorageError(Exception):
    """The database cannot be used: unreachable, corrupt, foreign or from a newer version."""


class Conflict(Exception):
    """A write that would overwrite something kept, where the caller did not ask to replace."""


@dataclass(frozen=True, slots=True)
class StoredProfile:
    profile: Profile
    program_key: str


@dataclass(frozen=True, slots=True)
class Screening:
    taken_on: dt.date
    result: ScreeningResult


@dataclass(frozen=True, slots=True)
class UnfinishedSession:
    """A guided session that was stopped before its end: the sets done so far are kept."""

    id: int
    performed_on: dt.date
    sets: tuple[LoggedSet, ...]


@dataclass(frozen=True, slots=True)
class StoredLevel:
    level: Level
    pinned: bool = False


@dataclass(frozen=True, slots=True)
class StoredDecision:
    id: int
    decision: Decision
    undone: bool = False


@dataclass(frozen=True, slots=True)
class StoredActivity:
    id: int
    activity: Activity
    sources: tuple[str, ...]
    effort: int | None = None
    """How hard the runner said it was (0-10), for session-RPE load."""


class Repository(Protocol):
    def user_id(self, name: str) -> int:
        """The id of the named user, created on first use."""
        ...

    def profile(self, user_id: int) -> StoredProfile | None: ...

    def save_profile(self, user_id: int, stored: StoredProfile, screening: Screening) -> None: ...

    def add_screening(self, user_id: int, screening: Screening) -> None: ...

    def latest_screening(self, user_id: int) -> Screening | None:
        """The screening kept last: the most recent answer (or pause) wins."""
        ...

    def add_session(self, user_id: int, session: LoggedSession, *, replace: bool) -> int:
        """Keep a session; raises Conflict if one is kept for that day and not replacing."""
        ...

    def sessions(self, user_id: int, first: dt.date, last: dt.date) -> list[LoggedSession]:
        """Finished sessions in the range, by date."""
        ...

    def start_session(self, user_id: int, day: dt.date, *, replace: bool) -> int:
        """Open an unfinished session for ``day``; Conflict if that day has one already."""
        ...

    def unfinished_session(self, user_id: int) -> UnfinishedSession | None:
        """The most recent session that was started but not finished."""
        ...

    def save_set(self, user_id: int, session_id: int, done: LoggedSet) -> None:
        """Keep one set as it is done, replacing the same set if it was repeated."""
        ...

    def finish_session(
        self, user_id: int, session_id: int, pain_during: int, effort: int | None, notes: str
    ) -> LoggedSession:
        """Close an unfinished session with how it felt; it then counts as logged."""
        ...

    def save_checkin(self, user_id: int, checkin: Checkin) -> Checkin | None:
        """Keep a check-in, replacing that day's; returns the one it replaced."""
        ...

    def checkins(self, user_id: int, first: dt.date, last: dt.date) -> list[Checkin]: ...

    def add_akps(self, user_id: int, result: AkpsResult) -> None: ...

    def akps_results(self, user_id: int) -> list[AkpsResult]:
        """Every AKPS result, oldest first."""
        ...

    def last_akps_on(self, user_id: int) -> dt.date | None:
        """The day of the latest AKPS, without reading every result."""
        ...

    def levels(self, user_id: int) -> dict[str, StoredLevel]:
        """Where each exercise stands for this runner (none until the first decision)."""
        ...

    def record_decisions(self, user_id: int, decisions: list[Decision]) -> None:
        """Keep decisions and move each exercise to its new level, in one transaction."""
        ...

    def decisions(self, user_id: int) -> list[StoredDecision]:
        """Every decision, oldest first, undone ones included."""
        ...

    def undo_last_decision(self, user_id: int) -> StoredDecision | None:
        """Mark the latest decision undone and put its exercise back where it was."""
        ...

    def set_level(self, user_id: int, exercise: str, stored: StoredLevel) -> None:
        """Set an exercise's level and pin by hand (a clinician's or the runner's choice)."""
        ...

    def add_activities(self, user_id: int, found: list[tuple[Activity, str]]) -> tuple[int, int]:
        """Keep the activities of one file in one transaction; one already kept (the same
        run from another file) is skipped and the file noted as another source. Returns
        (added, skipped)."""
        ...

    def activities(self, user_id: int) -> list[StoredActivity]:
        """Every activity, oldest first, without samples."""
        ...

    def activity(self, user_id: int, activity_id: int) -> StoredActivity | None:
        """One activity with its samples; None if it is not this user's."""
        ...

    def set_activity_effort(self, user_id: int, activity_id: int, effort: int) -> bool:
        """Keep the effort of one of the user's activities; False if there is none such."""
        ...

    def add_entry_check(self, user_id: int, check: EntryCheck) -> None: ...

    def latest_entry_check(self, user_id: int) -> EntryCheck | None: ...

    def log_stage_run(self, user_id: int, day: dt.date, stage: int) -> None:
        """Keep a return-to-run run; the day's earlier one is replaced."""
        ...

    def stage_runs(self, user_id: int) -> list[tuple[dt.date, int]]: ...

    def export_backup(self, user_id: int, now: dt.datetime) -> dict[str, Any]:
        """Everything of a user as one versioned, documented JSON document."""
        ...

    def restore_backup(self, user_id: int, document: Any) -> dict[str, dict[str, int]]:
        """Restore a backup in one transaction, skipping what is already kept."""
        ...


class Clock(Protocol):
    def today(self) -> dt.date: ...

    def now(self) -> dt.datetime: ...


class SystemClock:
    """The real clock, in local time for dates (a runner's 'today' is their own)."""

    def today(self) -> dt.date:
        return dt.date.today()

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, slots=True)
class FixedClock:
    """A clock that always says the same day: for tests and for `--date`."""

    day: dt.date

    def today(self) -> dt.date:
        return self.day

    def now(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time(12, 0), tzinfo=dt.UTC)
