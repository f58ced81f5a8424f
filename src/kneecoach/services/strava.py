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

import base64
import datetime as dt
import hashlib
import hmac
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from kneecoach.domain.activity import Activity, Sport
from kneecoach.domain.digits import ascii_digits
from kneecoach.domain.errors import InvalidInput
from kneecoach.domain.merging import Outcome, Revision
from kneecoach.domain.plausibility import implausibility
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import (
    ImportedFile,
    Job,
    JobInput,
    JobProgress,
    JobQueue,
    KeptLimits,
    RateLimits,
    StravaApi,
    StravaConnection,
    StravaError,
    StravaEvent,
    StravaNotFound,
    StravaRateLimited,
    StravaRefused,
    StravaStore,
    StravaSummary,
    StravaTokens,
    StravaUnauthorized,
    StravaUnavailable,
)

if TYPE_CHECKING:
    from kneecoach.services.jobs import JobView

T = TypeVar("T")

STRAVA_SYNC = "strava-sync"
"""The kind of job that syncs a runner's Strava history."""
STRAVA_FETCH = "strava-activity"
"""The kind of job that fetches one activity a webhook event named."""
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


class NeedsReconnect(NotConnected):
    """The connection no longer works (Strava refused its refresh token, or the athlete
    revoked kneecoach there): only connecting again brings the runs back."""


class AthleteTaken(InvalidInput):
    """The Strava account is already connected to another kneecoach account."""


class ForgedState(InvalidInput):
    """An OAuth answer whose ``state`` is not one this session (or account) asked for."""


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
    state_key: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)
    """The key OAuth states are signed with (the deployment's KNEECOACH_SECRET_KEY)."""


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
    needs_reconnect: bool = False
    """The connection no longer works: the runner must connect again (its tokens are
    deleted, no sync or poll runs until then)."""
    reconnect_reason: str | None = None


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
        needs_reconnect=found.reconnect is not None,
        reconnect_reason=found.reconnect,
    )


# connect and disconnect ------------------------------------------------------------------
def new_state() -> str:
    """The OAuth ``state``: ties the redirect to the request that asked for it."""
    return secrets.token_urlsafe(16)


STATE_LIFETIME = dt.timedelta(minutes=30)
"""How long a 'Connect Strava' stays answerable: an OAuth ``state`` older than this (or
dated ahead of now) connects nothing, so one that leaked — in a browser's history, a log, a
shared screenshot — cannot later attach someone else's Strava to the account (kneecoach
default: time enough to sign in to Strava and agree)."""


def _signature(key: bytes, binding: str, nonce: str, issued: str) -> str:
    mac = hmac.new(
        key, f"strava-state\x00{binding}\x00{nonce}\x00{issued}".encode(), hashlib.sha256
    )
    return base64.urlsafe_b64encode(mac.digest()[:18]).decode()


def bound_state(link: StravaLink, binding: str) -> str:
    """An OAuth ``state`` bound to ``binding`` (a browser session's secret, or an account)
    and to the moment it was made: a random part, that moment, and their signature with the
    deployment's key, so an answer carrying a state made for another session, made up, or
    older than :data:`STATE_LIFETIME` is refused (no state is kept)."""
    nonce = secrets.token_urlsafe(12)
    issued = str(int(link.now().timestamp()))
    return f"{nonce}.{issued}.{_signature(link.state_key, binding, nonce, issued)}"


def state_holds(link: StravaLink, binding: str, state: str) -> bool:
    """Whether ``state`` was made by :func:`bound_state` for ``binding``, and is still
    fresh (at most :data:`STATE_LIFETIME` old)."""
    if len(state) > 200:
        return False
    nonce, _, rest = state.partition(".")
    issued, _, signature = rest.partition(".")
    if not nonce or not signature or not ascii_digits(issued):
        return False
    expected = _signature(link.state_key, binding, nonce, issued)
    if not hmac.compare_digest(signature.encode(), expected.encode()):
        return False
    age = link.now().timestamp() - int(issued)
    return -60 <= age <= STATE_LIFETIME.total_seconds()  # a minute's leeway for clocks


def authorize_address(link: StravaLink | None, redirect_uri: str, binding: str) -> str:
    """Where the runner gives consent, Strava then sending them to ``redirect_uri`` with a
    state bound to ``binding``."""
    link = need(link)
    return link.api.authorize_url(redirect_uri, bound_state(link, binding))


def account_binding(user_id: int) -> str:
    """What a state made for an account (through the API) is bound to."""
    return f"account:{user_id}"


def connect_answer(
    link: StravaLink | None,
    runner: RunnerContext,
    bindings: tuple[str, ...],
    *,
    state: str,
    code: str | None,
    error: str | None,
    since: dt.date | None = None,
) -> StravaStatus:
    """Strava's answer to a consent asked for with :func:`authorize_address`: ForgedState
    unless its state is bound to one of ``bindings`` (the browser's session, the signed-in
    account); InvalidInput when the runner refused (or Strava gave no code); else
    connected (the caller queues the history sync)."""
    link = need(link)
    if not any(state_holds(link, binding, state) for binding in bindings):
        raise ForgedState(
            "this answer does not belong to a 'Connect Strava' started here in the last "
            f"{STATE_LIFETIME.total_seconds() / 60:.0f} minutes, so nothing was connected: "
            "start again from Settings"
        )
    if error or not code:
        why = "you did not allow it" if error == "access_denied" else (error or "no code came")
        raise InvalidInput(f"Strava was not connected: {why}")
    return connect(link, runner, code, since)


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
    holder = link.store.runner_of(grant.athlete_id)
    if holder is not None and holder != runner.user_id:
        # one Strava account, one runner: its events (a deletion, a revocation) reach one
        # record, and one person's runs never land in someone else's. Its tokens are not
        # kept, and not revoked either: that would cut the other account's access too.
        raise AthleteTaken(
            f"this Strava account ({grant.athlete_name or grant.athlete_id}) is already "
            "connected to another kneecoach account: disconnect it there first, or sign in "
            "to Strava as yourself and connect again"
        )
    link.store.connect(runner.user_id, grant, start, link.now())
    return status(link, runner.user_id)


@dataclass(frozen=True, slots=True)
class Disconnected:
    was_connected: bool
    revoked: bool
    """Strava confirmed the revocation, or had ended the access already (False: it could not
    be reached, or kneecoach could not read its tokens to ask; the tokens are deleted)."""
    error: str | None = None


def disconnect(link: StravaLink | None, user_id: int) -> Disconnected:
    """Revoke kneecoach's access at Strava and delete the tokens (deleted even when Strava
    cannot be reached: the runner's wish to disconnect stands)."""
    link = need(link)
    found = link.store.connection(user_id)
    if found is None:
        return Disconnected(False, False)
    if found.tokens_unreadable:  # access may stand at Strava, and cannot be revoked from here
        link.store.disconnect(user_id)
        return Disconnected(True, False, found.reconnect)
    if found.reconnect is not None:  # Strava ended the access already: nothing to revoke
        link.store.disconnect(user_id)
        return Disconnected(True, True)
    error = None
    try:
        tokens = found.tokens
        if tokens.expires_at - link.now() <= REFRESH_MARGIN:  # an expired one revokes nothing
            tokens = link.api.refresh(tokens.refresh_token)
        link.api.deauthorize(tokens.access_token)
        revoked = True
    except (StravaUnauthorized, StravaRefused):
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
    waiting_until: dt.datetime | None = None
    """While the sync waits for Strava's next window of requests, until when (UTC)."""


class _Session:
    """One sync's requests: fresh tokens, the shared limits, and the retries."""

    def __init__(
        self,
        link: StravaLink,
        connection: StravaConnection,
        on_wait: Callable[[dt.datetime | None], None] = lambda until: None,
    ) -> None:
        self.link = link
        self.user_id = connection.user_id
        self.tokens: StravaTokens = connection.tokens
        self.on_wait = on_wait
        """Told when a wait for Strava's next window begins (until when) and ends (None)."""

    def token(self) -> str:
        if self.tokens.expires_at - self.link.now() <= REFRESH_MARGIN:
            self._refresh()
        return self.tokens.access_token

    def _refresh(self) -> None:
        try:
            self.tokens = self._retrying(lambda: self.link.api.refresh(self.tokens.refresh_token))
        except StravaRefused as refused:
            reason = "Strava no longer accepts kneecoach's access (removed on Strava, or lapsed)"
            self.link.store.needs_reconnect(self.user_id, reason, self.link.now())
            raise NeedsReconnect(f"{reason}: {refused}; connect Strava again") from None
        self.link.store.set_tokens(self.user_id, self.tokens)

    def _wait_until(self, moment: dt.datetime) -> None:
        wait = (moment - self.link.now()).total_seconds()
        if wait <= 0:
            return
        if wait > MAX_WAIT_S:
            raise SyncPaused(moment)
        pause = wait + self.link.rng.uniform(0, 5)
        self.on_wait(self.link.now() + dt.timedelta(seconds=pause))
        self.link.sleep(pause)
        self.on_wait(None)

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
    connection = working(link, runner.user_id)
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
        self.session = _Session(link, connection, self._waiting)
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
        return outcome in (Outcome.ADDED, Outcome.MERGED)  # counted once, however often seen

    def _told(self, moment: dt.datetime) -> None:
        c = self.counts
        self.on_progress(SyncProgress(c["seen"], c["added"], c["merged"], moment.date()))

    def _waiting(self, until: dt.datetime | None) -> None:
        c, reached = self.counts, None if self.reached is None else self.reached.date()
        self.on_progress(SyncProgress(c["seen"], c["added"], c["merged"], reached, until))

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
    """Read one activity (its streams only if it is a run) and keep it like a file's; one
    kept already (a webhook brought it, or a sync before) is not asked for again."""
    counts["seen"] += 1
    if runner.store.activities.has_source(source_name(summary.id)):
        counts["already_kept"] += 1
        return Outcome.ALREADY_KEPT
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
def working(link: StravaLink, user_id: int) -> StravaConnection:
    """The runner's connection, when it works: NotConnected without one, NeedsReconnect
    when it must be connected again."""
    connection = link.store.connection(user_id)
    if connection is None:
        raise NotConnected("Strava is not connected: run 'kneecoach strava connect' first")
    if connection.reconnect is not None:
        raise NeedsReconnect(
            f"Strava needs connecting again ({connection.reconnect}): run 'kneecoach strava "
            "connect' or use Connect Strava in Settings"
        )
    return connection


def queue_sync(
    runner: RunnerContext, link: StravaLink | None, queue: JobQueue, now: dt.datetime
) -> int:
    """Queue the sync of the runner's history for a worker; the job's id."""
    link = need(link)
    working(link, runner.user_id)
    return queue.queue(runner.user_id, STRAVA_SYNC, "", (), now)


def sync_job(runner: RunnerContext, queue: JobQueue) -> JobView | None:
    """The runner's newest Strava sync job (to show its progress), or None."""
    from kneecoach.services.jobs import _view

    found = queue.latest(runner.user_id, STRAVA_SYNC)
    return None if found is None else _view(found)


POLL_EVERY = dt.timedelta(hours=1)
"""How often a worker asks Strava for every connected runner's new activities, the
fallback when no webhook reaches the deployment (kneecoach default: one list request a
runner an hour, well within any application's limits)."""


def queue_polls(link: StravaLink | None, queue: JobQueue, now: dt.datetime) -> int:
    """Queue a sync for every connected runner who has none waiting and whose connection
    works; how many were queued (none when Strava is off)."""
    if link is None:
        return 0
    queued = 0
    for user_id in link.store.connected():
        found = link.store.connection(user_id)
        if found is None or found.reconnect is not None:  # tokens this key cannot read
            continue
        queued += queue.queue_once(user_id, STRAVA_SYNC, now) is not None
    return queued


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
        wait_changed = progress.waiting_until != beat.latest.waiting_until
        beat.latest = JobProgress(
            progress.seen,
            progress.seen,
            0,
            progress.added,
            progress.merged,
            progress.waiting_until,
        )
        if wait_changed:  # a wait begins or ends: its page says so now, not at the next beat
            beat.keep()
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


# webhooks ---------------------------------------------------------------------------------
def verify_subscription(
    expected: str | None, mode: str | None, token: str | None, challenge: str | None
) -> str:
    """Strava's check of a new push subscription: the challenge to echo, when the verify
    token is the deployment's; InvalidInput otherwise."""
    if (
        not expected
        or mode != "subscribe"
        or token is None
        or not hmac.compare_digest(token.encode(), expected.encode())
        or not challenge
        or len(challenge) > 200
    ):
        raise InvalidInput("not a subscription check of this deployment's verify token")
    return challenge


@dataclass(frozen=True, slots=True)
class EventOutcome:
    """What an event did: ``ignored`` (an athlete no runner connected, or a change that
    matters to nothing kept), ``queued`` (a fetch of the new activity, job ``job``),
    ``updated``, ``removed`` (the Strava copy forgotten; ``kept`` when a file still holds
    the activity), or ``revoked`` (the athlete removed kneecoach: reconnect)."""

    action: str
    user_id: int | None = None
    job: int | None = None
    kept: bool = False


def handle_event(
    link: StravaLink | None,
    event: StravaEvent,
    queue: JobQueue,
    runner_of: Callable[[int], RunnerContext],
    now: dt.datetime,
) -> EventOutcome:
    """One webhook event, answered at once: a new activity is queued for a worker to
    fetch; a change of title or sport, a deletion and a revocation are written here (one
    small transaction each, no request to Strava)."""
    if link is None:
        return EventOutcome("ignored")
    user_id = link.store.runner_of(event.owner_id)
    if user_id is None:
        return EventOutcome("ignored")
    connection = link.store.connection(user_id)
    if connection is None:
        return EventOutcome("ignored")
    if event.object_type == "athlete":
        if event.updates.get("authorized") == "false" and connection.reconnect is None:
            reason = "you removed kneecoach's access on Strava"
            link.store.needs_reconnect(user_id, reason, link.now())
            return EventOutcome("revoked", user_id)
        return EventOutcome("ignored", user_id)
    if connection.reconnect is not None:
        return EventOutcome("ignored", user_id)
    source = source_name(event.object_id)
    if event.aspect_type == "create":
        job = queue.queue(user_id, STRAVA_FETCH, "", (JobInput(str(event.object_id), ""),), now)
        return EventOutcome("queued", user_id, job)
    runner = runner_of(user_id)
    if event.aspect_type == "delete":
        revision: Revision | None = runner.store.activities.drop_source(source)
        if revision is None:
            return EventOutcome("ignored", user_id)
        return EventOutcome("removed", user_id, kept=not revision.gone)
    title = event.updates.get("title")
    sport_word = event.updates.get("sport_type") or event.updates.get("type")
    sport = None if sport_word is None else Sport.parse(sport_word)
    if title is None and sport is None:
        return EventOutcome("ignored", user_id)
    revision = runner.store.activities.revise_source(
        source, title=None if title is None else title[:200], sport=sport
    )
    if revision is None:  # not kept (a sport without streams never refused, or not synced yet)
        return EventOutcome("ignored", user_id)
    return EventOutcome("updated", user_id)


def fetch_activity(link: StravaLink | None, runner: RunnerContext, activity_id: int) -> SyncReport:
    """Fetch the one activity a webhook named (its summary, and its streams if a run) and
    keep it like a file's; one deleted at Strava before it was fetched is skipped."""
    link = need(link)
    connection = working(link, runner.user_id)
    session = _Session(link, connection)
    counts = dict.fromkeys(("seen", "added", "merged", "already_kept", "refused", "streams"), 0)
    try:
        summary = session.ask(partial(_one, link.api, activity_id))
    except StravaNotFound:
        return SyncReport(**counts, reached=None, done=True, paused_until=None)
    if summary.athlete_id is not None and summary.athlete_id != connection.athlete_id:
        # an event naming someone else's activity (forged, or Strava showing an activity
        # the runner may see but does not own): never kept in this runner's record
        counts["seen"], counts["refused"] = 1, 1
        return SyncReport(**counts, reached=None, done=True, paused_until=None)
    outcome = _keep(link, session, runner, summary, runner.clock.today(), counts)
    link.store.progress(
        runner.user_id, None, int(outcome is Outcome.ADDED), connection.history_done, link.now()
    )
    # 'newest' is left to the sync: an event Strava never delivered is still found by the
    # next poll, which asks for nothing kept already
    return SyncReport(**counts, reached=None, done=True, paused_until=None)


def _one(api: StravaApi, activity_id: int, token: str) -> tuple[StravaSummary, RateLimits | None]:
    return api.summary(token, activity_id)


def run_fetch_job(
    job: Job,
    queue: JobQueue,
    runner: RunnerContext,
    link: StravaLink | None,
    worker: str,
    now: Callable[[], dt.datetime],
) -> str:
    """Run a claimed fetch of one activity: done, queued again (Strava busy), or failed."""
    from kneecoach.services.jobs import TRIES as JOB_TRIES

    try:
        activity_id = int(job.inputs[0].name)
        report = fetch_activity(link, runner, activity_id)
    except Exception as error:  # kept with the job; tried again unless it cannot succeed
        retry = job.attempts < JOB_TRIES and not isinstance(
            error, (InvalidInput, ValueError, IndexError)
        )
        if not queue.fail(job.id, worker, f"{type(error).__name__}: {error}", now(), retry=retry):
            return "lost"
        return "queued" if retry else "failed"
    done = JobProgress(report.seen, 1, report.refused, report.added, report.merged)
    if not queue.finish(job.id, worker, done, report.document(), now()):
        return "lost"
    return "done"
