"""Accounts for the web app: the owner's first sign-up, logging in with throttling, and
server-side sessions with a CSRF token each.

Passwords are hashed with argon2id; a session token is random, kept only as its SHA-256.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
import secrets
import unicodedata
from typing import TYPE_CHECKING

from kneecoach.domain.errors import InvalidInput

if TYPE_CHECKING:
    from argon2 import PasswordHasher
from kneecoach.services.mail import email_address
from kneecoach.services.ports import (
    Account,
    AccountStore,
    Followed,
    Mail,
    Outbox,
    OwnerExists,
    WebSession,
)

SESSION_DAYS = 30
MIN_PASSWORD = 10
LONGEST_NAME = 100

ACCOUNT_FREE_TRIES = 5
"""Failed logins an account takes before each further one doubles the wait."""
CLIENT_FREE_TRIES = 20
"""Failed logins one address may make, over any names, before it has to wait."""
FIRST_WAIT = dt.timedelta(minutes=1)
ACCOUNT_LONGEST_WAIT = dt.timedelta(minutes=15)
"""An account is never locked longer than this, so its owner is not locked out for long."""
CLIENT_LONGEST_WAIT = dt.timedelta(hours=1)
"""The guesser's own address waits longer."""
REMEMBERED = dt.timedelta(hours=2)
"""Failures older than this are forgotten."""


class LoginRefused(InvalidInput):
    """Wrong name or password, or too many tries: the message says which, not more."""


def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher, Type

    return PasswordHasher(type=Type.ID)


@functools.cache
def _stand_in_hash() -> str:
    """A hash to check a password against when the name is unknown, so that an unknown
    name costs the same time as a known one and timing tells nothing."""
    return _hasher().hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def password_matches(stored: str | None, password: str) -> bool:
    """Whether ``password`` is the one ``stored`` was hashed from; an account without a
    password costs the same time and matches nothing."""
    from argon2.exceptions import VerificationError

    try:
        return _hasher().verify(stored or _stand_in_hash(), password) and stored is not None
    except VerificationError:
        return False


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_name(name: str) -> str:
    """The one form of an account name, for signing up, logging in and throttling alike:
    Unicode-normalised (NFKC), without leading, trailing or repeated spaces."""
    return " ".join(unicodedata.normalize("NFKC", name).split())


def check_new_account(name: str, password: str) -> None:
    if not 2 <= len(normalise_name(name)) <= LONGEST_NAME:
        raise InvalidInput(f"the name must be 2 to {LONGEST_NAME} characters")
    check_password(password)


def check_password(password: str) -> None:
    """A new password has at least MIN_PASSWORD characters one can see: spaces, control
    and invisible characters (zero-width, direction marks) do not count towards it."""
    visible = sum(1 for c in password if not c.isspace() and unicodedata.category(c)[0] not in "CZ")
    if visible < MIN_PASSWORD:
        raise InvalidInput(
            f"the password must have at least {MIN_PASSWORD} characters (spaces and "
            "invisible characters do not count)"
        )


def wait_after(
    failures: list[dt.datetime], free: int, longest: dt.timedelta, now: dt.datetime
) -> dt.timedelta | None:
    """How long to wait before the next try, if at all: ``free`` failures cost nothing,
    then each further one doubles the wait counted from the last failure (1, 2, 4 … minutes),
    up to ``longest``."""
    over = len(failures) - free
    if over < 0 or not failures:
        return None
    wait = min(longest, FIRST_WAIT * 2**over)
    left = failures[-1] + wait - now
    return left if left > dt.timedelta(0) else None


class Accounts:
    def __init__(self, store: AccountStore, outbox: Outbox | None = None, site: str = "") -> None:
        self.store = store
        self.outbox = outbox
        """Where notices go; None when email is off (KNEECOACH_SMTP_HOST unset)."""
        self.site = site
        """The public address links in emails start with."""

    @property
    def mail_on(self) -> bool:
        return self.outbox is not None

    def email_of(self, user_id: int) -> str | None:
        return self.store.email_of(user_id)

    def set_email(self, user_id: int, text: str, now: dt.datetime | None = None) -> str | None:
        """The account's address for notices, checked; an empty text removes it. With mail
        on, the address it replaces is told (at ``now``), so a change its owner did not make
        (a stolen session or token, then a password reset sent to the new address) does not
        go unseen."""
        address = email_address(text) if text.strip() else None
        before = self.store.email_of(user_id) if self.mail_on and now is not None else None
        told = (
            [email_changed_notice(before, self.store.name_of(user_id), address)]
            if before and before != address
            else []
        )
        self.store.set_email(user_id, address, told, now)
        return address

    def needs_owner(self) -> bool:
        return not self.store.has_accounts()

    def create_owner(self, name: str, password: str, now: dt.datetime) -> int:
        """The first account: the clinic's (or the runner's own) owner account."""
        if not self.needs_owner():
            raise InvalidInput("the owner account exists already: log in instead")
        check_new_account(name, password)
        try:
            return self.store.create(normalise_name(name), "owner", _hasher().hash(password), now)
        except OwnerExists:
            raise InvalidInput("the owner account exists already: log in instead") from None

    def log_in(
        self, name: str, password: str, now: dt.datetime, client: str = "unknown"
    ) -> tuple[str, WebSession]:
        """A new session token for a correct name and password. Failed tries are kept in
        the database per account and per client address (every process sees them, a
        restart forgets nothing) and slow the next ones down."""
        name = normalise_name(name)
        if len(name) > LONGEST_NAME:
            raise LoginRefused("that name and password do not match")
        self._check_waits(name, client, now)
        account = self.store.account(name)
        ok = password_matches(account.password_hash if account is not None else None, password)
        if not ok or account is None:
            self.store.record_login_failure(name, client, now)
            if account is not None:
                self._tell_if_now_guarded(account, client, now)
            raise LoginRefused("that name and password do not match")
        self.store.clear_login_failures(name, now - REMEMBERED)
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

    def _tell_if_now_guarded(self, account: Account, client: str, now: dt.datetime) -> None:
        """Email the account's owner once, when the failures reach the point where logins
        start to wait: someone may be guessing their password."""
        if self.outbox is None or account.email is None:
            return
        by_account, _ = self.store.login_failures(account.name, client, now - REMEMBERED)
        if len(by_account) != ACCOUNT_FREE_TRIES:
            return
        self.outbox.queue(guessing_notice(account, len(by_account), client, self.site), now)

    def confirm_password(
        self, user_id: int, password: str, now: dt.datetime, client: str, refusal: str
    ) -> Account:
        """The signed-in account, when ``password`` is its password (to change it or delete
        the account). A wrong one counts as a failed login and waits like one, so a stolen
        session cannot be used to guess the password; ``refusal`` says what was not done."""
        account = self.store.account_by_id(user_id)
        if account is None:
            raise InvalidInput(refusal)
        self._check_waits(account.name, client, now)
        if not password_matches(account.password_hash, password):
            self.store.record_login_failure(account.name, client, now)
            raise InvalidInput(refusal)
        return account

    def _check_waits(self, name: str, client: str, now: dt.datetime) -> None:
        by_account, by_client = self.store.login_failures(name, client, now - REMEMBERED)
        wait = max(
            wait_after(by_account, ACCOUNT_FREE_TRIES, ACCOUNT_LONGEST_WAIT, now)
            or dt.timedelta(0),
            wait_after(by_client, CLIENT_FREE_TRIES, CLIENT_LONGEST_WAIT, now) or dt.timedelta(0),
        )
        if wait > dt.timedelta(0):
            minutes = max(1, math.ceil(wait.total_seconds() / 60))
            raise LoginRefused(
                f"too many failed logins: try again in {minutes} minute"
                + ("s" if minutes > 1 else "")
            )

    def session(self, token: str | None, now: dt.datetime) -> WebSession | None:
        if not token:
            return None
        return self.store.session(hash_token(token), now)

    def log_out(self, token: str | None) -> None:
        if token:
            self.store.end_session(hash_token(token))

    def name_of(self, user_id: int) -> str:
        return self.store.name_of(user_id)

    def runners_of(self, clinician_id: int) -> list[tuple[int, str]]:
        """The runners a clinician follows, with their names."""
        return [(runner.id, runner.name) for runner in self.store.followed(clinician_id)]

    def followed(self, clinician_id: int) -> list[Followed]:
        """The runners a clinician follows, with their names and data revisions."""
        return self.store.followed(clinician_id)

    def followed_by_anyone(self) -> list[Followed]:
        """Every runner some clinician follows, with their data revisions."""
        return self.store.followed_by_anyone()

    def invite_open(self, token: str, now: dt.datetime) -> bool:
        """Whether an invitation link can still be used."""
        return self.invite_role(token, now) is not None

    def invite_role(self, token: str, now: dt.datetime) -> str | None:
        """The account an open invitation makes ('runner' or 'clinician'), or None."""
        return self.store.invite_role(hash_token(token), now)

    def api_token_owner(self, token: str) -> int | None:
        """The account an API bearer token belongs to, if it is one."""
        return self.store.api_token_user(hash_token(token)) if token else None

    def is_clinician(self, user_id: int) -> bool:
        """Whether the account may follow runners, invite and prescribe (a clinician's or
        the owner's)."""
        return self.store.role_of(user_id) in CLINICIAN_ROLES

    def is_owner(self, user_id: int) -> bool:
        """Whether the account is the clinic's owner (who may export the audit log)."""
        return self.store.role_of(user_id) == "owner"

    def has_calendar_feed(self, user_id: int) -> bool:
        return self.store.has_calendar_feed(user_id)

    def open_calendar_feed(self, user_id: int, now: dt.datetime) -> str:
        """A new secret calendar address for the user (the old one stops working); the
        token is returned once and only its hash is kept."""
        token = secrets.token_urlsafe(24)
        self.store.set_calendar_feed(user_id, hash_token(token), now)
        return token

    def close_calendar_feed(self, user_id: int, now: dt.datetime) -> None:
        self.store.set_calendar_feed(user_id, None, now)

    def calendar_feed_owner(self, token: str) -> int | None:
        """Whose calendar a secret address serves, if it is one."""
        return self.store.calendar_feed_user(hash_token(token))


def guessing_notice(account: Account, failures: int, client: str, site: str) -> Mail:
    """What the owner of an account being guessed is told: what happened, that they are
    not locked out for long, and what to do if it was not them."""
    assert account.email is not None
    longest = int(ACCOUNT_LONGEST_WAIT.total_seconds() // 60)
    return Mail(
        to=account.email,
        subject="kneecoach: failed sign-ins to your account",
        body=(
            f'Someone has tried to sign in to your kneecoach account "{account.name}" '
            f"with a wrong password {failures} times in a row, most recently from the "
            f"address {client}.\n\n"
            "Further tries now have to wait, longer after each failure, so guessing is slow. "
            f"You can still sign in yourself: the wait is never more than {longest} minutes.\n\n"
            "If it was you, nothing needs doing. If it was not, sign in and choose a new, "
            f"longer password: {site}/settings\n\n"
            "kneecoach\n"
        ),
    )


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
            hash_token(token), normalise_name(name), _hasher().hash(password), now
        )
    except ValueError as error:
        raise InvalidInput(str(error)) from None
    if runner is None:
        raise InvalidInput("this invitation is used, expired or unknown: ask for a new one")
    return runner


LANDINGS = ("clinic", "today", "onboarding")
"""Where a signed-in person starts (see :func:`landing`)."""


def landing(accounts: Accounts, who: WebSession, set_up: bool) -> str:
    """Where a person starts after signing in, one of ``LANDINGS``: where they work. A
    clinician or an owner who follows runners starts at the clinic; someone with a program
    of their own (a runner, an owner who follows nobody yet) at today; a clinician following
    nobody yet (whose work is inviting) at the clinic; anyone else at onboarding, which sets
    up a program. ``set_up``: whether the person has a program of their own."""
    if who.role in CLINICIAN_ROLES and accounts.store.followed(who.user_id):
        return "clinic"
    if set_up:
        return "today"
    return "clinic" if who.role == "clinician" else "onboarding"


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


def email_changed_notice(to: str, name: str, now_set: str | None) -> Mail:
    """What the address an account had is told when it is changed or removed."""
    change = f"changed to {now_set}" if now_set else "removed"
    return Mail(
        to=to,
        subject="kneecoach: your account's email address was changed",
        body=(
            f"Hello {name},\n\n"
            f"The email address of your kneecoach account was {change}. Password reset links "
            "now go there.\n\n"
            "If you did not make this change, sign in, put your address back in Settings and "
            "change your password there; if you cannot sign in, ask your clinic's owner.\n\n"
            "kneecoach\n"
        ),
    )
