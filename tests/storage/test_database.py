"""Opening databases: migrations on first use, and clear errors for ones we cannot use."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from kneecoach.services.ports import StorageError
from kneecoach.storage import database
from kneecoach.storage.database import HEAD_REVISION, MIGRATIONS, normalise_url, open_database
from kneecoach.storage.sql.connections import Connections
from kneecoach.storage.tables import metadata

pytestmark = [pytest.mark.real_migrations, pytest.mark.own_dates]


def test_head_revision_constant_matches_the_migrations():
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD_REVISION


def test_migrations_build_exactly_the_declared_schema(database_url):
    engine = open_database(database_url)
    with engine.connect() as c:
        diff = compare_metadata(MigrationContext.configure(c), metadata)
    engine.dispose()
    assert diff == []


def test_opening_twice_does_not_migrate_again(database_url, monkeypatch):
    open_database(database_url).dispose()

    def no_upgrade(engine):
        raise AssertionError("migrated an up-to-date database")

    monkeypatch.setattr(database, "upgrade", no_upgrade)
    open_database(database_url).dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'k.db'}")
    with engine.connect() as c:
        assert c.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        assert c.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_sqlite_syncs_at_checkpoints_not_at_every_commit(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'k.db'}")
    with engine.connect() as c:
        assert c.execute(sa.text("PRAGMA synchronous")).scalar() == 1  # NORMAL, safe in WAL
        assert c.execute(sa.text("PRAGMA busy_timeout")).scalar() == 5000
    engine.dispose()


def test_postgresql_pools_a_connection_for_every_worker_thread():
    import anyio
    import anyio.to_thread

    async def worker_threads() -> float:
        return anyio.to_thread.current_default_thread_limiter().total_tokens

    engine = database.create_engine("postgresql://kneecoach@127.0.0.1:1/none")  # never opened
    pool = engine.pool
    assert pool.size() + pool._max_overflow >= anyio.run(worker_threads)  # type: ignore[attr-defined]
    engine.dispose()


def test_sqlite_writers_of_one_process_take_turns_without_database_is_locked(tmp_path):
    """Before: threads waited in SQLite's busy handler, and a writer holding the database
    longer than the busy timeout made the others fail with "database is locked"."""
    import threading
    import time

    engine = open_database(f"sqlite:///{tmp_path / 'k.db'}")
    with engine.begin() as c:
        c.execute(sa.text("CREATE TABLE marks (n INTEGER)"))
    engine.pool.dispose()

    @sa.event.listens_for(engine, "connect")
    def _impatient(dbapi_connection, _record):  # a busy timeout far shorter than a write
        dbapi_connection.execute("PRAGMA busy_timeout=10")

    failures: list[BaseException] = []

    def write(n: int) -> None:
        try:
            with Connections(engine).transaction() as c:  # how every store writes
                c.execute(sa.text("INSERT INTO marks VALUES (:n)"), {"n": n})
                time.sleep(0.05)  # a slow use case, holding the write lock
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as c:
        kept = sorted(c.execute(sa.text("SELECT n FROM marks")).scalars())
    engine.dispose()
    assert failures == []
    assert kept == list(range(8))


def test_a_write_inside_a_write_of_the_same_thread_does_not_wait_for_itself(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'k.db'}")
    with database.writing(engine) as outer:
        outer.execute(sa.text("CREATE TABLE marks (n INTEGER)"))
    with database.writing(engine) as outer:
        outer.execute(sa.text("INSERT INTO marks VALUES (1)"))
        with database.writing(engine) as inner:  # re-entrant: no deadlock on our own lock
            inner.execute(sa.text("SELECT 1"))
    with engine.connect() as c:
        assert c.execute(sa.text("SELECT count(*) FROM marks")).scalar() == 1
    engine.dispose()


def test_the_sqlite_folder_is_created(tmp_path):
    engine = open_database(f"sqlite:///{tmp_path / 'new' / 'deeper' / 'k.db'}")
    engine.dispose()
    assert (tmp_path / "new" / "deeper" / "k.db").exists()


def test_a_file_that_is_not_a_database_is_refused_clearly(tmp_path):
    file = tmp_path / "k.db"
    file.write_bytes(b"this is a shopping list, not a database\n" * 100)
    with pytest.raises(StorageError) as error:
        open_database(f"sqlite:///{file}")
    assert "not a SQLite database, or it is corrupt" in str(error.value)
    assert file.read_bytes().startswith(b"this is a shopping list")


def test_a_foreign_sqlite_database_is_refused_and_left_alone(tmp_path):
    file = tmp_path / "other.db"
    with sqlite3.connect(file) as c:
        c.execute("CREATE TABLE recipes (name TEXT)")
    with pytest.raises(StorageError, match=r"not a kneecoach database .*recipes"):
        open_database(f"sqlite:///{file}")
    with sqlite3.connect(file) as c:
        tables = [r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert tables == ["recipes"]


def test_a_database_from_a_newer_version_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    open_database(url).dispose()
    with sqlite3.connect(tmp_path / "k.db") as c:
        c.execute("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(StorageError, match="newer kneecoach"):
        open_database(url)


def test_a_folder_in_place_of_the_file_is_refused(tmp_path):
    with pytest.raises(StorageError, match="is a folder"):
        open_database(f"sqlite:///{tmp_path}")


def test_a_nonsense_url_is_refused():
    with pytest.raises(StorageError, match="not a database URL"):
        open_database("not a url at all")


def test_postgres_urls_use_psycopg_3():
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_an_unreachable_postgres_server_is_reported_without_the_password():
    with pytest.raises(StorageError) as error:
        open_database("postgresql://runner:secret@127.0.0.1:1/kneecoach?connect_timeout=2")
    assert "secret" not in str(error.value)
    assert "cannot use postgresql+psycopg://runner:***@127.0.0.1:1/kneecoach" in str(error.value)


def test_migrating_an_old_database_keeps_every_row(database_url):
    """Sessions and their sets written at the first schema survive every later migration."""
    from kneecoach.storage.database import create_engine, upgrade

    engine = create_engine(database_url)
    upgrade(engine, "0001")
    now = sa.func.now()
    with engine.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO users (id, name, role, created_at) "
                "VALUES (1, 'local', 'runner', CURRENT_TIMESTAMP)"
            )
        )
        c.execute(
            sa.text(
                "INSERT INTO sessions (id, user_id, performed_on, pain_during, notes, "
                "created_at) VALUES (1, 1, '2026-11-23', 2, 'old', CURRENT_TIMESTAMP)"
            )
        )
        c.execute(
            sa.text(
                "INSERT INTO session_sets (session_id, exercise, variant, side, "
                "set_number, reps, load_kg) VALUES "
                "(1, 'roll-down', 'body-weight', 'both', 1, 10, 0)"
            )
        )
        c.execute(
            sa.text(
                "INSERT INTO checkins (user_id, date, pain_morning, created_at) "
                "VALUES (1, '2026-11-24', 1, CURRENT_TIMESTAMP)"
            )
        )
    engine.dispose()
    assert now is not None
    from kneecoach.storage.sql import SqlStorage

    storage = SqlStorage(open_database(database_url))
    record = storage.for_runner(1)
    import datetime as dt

    [session] = record.journal.sessions(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert session.notes == "old" and len(session.sets) == 1
    assert session.pain_after is None
    [checkin] = record.journal.checkins(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert checkin.pain_morning == 1 and checkin.swelling is False
    storage.engine.dispose()


def test_activities_kept_by_fingerprint_get_origins_and_merge_with_a_later_file(database_url):
    """0014: an activity kept at 0012 (fingerprint, source names) gains origins and its
    span, keeps its effort, a web upload's server path becomes the file's own name, and a
    later file of the same run joins it instead of adding."""
    import datetime as dt

    from kneecoach.domain.activity import Activity, Sport
    from kneecoach.domain.merging import Outcome
    from kneecoach.services.ports import ImportedFile
    from kneecoach.storage.database import create_engine, upgrade
    from kneecoach.storage.sql import SqlStorage

    engine = create_engine(database_url)
    upgrade(engine, "0012")
    with engine.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO users (id, name, role, created_at) "
                "VALUES (1, 'local', 'runner', CURRENT_TIMESTAMP)"
            )
        )
        c.execute(
            sa.text(
                "INSERT INTO activities (user_id, fingerprint, sport, start, day, elapsed_s, "
                "moving_s, distance_m, indoor, name, sources, laps, created_at, effort) VALUES "
                "(1, 'abc', 'run', :start, '2026-11-23', 1800, 1750, 5000, :no, 'Old run', "
                ":sources, '[]', CURRENT_TIMESTAMP, 5)"
            ),
            {
                "start": dt.datetime(2026, 11, 23, 7, tzinfo=dt.UTC),
                "no": False,
                "sources": '["watch.fit", "/tmp/kneecoach-upload-a1b2/0003-strava.gpx"]',
            },
        )
    engine.dispose()
    storage = SqlStorage(open_database(database_url))
    record = storage.for_runner(1)
    (kept,) = record.activities.all()
    assert kept.effort == 5 and kept.sources == ("watch.fit", "strava.gpx")
    assert [(o.name, o.format, o.device_distance) for o in kept.origins] == [
        ("watch.fit", "fit", True),
        ("strava.gpx", "gpx", False),
    ]
    later = Activity(
        Sport.RUN,
        dt.datetime(2026, 11, 23, 7, 1, tzinfo=dt.UTC),
        1790.0,
        1700.0,
        5100.0,
        None,
        None,
        None,
        None,
        format="tcx",
        device_distance=True,
    )
    assert record.activities.add(ImportedFile("garmin.tcx", (later,))) == (Outcome.MERGED,)
    (kept,) = record.activities.all()
    assert kept.activity.distance_m == 5000.0 and kept.effort == 5
    assert sorted(kept.sources) == ["garmin.tcx", "strava.gpx", "watch.fit"]
    storage.engine.dispose()


def test_a_level_kept_before_ranges_existed_reads_as_the_split_squats_full_range(database_url):
    """Levels written before migration 0016 carry no range: the ladder reads them at the
    fullest range (the seed's), so a runner's split squat does not change depth on upgrade."""
    from kneecoach import definitions
    from kneecoach.storage.database import create_engine, upgrade
    from kneecoach.storage.sql import SqlStorage

    engine = create_engine(database_url)
    upgrade(engine, "0012")
    with engine.begin() as c:
        c.execute(
            sa.text(
                "INSERT INTO users (id, name, role, created_at) "
                "VALUES (1, 'local', 'runner', CURRENT_TIMESTAMP)"
            )
        )
        c.execute(
            sa.text(
                "INSERT INTO levels (user_id, exercise, variant, sets, reps, load_kg, pinned, "
                "updated_at) VALUES (1, 'bulgarian-split-squat', 'body-weight', 3, 12, 0, "
                "false, CURRENT_TIMESTAMP)"
            )
        )
    engine.dispose()
    storage = SqlStorage(open_database(database_url))
    level = storage.for_runner(1).plan.levels()["bulgarian-split-squat"].level
    assert (level.sets, level.reps, level.range) == (3, 12, None)
    assert definitions.program().ladders["bulgarian-split-squat"].range_of(level) == "full"
    storage.engine.dispose()


def test_writers_of_one_database_take_their_turns_in_the_order_they_came():
    """The writer lock is first come, first served: a thread that releases it and asks
    again at once waits behind the threads already waiting (Python's own locks let it
    barge in, which starved some writers for tens of seconds under load)."""
    lock = database.FairLock()
    order: list[int] = []
    lock.acquire()

    def writer(n: int) -> None:
        lock.acquire()
        order.append(n)
        lock.release()

    threads = []
    for n in range(5):
        thread = threading.Thread(target=writer, args=(n,))
        thread.start()
        threads.append(thread)
        while len(lock._waiters) < n + 1:  # each is waiting before the next comes
            time.sleep(0.001)

    def barging() -> None:  # the holder's thread takes it again once released
        lock.acquire()
        order.append(99)
        lock.release()

    lock.release()
    barging()
    for thread in threads:
        thread.join()
    assert order == [0, 1, 2, 3, 4, 99]


def test_a_writer_that_waited_too_long_gives_up_its_place_and_the_queue_goes_on():
    lock = database.FairLock()
    lock.acquire()
    assert lock.acquire(timeout=0) is True  # re-entrant for its holder
    got: list[bool] = []
    late = threading.Thread(target=lambda: got.append(lock.acquire(timeout=0.05)))
    late.start()
    late.join()
    assert got == [False]
    assert not lock._waiters
    lock.release()
    lock.release()
    other = threading.Thread(target=lambda: got.append(lock.acquire(timeout=1)))
    other.start()
    other.join()
    assert got == [False, True]
