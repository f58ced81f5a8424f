"""What every use case needs: whose record it is, where it is kept, the clock, and the
runner-facing settings — for one command or one request."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kneecoach.domain.outcomes import DEFAULT_EVERY_DAYS
from kneecoach.importers.detect import MAX_FILE_BYTES
from kneecoach.services.ports import Clock, RunnerStore, StoredProfile

if TYPE_CHECKING:
    from kneecoach.services.care_alerts import CareTeam


class NotSetUp(Exception):
    """The user has no profile yet, so there is no plan to show or log against."""


@dataclass(frozen=True, slots=True)
class Preferences:
    """The settings that change what a runner is shown (``KNEECOACH_*``, see config.py).
    Every face gets them from the composition root, so the terminal, the pages and the API
    show the same numbers."""

    units: str = "km"
    """Distances in km or mi."""
    load_unit: str = "distance"
    """Running load as distance, duration or session-rpe."""
    akps_every_days: int = DEFAULT_EVERY_DAYS


@dataclass(frozen=True, slots=True)
class Visitor:
    """Someone reaching a runner's record who is not that runner (a clinician, the owner,
    a clinician's API token): who they are and where the request came from, for the audit
    log (services/audit.py)."""

    user_id: int
    name: str
    address: str


@dataclass(frozen=True, slots=True)
class RunnerContext:
    """One runner's record for one command or request: its store, the clock and the
    preferences. Services take it instead of reaching for globals."""

    store: RunnerStore
    clock: Clock
    user_id: int
    preferences: Preferences = Preferences()
    care_team: CareTeam | None = None
    """Who is told when the runner is paused or gets worse; None when email is off."""
    visitor: Visitor | None = None
    """Who is acting on the record when it is not the runner: their changes are audited."""
    file_limit: int = MAX_FILE_BYTES
    """The most one imported activity file may hold unpacked, in bytes: a zip member or a
    gzip file past it is refused by name (KNEECOACH_IMPORT_FILE_LIMIT)."""
    _profile: list[StoredProfile] = field(default_factory=list, compare=False, repr=False)
    """The profile once read: a context lives for one command or one request, in which the
    profile is read several times and changed at most once, by onboarding (which then
    forgets it)."""

    def stored_profile(self) -> StoredProfile:
        if self._profile:
            return self._profile[0]
        stored = self.store.profile.get()
        if stored is None:
            raise NotSetUp("no profile yet: run 'kneecoach init' first")
        self._profile.append(stored)
        return stored

    def has_profile(self) -> bool:
        try:
            self.stored_profile()
        except NotSetUp:
            return False
        return True

    def forget_profile(self) -> None:
        self._profile.clear()
