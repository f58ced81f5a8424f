"""Running a clinic from the web app and the API: the owner invites clinicians, a clinician
hands a runner to a colleague, everyone changes their password and sees (and ends) their
sessions and API tokens, a forgotten password is reset by email, and a runner leaves a
clinician or deletes their account.

Each use case is one transaction of the accounts port (services.ports.AccountStore): a
hand-over keeps its audit entry and the runner's email with it; a deletion removes the
record and queues the clinicians' notices together, or does neither.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from kneecoach.domain.errors import InvalidInput
from kneecoach.services.accounts import (
    CLINICIAN_ROLES,
    INVITE_DAYS,
    Accounts,
    NotAllowed,
    check_password,
    hash_password,
    hash_token,
    normalise_name,
)
from kneecoach.services.ports import AuditEntry, Mail, Member

RESET_VALID = dt.timedelta(hours=1)
"""A reset link works for an hour, once."""
RESETS_PER_ACCOUNT = 3
"""Reset emails one account gets per RESET_WINDOW: more asks are answered the same way and
send nothing (so a stranger cannot fill someone's inbox)."""
RESETS_PER_CLIENT = 10
"""Resets one address may ask for per RESET_WINDOW, over any names, before it has to wait."""
RESET_WINDOW = dt.timedelta(hours=1)
HANDED_OVER = "handed over to {taker}"
"""The audit log's action for a hand-over: the runner sees it under 'who looked'."""


class ResetThrottled(InvalidInput):
    """Too many resets asked for from one address: the answer says when to try again."""


@dataclass(frozen=True, slots=True)
class SessionView:
    """A signed-in browser session of the account: ``key`` ends it."""

    key: str
    created_at: dt.datetime
    expires_at: dt.datetime
    current: bool


@dataclass(frozen=True, slots=True)
class TokenView:
    """An API token of the account: ``key`` revokes it."""

    key: str
    name: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class HandOver:
    """A runner handed to another clinician, and whether the runner was told by email."""

    runner_id: int
    runner: str
    clinician_id: int
    clinician: str
    runner_told: bool


# clinicians ---------------------------------------------------------------------------
def invite_clinician(accounts: Accounts, owner_id: int, now: dt.datetime) -> str:
    """A single-use invitation token for a new clinician of the clinic, valid as long as a
    runner's; only the owner invites clinicians."""
    if accounts.store.role_of(owner_id) != "owner":
        raise NotAllowed("only the clinic's owner invites clinicians")
    token = secrets.token_urlsafe(24)
    expires = now + dt.timedelta(days=INVITE_DAYS)
    accounts.store.create_invite(hash_token(token), owner_id, now, expires, role="clinician")
    return token


def colleagues(accounts: Accounts, clinician_id: int) -> list[Member]:
    """The clinic's other clinicians (the owner among them), who may take over a runner."""
    if accounts.store.role_of(clinician_id) not in CLINICIAN_ROLES:
        raise NotAllowed("only a clinician hands runners over")
    return [m for m in accounts.store.members(CLINICIAN_ROLES) if m.id != clinician_id]


def hand_over_choices(accounts: Accounts, giver: int, runner_id: int) -> tuple[str, list[Member]]:
    """The runner's name and the colleagues who may take them over, for a clinician who
    follows the runner (anyone else: NotAllowed)."""
    store = accounts.store
    if store.role_of(giver) not in CLINICIAN_ROLES or not store.follows(giver, runner_id):
        raise NotAllowed("not found")
    return store.name_of(runner_id), colleagues(accounts, giver)


def hand_over(
    accounts: Accounts,
    giver: int,
    address: str,
    runner_id: int,
    taker: int,
    now: dt.datetime,
) -> HandOver:
    """Move a runner the clinician follows into a colleague's care: the colleague follows
    them from now on and the giver no longer does. The audit log records it (the runner
    sees it under 'who looked'), and the runner is emailed when they keep an address."""
    store = accounts.store
    if store.role_of(giver) not in CLINICIAN_ROLES or not store.follows(giver, runner_id):
        raise NotAllowed("not found")
    chosen = {m.id: m for m in colleagues(accounts, giver)}.get(taker)
    if chosen is None:
        raise InvalidInput("choose another clinician of this clinic to hand the runner to")
    giver_name = store.name_of(giver)
    runner_name = store.name_of(runner_id)
    entry = AuditEntry(
        at=now,
        actor_id=giver,
        actor_name=giver_name,
        runner_id=runner_id,
        action=HANDED_OVER.format(taker=chosen.name),
        address=address,
        allowed=True,
    )
    address_of_runner = store.email_of(runner_id) if accounts.mail_on else None
    mails = (
        [handed_over_notice(address_of_runner, runner_name, giver_name, chosen.name)]
        if address_of_runner
        else []
    )
    if not store.hand_over(runner_id, giver, taker, entry, mails, now):
        raise NotAllowed("not found")
    return HandOver(runner_id, runner_name, chosen.id, chosen.name, bool(mails))


def handed_over_notice(to: str, runner: str, giver: str, taker: str) -> Mail:
    return Mail(
        to=to,
        subject="kneecoach: your clinician has changed",
        body=(
            f"Hello {runner},\n\n"
            f"{giver} has handed your kneecoach record over to {taker}, who follows your "
            f"training from now on. {giver} no longer sees your record.\n\n"
            "You can see who looks at your record, and leave a clinician, in your settings.\n\n"
            "kneecoach\n"
        ),
    )


# passwords, sessions, tokens ----------------------------------------------------------
def change_password(
    accounts: Accounts,
    user_id: int,
    current: str,
    new: str,
    keep_token: str | None,
    now: dt.datetime,
    client: str,
) -> None:
    """A new password, given the current one (a wrong one counts as a failed login);
    every other session of the account ends (the one of ``keep_token`` stays signed in)."""
    refusal = "the current password is not right: nothing was changed"
    accounts.confirm_password(user_id, current, now, client, refusal)
    check_password(new)
    keep = hash_token(keep_token) if keep_token else None
    accounts.store.set_password(user_id, hash_password(new), keep)


def sessions(
    accounts: Accounts, user_id: int, current_token: str | None, now: dt.datetime
) -> list[SessionView]:
    """The account's signed-in sessions, newest first, the one asking marked."""
    current = hash_token(current_token) if current_token else None
    return [
        SessionView(s.key, s.created_at, s.expires_at, token_hash == current)
        for token_hash, s in accounts.store.sessions_of(user_id, now)
    ]


def end_session(accounts: Accounts, user_id: int, key: str, now: dt.datetime) -> bool:
    """End one of the account's sessions by its key; False if it has none of that key."""
    found = [h for h, s in accounts.store.sessions_of(user_id, now) if s.key == key]
    return bool(found) and accounts.store.end_sessions(user_id, found) > 0


def api_tokens(accounts: Accounts, user_id: int) -> list[TokenView]:
    return [
        TokenView(t.key, t.name, t.created_at) for _, t in accounts.store.api_tokens_of(user_id)
    ]


def revoke_api_token(accounts: Accounts, user_id: int, key: str) -> bool:
    """Revoke one of the account's API tokens by its key: it stops working at once."""
    for token_hash, token in accounts.store.api_tokens_of(user_id):
        if token.key == key:
            return accounts.store.revoke_api_token(user_id, token_hash)
    return False


# password reset -----------------------------------------------------------------------
def request_reset(accounts: Accounts, name: str, client: str, now: dt.datetime) -> None:
    """Email a single-use reset link to the account's address, if the name is an account
    that keeps one and mail is on. The caller answers the same whatever happened, so the
    answer tells nobody whether the name exists; only an address asking too often is told
    to wait (which says nothing of any name)."""
    store = accounts.store
    account = store.account(normalise_name(name)[:200])
    user_id = account.id if account is not None else None
    by_account, by_client = store.resets_since(user_id, client, now - RESET_WINDOW)
    if by_client >= RESETS_PER_CLIENT:
        minutes = int(RESET_WINDOW.total_seconds() // 60)
        raise ResetThrottled(f"too many reset requests from here: try again in {minutes} minutes")
    sendable = (
        account is not None
        and account.email is not None
        and account.password_hash is not None
        and accounts.mail_on
        and by_account < RESETS_PER_ACCOUNT
    )
    if not sendable or account is None or account.email is None:
        store.record_reset(user_id, client, now, None, None, None)
        return
    token = secrets.token_urlsafe(32)
    mail = reset_mail(account.email, account.name, f"{accounts.site}/reset/{token}")
    store.record_reset(account.id, client, now, hash_token(token), now + RESET_VALID, mail)


def reset_mail(to: str, name: str, link: str) -> Mail:
    minutes = int(RESET_VALID.total_seconds() // 60)
    return Mail(
        to=to,
        subject="kneecoach: reset your password",
        body=(
            f'Someone asked to reset the password of your kneecoach account "{name}".\n\n'
            f"To choose a new password, open this link within {minutes} minutes (it works "
            f"once):\n{link}\n\n"
            "If it was not you, ignore this email: your password stays as it is.\n\n"
            "kneecoach\n"
        ),
    )


def reset_open(accounts: Accounts, token: str, now: dt.datetime) -> bool:
    return bool(token) and accounts.store.reset_open(hash_token(token), now)


def reset_password(accounts: Accounts, token: str, new: str, now: dt.datetime) -> str:
    """Set a new password with a reset link, which is then used up; every session, API
    token and calendar feed of the account ends. The account's name, to sign in with."""
    check_password(new)
    user_id = accounts.store.redeem_reset(hash_token(token), hash_password(new), now)
    if user_id is None:
        raise InvalidInput("this reset link is used, expired or unknown: ask for a new one")
    return accounts.store.name_of(user_id)


# leaving ------------------------------------------------------------------------------
def my_clinicians(accounts: Accounts, runner_id: int) -> list[Member]:
    """The clinicians following the runner."""
    return [Member(a.id, a.name, a.role) for a in accounts.store.clinicians_of(runner_id)]


def leave_clinician(
    accounts: Accounts, runner_id: int, clinician_id: int, now: dt.datetime
) -> Member:
    """The runner leaves a clinician's care: the clinician no longer reaches their record
    ('not found' from now on) and is emailed when they keep an address."""
    found = {a.id: a for a in accounts.store.clinicians_of(runner_id)}.get(clinician_id)
    if found is None:
        raise NotAllowed("not found")
    runner = accounts.store.name_of(runner_id)
    mails = (
        [left_notice(found.email, runner)] if found.email is not None and accounts.mail_on else []
    )
    if not accounts.store.stop_care(runner_id, clinician_id, mails, now):
        raise NotAllowed("not found")
    return Member(found.id, found.name, found.role)


def delete_account(
    accounts: Accounts, user_id: int, password: str, now: dt.datetime, client: str
) -> None:
    """Remove a runner's account and everything kept of it, confirmed with their password
    (a wrong one counts as a failed login); their clinicians are emailed (when they keep
    an address) in the same transaction."""
    refusal = "the password is not right: nothing was deleted"
    account = accounts.confirm_password(user_id, password, now, client, refusal)
    if account.role != "runner":
        raise InvalidInput(
            "only a runner's account can be deleted here: a clinic's owner or clinician "
            "keeps theirs while runners depend on it"
        )
    mails = (
        [
            deleted_notice(c.email, account.name)
            for c in accounts.store.clinicians_of(user_id)
            if c.email is not None
        ]
        if accounts.mail_on
        else []
    )
    accounts.store.delete_account(user_id, mails, now)


def left_notice(to: str, runner: str) -> Mail:
    return Mail(
        to=to,
        subject=f"kneecoach: {runner} has left your care",
        body=(
            f"{runner} has chosen to leave your care in kneecoach. Their record is no longer "
            "shown to you.\n\nkneecoach\n"
        ),
    )


def deleted_notice(to: str, runner: str) -> Mail:
    return Mail(
        to=to,
        subject=f"kneecoach: {runner} has deleted their account",
        body=(
            f"{runner} has deleted their kneecoach account, and with it their record. "
            "It is no longer shown to you.\n\nkneecoach\n"
        ),
    )
