"""The API's idempotency keys in SQL: one short transaction to claim a key (or read what is
kept under it), one to keep the answer. A first request's claim is one statement; the
statements are built once per store (per engine) and only their values change."""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine

from kneecoach.services.ports import IdempotencyStore, KeptAnswer
from kneecoach.storage.database import writing
from kneecoach.storage.tables import idempotency_keys as keys

SWEEP_EVERY = 32
"""About one claim in this many also sweeps away the account's expired keys. Sweeping on
every claim read every key the account had kept that day (the primary key's user_id), all
of it inside the write, which slowed every write as keys piled up. A key found expired
when it is sent again is claimed anew in place."""

_MINE = sa.and_(keys.c.user_id == sa.bindparam("u"), keys.c.key == sa.bindparam("k"))


@dataclass(frozen=True)
class _Statements:
    """The store's statements, built once: building a statement costs more than running
    one of these on SQLite."""

    insert: Any
    take_expired: Any
    read: Any
    keep: Any
    release: Any
    sweep: Any

    @classmethod
    def of(cls, dialect: str) -> _Statements:
        insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(keys)
        return cls(
            insert=insert.values(
                user_id=sa.bindparam("u"),
                key=sa.bindparam("k"),
                fingerprint=sa.bindparam("f"),
                expires_at=sa.bindparam("e", type_=keys.c.expires_at.type),
            )
            .on_conflict_do_nothing(index_elements=["user_id", "key"])
            .returning(keys.c.user_id),
            take_expired=keys.update()
            .where(_MINE, keys.c.expires_at <= sa.bindparam("now", type_=keys.c.expires_at.type))
            .values(
                fingerprint=sa.bindparam("f"),
                expires_at=sa.bindparam("e", type_=keys.c.expires_at.type),
                status=None,
                body=None,
                media_type=None,
            ),
            read=sa.select(keys.c.fingerprint, keys.c.status, keys.c.body, keys.c.media_type).where(
                _MINE
            ),
            keep=keys.update()
            .where(_MINE)
            .values(status=sa.bindparam("s"), body=sa.bindparam("b"), media_type=sa.bindparam("m")),
            release=keys.delete().where(_MINE),
            sweep=keys.delete().where(
                keys.c.user_id == sa.bindparam("u"),
                keys.c.expires_at <= sa.bindparam("now", type_=keys.c.expires_at.type),
            ),
        )


class SqlIdempotencyStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sql = _Statements.of(engine.dialect.name)

    def claim(
        self, user_id: int, key: str, fingerprint: str, now: dt.datetime, expires_at: dt.datetime
    ) -> KeptAnswer | None:
        sql = self._sql
        values = {"u": user_id, "k": key, "f": fingerprint, "e": expires_at, "now": now}
        with writing(self.engine) as c:
            if zlib.crc32(key.encode()) % SWEEP_EVERY == 0:
                c.execute(sql.sweep, {"u": user_id, "now": now})
            if c.execute(sql.insert, values).first() is not None:
                return None  # the key's first request: claimed
            if c.execute(sql.take_expired, values).rowcount:
                return None  # kept once, but long ago: claimed anew
            row = c.execute(sql.read, values).one()
        return KeptAnswer(row.fingerprint, row.status, row.body, row.media_type)

    def keep(self, user_id: int, key: str, status: int, body: bytes, media_type: str) -> None:
        values = {"u": user_id, "k": key, "s": status, "b": body, "m": media_type[:100]}
        with writing(self.engine) as c:
            c.execute(self._sql.keep, values)

    def release(self, user_id: int, key: str) -> None:
        with writing(self.engine) as c:
            c.execute(self._sql.release, {"u": user_id, "k": key})


if TYPE_CHECKING:  # mypy checks that the SQL store fulfils the port

    def _conforms(store: SqlIdempotencyStore) -> IdempotencyStore:
        return store
