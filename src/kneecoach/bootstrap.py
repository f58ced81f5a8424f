"""The composition root: settings, the database, the clock and the catalogue, built once.

The command line, the web pages and the JSON API all start here, so they see the same
settings, the same storage and the same 'today'. Nothing else opens the database or picks a
clock. Heavy parts (the engine, accounts) are built on first use: a command that needs none
of them starts as fast as before.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from kneecoach.config import Settings, load_settings
from kneecoach.services.context import Preferences
from kneecoach.services.ports import (
    Clock,
    FixedClock,
    IdempotencyStore,
    JobQueue,
    Outbox,
    SystemClock,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from kneecoach.domain.catalogue import Catalogue
    from kneecoach.services.accounts import Accounts
    from kneecoach.services.care_alerts import CareTeam
    from kneecoach.services.clinic import KeptSummaries
    from kneecoach.services.context import RunnerContext, Visitor
    from kneecoach.services.mail import Postman
    from kneecoach.services.strava import StravaLink
    from kneecoach.storage.sql import SqlStorage


def clock_for(settings: Settings) -> Clock:
    """The system clock, or the fixed day of ``KNEECOACH_TODAY``."""
    return SystemClock() if settings.today is None else FixedClock(settings.today)


def preferences_for(settings: Settings) -> Preferences:
    """What the services need of the settings: the same for every face."""
    return Preferences(
        units=settings.units,
        load_unit=settings.load_unit,
        akps_every_days=settings.akps_every_days,
    )


class Runtime:
    """Everything a face needs, for one process: built by :func:`build`."""

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self.settings = settings
        self.clock = clock

    @cached_property
    def engine(self) -> Engine:
        from kneecoach.storage.database import open_database

        return open_database(self.settings.database_url)

    @cached_property
    def storage(self) -> SqlStorage:
        from kneecoach.storage.sql import SqlStorage

        return SqlStorage(self.engine, self.clock)

    @cached_property
    def preferences(self) -> Preferences:
        return preferences_for(self.settings)

    @cached_property
    def accounts(self) -> Accounts:
        from kneecoach.services.accounts import Accounts
        from kneecoach.storage.accounts import SqlAccountStore

        return Accounts(SqlAccountStore(self.engine), self.outbox, self.settings.public_url)

    @cached_property
    def outbox(self) -> Outbox | None:
        """Where emails wait to be sent; None when email is off (no KNEECOACH_SMTP_HOST)."""
        if self.settings.mail is None:
            return None
        from kneecoach.storage.outbox import SqlOutbox

        return SqlOutbox(self.engine)

    def postman(self) -> Postman | None:
        """What sends the outbox through the mail server; None when email is off."""
        if self.settings.mail is None or self.outbox is None:
            return None
        from kneecoach.integrations.smtp import SmtpTransport
        from kneecoach.services.mail import Postman

        return Postman(
            self.outbox, SmtpTransport(self.settings.mail), self.settings.mail.sender, self.clock
        )

    @cached_property
    def idempotency(self) -> IdempotencyStore:
        from kneecoach.storage.idempotency import SqlIdempotencyStore

        return SqlIdempotencyStore(self.engine)

    @cached_property
    def jobs(self) -> JobQueue:
        """Long work (an upload's import) queued for a worker process (kneecoach.worker)."""
        from kneecoach.storage.jobs import SqlJobQueue

        return SqlJobQueue(self.engine)

    @cached_property
    def strava(self) -> StravaLink | None:
        """Strava's API and the kept connections; None when Strava is off (its client id,
        secret or KNEECOACH_SECRET_KEY unset)."""
        if self.settings.strava is None or self.settings.secret_key is None:
            return None
        from kneecoach.integrations.strava import HttpStrava
        from kneecoach.services.strava import StravaLink
        from kneecoach.storage.strava import SqlStravaStore

        return StravaLink(
            HttpStrava(self.settings.strava),
            SqlStravaStore(self.engine, self.settings.secret_key),
            state_key=self.settings.secret_key,
        )

    @property
    def catalogue(self) -> Catalogue:
        from kneecoach import definitions

        return definitions.catalogue()

    def runner(
        self, user_id: int, clock: Clock | None = None, *, visitor: Visitor | None = None
    ) -> RunnerContext:
        """The context of one command or request on ``user_id``'s record; ``visitor`` when
        someone else reaches it (services.audit.reach)."""
        from kneecoach.services.context import RunnerContext

        return RunnerContext(
            self.storage.for_runner(user_id),
            clock or self.clock,
            user_id,
            self.preferences,
            care_team=self.care_team,
            visitor=visitor,
            file_limit=self.settings.import_file_limit,
        )

    @cached_property
    def kept_summaries(self) -> KeptSummaries:
        """The clinic dashboard's rows kept per runner and data revision, for this process
        (the pages and the API share them)."""
        from kneecoach.services.clinic import KeptSummaries

        return KeptSummaries()

    @cached_property
    def care_team(self) -> CareTeam | None:
        """The runners' clinicians, told by email; None when email is off."""
        if self.settings.mail is None:
            return None
        from kneecoach.services.care_alerts import CareTeam

        return CareTeam(self.settings.public_url)


def build(settings: Settings | None = None, *, clock: Clock | None = None) -> Runtime:
    """Settings from the environment unless given; the clock from the settings unless given."""
    settings = settings if settings is not None else load_settings()
    return Runtime(settings, clock if clock is not None else clock_for(settings))
