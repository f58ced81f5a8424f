"""What every use case needs: the repository, the clock, and whose data it is."""

from __future__ import annotations

from dataclasses import dataclass

from kneecoach.services.ports import Clock, Repository, StoredProfile


class NotSetUp(Exception):
    """The user has no profile yet, so there is no plan to show or log against."""


@dataclass(frozen=True, slots=True)
class Coach:
    repository: Repository
    clock: Clock
    user_id: int

    def stored_profile(self) -> StoredProfile:
        stored = self.repository.profile(self.user_id)
        if stored is None:
            raise NotSetUp("no profile yet: run 'kneecoach init' first")
        return stored
