"""The connection a store works on: its own short transaction per call, or the enclosing
one when a use case groups several writes (``RunnerStore.transaction``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
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
        self.generation = 0
        """Raised at the start of every outermost transaction: a role store that checks
        something once per transaction compares it with the one it checked in."""
        self._pending: dict[str, Callable[[Connection], None]] = {}
        self.kept: dict[str, Any] = {}
        """What role stores keep between transactions of this record (see
        ``SqlActivityStore``): emptied when a transaction does not commit, so nothing a
        rolled-back transaction wrote outlives it."""

    @contextmanager
    def transaction(self, settle: bool = True) -> Iterator[Connection]:
        """A transaction, committed at the end unless something is raised; inside another
        one, that one (so the whole use case commits or rolls back together), with the
        writes left pending in it written first unless ``settle`` is False."""
        if self._current is not None:
            if settle:
                self.settle()
            yield self._current
            return
        self.generation += 1
        try:
            with writing(self.engine) as connection:
                self._current = connection
                try:
                    yield connection
                    self.settle()
                finally:
                    self._current = None
                    self._pending.clear()
        except BaseException:
            self.kept.clear()
            raise

    def pending(self, key: str, write: Callable[[Connection], None]) -> None:
        """Have ``write`` run once before this transaction commits, or before anything
        reads or writes on it otherwise (``settle``): writes gathered to be made at once."""
        self._pending[key] = write

    def settle(self) -> None:
        """Make the writes left pending in the current transaction."""
        if self._current is None:
            return
        while self._pending:
            key = next(iter(self._pending))
            self._pending.pop(key)(self._current)

    @contextmanager
    def reading(self) -> Iterator[Connection]:
        """A connection to read on: the enclosing transaction's (its pending writes made
        first), so a use case reads what it has just written, else a fresh one."""
        if self._current is not None:
            self.settle()
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
