"""Connect Strava and sync a runner's history from it, as a good citizen of its API.

The history is read newest first, a page of summaries at a time, back to the day the runner
chose; a run's streams are asked for once (other sports keep their summary: no request).
Each activity is kept like a file's (services.runs: one activity whatever its sources,
domain.merging), under the source ``strava/ID``. After every activity the connection keeps
how far back it has got, so a sync cut short (a worker killed, a 5xx too many) resumes
where it stopped.

Before every request the limits Strava last announced to the deployment (kept in the
database by whichever runner's sync saw them) are read, and the sync waits for the next
window when they are nearly used up: every runner of a deployment stays within the
application's limits together. A 429 waits for the next window; a 5xx or no answer is
tried again after a growing pause with jitter. Access tokens are refreshed shortly before
they expire, and once more if Strava refuses one.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from kneecoach.domain.activity import Activity, Sport
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.merging import Outcome
from kneecoach.domain.plausibility import implausibility
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import (
    ImportedFile,
    Job,
    JobProgress,
    JobQueue,
    KeptLimits,
    RateLimits,
    StravaApi,
    StravaConnection,
    StravaError,
    StravaRateLimited,
    StravaStore,
    StravaSummary,
    StravaTokens,
    StravaUnauthorized,
    StravaUnavailable,
)

T = TypeVar("T")

STRAVA_SYNC = "strava-sync"
"""The kind of job that syncs a runner's Strava history."""
PER_PAGE = 200
"""Summaries asked for at a time: Strava's most, so the fewest requests."""
HISTORY_DAYS = 730
"""How far back a sync reaches unless the runner says otherwise (kneecoach default: two
years, enough for the load's chronic window and a season's pattern)."""
REFRESH_MARGIN = dt.timedelta(minutes=5)
"""An access token this close to its end is refreshed before it is used (kneecoach default)."""
RESERVE = 2
"""Requests left unused in each window, for the runner's other requests and the races
between two syncs (kneecoach default)."""
SHORT_WINDOW_S = 900
"""Strava's short window: 15 minutes, starting at :00, :15, :30 and :45."""
TRIES = 6
"""A request answered with 5xx (or not at all) is tried this many times in all."""
BACKOFF_S = 2.0
BACKOFF_CAP_S = 120.0
"""The pause before try n is up to min(cap, base × 2ⁿ) seconds, of which a random part
('full jitter'), so many syncs that failed together do not come back together."""
LIMITED_TRIES = 4
"""429s in a row before a sync stops (resumable) instead of waiting again: Strava counts
something this deployment cannot see."""
MAX_WAIT_S = 16 * 60.0
"""A sync waits for the next 15-minute window; a longer wait (the day's limit used up)
stops it, resumable, instead of holding a worker for hours."""
SYNC_SOURCE_PREFIX = "strava/"


def source_name(activity_id: int) -> str:
    """The source an activity synced from Strava is listed under."""
    return f"{SYNC_SOURCE_PREFIX}{activity_id}"


class StravaOff(InvalidInput):
    """Strava is not set up for this deployment (client id, secret or key unset)."""


class NotConnected(InvalidInput):
    """The runner has not connected Strava."""


class SyncPaused(Exception):
    """The day's limit is used up: the sync stops here and resumes after ``until``."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(f"Strava's limits are used up until {until:%Y-%m-%d %H:%M} UTC")
        self.until = until


@dataclass
class StravaLink:
    """What the Strava use cases need: the API, the kept connections, a clock for tokens
    and limits (real time: Strava's), a way to wait, and the jitter's randomness."""

    api: StravaApi
    store: StravaStore
    now: Callable[[], dt.datetime] = field(default=lambda: dt.datetime.now(dt.UTC))
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)


# the API's etiquette: pure --------------------------------------------------------------
def next_window(now: dt.datetime) -> dt.datetime:
    """The start of Strava's next 15-minute window."""
    epoch = int(now.timestamp())
    return dt.datetime.fromtimestamp((epoch // SHORT_WINDOW_S + 1) * SHORT_WINDOW_S, dt.UTC)


def next_day(now: dt.datetime) -> dt.datetime:
    """The start of the next UTC day (Strava's daily window)."""
    day = now.astimezone(dt.UTC).date() + dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)


def ready_at(kept: KeptLimits | None, now: dt.datetime) -> dt.datetime:
    """When the next request may go: now, unless the limits last announced (in the window
    that is still running) leave no more than :data:`RESERVE` requests."""
    if kept is None:
        return now
    seen, limits = kept.observed_at, kept.limits
    if seen.astimezone(dt.UTC).date() == now.astimezone(dt.UTC).date() and (
        limits.daily_usage >= limits.daily_limit - RESERVE
    ):
        return next_day(now)
    if next_window(seen) == next_window(now) and limits.short_usage >= limits.short_limit - RESERVE:
        return next_window(now)
    return now


def after_429(limits: RateLimits | None, now: dt.datetime) -> dt.datetime:
    """When to ask again after a 429: the next day when the day's limit is the one used up,
    else the next 15-minute window."""
    if limits is not None and limits.daily_usage >= limits.daily_limit:
        return next_day(now)
    return next_window(now)


def backoff_s(attempt: int, rng: random.Random) -> float:
    """The pause before try ``attempt`` + 1 after a 5xx: full jitter."""
    return rng.uniform(0, min(BACKOFF_CAP_S, BACKOFF_S * 2**attempt))


# views -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class StravaStatus:
    """A runner's Strava connection as every face shows it."""

    enabled: bool
    """Strava is set up for this deployment."""
    connected: bool
    athlete_id: int | None = None
    athlete_name: str | None = None
    connected_at: dt.datetime | None = None
    history_from: dt.date | None = None
    reached: dt.date | None = None
    """The day of the oldest activity synced so far."""
    history_done: bool = False
    synced: int = 0
    last_sync_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What a sync did: activities read from Strava and what became of them."""

    seen: int = 0
    added: int = 0
    merged: int = 0
    already_kept: int = 0
    refused: int = 0
    """Activities a file would be refused for (an impossible clock or GPS): not kept."""
    streams: int = 0
    """Streams asked for (one per run)."""
    reached: dt.date | None = None
    done: bool = False
    """The whole history back to the chosen day is synced."""
    paused_until: dt.datetime | None = None
    """The day's limit ran out: the sync resumes after this."""

    def document(self) -> dict[str, Any]:
        return {
            "seen": self.seen,
            "added": self.added,
            "merged": self.merged,
            "already_kept": self.already_kept,
            "refused": self.refused,
            "streams": self.streams,
            "reached": None if self.reached is None else self.reached.isoformat(),
            "done": self.done,
            "paused_until": None if self.paused_until is None else self.paused_until.isoformat(),
        }


def status(link: StravaLink | None, user_id: int) -> StravaStatus:
    if link is None:
        return StravaStatus(enabled=False, connected=False)
    found = link.store.connection(user_id)
    if found is None:
        return StravaStatus(enabled=True, connected=False)
    return StravaStatus(
        enabled=True,
        connected=True,
        athlete_id=found.athlete_id,
        athlete_name=found.athlete_name,
        connected_at=found.connected_at,
        history_from=found.history_from,
        reached=None if found.reached is None else found.reached.date(),
        history_done=found.history_done,
        synced=found.synced,
        last_sync_at=found.last_sync_at,
    )


# connect and disconnect ------------------------------------------------------------------
def new_state() -> str:
    """The OAuth ``state``: ties the redirect to the request that asked for it."""
    return secrets.token_urlsafe(16)


def history_start(today: dt.date, since: dt.date | None) -> dt.date:
    """The oldest day to sync: the runner's choice, else :data:`HISTORY_DAYS` back."""
    if since is None:
        return today - dt.timedelta(days=HISTORY_DAYS)
    if since > today:
        raise InvalidInput(f"the day to sync from ({since}) is after today ({today})")
    return since


def connect(
    link: StravaLink | None, runner: RunnerContext, code: str, since: dt.date | None = None
) -> StravaStatus:
    """Exchange the authorization code for tokens and keep them (encrypted); the history
    sync is queued by the caller (:func:`queue_sync`)."""
    link = need(link)
    code = code.strip()
    if not code or len(code) > 200 or not code.isascii() or not code.isprintable():
        raise InvalidInput("the authorization code is empty or not one Strava gives")
    start = history_start(runner.clock.today(), since)
    grant = link.api.exchange(code)
    runner.stored_profile()
    link.store.connect(runner.user_id, grant, start, link.now())
    return status(link, runner.user_id)


@dataclass(frozen=True, slots=True)
class Disconnected:
    was_connected: bool
    revoked: bool
    """Strava confirmed the revocation (False: it could not be reached; tokens deleted)."""
    error: str | None = None


def disconnect(link: StravaLink | None, user_id: int) -> Disconnected:
    """Revoke kneecoach's access at Strava and delete the tokens (deleted even when Strava
    cannot be reached: the runner's wish to disconnect stands)."""
    link = need(link)
    found = link.store.connection(user_id)
    if found is None:
        return Disconnected(False, False)
    error = None
    try:
        tokens = found.tokens
        if tokens.expires_at - link.now() <= REFRESH_MARGIN:  # an expired one revokes nothing
            tokens = link.api.refresh(tokens.refresh_token)
        link.api.deauthorize(tokens.access_token)
        revoked = True
    except StravaUnauthorized:
        revoked = True  # the token was already dead: nothing left to revoke
    except StravaError as failure:
        revoked, error = False, str(failure)
    link.store.disconnect(user_id)
    return Disconnected(True, revoked, error)


def need(link: StravaLink | None) -> StravaLink:
    if link is None:
        raise StravaOff(
            "Strava is off: set KNEECOACH_STRAVA_CLIENT_ID, KNEECOACH_STRAVA_CLIENT_SECRET "
            "and KNEECOACH_SECRET_KEY (see the README's settings)"
        )
    return link


# sync -------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SyncProgress:
    seen: int
    added: int
    merged: int
    reached: dt.date | None


class _Session:
    """One sync's requests: fresh tokens, the shared limits, and the retries."""

    def __init__(self, link: StravaLink, connection: StravaConnection) -> None:
        self.link = link
        self.user_id = connection.user_id
        self.tokens: StravaTokens = connection.tokens

    def token(self) -> str:
        if self.tokens.expires_at - self.link.now() <= REFRESH_MARGIN:
            self._refresh()
        return self.tokens.access_token

    def _refresh(self) -> None:
        self.tokens = self._retrying(lambda: self.link.api.refresh(self.tokens.refresh_token))
        self.link.store.set_tokens(self.user_id, self.tokens)

    def _wait_until(self, moment: dt.datetime) -> None:
        wait = (moment - self.link.now()).total_seconds()
        if wait <= 0:
            return
        if wait > MAX_WAIT_S:
            raise SyncPaused(moment)
        self.link.sleep(wait + self.link.rng.uniform(0, 5))

    def _retrying(self, call: Callable[[], T]) -> T:
        for attempt in range(TRIES):
            try:
                return call()
            except StravaUnavailable:
                if attempt == TRIES - 1:
                    raise
                self.link.sleep(backoff_s(attempt, self.link.rng))
        raise AssertionError("unreachable")

    def ask(self, call: Callable[[str], tuple[T, RateLimits | None]]) -> T:
        """One API request within the shared limits, refreshed once if the token is
        refused, tried again on 429 and 5xx."""
        refreshed = False
        attempt = limited_in_a_row = 0
        while True:
            self._wait_until(ready_at(self.link.store.limits(), self.link.now()))
            try:
                value, limits = call(self.token())
            except StravaRateLimited as limited:
                if limited.limits is not None:
                    self.link.store.observe(limited.limits, self.link.now())
                limited_in_a_row += 1
                again = after_429(limited.limits, self.link.now())
                if limited_in_a_row >= LIMITED_TRIES:
                    raise SyncPaused(again) from None
                self._wait_until(again)
                continue
            except StravaUnavailable:
                if attempt == TRIES - 1:
                    raise
                self.link.sleep(backoff_s(attempt, self.link.rng))
                attempt += 1
                continue
            except StravaUnauthorized:
                if refreshed:
                    raise
                refreshed = True
                self._refresh()
                continue
            if limits is not None:
                self.link.store.observe(limits, self.link.now())
            return value


def sync_history(
    link: StravaLink | None,
    runner: RunnerContext,
    on_progress: Callable[[SyncProgress], None] = lambda progress: None,
) -> SyncReport:
    """Sync the runner's activities: first those started since the newest one synced (the
    poll that brings new runs, oldest first), then the history from where the last sync
    stopped back to the chosen day (newest first), keeping each activity as it comes."""
    link = need(link)
    connection = link.store.connection(runner.user_id)
    if connection is None:
        raise NotConnected("Strava is not connected: run 'kneecoach strava connect' first")
    sync = _Sync(link, runner, connection, on_progress)
    try:
        if connection.newest is not None:
            sync.new_since(connection.newest)
        if not connection.history_done:
            sync.history(connection.reached)
    except SyncPaused as paused:
        return sync.report(paused.until)
    return sync.report(None)


class _Sync:
    def __init__(
        self,
        link: StravaLink,
        runner: RunnerContext,
        connection: StravaConnection,
        on_progress: Callable[[SyncProgress], None],
    ) -> None:
        self.link, self.runner, self.on_progress = link, runner, on_progress
        self.user_id = runner.user_id
        self.session = _Session(link, connection)
        self.oldest = dt.datetime.combine(connection.history_from, dt.time(0), tzinfo=dt.UTC)
        self.reached = connection.reached
        self.newest = connection.newest
        self.done = connection.history_done
        self.today = runner.clock.today()
        self.counts = dict.fromkeys(
            ("seen", "added", "merged", "already_kept", "refused", "streams"), 0
        )

    def report(self, paused: dt.datetime | None) -> SyncReport:
        reached = None if self.reached is None else self.reached.date()
        return SyncReport(**self.counts, reached=reached, done=self.done, paused_until=paused)

    def _kept(self, summary: StravaSummary) -> bool:
        outcome = _keep(self.link, self.session, self.runner, summary, self.today, self.counts)
        if self.newest is None or summary.start > self.newest:
            self.newest = summary.start
            self.link.store.set_newest(self.user_id, summary.start)
        return outcome is not None

    def _told(self, moment: dt.datetime) -> None:
        c = self.counts
        self.on_progress(SyncProgress(c["seen"], c["added"], c["merged"], moment.date()))

    def new_since(self, newest: dt.datetime) -> None:
        """The activities started after ``newest``: Strava gives them oldest first."""
        after = newest
        while True:
            page = self.session.ask(partial(_page, self.link.api, None, after))
            page = [s for s in page if s.start > after]
            if not page:
                return
            for summary in sorted(page, key=lambda s: s.start):
                kept = self._kept(summary)
                after = summary.start
                self.link.store.progress(self.user_id, None, int(kept), self.done, self.link.now())
                self._told(summary.start)

    def history(self, cursor: dt.datetime | None) -> None:
        """Back in time from ``cursor`` (from now, without one) to the chosen day."""
        while True:
            page = self.session.ask(partial(_page, self.link.api, cursor, None))
            page = [s for s in page if cursor is None or s.start < cursor]
            if not page:
                break
            for summary in page:
                if summary.start < self.oldest:
                    self.done = True
                    self.link.store.progress(self.user_id, cursor, 0, True, self.link.now())
                    return
                kept = self._kept(summary)
                cursor = self.reached = summary.start
                self.link.store.progress(self.user_id, cursor, int(kept), False, self.link.now())
                self._told(summary.start)
        self.done = True
        self.link.store.progress(self.user_id, cursor, 0, True, self.link.now())


def _page(
    api: StravaApi, before: dt.datetime | None, after: dt.datetime | None, token: str
) -> tuple[list[StravaSummary], RateLimits | None]:
    """The first page of summaries started before ``before`` / after ``after``."""
    return api.activities(
        token,
        before=None if before is None else int(before.timestamp()),
        after=None if after is None else int(after.timestamp()),
        page=1,
        per_page=PER_PAGE,
    )


def _keep(
    link: StravaLink,
    session: _Session,
    runner: RunnerContext,
    summary: StravaSummary,
    today: dt.date,
    counts: dict[str, int],
) -> Outcome | None:
    """Read one activity (its streams only if it is a run) and keep it like a file's."""
    counts["seen"] += 1
    is_run = Sport.parse(summary.sport_type) is Sport.RUN
    activity: Activity = session.ask(
        lambda token: link.api.activity(token, summary, streams=is_run)
    )
    if is_run:
        counts["streams"] += 1
    if implausibility(activity, today):
        counts["refused"] += 1
        return None
    with runner.store.transaction():
        (outcome,) = runner.store.activities.add(ImportedFile(source_name(summary.id), (activity,)))
    key = {Outcome.ADDED: "added", Outcome.MERGED: "merged"}.get(outcome, "already_kept")
    counts[key] += 1
    return outcome


# the background job ----------------------------------------------------------------------
def queue_sync(
    runner: RunnerContext, link: StravaLink | None, queue: JobQueue, now: dt.datetime
) -> int:
    """Queue the sync of the runner's history for a worker; the job's id."""
    link = need(link)
    if link.store.connection(runner.user_id) is None:
        raise NotConnected("Strava is not connected: run 'kneecoach strava connect' first")
    return queue.queue(runner.user_id, STRAVA_SYNC, "", (), now)


POLL_EVERY = dt.timedelta(hours=1)
"""How often a worker asks Strava for every connected runner's new activities, the
fallback when no webhook reaches the deployment (kneecoach default: one list request a
runner an hour, well within any application's limits)."""


def queue_polls(link: StravaLink | None, queue: JobQueue, now: dt.datetime) -> int:
    """Queue a sync for every connected runner who has none waiting; how many were queued
    (none when Strava is off)."""
    if link is None:
        return 0
    return sum(
        queue.queue_once(user_id, STRAVA_SYNC, now) is not None
        for user_id in link.store.connected()
    )


def run_sync_job(
    job: Job,
    queue: JobQueue,
    runner: RunnerContext,
    link: StravaLink | None,
    worker: str,
    now: Callable[[], dt.datetime],
    *,
    lease: dt.timedelta,
    every_s: float = 0.5,
) -> str:
    """Run a claimed sync job, its progress kept and its lease renewed as it goes (also
    while it waits for Strava's next window): done, queued again, failed, or lost."""
    from kneecoach.services.jobs import TRIES as JOB_TRIES
    from kneecoach.services.jobs import LeaseLost, _Heartbeat

    beat = _Heartbeat(queue, job.id, worker, now, lease, every_s, 0)

    def on_progress(progress: SyncProgress) -> None:
        beat.latest = JobProgress(progress.seen, progress.seen, 0, progress.added, progress.merged)
        if beat.lost:
            raise LeaseLost

    try:
        with beat:
            report = sync_history(link, runner, on_progress)
    except LeaseLost:
        return "lost"
    except Exception as error:  # kept with the job; tried again, from where it stopped
        retry = job.attempts < JOB_TRIES and not isinstance(error, InvalidInput)
        if not queue.fail(job.id, worker, f"{type(error).__name__}: {error}", now(), retry=retry):
            return "lost"
        return "queued" if retry else "failed"
    done = JobProgress(report.seen, report.seen, report.refused, report.added, report.merged)
    if not queue.finish(job.id, worker, done, report.document(), now()):
        return "lost"
    return "done"
