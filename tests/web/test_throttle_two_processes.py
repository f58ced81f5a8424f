"""The login throttle across two real app processes (uvicorn, as `kneecoach serve`) on one
database: guesses alternate between them with padded, full-width and case-changed forms of
one name, and the account's lock holds in both; the same client address guessing many names
has to wait in both; the real owner gets in once the back-off has passed.

Time passes here as the database sees it: the failures kept are moved back by more than the
longest wait (the servers' clock is the tests' fixed day)."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy as sa

from kneecoach.bootstrap import build
from kneecoach.config import load_settings
from kneecoach.services.accounts import (
    ACCOUNT_FREE_TRIES,
    ACCOUNT_LONGEST_WAIT,
    CLIENT_FREE_TRIES,
    invite,
    join,
)
from kneecoach.services.ports import FixedClock
from kneecoach.storage.tables import login_failures
from tests.conftest import TODAY
from tests.web.conftest import PASSWORD, csrf

ATTACKER = "203.0.113.5"
OWNER_AT_HOME = "198.51.100.7"
SOMEONE_ELSE = "192.0.2.44"
"""Client addresses, as a proxy in front of the app names them (X-Forwarded-For, which
uvicorn takes from 127.0.0.1 only)."""
SAME_NAME = ["runnerB1" + " " * 9, " runnerB1", "ｒｕｎｎｅｒB1", "runnerB1\t", "\u3000runnerB1"]
"""Ways of typing the one name runnerB1 (padding, a tab, full-width letters and an
ideographic space: NFKC)."""
OTHER_CASE = ["RUNNERB1", "RunnerB1"]
"""Another name: account names keep their case, so these never reach runnerB1's account."""


SERVE = """
import sys
import uvicorn
from argon2 import PasswordHasher, Type
from kneecoach.config import load_settings
from kneecoach.services import accounts
from kneecoach.web.app import SERVER_OPTIONS, create_app

cheap = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, type=Type.ID)
accounts._hasher = lambda: cheap
app = create_app(load_settings())
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", **SERVER_OPTIONS)
"""
"""One app process, as `kneecoach serve` runs it (no job worker beside it) and with the
suite's cheap password hashing (tests/conftest.py): the settings from the environment."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def servers(tmp_path) -> Iterator[list[str]]:
    """Two `kneecoach serve` processes on one SQLite database, with runnerB1 (the owner)
    and another runner's account in it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNEECOACH_")}
    env.update(
        KNEECOACH_DATA_DIR=str(tmp_path / "data"),
        KNEECOACH_DATABASE_URL=f"sqlite:///{tmp_path / 'kneecoach.db'}",
        KNEECOACH_TODAY=TODAY.isoformat(),
    )
    runtime = build(load_settings(env), clock=FixedClock(TODAY))
    now = runtime.clock.now()
    owner = runtime.accounts.create_owner("runnerB1", PASSWORD, now)
    join(runtime.accounts, invite(runtime.accounts, owner, now), "other1", PASSWORD, now)
    runtime.engine.dispose()
    ports = [_free_port(), _free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SERVE, str(port)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    bases = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for base, process in zip(bases, processes, strict=True):
            _wait_until_up(base, process)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read().decode() if process.stderr else "")
        try:
            if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{base} did not answer within a minute")


def _log_in(base: str, name: str, password: str, address: str) -> httpx.Response:
    """Log in as a browser at ``address`` does: the form, then its post."""
    with httpx.Client(base_url=base, headers={"X-Forwarded-For": address}, timeout=30) as c:
        token = csrf(c.get("/login").text)
        return c.post("/login", data={"name": name, "password": password, "csrf": token})


def _refused(answer: httpx.Response, why: str) -> bool:
    return answer.status_code == 401 and why in answer.text


def _move_failures_back(tmp_path, by: dt.timedelta) -> None:
    """Let time pass for the throttle: every failure kept is ``by`` older."""
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'kneecoach.db'}")
    try:
        with engine.begin() as c:
            rows = c.execute(sa.select(login_failures.c.id, login_failures.c.failed_at)).all()
            assert rows
            for key, at in rows:
                c.execute(
                    login_failures.update()
                    .where(login_failures.c.id == key)
                    .values(failed_at=at - by)
                )
    finally:
        engine.dispose()


def test_the_lock_holds_in_both_processes_whatever_form_of_the_name_is_typed(servers, tmp_path):
    first, second = servers
    for n in range(ACCOUNT_FREE_TRIES):
        base = servers[n % 2]
        guess = _log_in(base, SAME_NAME[n % len(SAME_NAME)], f"guess number {n}!", ATTACKER)
        assert _refused(guess, "do not match"), (n, guess.status_code)

    for n, name in enumerate(["runnerB1", *SAME_NAME]):
        for base in (first, second):
            for address in (ATTACKER, OWNER_AT_HOME):
                right = _log_in(base, name, PASSWORD, address)
                assert _refused(right, "too many failed logins"), (name, base, address)
                assert "kc_session" not in right.cookies, (n, name)
    for n, name in enumerate(OTHER_CASE):
        other = _log_in(servers[n % 2], name, PASSWORD, ATTACKER)
        assert _refused(other, "do not match"), name

    so_far = ACCOUNT_FREE_TRIES + len(OTHER_CASE)
    for n in range(CLIENT_FREE_TRIES - so_far):
        unknown = _log_in(servers[n % 2], f"nobody{n}", "a guess, again", ATTACKER)
        assert _refused(unknown, "do not match"), n
    for base in (first, second):
        blocked = _log_in(base, "other1", PASSWORD, ATTACKER)
        assert _refused(blocked, "too many failed logins"), base
    assert _log_in(second, "other1", PASSWORD, SOMEONE_ELSE).status_code == 303

    _move_failures_back(tmp_path, ACCOUNT_LONGEST_WAIT + ACCOUNT_LONGEST_WAIT / 15)
    home = _log_in(first, "runnerB1", PASSWORD, OWNER_AT_HOME)
    assert home.status_code == 303 and home.headers["location"] == "/"
    assert "kc_session" in home.cookies
    assert _log_in(second, " ｒｕｎｎｅｒB1 ", PASSWORD, OWNER_AT_HOME).status_code == 303
