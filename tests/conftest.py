from __future__ import annotations

import datetime as dt
import functools
import inspect
import itertools
import os
import re
import sqlite3
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import settings

from kneecoach.services.ports import FixedClock
from kneecoach.storage import database
from tests.postgres import create_database, memory_folder, temporary_server

_counter = itertools.count()

DAYS_AHEAD = int(os.environ.get("KNEECOACH_TEST_DAYS_AHEAD") or 0)
"""How far ``make test`` moves the tests' 'today' for the tests on SQLite outside the browser
(400 days), while their PostgreSQL twins and the browser tests run on the day itself: a test
that read the machine's date instead of the one clock would meet a 'today' more than a year
away from it, and its twin another, so no test depends on the day it runs."""

settings.register_profile("kneecoach", deadline=None)
"""No per-example deadline: the suite also runs under coverage and beside other workers,
where a slow example says nothing about the code."""
settings.load_profile("kneecoach")
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
    # In memory: each test's database is a copy of the template (see fresh_database), a few
    # hundred a worker, and creating them, and removing them all at the end, went at the
    # disk's pace (teardown alone took 9 s). The WAL is kept small to bound the memory.
    with temporary_server(memory_folder(), "-c max_wal_size=128MB") as url:
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


def migrated_sqlite_file(path: Path) -> Path:
    """A SQLite database at ``path`` already brought to the head: a copy of the one
    :func:`migrated_once` migrated, for a test whose kneecoach runs in a process of its own
    (where that fixture's copying does not reach) and whose subject is not a first run."""
    assert _sqlite_template is not None, "migrated_once makes the template first"
    path.parent.mkdir(parents=True, exist_ok=True)
    source, target = sqlite3.connect(_sqlite_template), sqlite3.connect(path)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return path


def _has_tables(engine: sa.Engine) -> bool:
    return bool(sa.inspect(engine).get_table_names())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """A fresh, empty database of each kind."""
    return fresh_database(request.param, request, tmp_path)


@pytest.fixture
def isolated_env(request: pytest.FixtureRequest, tmp_path, monkeypatch) -> dict[str, str]:
    """Point kneecoach at a temporary data folder, as a brand-new user would start. A test
    marked ``own_dates`` sets KNEECOACH_TODAY itself before each command: here it gets a
    value kneecoach refuses, so a command run without the test's own day fails."""
    today = TODAY.isoformat()
    if request.node.get_closest_marker(OWN_DATES) is not None:
        today = "the-test-s-own-day"
    values = {"KNEECOACH_DATA_DIR": str(tmp_path / "data"), "KNEECOACH_TODAY": today}
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


OWN_DATES = "own_dates"
"""The marker of a test that brings its own days and never reaches the tests' 'today' (see
:func:`_way_to_today`): checked at collection, so that what it says of a test is true, and
its commands refuse to run on the tests' day (see :func:`isolated_env`)."""
_TODAYS_NAMES = frozenset({"TODAY", "person_env"})
"""The names through which a test reaches the tests' 'today'."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked ``own_dates`` is checked to reach no 'today': collection stops with the
    way it does."""
    own = [item for item in items if item.get_closest_marker(OWN_DATES) is not None]
    wrong = [f"{item.nodeid}: {way}" for item in own if (way := _way_to_today(item))]
    if wrong:
        raise pytest.UsageError(
            f"marked {OWN_DATES} but reaching the tests' today:\n" + "\n".join(wrong)
        )


def _way_to_today(item: pytest.Item) -> str | None:
    """How a test reaches the tests' 'today', or None: its module's text names it, or the
    test function, a fixture it uses or a test helper they call (followed through the
    names their code refers to) refers to it or to a day kept in a test module that does.
    ``isolated_env`` gives a test marked ``own_dates`` no day at all (see there)."""
    assert isinstance(item, pytest.Function)
    if _names_today(str(item.module.__file__)):
        return f"its module {item.module.__name__} names it"
    functions = [item.obj]
    for name in item.fixturenames:
        if name == "isolated_env":
            continue
        for fixture in item._fixtureinfo.name2fixturedefs.get(name, ()):
            functions.append(fixture.func)
    return reaches_today(functions)


def reaches_today(functions: list[object]) -> str | None:
    """How these test functions reach the tests' 'today', following the test helpers they
    refer to, or None."""
    functions = list(functions)
    seen: set[int] = set()
    while functions:
        function = inspect.unwrap(functions.pop())
        code = getattr(function, "__code__", None)
        module = getattr(function, "__module__", "") or ""
        if code is None or id(function) in seen or not module.startswith("tests"):
            continue
        seen.add(id(function))
        names = set(_names(code))
        if _TODAYS_NAMES & names:
            return f"{module}.{function.__qualname__} refers to it"
        for name in names:
            value = function.__globals__.get(name)
            if inspect.isfunction(value):
                functions.append(value)
            elif inspect.isclass(value) and value.__module__.startswith("tests"):
                functions.extend(vars(value).values())
            elif inspect.ismodule(value) and value.__name__.startswith("tests"):
                if _names_today(str(value.__file__)):
                    return f"{module}.{function.__qualname__} uses {value.__name__}, which names it"
            elif isinstance(value, dt.date) and _names_today(function.__globals__["__file__"]):
                return f"{module}.{function.__qualname__} uses the day {name}"
    return None


def _names(code: types.CodeType) -> Iterator[str]:
    yield from code.co_names
    yield from code.co_freevars
    for constant in code.co_consts:
        if isinstance(constant, types.CodeType):
            yield from _names(constant)


@functools.cache
def _names_today(path: str) -> bool:
    """Whether the text of a test module names the tests' 'today'."""
    return bool(_TODAYS_NAMES & set(re.findall(r"\w+", Path(path).read_text())))
