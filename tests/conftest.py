from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

from tests.postgres import create_database, temporary_server

_counter = itertools.count()


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
    """The URL of a fresh, empty database: a SQLite file, or a new PostgreSQL database."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'kneecoach.db'}"
    server = request.getfixturevalue("postgres_server")
    return create_database(server, f"test_{os.getpid()}_{next(_counter)}")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    """A fresh, empty database of each kind."""
    return fresh_database(request.param, request, tmp_path)


@pytest.fixture
def isolated_env(tmp_path, monkeypatch) -> dict[str, str]:
    """Point kneecoach at a temporary data folder, as a brand-new user would start."""
    monkeypatch.setenv("KNEECOACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("KNEECOACH_DATABASE_URL", raising=False)
    monkeypatch.delenv("KNEECOACH_USER", raising=False)
    return {"KNEECOACH_DATA_DIR": str(tmp_path / "data")}
