"""Open the database, bring its schema up to date, and say clearly when it cannot be used.

Start-up cost matters (every CLI command opens the database), so the schema version is read
with one query and Alembic is imported only when a migration must actually run.
"""

from __future__ import annotations

import threading
import weakref
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from kneecoach.services.ports import StorageError

HEAD_REVISION = "0032"
"""The newest migration; a test checks it equals Alembic's head."""

MIGRATIONS = Path(__file__).with_name("migrations")

SQLITE_POOL = {"pool_size": 20, "max_overflow": 40}
"""Pooled SQLite connections: more than the web app's worker threads (anyio's 40), so
that busy moments reuse connections instead of opening (and setting up) new ones."""
POSTGRES_POOL = {"pool_size": 10, "max_overflow": 30, "pool_timeout": 60}
"""Pooled PostgreSQL connections: ten kept open, and up to one per worker thread (anyio's
40) at the busiest, so no request waits for a connection another thread could have had
(SQLAlchemy's default, 5 + 10, made most of 40 busy threads queue for one)."""

BUSY_SECONDS = 5.0
"""How long a write waits for another to finish before the database counts as busy."""


class FairLock:
    """A re-entrant lock handed to its waiters in the order they came (first come, first
    served), for the writers of one SQLite database.

    Python's own locks are not fair: a thread that releases one and asks for it again,
    or one that just arrived, often gets it ahead of threads asleep on it, so under many
    writers some waited tens of seconds while others wrote again and again. Here each
    waiter sleeps on a lock of its own, and the thread that releases hands ownership to
    the longest waiting one directly: nobody can take it in between.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._owner: int | None = None
        self._depth = 0
        self._waiters: deque[tuple[int, threading.Lock]] = deque()

    def acquire(self, timeout: float = -1) -> bool:
        """Hold the lock (again, for its owner); False when ``timeout`` seconds passed
        first (a negative timeout waits for as long as it takes)."""
        me = threading.get_ident()
        with self._mutex:
            if self._owner == me:
                self._depth += 1
                return True
            if self._owner is None and not self._waiters:
                self._owner, self._depth = me, 1
                return True
            turn = threading.Lock()
            turn.acquire()
            waiting = (me, turn)
            self._waiters.append(waiting)
        if turn.acquire(timeout=timeout):
            return True  # handed over by release(): owner and depth are set
        with self._mutex:
            if self._owner == me:  # handed over just as the wait ran out
                return True
            self._waiters.remove(waiting)
            return False

    def release(self) -> None:
        with self._mutex:
            if self._owner != threading.get_ident():
                raise RuntimeError("release of a FairLock not held by this thread")
            self._depth -= 1
            if self._depth:
                return
            if self._waiters:
                self._owner, turn = self._waiters.popleft()
                self._depth = 1
                turn.release()
            else:
                self._owner = None


_WRITERS: weakref.WeakKeyDictionary[Engine, FairLock] = weakref.WeakKeyDictionary()
"""One lock per SQLite engine, held by the thread writing (see :func:`writing`)."""


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for PostgreSQL URLs written the usual way."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def describe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "the configured database"


def create_engine(url: str) -> Engine:
    url = normalise_url(url)
    try:
        parsed = sa.make_url(url)
    except sa.exc.ArgumentError:
        raise StorageError(f"KNEECOACH_DATABASE_URL is not a database URL: {url!r}") from None
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    try:
        return sa.create_engine(parsed, pool_pre_ping=True, **POSTGRES_POOL)
    except (ImportError, sa.exc.NoSuchModuleError) as error:
        raise StorageError(f"cannot use {describe(url)}: {error}") from None


def _sqlite_engine(url: sa.URL) -> Engine:
    if url.database and url.database != ":memory:":
        path = Path(url.database)
        if path.is_dir():
            raise StorageError(f"{path} is a folder, not a database file")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(f"cannot create the folder for {path}: {error}") from None
    on_disk = bool(url.database and url.database != ":memory:")
    engine = sa.create_engine(url, **(SQLITE_POOL if on_disk else {}))
    _WRITERS[engine] = FairLock()

    @sa.event.listens_for(engine, "connect")
    def _pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_SECONDS * 1000)}")
        if url.database and url.database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
            # In WAL mode NORMAL never corrupts the database: a commit is durable once the
            # next checkpoint syncs, so a power cut (not a crash of kneecoach) can lose the
            # last moments' commits. FULL syncs on every commit, which made each write wait
            # for the disk (~12 ms a commit, three or four commits a request).
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return engine


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """A write transaction, committed at the end unless something is raised.

    SQLite lets one connection write at a time; the others wait in its busy handler,
    which sleeps in steps of up to 100 ms and so wakes long after the writer is done.
    Under many concurrent writes that made writes queue for seconds and fail with
    "database is locked" once the busy timeout ran out. So the threads of one process
    queue for a SQLite database on a lock of their own (:class:`FairLock`), each woken in
    its turn the moment the writer before it commits; the busy timeout still covers other
    processes. Re-entrant: a thread that
    opens a second transaction while in one is not blocked by itself. A thread that has
    waited the busy timeout goes on to SQLite's own wait (and its "busy" error) as before.
    PostgreSQL locks rows, not the database, and its writers run side by side.
    """
    lock = _WRITERS.get(engine)
    held = lock is not None and lock.acquire(timeout=BUSY_SECONDS)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        if held and lock is not None:
            lock.release()


def current_revision(connection: Connection) -> str | None:
    """The schema revision, or None for an empty database; refuses a foreign one.

    The usual case — a kneecoach database — costs one query; only when that fails is the
    database inspected to tell an empty one from a foreign one.
    """
    try:
        return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.DBAPIError as error:
        if "alembic_version" not in str(error.orig) and "no such table" not in str(error.orig):
            raise
        connection.rollback()
    inspector = sa.inspect(connection)
    names = set(inspector.get_table_names())
    if "alembic_version" not in names:
        if names:
            raise StorageError(
                "it is not a kneecoach database (it holds other tables: "
                f"{', '.join(sorted(names)[:5])})"
            )
        return None
    return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` (the newest by default), in one transaction.

    SQLite alters a table by copying it and dropping the old one; with foreign keys on,
    that drop would cascade and delete the rows that point at it. So foreign keys are off
    while migrating (SQLite only honours that outside a transaction) and checked after.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, revision)
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise StorageError(f"the migration left broken references: {broken[:3]}")
        finally:
            if sqlite:
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def open_database(url: str) -> Engine:
    """An engine on an up-to-date kneecoach database, or a StorageError that says why not."""
    engine = create_engine(url)
    where = describe(normalise_url(url))
    try:
        with engine.connect() as connection:
            revision = current_revision(connection)
        if revision == HEAD_REVISION:
            return engine
        if revision is not None and not _known_revision(revision):
            raise StorageError(
                f"{where} was written by a newer kneecoach (schema {revision}); "
                "update kneecoach to use it"
            )
        upgrade(engine)
    except StorageError as error:
        engine.dispose()
        message = str(error)
        if not message.startswith(where):
            message = f"cannot use {where}: {message}"
        raise StorageError(message) from None
    except sa.exc.DatabaseError as error:
        engine.dispose()
        raise StorageError(f"cannot use {where}: {_reason(error)}") from None
    return engine


def _known_revision(revision: str) -> bool:
    return any(f.name.startswith(f"{revision}_") for f in (MIGRATIONS / "versions").glob("*.py"))


def _reason(error: sa.exc.DBAPIError) -> str:
    text = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
    if "file is not a database" in text or "malformed" in text:
        return "the file is not a SQLite database, or it is corrupt"
    return text
