"""Who is told what by email: the owner of an account someone is guessing, once per lock;
and where an address for notices is kept (settings page, API)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kneecoach.bootstrap import build
from kneecoach.config import load_settings
from kneecoach.services.accounts import ACCOUNT_FREE_TRIES, LoginRefused
from kneecoach.services.ports import FixedClock
from kneecoach.web.app import create_app
from tests.conftest import TODAY, fresh_database
from tests.mail.conftest import mail_env
from tests.web.conftest import PASSWORD, csrf, post_open_form

GUESS = "not-the-password-1"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request, tmp_path):
    return fresh_database(request.param, request, tmp_path)


def _settings(tmp_path, database, port=None):
    env = {"KNEECOACH_DATA_DIR": str(tmp_path / "data"), "KNEECOACH_DATABASE_URL": database}
    return load_settings({**env, **(mail_env(port) if port else {})})


def _guess(accounts, name, times, client="203.0.113.9"):
    for _ in range(times):
        with pytest.raises(LoginRefused):
            accounts.log_in(name, GUESS, accounts_now(), client)


def accounts_now():
    import datetime as dt

    return dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)


def test_the_owner_of_an_account_being_guessed_is_emailed_once(tmp_path, database, mail_server):
    inbox, port = mail_server
    runtime = build(_settings(tmp_path, database, port), clock=FixedClock(TODAY))
    accounts = runtime.accounts
    user = accounts.create_owner("ana", PASSWORD, accounts_now())
    accounts.set_email(user, "ana@example.org")
    _guess(accounts, "ana", ACCOUNT_FREE_TRIES - 1)
    assert runtime.outbox.counts()["waiting"] == 0
    _guess(accounts, "ana", 1)
    _guess(accounts, "ana ", 3)  # locked: refused without a check, and no second email
    assert runtime.outbox.counts()["waiting"] == 1
    assert runtime.postman().deliver_due().sent == 1
    (message,) = inbox.wait_for(1)
    body = message.get_content()
    assert message["To"] == "ana@example.org"
    assert message["Subject"] == "kneecoach: failed sign-ins to your account"
    assert '"ana"' in body and f"{ACCOUNT_FREE_TRIES} times" in body and "203.0.113.9" in body
    assert "https://knee.example.org/settings" in body
    assert GUESS not in body


def test_no_email_without_an_address_or_with_email_off(tmp_path, database, mail_server):
    _, port = mail_server
    on = build(_settings(tmp_path, database, port), clock=FixedClock(TODAY))
    on.accounts.create_owner("ana", PASSWORD, accounts_now())
    _guess(on.accounts, "ana", ACCOUNT_FREE_TRIES)
    assert on.outbox.counts() == {"waiting": 0, "sent": 0, "given_up": 0}
    off = build(_settings(tmp_path, database), clock=FixedClock(TODAY))
    off.accounts.set_email(off.accounts.store.account("ana").id, "ana@example.org")
    assert off.outbox is None and off.postman() is None and not off.accounts.mail_on


def _signed_in(settings):
    client = TestClient(create_app(settings, clock=FixedClock(TODAY)), follow_redirects=False)
    post_open_form(client, "/setup", name="ana", password=PASSWORD)
    return client


def test_the_settings_page_keeps_an_address_for_notices_and_refuses_a_wrong_one(tmp_path, database):
    client = _signed_in(_settings(tmp_path, database, 2525))
    page = client.get("/settings").text
    assert "Email for notices" in page and "someone keeps trying wrong passwords" in page
    saved = client.post("/settings/email", data={"csrf": csrf(page), "email": " ana@example.org "})
    assert "Saved: notices go to ana@example.org" in saved.text
    assert 'value="ana@example.org"' in client.get("/settings").text
    wrong = client.post("/settings/email", data={"csrf": csrf(page), "email": "ana at home"})
    assert wrong.status_code == 400 and "is not an email address" in wrong.text
    assert 'value="ana@example.org"' in client.get("/settings").text
    gone = client.post("/settings/email", data={"csrf": csrf(page), "email": ""})
    assert "Removed: no notices by email." in gone.text


def test_the_settings_page_says_when_the_server_sends_no_email(tmp_path, database):
    client = _signed_in(_settings(tmp_path, database))
    assert "This server sends no email" in client.get("/settings").text


def test_the_api_reads_and_sets_the_address_for_notices(tmp_path, database):
    client = _signed_in(_settings(tmp_path, database, 2525))
    page = client.get("/settings").text
    shown = client.post("/settings/token", data={"csrf": csrf(page), "name": "script"}).text
    token = shown.split('aria-label="New API token"')[0].rsplit('value="', 1)[1].split('"')[0]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/email", headers=auth).json() == {"email": None, "mail_on": True}
    put = client.put("/api/v1/email", headers=auth, json={"email": "ana@example.org"})
    assert put.json() == {"email": "ana@example.org", "mail_on": True}
    refused = client.put("/api/v1/email", headers=auth, json={"email": "nope"})
    assert refused.status_code == 422 and "is not an email address" in refused.json()["detail"]


def test_the_web_app_sends_the_outbox_by_itself_while_it_serves(tmp_path, database, mail_server):
    inbox, port = mail_server
    app = create_app(_settings(tmp_path, database, port), clock=FixedClock(TODAY))
    from kneecoach.services.ports import Mail

    app.state.web.runtime.outbox.queue(Mail("ana@example.org", "hello", "body\n"), accounts_now())
    with TestClient(app):
        assert [m["Subject"] for m in inbox.wait_for(1)] == ["hello"]


def test_the_address_an_account_had_is_told_when_it_is_changed(tmp_path, database, mail_server):
    """The attacker's find: a stolen session or API token could set a new address, then send
    a password reset there, and the account's owner never knew. The old address is told."""
    inbox, port = mail_server
    runtime = build(_settings(tmp_path, database, port), clock=FixedClock(TODAY))
    accounts = runtime.accounts
    user = accounts.create_owner("ana", PASSWORD, accounts_now())
    accounts.set_email(user, "ana@example.org", accounts_now())  # the first: no one to tell
    accounts.set_email(user, "ana@example.org", accounts_now())  # the same: nothing changed
    assert runtime.outbox.counts()["waiting"] == 0
    accounts.set_email(user, "someone@example.net", accounts_now())
    assert runtime.postman().deliver_due().sent == 1
    (message,) = inbox.wait_for(1)
    assert message["To"] == "ana@example.org"
    assert message["Subject"] == "kneecoach: your account's email address was changed"
    assert "changed to someone@example.net" in message.get_content()
    accounts.set_email(user, "", accounts_now())  # removed: the address it had is told too
    assert runtime.postman().deliver_due().sent == 1
    assert "was removed" in inbox.wait_for(2)[1].get_content()
