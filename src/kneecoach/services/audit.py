"""The audit log: every read or change of a runner's record by someone other than that
runner — a clinician, the owner, a clinician's API token — is kept: who (account id and
name), what, when (the injected clock), from where (the client address), and whether it
was allowed.

It is recorded in one place per kind of access, never by pages or templates:

- :func:`reach` opens another person's record for a request, after the access check, and
  records a read there (one INSERT) — or the refused attempt, before answering 'not found';
- :func:`changed` records a change inside the transaction of the use case that makes it
  (prescribing, pinning), so the entry and the change are kept together or not at all;
- :func:`listed` records one entry per runner shown on a clinician's list, in one INSERT.

A runner's own reads and writes record nothing. ``AuditLog`` (services/ports.py) explains
why this is the one exception to "reads never write".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kneecoach.services.context import RunnerContext, Visitor
from kneecoach.services.ports import AuditEntry, AuditLog

if TYPE_CHECKING:  # the accounts service brings SQL in: imported when reaching a record
    from kneecoach.services.accounts import Accounts

LISTED = "viewed on the clinic list"
"""What a clinician's list of runners (the dashboard) shows of each: their summary."""


NO_ACCOUNT = 0
"""The runner id of an entry about no account: an id tried that no account had, or an
account since deleted (ids start at 1)."""


def _entry(
    visitor: Visitor, runner_id: int, action: str, now: dt.datetime, *, allowed: bool = True
) -> AuditEntry:
    return AuditEntry(
        at=now,
        actor_id=visitor.user_id,
        actor_name=visitor.name,
        runner_id=runner_id,
        action=action,
        address=visitor.address,
        allowed=allowed,
    )


def visitor(accounts: Accounts, user_id: int, address: str | None) -> Visitor:
    """The account acting, named as the log shows it, and where it called from."""
    return Visitor(user_id, accounts.name_of(user_id), address or "unknown")


def reach(
    accounts: Accounts,
    audit: AuditLog,
    open_record: Callable[[int, Visitor], RunnerContext],
    who: Visitor,
    runner_id: int,
    action: str,
    now: dt.datetime,
    *,
    reading: bool,
) -> RunnerContext:
    """The record of ``runner_id`` for a visitor who may reach it (a clinician following
    the runner). A read (``reading``) is recorded here, once; a change is recorded by the
    use case that makes it (:func:`changed`), in its transaction. Anyone else gets
    NotAllowed, and the attempt is recorded too."""
    from kneecoach.services.accounts import NotAllowed, runner_for

    try:
        runner_for(accounts, who.user_id, runner_id)
    except NotAllowed:
        if not accounts.store.exists(runner_id):
            # no account has this id (yet, or any more): the attempt is kept under no
            # runner, so an account given the id later never sees it as theirs
            action, runner_id = f"{action} (id {runner_id}: no such account)", NO_ACCOUNT
        audit.record([_entry(who, runner_id, action, now, allowed=False)])
        raise
    if reading:
        audit.record([_entry(who, runner_id, action, now)])
    return open_record(runner_id, who)


def changed(runner: RunnerContext, action: str) -> None:
    """Record a change made by someone other than the runner, in the caller's transaction;
    nothing when the runner changes their own record."""
    if runner.visitor is not None:
        entry = _entry(runner.visitor, runner.user_id, action, runner.clock.now())
        runner.store.audit.record([entry])


def listed(audit: AuditLog, who: Visitor, runner_ids: Iterable[int], now: dt.datetime) -> None:
    """Record that a list showed these runners' summaries to ``who`` (one INSERT)."""
    audit.record([_entry(who, runner_id, LISTED, now) for runner_id in runner_ids])


@dataclass(frozen=True, slots=True)
class AuditEntryView:
    """One line of the log, as the runner and the owner see it."""

    at: dt.datetime
    actor_id: int
    actor_name: str
    runner_id: int
    runner_name: str | None
    action: str
    address: str
    allowed: bool


@dataclass(frozen=True, slots=True)
class AuditLogView:
    """The log over a period (days in UTC, both included; None: no bound)."""

    first: dt.date | None
    last: dt.date | None
    entries: tuple[AuditEntryView, ...]


def _bounds(
    first: dt.date | None, last: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    from kneecoach.domain.errors import InvalidInput

    if first is not None and last is not None and first > last:
        raise InvalidInput("the first day must not be after the last")
    since = None if first is None else dt.datetime.combine(first, dt.time(), tzinfo=dt.UTC)
    before = (
        None
        if last is None or last == dt.date.max
        else dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
    )
    return since, before


def _view(entries: list[AuditEntry], first: dt.date | None, last: dt.date | None) -> AuditLogView:
    return AuditLogView(
        first,
        last,
        tuple(
            AuditEntryView(
                e.at,
                e.actor_id,
                e.actor_name,
                e.runner_id,
                e.runner_name,
                e.action,
                e.address,
                e.allowed,
            )
            for e in entries
        ),
    )


def who_looked(
    runner: RunnerContext, first: dt.date | None = None, last: dt.date | None = None
) -> AuditLogView:
    """Who read or changed the runner's record (or tried to), oldest first: the runner's
    own view of the log."""
    since, before = _bounds(first, last)
    found = runner.store.audit.entries(runner_id=runner.user_id, since=since, before=before)
    return _view(found, first, last)


def clinic_log(
    audit: AuditLog, first: dt.date | None = None, last: dt.date | None = None
) -> AuditLogView:
    """Every entry of the log over a period: the owner's export."""
    since, before = _bounds(first, last)
    return _view(audit.entries(since=since, before=before), first, last)
