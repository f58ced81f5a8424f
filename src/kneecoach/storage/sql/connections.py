"""The connection a store works on: its own short transaction per call, or the enclosing
one when a use case groups several writes (``RunnerStore.transaction``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, CursorResult, Engine

from kneecoach.storage.database import writing


class Connections:
    """Hands out connections for one runner store, which lives for one command or request
    (so it is never shared between threads)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._current: Connection | None = None

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A transaction, committed at the end unless something is raised; inside another
        one, that one (so the whole use case commits or rolls back together)."""
        if self._current is not None:
            yield self._current
            return
        with writing(self.engine) as connection:
            self._current = connection
            try:
                yield connection
            finally:
                self._current = None

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection to read on: the enclosing transaction's, so a use case reads what
        it has just written, else a fresh one."""
        if self._current is not None:
            yield self._current
            return
        with self.engine.connect() as connection:
            yield connection


def inserted_id(result: CursorResult[Any]) -> int:
    """The id of the row an INSERT just added."""
    key = result.inserted_primary_key
    if key is None:
        raise RuntimeError("the INSERT returned no primary key")
    return int(key[0])


def upsert(c: Connection, table: sa.Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that can say what to do when the row exists (ON CONFLICT), in the
    connection's dialect: two requests writing the same row at once then never fail on the
    unique constraint (one inserts, the other updates or leaves it)."""
    if c.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
