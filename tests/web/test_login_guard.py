"""Logins that hold: one form of a name everywhere, failures kept in the database per
account and per address, waits that grow, and one owner however many first visits race."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading

import pytest
from fastapi.testclient import TestClient

from kneecoach.bootstrap import build
from kneecoach.config import load_settings
from kneecoach.domain.errors import InvalidInput
from kneecoach.services.accounts import (
    ACCOUNT_FREE_TRIES,
    CLIENT_FREE_TRIES,
    LoginRefused,
    normalise_name,
    wait_after,
)
from kneecoach.services.ports import FixedClock
from kneecoach.web.app import create_app
from tests.conftest import TODAY, fresh_database
from tests.web.conftest import PASSWORD

NOW = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def settings(request, tmp_path):
    url = fresh_database(request.param, request, tmp_path)
    return load_settings(
        {"KNEECOACH_DATA_DIR": str(tmp_path / "data"), "KNEECOACH_DATABASE_URL": url}
    )


def _accounts(settings, clock=None):
    return build(settings, clock=clock or FixedClock(TODAY)).accounts


def test_a_name_has_one_form_whatever_the_spaces_and_unicode_it_is_typed_with():
    assert normalise_name("  runnerB1         ") == "runnerB1"
    assert normalise_name("Ana   María") == "Ana María"
    assert normalise_name("ｒｕｎｎｅｒ") == "runner"  # full-width letters, NFKC


def test_padding_a_locked_name_with_spaces_gets_no_more_guesses(settings):
    accounts = _accounts(settings)
    accounts.create_owner("runnerB1", PASSWORD, NOW)
    for _ in range(ACCOUNT_FREE_TRIES):
        with pytest.raises(LoginRefused, match="do not match"):
            accounts.log_in("runnerB1", "wrong password!", NOW, "10.0.0.1")
    for padded in ("runnerB1" + " " * 9, " runnerB1", "ｒunnerB1"):
        with pytest.raises(LoginRefused, match="too many failed logins"):
            accounts.log_in(padded, PASSWORD, NOW, "10.0.0.2")


def test_the_lock_is_kept_in_the_database_for_every_process(settings):
    first = _accounts(settings)
    first.create_owner("ana", PASSWORD, NOW)
    for _ in range(ACCOUNT_FREE_TRIES):
        with pytest.raises(LoginRefused):
            first.log_in("ana", "wrong password!", NOW, "10.0.0.1")
    restarted = _accounts(settings)  # another process, or the same after a restart
    with pytest.raises(LoginRefused, match="too many failed logins"):
        restarted.log_in("ana", PASSWORD, NOW, "10.0.0.9")


def test_the_wait_doubles_and_the_owner_is_never_locked_out_for_long(settings):
    accounts = _accounts(settings)
    accounts.create_owner("ana", PASSWORD, NOW)
    moment = NOW
    for _ in range(ACCOUNT_FREE_TRIES + 10):
        with contextlib.suppress(LoginRefused):
            accounts.log_in("ana", "wrong password!", moment, "10.0.0.1")
        moment += dt.timedelta(seconds=5)
    later = moment + dt.timedelta(minutes=16)
    assert accounts.log_in("ana", PASSWORD, later, "10.0.0.1")[1].role == "owner"


def test_one_address_guessing_many_names_has_to_wait():
    failures = [NOW - dt.timedelta(seconds=n) for n in range(CLIENT_FREE_TRIES + 3)][::-1]
    assert (
        wait_after(failures[: CLIENT_FREE_TRIES - 1], CLIENT_FREE_TRIES, dt.timedelta(hours=1), NOW)
        is None
    )
    wait = wait_after(failures, CLIENT_FREE_TRIES, dt.timedelta(hours=1), NOW)
    assert wait is not None and wait >= dt.timedelta(minutes=7)


def test_waits_grow_by_doubling_up_to_the_longest():
    longest = dt.timedelta(minutes=15)
    waits = []
    for count in range(5, 12):
        failures = [NOW] * count
        waits.append(wait_after(failures, 5, longest, NOW))
    assert waits[:4] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert set(waits[4:]) == {longest}


def test_an_absurdly_long_name_is_refused_without_being_kept(settings):
    accounts = _accounts(settings)
    accounts.create_owner("ana", PASSWORD, NOW)
    with pytest.raises(LoginRefused, match="do not match"):
        accounts.log_in("x" * 512 * 1024, "whatever password", NOW, "10.0.0.1")
    by_account, by_client = accounts.store.login_failures(
        "x" * 100, "10.0.0.1", NOW - dt.timedelta(hours=1)
    )
    assert by_account == [] and by_client == []


def test_twenty_first_visits_at_once_make_one_owner(settings):
    app = create_app(settings, clock=FixedClock(TODAY))
    barrier = threading.Barrier(20)
    codes: list[int] = []

    def visit(n: int) -> None:
        client = TestClient(app, follow_redirects=False)
        barrier.wait()
        codes.append(
            client.post("/setup", data={"name": f"owner{n}", "password": PASSWORD}).status_code
        )

    threads = [threading.Thread(target=visit, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert codes.count(303) == 1
    assert set(codes) <= {303, 400}
    with pytest.raises(InvalidInput, match="exists already"):
        _accounts(settings).create_owner("late", PASSWORD, NOW)
