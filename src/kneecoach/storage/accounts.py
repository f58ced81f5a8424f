"""Accounts and web sessions on the database: password hashes and session tokens only
(the tokens themselves are never stored, only their SHA-256)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from kneecoach.services.ports import (
    Account,
    AuditEntry,
    Followed,
    KeptSession,
    KeptToken,
    Mail,
    Member,
    OwnerExists,
    WebSession,
)
from kneecoach.storage.outbox import queue_on
from kneecoach.storage.sql.connections import inserted_id
from kneecoach.storage.tables import (
    api_tokens,
    audit_log,
    calendar_feeds,
    care,
    invites,
    login_failures,
    password_resets,
    users,
    web_sessions,
)

KEY_LENGTH = 16
"""How much of a token's hash names it on the page and in the API (64 bits: enough to tell
an account's few sessions apart, and no use for signing in)."""


_TOKEN_USER = sa.select(api_tokens.c.user_id).where(api_tokens.c.token_hash == sa.bindparam("hash"))
"""Every API request's first statement (whose token is it), built once."""


class SqlAccountStore:
    """The accounts port (services.ports.AccountStore) on the database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def has_accounts(self) -> bool:
        with self.engine.connect() as c:
            found = c.execute(
                sa.select(users.c.id).where(users.c.password_hash.is_not(None)).limit(1)
            ).first()
        return found is not None

    def account(self, name: str) -> Account | None:
        with self.engine.connect() as c:
            row = c.execute(sa.select(users).where(users.c.name == name)).first()
        return (
            None
            if row is None
            else Account(row.id, row.name, row.role, row.password_hash, row.email)
        )

    def account_by_id(self, user_id: int) -> Account | None:
        with self.engine.connect() as c:
            row = c.execute(sa.select(users).where(users.c.id == user_id)).first()
        return (
            None
            if row is None
            else Account(row.id, row.name, row.role, row.password_hash, row.email)
        )

    def create(self, name: str, role: str, password_hash: str, now: dt.datetime) -> int:
        """A new account; an existing CLI user of that name gets the password and role.
        A second owner is refused by the database (a partial unique index), so two first
        visits at the same moment make one owner: OwnerExists for the other."""
        try:
            return self._create(name, role, password_hash, now)
        except sa.exc.IntegrityError:
            if role == "owner":
                raise OwnerExists("the owner account exists already") from None
            raise

    def _create(self, name: str, role: str, password_hash: str, now: dt.datetime) -> int:
        with self.engine.begin() as c:
            row = c.execute(
                sa.select(users.c.id, users.c.password_hash).where(users.c.name == name)
            ).first()
            if row is not None:
                if row.password_hash is not None:
                    raise ValueError(f"the account '{name}' exists already")
                c.execute(
                    users.update()
                    .where(users.c.id == row.id)
                    .values(password_hash=password_hash, role=role)
                )
                return int(row.id)
            return inserted_id(
                c.execute(
                    users.insert().values(
                        name=name, role=role, password_hash=password_hash, created_at=now
                    )
                )
            )

    def start_session(
        self, token_hash: str, user_id: int, csrf: str, now: dt.datetime, expires_at: dt.datetime
    ) -> None:
        with self.engine.begin() as c:
            c.execute(web_sessions.delete().where(web_sessions.c.expires_at < now))
            c.execute(
                web_sessions.insert().values(
                    token_hash=token_hash,
                    user_id=user_id,
                    csrf=csrf,
                    created_at=now,
                    expires_at=expires_at,
                )
            )

    def session(self, token_hash: str, now: dt.datetime) -> WebSession | None:
        """The signed-in session with the user's role and data revision, in one query.

        Every page and API call runs this first, so it goes to the driver as plain SQL:
        36 µs a lookup against 160 µs for the same query built with SQLAlchemy Core
        (measured on SQLite), which is most of what a kept page costs to serve.
        """
        mark = "?" if self.engine.dialect.paramstyle == "qmark" else "%s"
        with self.engine.connect() as c:
            row = c.exec_driver_sql(
                "SELECT s.user_id, s.csrf, s.expires_at, u.role, u.revision, u.created_at "
                "FROM web_sessions s JOIN users u ON u.id = s.user_id "
                f"WHERE s.token_hash = {mark}",
                (token_hash,),
            ).first()
        if row is None:
            return None
        user_id, csrf, expires, role, revision, since = row
        expires = _aware(expires)
        if expires < now:
            return None
        return WebSession(user_id, csrf, expires, role, revision, _aware(since))

    def end_session(self, token_hash: str) -> None:
        with self.engine.begin() as c:
            c.execute(web_sessions.delete().where(web_sessions.c.token_hash == token_hash))

    # failed logins ---------------------------------------------------------------------
    def record_login_failure(self, account: str | None, client: str, at: dt.datetime) -> None:
        with self.engine.begin() as c:
            c.execute(
                login_failures.insert().values(
                    account=None if account is None else account[:100],
                    client=client[:64],
                    failed_at=at,
                )
            )

    def login_failures(
        self, account: str, client: str, since: dt.datetime
    ) -> tuple[list[dt.datetime], list[dt.datetime]]:
        """The failed logins since ``since`` for the account and for the client address,
        oldest first."""
        with self.engine.connect() as c:
            by_account = c.execute(
                sa.select(login_failures.c.failed_at)
                .where(login_failures.c.account == account, login_failures.c.failed_at >= since)
                .order_by(login_failures.c.failed_at)
            ).scalars()
            found_account = [_aware(t) for t in by_account]
            by_client = c.execute(
                sa.select(login_failures.c.failed_at)
                .where(login_failures.c.client == client, login_failures.c.failed_at >= since)
                .order_by(login_failures.c.failed_at)
            ).scalars()
            found_client = [_aware(t) for t in by_client]
        return found_account, found_client

    def clear_login_failures(self, account: str, before: dt.datetime) -> None:
        """Forget an account's failures (after its owner logged in) and everyone's older
        than ``before``."""
        with self.engine.begin() as c:
            c.execute(
                login_failures.delete().where(
                    (login_failures.c.account == account) | (login_failures.c.failed_at < before)
                )
            )

    def name_of(self, user_id: int) -> str:
        with self.engine.connect() as c:
            return str(c.execute(sa.select(users.c.name).where(users.c.id == user_id)).scalar())

    # clinics ---------------------------------------------------------------------------
    def email_of(self, user_id: int) -> str | None:
        with self.engine.connect() as c:
            found = c.execute(sa.select(users.c.email).where(users.c.id == user_id)).scalar()
        return None if found is None else str(found)

    def set_email(
        self,
        user_id: int,
        email: str | None,
        mails: Sequence[Mail] = (),
        now: dt.datetime | None = None,
    ) -> None:
        with self.engine.begin() as c:
            c.execute(users.update().where(users.c.id == user_id).values(email=email))
            if mails and now is not None:
                _queue_all(c, mails, now)

    def role_of(self, user_id: int) -> str:
        with self.engine.connect() as c:
            return str(c.execute(sa.select(users.c.role).where(users.c.id == user_id)).scalar())

    def exists(self, user_id: int) -> bool:
        with self.engine.connect() as c:
            found = c.execute(sa.select(users.c.id).where(users.c.id == user_id)).first()
            return found is not None

    def create_invite(
        self,
        token_hash: str,
        clinician_id: int,
        now: dt.datetime,
        expires_at: dt.datetime,
        role: str = "runner",
    ) -> None:
        with self.engine.begin() as c:
            c.execute(
                invites.insert().values(
                    token_hash=token_hash,
                    clinician_id=clinician_id,
                    created_at=now,
                    expires_at=expires_at,
                    role=role,
                )
            )

    def invite_role(self, token_hash: str, now: dt.datetime) -> str | None:
        with self.engine.connect() as c:
            row = c.execute(sa.select(invites).where(invites.c.token_hash == token_hash)).first()
        if row is None or row.used_by is not None or _aware(row.expires_at) < now:
            return None
        return str(row.role)

    def redeem_invite(
        self, token_hash: str, name: str, password_hash: str, now: dt.datetime
    ) -> int | None:
        """An account from an open invitation — a runner followed by the inviting clinician,
        or a clinician — ; None if the invitation is used, expired or unknown. One
        transaction."""
        with self.engine.begin() as c:
            row = c.execute(
                sa.select(invites).where(invites.c.token_hash == token_hash).with_for_update()
            ).first()
            if row is None or row.used_by is not None:
                return None
            expires = (
                row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=dt.UTC)
            )
            if expires < now:
                return None
            if c.execute(sa.select(users.c.id).where(users.c.name == name)).first():
                raise ValueError(f"the name '{name}' is taken: choose another")
            role = "clinician" if row.role == "clinician" else "runner"
            joined = inserted_id(
                c.execute(
                    users.insert().values(
                        name=name, role=role, password_hash=password_hash, created_at=now
                    )
                )
            )
            c.execute(
                invites.update().where(invites.c.token_hash == token_hash).values(used_by=joined)
            )
            if role == "runner":
                c.execute(care.insert().values(clinician_id=row.clinician_id, runner_id=joined))
            return joined

    def followed(self, clinician_id: int) -> list[Followed]:
        with self.engine.connect() as c:
            rows = c.execute(
                sa.select(users.c.id, users.c.name, users.c.revision)
                .join(care, care.c.runner_id == users.c.id)
                .where(care.c.clinician_id == clinician_id)
                .order_by(users.c.name)
            ).all()
        return [Followed(r.id, r.name, r.revision) for r in rows]

    def followed_by_anyone(self) -> list[Followed]:
        with self.engine.connect() as c:
            rows = c.execute(
                sa.select(users.c.id, users.c.name, users.c.revision)
                .where(sa.exists().where(care.c.runner_id == users.c.id))
                .order_by(users.c.id)
            ).all()
        return [Followed(r.id, r.name, r.revision) for r in rows]

    def follows(self, clinician_id: int, runner_id: int) -> bool:
        with self.engine.connect() as c:
            return (
                c.execute(
                    sa.select(care.c.runner_id).where(
                        care.c.clinician_id == clinician_id, care.c.runner_id == runner_id
                    )
                ).first()
                is not None
            )

    def members(self, roles: Sequence[str]) -> list[Member]:
        with self.engine.connect() as c:
            rows = c.execute(
                sa.select(users.c.id, users.c.name, users.c.role)
                .where(users.c.role.in_(list(roles)), users.c.password_hash.is_not(None))
                .order_by(users.c.name)
            ).all()
        return [Member(r.id, r.name, r.role) for r in rows]

    def clinicians_of(self, runner_id: int) -> list[Account]:
        with self.engine.connect() as c:
            rows = c.execute(
                sa.select(users)
                .join(care, care.c.clinician_id == users.c.id)
                .where(care.c.runner_id == runner_id)
                .order_by(users.c.name)
            ).all()
        return [Account(r.id, r.name, r.role, r.password_hash, r.email) for r in rows]

    def hand_over(
        self,
        runner_id: int,
        giver: int,
        taker: int,
        entry: AuditEntry,
        mails: Sequence[Mail],
        now: dt.datetime,
    ) -> bool:
        with self.engine.begin() as c:
            gone = c.execute(
                care.delete().where(care.c.clinician_id == giver, care.c.runner_id == runner_id)
            ).rowcount
            if not gone:
                return False
            followed = c.execute(
                sa.select(care.c.runner_id).where(
                    care.c.clinician_id == taker, care.c.runner_id == runner_id
                )
            ).first()
            if followed is None:
                c.execute(care.insert().values(clinician_id=taker, runner_id=runner_id))
            c.execute(
                audit_log.insert().values(
                    at=entry.at,
                    actor_id=entry.actor_id,
                    actor_name=entry.actor_name[:200],
                    runner_id=entry.runner_id,
                    action=entry.action[:200],
                    address=entry.address[:64],
                    allowed=entry.allowed,
                )
            )
            _queue_all(c, mails, now)
            return True

    def stop_care(
        self, runner_id: int, clinician_id: int, mails: Sequence[Mail], now: dt.datetime
    ) -> bool:
        with self.engine.begin() as c:
            gone = c.execute(
                care.delete().where(
                    care.c.clinician_id == clinician_id, care.c.runner_id == runner_id
                )
            ).rowcount
            if gone:
                _queue_all(c, mails, now)
            return bool(gone)

    def delete_account(self, user_id: int, mails: Sequence[Mail], now: dt.datetime) -> None:
        """Every table that keeps something of an account refers to it with ON DELETE
        CASCADE, so removing the account removes its record; its failed logins (kept by
        name) go too. The audit log keeps its entries, who looked and when, but no longer
        under the account's id (0, no account): SQLite may give the id to the next account,
        which must not see them as theirs."""
        with self.engine.begin() as c:
            name = c.execute(sa.select(users.c.name).where(users.c.id == user_id)).scalar()
            if name is None:
                return
            c.execute(
                audit_log.update().where(audit_log.c.runner_id == user_id).values(runner_id=0)
            )
            c.execute(login_failures.delete().where(login_failures.c.account == name))
            c.execute(invites.update().where(invites.c.used_by == user_id).values(used_by=0))
            c.execute(users.delete().where(users.c.id == user_id))
            _queue_all(c, mails, now)

    # sessions and passwords ------------------------------------------------------------
    def sessions_of(self, user_id: int, now: dt.datetime) -> list[tuple[str, KeptSession]]:
        with self.engine.connect() as c:
            rows = c.execute(
                sa.select(web_sessions)
                .where(web_sessions.c.user_id == user_id, web_sessions.c.expires_at >= now)
                .order_by(web_sessions.c.created_at.desc(), web_sessions.c.token_hash)
            ).all()
        return [
            (
                r.token_hash,
                KeptSession(r.token_hash[:KEY_LENGTH], _aware(r.created_at), _aware(r.expires_at)),
            )
            for r in rows
        ]

    def end_sessions(self, user_id: int, token_hashes: Sequence[str] | None) -> int:
        where = web_sessions.c.user_id == user_id
        if token_hashes is not None:
            where = where & web_sessions.c.token_hash.in_(list(token_hashes))
        with self.engine.begin() as c:
            return int(c.execute(web_sessions.delete().where(where)).rowcount)

    def set_password(self, user_id: int, password_hash: str, keep_session: str | None) -> None:
        with self.engine.begin() as c:
            _set_password_on(c, user_id, password_hash, keep_session)

    # password resets -------------------------------------------------------------------
    def record_reset(
        self,
        user_id: int | None,
        client: str,
        now: dt.datetime,
        token_hash: str | None,
        expires_at: dt.datetime | None,
        mail: Mail | None,
    ) -> None:
        with self.engine.begin() as c:
            c.execute(
                password_resets.delete().where(
                    password_resets.c.requested_at < now - dt.timedelta(days=2)
                )
            )
            c.execute(
                password_resets.insert().values(
                    user_id=user_id,
                    client=client[:64],
                    requested_at=now,
                    token_hash=token_hash,
                    expires_at=expires_at,
                )
            )
            if mail is not None:
                queue_on(c, mail, now)

    def resets_since(self, user_id: int | None, client: str, since: dt.datetime) -> tuple[int, int]:
        count = sa.select(sa.func.count()).select_from(password_resets)
        with self.engine.connect() as c:
            by_account = (
                0
                if user_id is None
                else c.execute(
                    count.where(
                        password_resets.c.user_id == user_id,
                        password_resets.c.requested_at >= since,
                    )
                ).scalar_one()
            )
            by_client = c.execute(
                count.where(
                    password_resets.c.client == client[:64],
                    password_resets.c.requested_at >= since,
                )
            ).scalar_one()
        return int(by_account), int(by_client)

    def reset_open(self, token_hash: str, now: dt.datetime) -> bool:
        with self.engine.connect() as c:
            row = c.execute(
                sa.select(password_resets).where(password_resets.c.token_hash == token_hash)
            ).first()
        return _reset_usable(row, now)

    def redeem_reset(self, token_hash: str, password_hash: str, now: dt.datetime) -> int | None:
        with self.engine.begin() as c:
            row = c.execute(
                sa.select(password_resets)
                .where(password_resets.c.token_hash == token_hash)
                .with_for_update()
            ).first()
            if row is None or not _reset_usable(row, now):
                return None
            c.execute(
                password_resets.update().where(password_resets.c.id == row.id).values(used_at=now)
            )
            # one reset link at a time: the account's others are used up with it
            c.execute(
                password_resets.update()
                .where(
                    password_resets.c.user_id == row.user_id, password_resets.c.used_at.is_(None)
                )
                .values(used_at=now)
            )
            _set_password_on(c, int(row.user_id), password_hash, None)
            # a reset is how an account taken over is won back: what the intruder may
            # have made to get in again (API tokens, a calendar feed) ends with it
            c.execute(api_tokens.delete().where(api_tokens.c.user_id == row.user_id))
            c.execute(calendar_feeds.delete().where(calendar_feeds.c.user_id == row.user_id))
            return int(row.user_id)

    # API tokens ------------------------------------------------------------------------
    def create_api_token(self, token_hash: str, user_id: int, name: str, now: dt.datetime) -> None:
        with self.engine.begin() as c:
            c.execute(
                api_tokens.insert().values(
                    token_hash=token_hash, user_id=user_id, name=name, created_at=now
                )
            )

    def api_token_user(self, token_hash: str) -> int | None:
        with self.engine.connect() as c:
            found = c.execute(_TOKEN_USER, {"hash": token_hash}).scalar()
        return None if found is None else int(found)

    def api_tokens_of(self, user_id: int) -> list[tuple[str, KeptToken]]:
        with self.engine.connect() as c:
            rows = c.execute(
                sa.select(api_tokens)
                .where(api_tokens.c.user_id == user_id)
                .order_by(api_tokens.c.created_at.desc(), api_tokens.c.token_hash)
            ).all()
        return [
            (r.token_hash, KeptToken(r.token_hash[:KEY_LENGTH], r.name, _aware(r.created_at)))
            for r in rows
        ]

    def revoke_api_token(self, user_id: int, token_hash: str) -> bool:
        with self.engine.begin() as c:
            gone = c.execute(
                api_tokens.delete().where(
                    api_tokens.c.user_id == user_id, api_tokens.c.token_hash == token_hash
                )
            ).rowcount
        return bool(gone)

    # calendar feeds --------------------------------------------------------------------
    def set_calendar_feed(self, user_id: int, token_hash: str | None, now: dt.datetime) -> None:
        """A new feed address (the old one stops working), or none (revoked)."""
        with self.engine.begin() as c:
            c.execute(calendar_feeds.delete().where(calendar_feeds.c.user_id == user_id))
            if token_hash is not None:
                c.execute(
                    calendar_feeds.insert().values(
                        user_id=user_id, token_hash=token_hash, created_at=now
                    )
                )

    def calendar_feed_user(self, token_hash: str) -> int | None:
        with self.engine.connect() as c:
            found = c.execute(
                sa.select(calendar_feeds.c.user_id).where(calendar_feeds.c.token_hash == token_hash)
            ).scalar()
        return None if found is None else int(found)

    def has_calendar_feed(self, user_id: int) -> bool:
        with self.engine.connect() as c:
            return (
                c.execute(
                    sa.select(calendar_feeds.c.user_id).where(calendar_feeds.c.user_id == user_id)
                ).first()
                is not None
            )


def _aware(moment: dt.datetime | str) -> dt.datetime:
    """A date-time as read (SQLite's plain SQL gives text), in UTC when it says no zone."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _queue_all(c: Connection, mails: Sequence[Mail], now: dt.datetime) -> None:
    for mail in mails:
        queue_on(c, mail, now)


def _set_password_on(
    c: Connection, user_id: int, password_hash: str, keep_session: str | None
) -> None:
    c.execute(users.update().where(users.c.id == user_id).values(password_hash=password_hash))
    others = web_sessions.c.user_id == user_id
    if keep_session is not None:
        others = others & (web_sessions.c.token_hash != keep_session)
    c.execute(web_sessions.delete().where(others))


def _reset_usable(row: sa.Row[object] | None, now: dt.datetime) -> bool:
    return (
        row is not None
        and row.user_id is not None
        and row.used_at is None
        and row.expires_at is not None
        and _aware(row.expires_at) >= now
    )
