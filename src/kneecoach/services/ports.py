"""The ports the services depend on: what is kept, by role, and the clock.

A runner's record is reached through a :class:`RunnerStore`, scoped to that runner, with
one port per role (profile, journal, plan, outcomes, activities, return to run, backup).
Every port method that writes is atomic on its own; a use case that writes several times
wraps them in ``store.transaction()`` so that all of it is kept or none of it.

``storage.sql.SqlStorage`` and ``storage.memory.MemoryStorage`` implement them, and one
contract test holds both to the same behaviour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # for annotations only: importing them costs start-up time
    from kneecoach.domain.activity import Activity, Sport
    from kneecoach.domain.journal import Checkin, LoggedSession, LoggedSet, SessionPain
    from kneecoach.domain.merging import Origin, Outcome, Revision
    from kneecoach.domain.outcomes import AkpsResult
    from kneecoach.domain.pose import FppaRecord
    from kneecoach.domain.profile import Profile
    from kneecoach.domain.progression import Decision, Level
    from kneecoach.domain.race import ClinicianCall, RaceGoal, RaceRun
    from kneecoach.domain.redflags import ScreeningResult
    from kneecoach.domain.return_to_run import EntryCheck, StageRun
    from kneecoach.domain.timeline import Adjustment


class StorageError(Exception):
    """The database cannot be used: unreachable, corrupt, foreign or from a newer version."""


class Conflict(Exception):
    """A write that would overwrite something kept, where the caller did not ask to replace.

    ``existing`` is what is kept in the way (the day's session, say), when the use case can
    tell: the API answers it with the 409, so a client that lost a race sees what won."""

    def __init__(self, message: str, existing: object | None = None) -> None:
        super().__init__(message)
        self.existing = existing


@dataclass(frozen=True, slots=True)
class StoredProfile:
    profile: Profile
    program_key: str


@dataclass(frozen=True, slots=True)
class Screening:
    """A screen answered (or a pause met in training, or a pause lifted) on a day."""

    taken_on: dt.date
    result: ScreeningResult
    age_band: str | None = None
    """The runner's age band as last answered (carried from screen to screen)."""
    lifted_by: str | None = None
    """Who lifted a pause with this screen: the clinician's name, or 'runner'."""
    seen_clinician_on: dt.date | None = None
    """The day a clinician saw the runner, as the runner stated it to lift a pause."""


@dataclass(frozen=True, slots=True)
class UnfinishedSession:
    """A guided session that was stopped before its end: the sets done so far are kept."""

    id: int
    performed_on: dt.date
    sets: tuple[LoggedSet, ...]
    exercise_pain: tuple[tuple[str, int], ...] = ()
    """Pain reported during each exercise so far (exercise key, pain)."""
    adjustments: tuple[tuple[str, Adjustment], ...] = ()
    """The easier ways taken so far for the rest of the session (exercise key, change)."""


@dataclass(frozen=True, slots=True)
class SessionEnd:
    """How a guided session felt, given when it is finished."""

    pain_during: int
    effort: int | None = None
    notes: str = ""


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
    origins: tuple[Origin, ...] = ()
    """Each file's account of it (format, sport, times, distance), richest figures shown."""


@dataclass(frozen=True, slots=True)
class ImportedFile:
    """The activities found in one file, and the file's name (kept as their source)."""

    source: str
    activities: tuple[Activity, ...]


@dataclass(frozen=True, slots=True)
class WebSession:
    """A signed-in browser session: who, their CSRF token, and what every page needs."""

    user_id: int
    csrf: str
    expires_at: dt.datetime
    role: str = "runner"
    """Read with the session in one query: every page needs it to draw the menu."""
    revision: int = 0
    """The user's data revision (see migration 0011): pages kept rendered are keyed by it."""
    account_since: dt.datetime | None = None
    """When the account was made: with ``user_id``, it names this account and no later one
    (SQLite gives a deleted account's id to the next account made)."""

    @property
    def account_label(self) -> str:
        """A name of the account that no other account ever has: what a device files the
        reports it keeps for sending under (web/static/offline.js), so that reports kept for
        a deleted account are never sent as the next account given its id."""
        if self.account_since is None:
            return str(self.user_id)
        return f"{self.user_id}-{round(self.account_since.timestamp() * 1_000_000)}"


class ProfileStore(Protocol):
    """The runner's profile and their red-flag screenings."""

    def get(self) -> StoredProfile | None: ...

    def save(self, stored: StoredProfile, screening: Screening) -> None:
        """Keep the profile (replacing any) with the screening taken with it."""
        ...

    def add_screening(self, screening: Screening) -> None: ...

    def screenings(self) -> list[Screening]:
        """Every screening kept, oldest first (answers, pauses and lifts): the pauses'
        history."""
        ...

    def latest_screening(self) -> Screening | None:
        """The screening kept last: the most recent answer (or pause) wins."""
        ...

    def followed_by_clinician(self) -> bool:
        """Whether a clinician follows this runner (then the clinician lifts a pause)."""
        ...


class JournalStore(Protocol):
    """Sessions done (logged, or guided set by set) and next-morning check-ins."""

    def add_session(self, session: LoggedSession, *, replace: bool) -> int:
        """Keep a session; raises Conflict if one is kept for that day and not replacing."""
        ...

    def sessions(self, first: dt.date, last: dt.date) -> list[LoggedSession]:
        """Finished sessions in the range, by date."""
        ...

    def session_pains(self, first: dt.date, last: dt.date) -> list[SessionPain]:
        """How much each finished session in the range hurt, by date: the sessions without
        their sets."""
        ...

    def start_session(self, day: dt.date, *, replace: bool) -> int:
        """Open an unfinished session for ``day``; Conflict if that day has one already."""
        ...

    def open_session(self, day: dt.date) -> int:
        """The day's unfinished session, opened if there is none yet; Conflict if the day
        has a finished one. Safe when two sets of one session arrive at the same moment."""
        ...

    def unfinished_session(self) -> UnfinishedSession | None:
        """The most recent session that was started but not finished."""
        ...

    def save_set(self, session_id: int, done: LoggedSet) -> None:
        """Keep one set as it is done, replacing the same set if it was repeated."""
        ...

    def save_exercise_pain(self, session_id: int, exercise: str, pain: int) -> None:
        """Keep the pain reported during one exercise of an unfinished session: the highest
        figure reported for it stands (``domain.pain.highest_pain``)."""
        ...

    def save_adjustment(self, session_id: int, exercise: str, adjustment: Adjustment) -> None:
        """Keep the change taken for the rest of an unfinished session for one exercise,
        replacing the one kept for it before."""
        ...

    def finish_session(self, session_id: int, end: SessionEnd) -> LoggedSession:
        """Close an unfinished session with how it felt; it then counts as logged."""
        ...

    def save_checkin(self, checkin: Checkin) -> Checkin | None:
        """Keep a check-in, replacing that day's; returns the one it replaced."""
        ...

    def checkins(self, first: dt.date, last: dt.date) -> list[Checkin]: ...


class PlanStore(Protocol):
    """Where each exercise stands for the runner, and the decisions that moved it."""

    def levels(self) -> dict[str, StoredLevel]:
        """Where each exercise stands (none until the first decision)."""
        ...

    def record_decisions(self, decisions: list[Decision]) -> None:
        """Keep decisions and move each exercise to its new level (pins stay as they are)."""
        ...

    def decisions(self) -> list[StoredDecision]:
        """Every decision, oldest first, undone ones included."""
        ...

    def undo_decision(self, decision_id: int) -> StoredDecision | None:
        """Mark a decision undone and put its exercise back where it was before it (its
        pin stays as it is); None if the runner has no such decision standing."""
        ...

    def set_level(self, exercise: str, stored: StoredLevel) -> None:
        """Set an exercise's level and pin by hand (a clinician's or the runner's choice)."""
        ...


class OutcomeStore(Protocol):
    """Kujala AKPS results, one a day."""

    def save_akps(self, result: AkpsResult) -> AkpsResult | None:
        """Keep a result, replacing that day's; returns the one it replaced."""
        ...

    def akps_results(self) -> list[AkpsResult]:
        """Every AKPS result, oldest first, one a day (the later of a day's retakes)."""
        ...

    def last_akps_on(self) -> dt.date | None:
        """The day of the latest AKPS, without reading every result."""
        ...


class AlignmentStore(Protocol):
    """Knee-alignment tests (FPPA of a single-leg squat), one a day per leg."""

    def save(self, record: FppaRecord) -> FppaRecord | None:
        """Keep a test, replacing that day's test of the same leg; returns the one replaced."""
        ...

    def results(self) -> list[FppaRecord]:
        """Every test kept, oldest first (by day, then left before right)."""
        ...


class ActivityStore(Protocol):
    """Runs and other activities imported from files and services."""

    def add(self, found: ImportedFile) -> tuple[Outcome, ...]:
        """Keep the activities of one file, in one transaction, each by the domain's merge
        rule (domain.merging): an activity overlapping one already kept joins it (its file
        listed as another source, the richest file's figures shown); the same file again
        changes nothing. One outcome per activity, in order."""
        ...

    def all(self) -> list[StoredActivity]:
        """Every activity, oldest first, without samples."""
        ...

    def get(self, activity_id: int) -> StoredActivity | None:
        """One activity with its samples; None if it is not this runner's."""
        ...

    def set_effort(self, activity_id: int, effort: int) -> bool:
        """Keep how hard an activity was; False if the runner has no such activity."""
        ...

    def has_source(self, source: str) -> bool:
        """Whether an activity lists ``source`` (a Strava activity synced already)."""
        ...

    def drop_source(self, source: str) -> Revision | None:
        """Forget the origin ``source`` of the activity that holds it (domain.merging.without):
        the activity goes when no other file holds it, else keeps the rest's sport and
        name. What became of it; None when no activity has that source."""
        ...

    def revise_source(
        self, source: str, *, title: str | None = None, sport: Sport | None = None
    ) -> Revision | None:
        """Rename the origin ``source`` or change its sport (domain.merging.edited), the
        activity following the merge rule; None when no activity has that source."""
        ...


class ReturnToRunStore(Protocol):
    """The return-to-running entry checks and the graded runs done."""

    def add_entry_check(self, check: EntryCheck) -> None: ...

    def latest_entry_check(self) -> EntryCheck | None: ...

    def log_stage_run(self, run: StageRun) -> None:
        """Keep a run of a stage; the same day's earlier one is replaced."""
        ...

    def stage_runs(self) -> list[StageRun]:
        """Every stage run, by day."""
        ...


class RaceStore(Protocol):
    """The runner's one active race goal."""

    def get(self) -> RaceGoal | None: ...

    def set(self, goal: RaceGoal) -> None:
        """Keep the goal, replacing the one kept before."""
        ...

    def clear(self) -> bool:
        """Forget the goal; False if there was none."""
        ...

    def tell_run(self, run: RaceRun) -> None:
        """Keep what the runner told about a run; the same day's earlier word is replaced."""
        ...

    def runs(self) -> list[RaceRun]:
        """Every run told about, by day."""
        ...

    def call(self, made: ClinicianCall) -> None:
        """Keep a clinician's decision on the plan (a hold, a release, a step back)."""
        ...

    def calls(self) -> list[ClinicianCall]:
        """Every clinician's decision on the plan, oldest first. Clearing the goal keeps
        them: a clinician's decision stands until a clinician changes it."""
        ...


class BackupStore(Protocol):
    """The runner's whole record as one versioned, documented JSON document."""

    def export(self, now: dt.datetime) -> dict[str, Any]: ...

    def restore(self, document: Any) -> dict[str, dict[str, int]]:
        """Restore a backup in one transaction, skipping what is already kept."""
        ...


@dataclass(frozen=True, slots=True)
class Mail:
    """One plain-text email."""

    to: str
    subject: str
    body: str


class NoticeStore(Protocol):
    """Notices about one runner to the clinicians who follow them, queued in the outbox
    in the transaction of the write that caused them."""

    def care_team_emails(self) -> list[str]:
        """The addresses of the clinicians following the runner who keep one."""
        ...

    def runner_name(self) -> str: ...

    def queue(self, mail: Mail) -> None: ...


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One read or change of a runner's record by someone other than that runner."""

    at: dt.datetime
    actor_id: int
    actor_name: str
    """The account's name when it acted (kept as it was, whatever happens to the account)."""
    runner_id: int
    action: str
    """What was done and to what, in words: "viewed progress", "changed prescription of
    squat"."""
    address: str
    """The client address the request came from."""
    allowed: bool = True
    """False for an attempt that was refused (the record was not theirs to reach)."""
    runner_name: str | None = None
    """The runner's name, when reading the log (None for no such runner)."""


class AuditLog(Protocol):
    """Who read or changed a runner's record, other than the runner themself.

    The one deliberate exception to "reads never write": a read of someone else's record
    adds one row here (a single INSERT, in its own short transaction, nothing else), so
    that every look at a runner's health data is accounted for. A change adds its row in
    the same transaction as the change, so both are kept or neither. Entries never touch
    the runner's record itself (its data revision stays as it is), and reads of one's own
    record record nothing."""

    def record(self, entries: Sequence[AuditEntry]) -> None:
        """Keep the entries, in one statement."""
        ...

    def entries(
        self,
        *,
        runner_id: int | None = None,
        since: dt.datetime | None = None,
        before: dt.datetime | None = None,
    ) -> list[AuditEntry]:
        """Entries oldest first: of one runner's record, or everyone's; ``since`` included,
        ``before`` not."""
        ...


class RunnerStore(Protocol):
    """Everything kept for one runner, by role."""

    @property
    def profile(self) -> ProfileStore: ...

    @property
    def journal(self) -> JournalStore: ...

    @property
    def plan(self) -> PlanStore: ...

    @property
    def outcomes(self) -> OutcomeStore: ...

    @property
    def activities(self) -> ActivityStore: ...

    @property
    def return_to_run(self) -> ReturnToRunStore: ...

    @property
    def race(self) -> RaceStore: ...

    @property
    def alignment(self) -> AlignmentStore: ...

    @property
    def backup(self) -> BackupStore: ...

    @property
    def notices(self) -> NoticeStore: ...

    @property
    def audit(self) -> AuditLog:
        """The audit log, on this record's connection: an entry recorded in a
        ``transaction()`` is kept with the changes it describes, or not at all."""
        ...

    def transaction(self) -> AbstractContextManager[None]:
        """Group the writes of one use case: all are kept, or none (nesting joins the
        enclosing transaction)."""
        ...


NO_USER_ID = 0
"""The id a read uses for a user not in the store yet: no record carries it, so the read finds
nothing and creates nothing (stores number users from 1)."""


class Storage(Protocol):
    """The whole store: users by name, and each runner's record."""

    def user_id(self, name: str) -> int:
        """The id of the named user, created on first use (only for a use case that writes)."""
        ...

    def find_user(self, name: str) -> int | None:
        """The id of the named user, or None if there is none yet: never creates one."""
        ...

    def for_runner(self, user_id: int) -> RunnerStore: ...

    def audit(self) -> AuditLog:
        """The whole audit log (every runner's), on its own connection."""
        ...


@dataclass(frozen=True, slots=True)
class KeptAnswer:
    """What is kept under an idempotency key: the digest of the request it came with, and
    the answer given (None while the first request is still being answered)."""

    fingerprint: str
    status: int | None = None
    body: bytes | None = None
    media_type: str | None = None


class IdempotencyStore(Protocol):
    """The API's idempotency keys, per account, each kept until it expires."""

    def claim(
        self, user_id: int, key: str, fingerprint: str, now: dt.datetime, expires_at: dt.datetime
    ) -> KeptAnswer | None:
        """Claim a key for a request (None: it is this request's now), or what is kept under
        it already; a key past its expiry is forgotten first. Two requests claiming the same
        key at the same moment: one gets None, the other what the first claimed."""
        ...

    def keep(self, user_id: int, key: str, status: int, body: bytes, media_type: str) -> None:
        """Keep the answer given to the request that claimed the key."""
        ...

    def release(self, user_id: int, key: str) -> None:
        """Forget a claim whose request could not be answered, so a retry runs again."""
        ...


@dataclass(frozen=True, slots=True)
class QueuedMail:
    """A message in the outbox, with how many times sending it failed."""

    id: int
    mail: Mail
    attempts: int


class Outbox(Protocol):
    """Emails waiting to go. Queued where they are caused, sent later by a sender outside
    any request; a message is claimed before it is sent, so two senders (two processes)
    never send it twice."""

    def queue(self, mail: Mail, now: dt.datetime) -> None: ...

    def claim_due(self, now: dt.datetime, hold: dt.timedelta, limit: int) -> list[QueuedMail]:
        """Messages due by ``now``, each held for this sender for ``hold``."""
        ...

    def sent(self, mail_id: int, now: dt.datetime) -> None: ...

    def failed(
        self, mail_id: int, error: str, now: dt.datetime, next_try: dt.datetime | None
    ) -> None:
        """A failed try; ``next_try`` None gives the message up."""
        ...

    def counts(self) -> dict[str, int]:
        """How many are waiting, sent and given up."""
        ...


@dataclass(frozen=True, slots=True)
class JobInput:
    """One file of a job, by the name the person gave it and where it waits in the job's
    folder (a path relative to that folder)."""

    name: str
    path: str


@dataclass(frozen=True, slots=True)
class JobProgress:
    """How far a job has got: files read of those found, and what became of them."""

    files_done: int = 0
    files_total: int = 0
    files_failed: int = 0
    added: int = 0
    merged: int = 0
    waiting_until: dt.datetime | None = None
    """While the job waits on limits that are not its own (Strava's next window), until
    when; None while it works."""


@dataclass(frozen=True, slots=True)
class Job:
    """A job as kept: queued by a request, run by a worker (services.jobs)."""

    id: int
    user_id: int
    kind: str
    state: str
    """queued, running, done, failed or abandoned."""
    folder: str
    """The job's folder under the jobs directory, holding its inputs until it ends."""
    inputs: tuple[JobInput, ...]
    progress: JobProgress
    result: dict[str, Any] | None
    error: str | None
    attempts: int
    created_at: dt.datetime
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    lease_owner: str | None = None
    lease_until: dt.datetime | None = None


class JobQueue(Protocol):
    """Long work, kept in the database: queued by a request, taken by one worker at a time
    (a worker holds a job by a lease it renews as it goes; a job whose lease ran out, its
    worker killed, is taken again), with its progress and its result."""

    def queue(
        self, user_id: int, kind: str, folder: str, inputs: Sequence[JobInput], now: dt.datetime
    ) -> int:
        """A new job, queued; its id."""
        ...

    def queue_once(self, user_id: int, kind: str, now: dt.datetime) -> int | None:
        """A new job without inputs, queued unless one of ``kind`` for ``user_id`` is still
        queued or running; its id, or None when one already waits."""
        ...

    def claim(
        self, worker: str, now: dt.datetime, lease: dt.timedelta, *, job_id: int | None = None
    ) -> Job | None:
        """The oldest job waiting (queued, or running with its lease run out), now held by
        ``worker`` until ``now + lease``, its attempts counted; None when none waits. Of
        workers racing for a job, exactly one gets it. With ``job_id``, that job only (a
        command running the job it queued)."""
        ...

    def progress(
        self, job_id: int, worker: str, progress: JobProgress, now: dt.datetime, lease: dt.timedelta
    ) -> bool:
        """Keep a running job's progress and renew its lease; False when ``worker`` no
        longer holds it."""
        ...

    def finish(
        self,
        job_id: int,
        worker: str,
        progress: JobProgress,
        result: dict[str, Any],
        now: dt.datetime,
    ) -> bool:
        """The job is done with ``result``; False when ``worker`` no longer holds it."""
        ...

    def fail(self, job_id: int, worker: str, error: str, now: dt.datetime, *, retry: bool) -> bool:
        """The job stopped on an error: queued again to be retried, or failed for good."""
        ...

    def get(self, user_id: int, job_id: int) -> Job | None:
        """``user_id``'s job, or None (someone else's is None too)."""
        ...

    def latest(self, user_id: int, kind: str) -> Job | None:
        """``user_id``'s newest job of ``kind``, or None."""
        ...

    def abandon(self, now: dt.datetime, queued_before: dt.datetime, attempts: int) -> list[Job]:
        """Give up the jobs that cannot finish: their lease run out (their worker killed)
        after ``attempts`` tries, or queued since before ``queued_before``; the jobs given
        up (whose files can go)."""
        ...


class MailNotSent(Exception):
    """The mail server refused the message or could not be reached; the text says why."""


class MailTransport(Protocol):
    def send(self, mail: Mail, sender: str) -> None:
        """Hand the message to the mail server, or raise MailNotSent."""
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
    """A clock that always says the same day: for tests, demonstrations and `--date`."""

    day: dt.date

    def today(self) -> dt.date:
        return self.day

    def now(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.time(12, 0), tzinfo=dt.UTC)


# accounts ---------------------------------------------------------------------------------
class OwnerExists(Exception):
    """A second owner was refused: the first run happens once, whoever is first."""


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    name: str
    role: str
    password_hash: str | None
    email: str | None = None


@dataclass(frozen=True, slots=True)
class KeptSession:
    """A signed-in browser session as its account sees it: ``key`` names it (a short part
    of its token's hash, never the token)."""

    key: str
    created_at: dt.datetime
    expires_at: dt.datetime


@dataclass(frozen=True, slots=True)
class KeptToken:
    """An API token as its account sees it: ``key`` names it (a short part of its hash)."""

    key: str
    name: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class Member:
    """An account of the clinic, as another account may see it: no hash, no address."""

    id: int
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class Followed:
    """A runner a clinician follows: the name, and the data revision of their record (raised
    by the database on every change to it), which keys what is kept of it in memory."""

    id: int
    name: str
    revision: int


class AccountStore(Protocol):
    """Accounts, their sessions, tokens, invitations and who follows whom. Tokens are never
    kept, only their SHA-256 (``token_hash``). Every method that writes is one transaction."""

    def has_accounts(self) -> bool: ...

    def account(self, name: str) -> Account | None: ...

    def account_by_id(self, user_id: int) -> Account | None: ...

    def create(self, name: str, role: str, password_hash: str, now: dt.datetime) -> int:
        """A new account; OwnerExists for a second owner."""
        ...

    def start_session(
        self, token_hash: str, user_id: int, csrf: str, now: dt.datetime, expires_at: dt.datetime
    ) -> None: ...

    def session(self, token_hash: str, now: dt.datetime) -> WebSession | None: ...

    def end_session(self, token_hash: str) -> None: ...

    def sessions_of(self, user_id: int, now: dt.datetime) -> list[tuple[str, KeptSession]]:
        """The account's open sessions, newest first, each with its token hash."""
        ...

    def end_sessions(self, user_id: int, token_hashes: Sequence[str] | None) -> int:
        """End these sessions of the account (all of them for None); how many ended."""
        ...

    def set_password(self, user_id: int, password_hash: str, keep_session: str | None) -> None:
        """A new password; every session of the account but ``keep_session`` ends with it."""
        ...

    def record_login_failure(self, account: str | None, client: str, at: dt.datetime) -> None: ...

    def login_failures(
        self, account: str, client: str, since: dt.datetime
    ) -> tuple[list[dt.datetime], list[dt.datetime]]: ...

    def clear_login_failures(self, account: str, before: dt.datetime) -> None: ...

    def name_of(self, user_id: int) -> str: ...

    def email_of(self, user_id: int) -> str | None: ...

    def set_email(
        self,
        user_id: int,
        email: str | None,
        mails: Sequence[Mail] = (),
        now: dt.datetime | None = None,
    ) -> None:
        """Set the address, and queue ``mails`` (at ``now``) in the same transaction."""
        ...

    def role_of(self, user_id: int) -> str: ...

    def exists(self, user_id: int) -> bool:
        """Whether an account has this id now."""
        ...

    def create_invite(
        self,
        token_hash: str,
        clinician_id: int,
        now: dt.datetime,
        expires_at: dt.datetime,
        role: str = "runner",
    ) -> None: ...

    def invite_role(self, token_hash: str, now: dt.datetime) -> str | None:
        """The role an open invitation makes ('runner' or 'clinician'); None if it is used,
        expired or unknown."""
        ...

    def redeem_invite(
        self, token_hash: str, name: str, password_hash: str, now: dt.datetime
    ) -> int | None: ...

    def followed(self, clinician_id: int) -> list[Followed]:
        """The runners a clinician follows, by name, with their data revisions (one query)."""
        ...

    def followed_by_anyone(self) -> list[Followed]:
        """Every runner some clinician follows, each once, with their data revisions."""
        ...

    def follows(self, clinician_id: int, runner_id: int) -> bool: ...

    def members(self, roles: Sequence[str]) -> list[Member]:
        """The clinic's accounts of these roles, by name."""
        ...

    def clinicians_of(self, runner_id: int) -> list[Account]:
        """The clinicians following a runner."""
        ...

    def hand_over(
        self,
        runner_id: int,
        giver: int,
        taker: int,
        entry: AuditEntry,
        mails: Sequence[Mail],
        now: dt.datetime,
    ) -> bool:
        """Move the runner from ``giver``'s care to ``taker``'s, with the audit entry and
        the notices, in one transaction; False if ``giver`` does not follow the runner."""
        ...

    def stop_care(
        self, runner_id: int, clinician_id: int, mails: Sequence[Mail], now: dt.datetime
    ) -> bool:
        """The runner leaves the clinician (with the notices), in one transaction; False if
        the clinician did not follow them."""
        ...

    def delete_account(self, user_id: int, mails: Sequence[Mail], now: dt.datetime) -> None:
        """Remove the account and everything kept of it, queueing the notices, in one
        transaction."""
        ...

    def create_api_token(
        self, token_hash: str, user_id: int, name: str, now: dt.datetime
    ) -> None: ...

    def api_token_user(self, token_hash: str) -> int | None: ...

    def api_tokens_of(self, user_id: int) -> list[tuple[str, KeptToken]]:
        """The account's API tokens, newest first, each with its hash."""
        ...

    def revoke_api_token(self, user_id: int, token_hash: str) -> bool: ...

    def record_reset(
        self,
        user_id: int | None,
        client: str,
        now: dt.datetime,
        token_hash: str | None,
        expires_at: dt.datetime | None,
        mail: Mail | None,
    ) -> None:
        """A password reset asked for (of an unknown name too, for the throttle), with its
        token and mail when one is sent, in one transaction."""
        ...

    def resets_since(self, user_id: int | None, client: str, since: dt.datetime) -> tuple[int, int]:
        """How many resets were asked for the account and from the client since ``since``."""
        ...

    def reset_open(self, token_hash: str, now: dt.datetime) -> bool: ...

    def redeem_reset(self, token_hash: str, password_hash: str, now: dt.datetime) -> int | None:
        """Set the password of an open reset's account, using the reset up and ending every
        session of the account; the account, or None if the reset is used, expired or
        unknown. One transaction."""
        ...

    def has_calendar_feed(self, user_id: int) -> bool: ...

    def set_calendar_feed(self, user_id: int, token_hash: str | None, now: dt.datetime) -> None: ...

    def calendar_feed_user(self, token_hash: str) -> int | None: ...


# strava -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class StravaTokens:
    """An access token, the refresh token that renews it, and when the access token ends."""

    access_token: str
    refresh_token: str
    expires_at: dt.datetime


@dataclass(frozen=True, slots=True)
class StravaGrant:
    """What a runner's consent gives: tokens, who they are at Strava, and the scope."""

    tokens: StravaTokens
    athlete_id: int
    athlete_name: str
    scope: str


@dataclass(frozen=True, slots=True)
class RateLimits:
    """Strava's announced limits and usage (X-RateLimit-Limit / X-RateLimit-Usage): the
    15-minute window first, then the day; shared by every runner of a deployment."""

    short_limit: int
    short_usage: int
    daily_limit: int
    daily_usage: int


@dataclass(frozen=True, slots=True)
class KeptLimits:
    """The latest limits any runner's request saw, and when."""

    limits: RateLimits
    observed_at: dt.datetime


@dataclass(frozen=True, slots=True)
class StravaSummary:
    """One activity in Strava's list (its summary, before any stream is asked for)."""

    id: int
    sport_type: str
    name: str
    start: dt.datetime
    elapsed_s: float
    moving_s: float
    distance_m: float
    ascent_m: float | None = None
    avg_hr: float | None = None
    max_hr: float | None = None
    avg_cadence: float | None = None
    trainer: bool = False
    athlete_id: int | None = None
    """Whose activity it is (Strava's athlete id)."""


class StravaError(Exception):
    """Strava refused or could not answer; the text says why."""


class StravaUnauthorized(StravaError):
    """The token was refused (expired or revoked): refresh it, or connect again."""


class StravaRateLimited(StravaError):
    """429: over the announced limits."""

    def __init__(self, message: str, limits: RateLimits | None) -> None:
        super().__init__(message)
        self.limits = limits


class StravaUnavailable(StravaError):
    """A 5xx answer or no answer at all: worth trying again later."""


class StravaRefused(StravaError):
    """The refresh token was refused (the athlete revoked kneecoach, or the grant is gone):
    only connecting again brings the runs back."""


class StravaNotFound(StravaError):
    """404: no such activity (deleted at Strava, or not this athlete's)."""


@dataclass(frozen=True, slots=True)
class StravaEvent:
    """One push event of Strava's webhook subscription, as Strava sends it."""

    object_type: str
    """activity or athlete."""
    aspect_type: str
    """create, update or delete."""
    object_id: int
    owner_id: int
    """The athlete's id."""
    subscription_id: int
    event_time: int
    updates: dict[str, str] = field(default_factory=dict)
    """What changed: title, type (the sport), private; authorized=false for an athlete who
    revoked kneecoach."""


class StravaApi(Protocol):
    """Strava's API as kneecoach uses it (integrations.strava; a fake for trying it)."""

    def authorize_url(self, redirect_uri: str, state: str) -> str:
        """Where a runner gives consent (scope activity:read_all)."""
        ...

    def exchange(self, code: str) -> StravaGrant:
        """The tokens for an authorization code."""
        ...

    def refresh(self, refresh_token: str) -> StravaTokens:
        """New tokens for a refresh token."""
        ...

    def deauthorize(self, access_token: str) -> None:
        """Revoke the application's access for this athlete."""
        ...

    def activities(
        self,
        access_token: str,
        *,
        before: int | None,
        page: int,
        per_page: int,
        after: int | None = None,
    ) -> tuple[list[StravaSummary], RateLimits | None]:
        """One page of the athlete's activities started before ``before`` and after
        ``after`` (epoch seconds), and the limits the answer announced. Newest first, but
        oldest first when only ``after`` is given (as Strava answers)."""
        ...

    def activity(
        self, access_token: str, summary: StravaSummary, *, streams: bool
    ) -> tuple[Activity, RateLimits | None]:
        """The activity as the importers give it: from its streams (one request) when
        ``streams``, else from the summary alone (no request, no limits)."""
        ...

    def summary(
        self, access_token: str, activity_id: int
    ) -> tuple[StravaSummary, RateLimits | None]:
        """One activity's summary (``GET /activities/{id}``): the activity a webhook named."""
        ...


@dataclass(frozen=True, slots=True)
class StravaConnection:
    """A runner's Strava connection and how far its history sync has got."""

    user_id: int
    athlete_id: int
    athlete_name: str
    scope: str
    tokens: StravaTokens
    connected_at: dt.datetime
    history_from: dt.date
    """The oldest day the runner asked for."""
    reached: dt.datetime | None
    """The start of the oldest activity synced so far (the sync resumes before it)."""
    newest: dt.datetime | None
    """The start of the newest activity synced (new ones are those after it)."""
    history_done: bool
    synced: int
    """Activities kept from Strava so far."""
    last_sync_at: dt.datetime | None
    reconnect: str | None = None
    """Why the runner must connect again (Strava refused the refresh token, or the athlete
    revoked kneecoach there, or the tokens cannot be read); None while the connection works."""
    tokens_unreadable: bool = False
    """The tokens were sealed with another key (KNEECOACH_SECRET_KEY changed): kneecoach's
    access at Strava may still stand, and kneecoach cannot revoke it."""


class StravaStore(Protocol):
    """Strava connections (tokens encrypted at rest) and the deployment's shared limits."""

    def connection(self, user_id: int) -> StravaConnection | None: ...

    def connect(
        self, user_id: int, grant: StravaGrant, history_from: dt.date, now: dt.datetime
    ) -> None:
        """Keep a new connection (replacing an earlier one), its sync not started."""
        ...

    def set_tokens(self, user_id: int, tokens: StravaTokens) -> None: ...

    def progress(
        self, user_id: int, reached: dt.datetime | None, added: int, done: bool, now: dt.datetime
    ) -> None:
        """The history synced back to ``reached``, ``added`` more activities kept."""
        ...

    def set_newest(self, user_id: int, newest: dt.datetime) -> None:
        """The newest activity synced started at ``newest``."""
        ...

    def connected(self) -> list[int]:
        """Every runner with a working Strava connection (none that needs connecting
        again)."""
        ...

    def needs_reconnect(self, user_id: int, reason: str, now: dt.datetime) -> None:
        """The connection no longer works: its tokens deleted, the reason kept, until the
        runner connects again."""
        ...

    def runner_of(self, athlete_id: int) -> int | None:
        """The runner connected as Strava's athlete ``athlete_id``, or None."""
        ...

    def disconnect(self, user_id: int) -> bool:
        """Forget the connection and its tokens; False when there was none."""
        ...

    def limits(self) -> KeptLimits | None: ...

    def observe(self, limits: RateLimits, now: dt.datetime) -> None:
        """Keep the limits an answer announced (the latest answer wins)."""
        ...
