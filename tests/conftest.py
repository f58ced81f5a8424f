from __future__ import annotations

import datetime as dt
import itertools
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import settings

from kneecoach.services.ports import FixedClock
from kneecoach.storage import database
from tests.postgres import create_database, temporary_server

_counter = itertools.count()

settings.register_profile("kneecoach", deadline=None)
settings.load_profile("kneecoach")
"""No per-example deadline: the suite also runs under coverage and beside other workers,
where a slow example says nothing about the code."""

DAYS_AHEAD = int(os.environ.get("KNEECOACH_TEST_DAYS_AHEAD") or 0)
"""``make test`` runs the suite a second time with the clock moved this far ahead, so that
no test depends on the day it runs."""
TODAY = dt.date(2026, 11, 30) + dt.timedelta(days=DAYS_AHEAD)
"""'Today' for every test: the one clock, fixed (never the machine's date)."""


@pytest.fixture
def today() -> dt.date:
    return TODAY


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(TODAY)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The URL of a real PostgreSQL server: KNEECOACH_TEST_POSTGRES_URL, or one we start."""
    given = os.environ.get("KNEECOACH_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    if os.environ.get("KNEECOACH_SKIP_POSTGRES") == "1":
        pytest.skip("KNEECOACH_SKIP_POSTGRES=1")
    with temporary_server() as url:
        yield url


def fresh_database(kind: str, request: pytest.FixtureRequest, tmp_path) -> str:
    """The URL of a fresh database: a SQLite file, or a new PostgreSQL database — empty
    for a test marked ``real_migrations``, else a copy of one migrated to the head (see
    :func:`migrated_once`; opening it finds it up to date)."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'kneecoach.db'}"
    server = request.getfixturevalue("postgres_server")
    template = None
    if request.node.get_closest_marker("real_migrations") is None:
        template = request.getfixturevalue("postgres_template")
    return create_database(server, f"test_{os.getpid()}_{next(_counter)}", template=template)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """argon2id at a tenth of a millisecond instead of a quarter of a second: the suite
    signs up and logs in thousands of times, and what a test checks of a password (that it
    matches, that a wrong one does not, that it is never kept in clear) does not depend on
    the cost. The product's cost is argon2-cffi's default (services/accounts.py)."""
    from argon2 import PasswordHasher, Type

    from kneecoach.services import accounts

    cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "_hasher", lambda: cheap)
        accounts._stand_in_hash.cache_clear()
        yield
    accounts._stand_in_hash.cache_clear()


@pytest.fixture(scope="session")
def postgres_template(postgres_server: str) -> str:
    """A PostgreSQL database migrated once to the head, that each test's database copies
    (``CREATE DATABASE … TEMPLATE``): one migration per worker instead of one per test."""
    name = f"template_{os.getpid()}"
    url = create_database(postgres_server, name)
    migrated = database.open_database(url)
    migrated.dispose()
    return name


@pytest.fixture(autouse=True)
def migrated_once(request: pytest.FixtureRequest, tmp_path_factory, monkeypatch) -> None:
    """A new, empty SQLite database is brought to the head by copying one migrated once per
    worker, not by running every migration again: the suite opens about a thousand fresh
    databases. The copy is the migrations' own result, so what tests see is unchanged;
    ``tests/storage/test_database.py`` (marked ``real_migrations``) runs them for real."""
    if request.node.get_closest_marker("real_migrations") is not None:
        return
    global _sqlite_template
    if _sqlite_template is None:
        path = tmp_path_factory.getbasetemp() / f"template-{os.getpid()}.db"
        template = database.create_engine(f"sqlite:///{path}")
        _REAL_UPGRADE(template)
        template.dispose()
        _sqlite_template = path

    def upgrade(engine: sa.Engine, revision: str = "head") -> None:
        if revision != "head" or engine.dialect.name != "sqlite" or _has_tables(engine):
            _REAL_UPGRADE(engine, revision)
            return
        assert _sqlite_template is not None
        source = sqlite3.connect(_sqlite_template)
        target = engine.raw_connection()
        try:
            source.backup(target.driver_connection)
        finally:
            target.close()
            source.close()

    monkeypatch.setattr(database, "upgrade", upgrade)


_REAL_UPGRADE = database.upgrade
_sqlite_template: Path | None = None


def _has_tables(engine: sa.Engine) -> bool:
    return bool(sa.inspect(engine).get_table_names())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """A fresh, empty database of each kind."""
    return fresh_database(request.param, request, tmp_path)


@pytest.fixture
def isolated_env(tmp_path, monkeypatch) -> dict[str, str]:
    """Point kneecoach at a temporary data folder, as a brand-new user would start."""
    values = {"KNEECOACH_DATA_DIR": str(tmp_path / "data"), "KNEECOACH_TODAY": TODAY.isoformat()}
    for name in os.environ:
        if name.startswith("KNEECOACH_") and not name.startswith("KNEECOACH_TEST_"):
            monkeypatch.delenv(name)
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def person_env(tmp_path) -> dict[str, str]:
    """The environment of a person at a terminal: no kneecoach settings but a fresh data
    folder and the tests' 'today'."""
    values = {k: v for k, v in os.environ.items() if not k.startswith("KNEECOACH_")}
    values.update(KNEECOACH_DATA_DIR=str(tmp_path / "data"), KNEECOACH_TODAY=TODAY.isoformat())
    return values
