"""Strava connections and the deployment's shared rate limits, on the database. Tokens are
kept encrypted (Fernet: AES-128-CBC with an HMAC, from ``cryptography``) with the key of
KNEECOACH_SECRET_KEY: a copy of the database alone gives nobody a runner's Strava."""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy.engine import Engine, Row

from kneecoach.services.ports import (
    KeptLimits,
    RateLimits,
    StorageError,
    StravaConnection,
    StravaGrant,
    StravaTokens,
)
from kneecoach.storage.tables import strava_connections as C
from kneecoach.storage.tables import strava_limits as L

LIMITS_ROW = 1
_GONE = StravaTokens("", "", dt.datetime.fromtimestamp(0, dt.UTC))
"""The tokens of a connection that has none any more."""


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives back naive datetimes: they were written in UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)


class SqlStravaStore:
    def __init__(self, engine: Engine, key: bytes) -> None:
        self.engine = engine
        self.fernet = Fernet(base64.urlsafe_b64encode(key))

    def _seal(self, tokens: StravaTokens) -> bytes:
        plain = json.dumps(
            {
                "access": tokens.access_token,
                "refresh": tokens.refresh_token,
                "expires_at": tokens.expires_at.isoformat(),
            }
        ).encode()
        return self.fernet.encrypt(plain)

    def _open(self, sealed: bytes) -> StravaTokens:
        try:
            found: dict[str, Any] = json.loads(self.fernet.decrypt(sealed))
        except InvalidToken:
            raise StorageError(
                "the Strava tokens cannot be read with this KNEECOACH_SECRET_KEY (it changed)"
            ) from None
        return StravaTokens(
            str(found["access"]),
            str(found["refresh"]),
            dt.datetime.fromisoformat(str(found["expires_at"])),
        )

    def _connection(self, row: Row[Any]) -> StravaConnection:
        reconnect, unreadable_tokens = row.reconnect, False
        try:
            tokens = self._open(row.tokens)
        except StorageError as unreadable:
            # sealed with another key (KNEECOACH_SECRET_KEY changed or lost): the tokens are
            # as good as gone, so the connection needs connecting again — shown as such,
            # forgotten by Disconnect, never a page that fails
            tokens, reconnect = _GONE, reconnect or str(unreadable)
            unreadable_tokens = True
        return StravaConnection(
            user_id=row.user_id,
            athlete_id=row.athlete_id,
            athlete_name=row.athlete_name,
            scope=row.scope,
            tokens=tokens,
            connected_at=_aware(row.connected_at) or row.connected_at,
            history_from=row.history_from,
            reached=_aware(row.reached),
            newest=_aware(row.newest),
            history_done=bool(row.history_done),
            synced=row.synced,
            last_sync_at=_aware(row.last_sync_at),
            reconnect=reconnect,
            tokens_unreadable=unreadable_tokens,
        )

    def connection(self, user_id: int) -> StravaConnection | None:
        with self.engine.connect() as c:
            row = c.execute(sa.select(C).where(C.c.user_id == user_id)).first()
        return None if row is None else self._connection(row)

    def connect(
        self, user_id: int, grant: StravaGrant, history_from: dt.date, now: dt.datetime
    ) -> None:
        with self.engine.begin() as c:
            c.execute(C.delete().where(C.c.user_id == user_id))
            c.execute(
                C.insert().values(
                    user_id=user_id,
                    athlete_id=grant.athlete_id,
                    athlete_name=grant.athlete_name[:200],
                    scope=grant.scope[:100],
                    tokens=self._seal(grant.tokens),
                    connected_at=now,
                    history_from=history_from,
                    reached=None,
                    newest=None,
                    history_done=False,
                    synced=0,
                )
            )

    def set_tokens(self, user_id: int, tokens: StravaTokens) -> None:
        with self.engine.begin() as c:
            c.execute(C.update().where(C.c.user_id == user_id).values(tokens=self._seal(tokens)))

    def progress(
        self, user_id: int, reached: dt.datetime | None, added: int, done: bool, now: dt.datetime
    ) -> None:
        values: dict[str, Any] = {
            "synced": C.c.synced + added,
            "history_done": done,
            "last_sync_at": now,
        }
        if reached is not None:
            values["reached"] = reached
        with self.engine.begin() as c:
            c.execute(C.update().where(C.c.user_id == user_id).values(**values))

    def set_newest(self, user_id: int, newest: dt.datetime) -> None:
        with self.engine.begin() as c:
            c.execute(C.update().where(C.c.user_id == user_id).values(newest=newest))

    def connected(self) -> list[int]:
        with self.engine.connect() as c:
            found = c.execute(
                sa.select(C.c.user_id).where(C.c.reconnect.is_(None)).order_by(C.c.user_id)
            ).scalars()
            return [int(u) for u in found]

    def needs_reconnect(self, user_id: int, reason: str, now: dt.datetime) -> None:
        with self.engine.begin() as c:
            c.execute(
                C.update()
                .where(C.c.user_id == user_id)
                .values(reconnect=reason[:300], tokens=self._seal(_GONE), last_sync_at=now)
            )

    def runner_of(self, athlete_id: int) -> int | None:
        with self.engine.connect() as c:
            found = c.execute(
                sa.select(C.c.user_id).where(C.c.athlete_id == athlete_id).order_by(C.c.user_id)
            ).first()
        return None if found is None else int(found.user_id)

    def disconnect(self, user_id: int) -> bool:
        with self.engine.begin() as c:
            return bool(c.execute(C.delete().where(C.c.user_id == user_id)).rowcount)

    def limits(self) -> KeptLimits | None:
        with self.engine.connect() as c:
            row = c.execute(sa.select(L).where(L.c.id == LIMITS_ROW)).first()
        if row is None:
            return None
        return KeptLimits(
            RateLimits(row.short_limit, row.short_usage, row.daily_limit, row.daily_usage),
            _aware(row.observed_at) or row.observed_at,
        )

    def observe(self, limits: RateLimits, now: dt.datetime) -> None:
        values = {
            "short_limit": limits.short_limit,
            "short_usage": limits.short_usage,
            "daily_limit": limits.daily_limit,
            "daily_usage": limits.daily_usage,
            "observed_at": now,
        }
        with self.engine.begin() as c:
            changed = c.execute(
                L.update().where(L.c.id == LIMITS_ROW, L.c.observed_at <= now).values(**values)
            ).rowcount
            if changed or c.execute(sa.select(L.c.id)).first() is not None:
                return
            try:
                with c.begin_nested():
                    c.execute(L.insert().values(id=LIMITS_ROW, **values))
            except sa.exc.IntegrityError:  # another runner's sync kept its own first
                pass
