"""The API's idempotency keys in SQL: one short transaction to claim a key (or read what is
kept under it), one to keep the answer."""

from __future__ import annotations

import datetime as dt
import zlib
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from kneecoach.services.ports import IdempotencyStore, KeptAnswer
from kneecoach.storage.database import writing
from kneecoach.storage.sql.connections import upsert
from kneecoach.storage.tables import idempotency_keys as keys

SWEEP_EVERY = 32
"""A claim forgets the key itself once expired (one row, by its primary key); about one
claim in this many also sweeps away the account's other expired keys. Sweeping on every
claim read every key the account had kept that day (the primary key's user_id), all of it
inside the write, which slowed every write as keys piled up."""


class SqlIdempotencyStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(
        self, user_id: int, key: str, fingerprint: str, now: dt.datetime, expires_at: dt.datetime
    ) -> KeptAnswer | None:
        with writing(self.engine) as c:
            mine = keys.c.user_id == user_id
            c.execute(keys.delete().where(mine, keys.c.key == key, keys.c.expires_at <= now))
            if zlib.crc32(key.encode()) % SWEEP_EVERY == 0:
                c.execute(keys.delete().where(mine, keys.c.expires_at <= now))
            claimed = c.execute(
                upsert(c, keys)
                .values(user_id=user_id, key=key, fingerprint=fingerprint, expires_at=expires_at)
                .on_conflict_do_nothing(index_elements=["user_id", "key"])
                .returning(keys.c.user_id)
            ).first()
            if claimed is not None:
                return None
            row = c.execute(
                sa.select(keys.c.fingerprint, keys.c.status, keys.c.body, keys.c.media_type).where(
                    keys.c.user_id == user_id, keys.c.key == key
                )
            ).one()
        return KeptAnswer(row.fingerprint, row.status, row.body, row.media_type)

    def keep(self, user_id: int, key: str, status: int, body: bytes, media_type: str) -> None:
        with writing(self.engine) as c:
            c.execute(
                keys.update()
                .where(keys.c.user_id == user_id, keys.c.key == key)
                .values(status=status, body=body, media_type=media_type[:100])
            )

    def release(self, user_id: int, key: str) -> None:
        with writing(self.engine) as c:
            c.execute(keys.delete().where(keys.c.user_id == user_id, keys.c.key == key))


if TYPE_CHECKING:  # mypy checks that the SQL store fulfils the port

    def _conforms(store: SqlIdempotencyStore) -> IdempotencyStore:
        return store
