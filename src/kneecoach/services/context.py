"""What every use case needs: the repository, the clock, and whose data it is."""

from __future__ import annotations

from dataclasses import dataclass, field

from kneecoach.services.ports import Clock, Repository, StoredProfile


class NotSetUp(Exception):
    """The user has no profile yet, so there is no plan to show or log against."""


@dataclass(frozen=True, slots=True)
class Coach:
    repository: Repository
    clock: Clock
    user_id: int
    _profile: list[StoredProfile] = field(default_factory=list, compare=False, repr=False)
    """The profile once read: a coach lives for one command or one request, in which the
    profile is read several times and changed at most once, by onboarding (which then
    forgets it)."""

    def stored_profile(self) -> StoredProfile:
        if self._profile:
            return self._profile[0]
        stored = self.repository.profile(self.user_id)
        if stored is None:
            raise NotSetUp("no profile yet: run 'kneecoach init' first")
        self._profile.append(stored)
        return stored

    def forget_profile(self) -> None:
        self._profile.clear()
