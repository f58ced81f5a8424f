"""Accounts for the web app: the owner's first sign-up, logging in with throttling, and
server-side sessions with a CSRF token each.

Passwords are hashed with argon2id; a session token is random, kept only as its SHA-256.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kneecoach.domain.errors import InvalidInput

if TYPE_CHECKING:
    from argon2 import PasswordHasher
from kneecoach.storage.accounts import AccountStore, WebSession

SESSION_DAYS = 30
MIN_PASSWORD = 10
MAX_FAILURES = 5
LOCK_SECONDS = 60.0


class LoginRefused(InvalidInput):
    """Wrong name or password, or too many tries: the message says which, not more."""


def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher, Type

    return PasswordHasher(type=Type.ID)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def check_new_account(name: str, password: str) -> None:
    if not 2 <= len(name.strip()) <= 100:
        raise InvalidInput("the name must be 2 to 100 characters")
    if len(password) < MIN_PASSWORD:
        raise InvalidInput(f"the password must have at least {MIN_PASSWORD} characters")


@dataclass
class Throttle:
    """Failed logins per name: after five, the name is locked for a minute."""

    failures: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))

    def check(self, name: str, now: float) -> None:
        recent = [t for t in self.failures[name] if now - t < LOCK_SECONDS]
        self.failures[name] = recent
        if len(recent) >= MAX_FAILURES:
            raise LoginRefused("too many failed logins: wait a minute and try again")

    def fail(self, name: str, now: float) -> None:
        self.failures[name].append(now)

    def clear(self, name: str) -> None:
        self.failures.pop(name, None)


class Accounts:
    def __init__(self, store: AccountStore, throttle: Throttle | None = None) -> None:
        self.store = store
        self.throttle = throttle or Throttle()

    def needs_owner(self) -> bool:
        return not self.store.has_accounts()

    def create_owner(self, name: str, password: str, now: dt.datetime) -> int:
        """The first account: the clinic's (or the runner's own) owner account."""
        if not self.needs_owner():
            raise InvalidInput("the owner account exists already: log in instead")
        check_new_account(name, password)
        return self.store.create(name.strip(), "owner", _hasher().hash(password), now)

    def log_in(self, name: str, password: str, now: dt.datetime) -> tuple[str, WebSession]:
        """A new session token for a correct name and password."""
        clock = time.monotonic()
        self.throttle.check(name, clock)
        account = self.store.account(name.strip())
        ok = False
        if account is not None and account.password_hash:
            from argon2.exceptions import VerificationError

            try:
                ok = _hasher().verify(account.password_hash, password)
            except VerificationError:
                ok = False
        if not ok or account is None:
            self.throttle.fail(name, clock)
            raise LoginRefused("that name and password do not match")
        self.throttle.clear(name)
        token = secrets.token_urlsafe(32)
        session = WebSession(
            account.id,
            secrets.token_urlsafe(32),
            now + dt.timedelta(days=SESSION_DAYS),
            account.role,
        )
        self.store.start_session(
            hash_token(token), account.id, session.csrf, now, session.expires_at
        )
        return token, session

    def session(self, token: str | None, now: dt.datetime) -> WebSession | None:
        if not token:
            return None
        return self.store.session(hash_token(token), now)

    def log_out(self, token: str | None) -> None:
        if token:
            self.store.end_session(hash_token(token))


INVITE_DAYS = 14
CLINICIAN_ROLES = ("owner", "clinician")


class NotAllowed(Exception):
    """The account may not see or change this: shown as 'not found', never as a hint."""


def _expires(now: dt.datetime, days: int) -> dt.datetime:
    return now + dt.timedelta(days=days)


def invite(accounts: Accounts, clinician_id: int, now: dt.datetime) -> str:
    """A single-use invitation token for a new runner, valid for two weeks."""
    if accounts.store.role_of(clinician_id) not in CLINICIAN_ROLES:
        raise NotAllowed("only a clinician invites runners")
    token = secrets.token_urlsafe(24)
    accounts.store.create_invite(hash_token(token), clinician_id, now, _expires(now, INVITE_DAYS))
    return token


def join(accounts: Accounts, token: str, name: str, password: str, now: dt.datetime) -> int:
    """A runner's own account from an invitation; the invitation is then used up."""
    check_new_account(name, password)
    try:
        runner = accounts.store.redeem_invite(
            hash_token(token), name.strip(), _hasher().hash(password), now
        )
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    if runner is None:
        raise InvalidInput("this invitation is used, expired or unknown: ask for a new one")
    return runner


def runner_for(accounts: Accounts, clinician_id: int, runner_id: int) -> None:
    """Check a clinician follows this runner; anything else is 'not found'."""
    if accounts.store.role_of(clinician_id) not in CLINICIAN_ROLES or not accounts.store.follows(
        clinician_id, runner_id
    ):
        raise NotAllowed("not found")


def new_api_token(accounts: Accounts, user_id: int, name: str, now: dt.datetime) -> str:
    """A token for scripts, shown once; it acts as its account, with the same checks."""
    token = "kc_" + secrets.token_urlsafe(32)
    accounts.store.create_api_token(hash_token(token), user_id, name.strip()[:100] or "script", now)
    return token


def new_calendar_feed(accounts: Accounts, user_id: int, now: dt.datetime) -> str:
    """A secret calendar subscription token, shown once; it replaces the one before."""
    token = secrets.token_urlsafe(24)
    accounts.store.set_calendar_feed(user_id, hash_token(token), now)
    return token


def revoke_calendar_feed(accounts: Accounts, user_id: int, now: dt.datetime) -> None:
    """No calendar subscription any more: the secret address stops working."""
    accounts.store.set_calendar_feed(user_id, None, now)
