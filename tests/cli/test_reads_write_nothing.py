"""A command that only reads leaves the database as it was: on a fresh database it does not
even keep the user's name (which would then block that name for a web sign-up)."""

from __future__ import annotations

import sqlalchemy as sa

from kneecoach.storage.database import open_database
from kneecoach.storage.tables import metadata, users
from tests.cli.conftest import SCRIPTED_INIT

READS = [
    ("today",),
    ("today", "--json"),
    ("history",),
    ("history", "--json"),
    ("progress",),
    ("progress", "--json"),
    ("akps", "--history"),
    ("akps", "--history", "--json"),
    ("runs", "list"),
    ("runs", "list", "--json"),
    ("runs", "show", "1"),
    ("load",),
    ("load", "--json"),
    ("return-to-run",),
    ("race", "plan"),
    ("race", "plan", "--json"),
    ("race", "clear"),
    ("review", "--no-red-flags"),
    ("start",),
]


def _everything(url: str) -> dict[str, list[tuple]]:
    engine = open_database(url)
    try:
        with engine.connect() as c:
            return {
                t.name: sorted((tuple(r) for r in c.execute(sa.select(t))), key=repr)
                for t in metadata.sorted_tables
            }
    finally:
        engine.dispose()


def _url(env: dict[str, str]) -> str:
    from kneecoach.config import load_settings

    return load_settings().database_url


def test_every_read_only_command_on_a_fresh_database_keeps_no_user(kc, isolated_env, monkeypatch):
    monkeypatch.setenv("KNEECOACH_USER", "zed")
    kc("exercises")  # the database exists now, with no user in it
    url = _url(isolated_env)
    before = _everything(url)
    for args in READS:
        result = kc(*args)
        assert result.code in (0, 2), (args, result.err)
        assert "Traceback" not in result.err + result.out, args
    after = _everything(url)
    assert after == before
    engine = open_database(url)
    with engine.connect() as c:
        assert c.execute(sa.select(users.c.name)).all() == []
    engine.dispose()


def test_a_read_that_says_no_profile_yet_leaves_the_name_free_for_init(kc, monkeypatch):
    monkeypatch.setenv("KNEECOACH_USER", "zed")
    refused = kc("today")
    assert refused.code == 2 and "no profile yet" in refused.err + refused.out
    assert kc("history", "--json").code == 2
    assert kc(*SCRIPTED_INIT).code == 0
    assert kc("today", "--date", "2026-11-23", "--json").json["status"] == "session"


def test_read_only_commands_of_a_kept_runner_change_nothing(kc, isolated_env):
    assert kc(*SCRIPTED_INIT).code == 0
    url = _url(isolated_env)
    before = _everything(url)
    for args in READS:
        if args[0] in ("review", "start"):  # the review answers the screen again: a write
            continue
        assert kc(*args).code in (0, 2), args
    assert _everything(url) == before
