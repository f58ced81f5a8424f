"""A forgotten password, reset by email through a real mail server (aiosmtpd): the message
is read from the server, its link followed in the browser's place, the new password set."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from kneecoach.config import load_settings
from kneecoach.services.ports import FixedClock
from kneecoach.web.app import create_app
from tests.conftest import TODAY
from tests.mail.conftest import mail_env
from tests.web.conftest import PASSWORD, csrf, post_open_form

NEW_PASSWORD = "remembered at last"


@pytest.fixture
def clinic(mail_server, tmp_path):
    """A web app that sends email to the test's mail server, with an owner who keeps an
    address and is signed in."""
    inbox, port = mail_server
    settings = load_settings(
        {
            "KNEECOACH_DATA_DIR": str(tmp_path / "data"),
            "KNEECOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'k.db'}",
            **mail_env(port),
        }
    )
    app = create_app(settings, clock=FixedClock(TODAY))
    owner = TestClient(app, follow_redirects=False)
    post_open_form(owner, "/setup", name="ana", password=PASSWORD)
    token = csrf(owner.get("/settings").text)
    owner.post("/settings/email", data={"csrf": token, "email": "ana@clinic.example.org"})
    return app, owner, inbox


def _send_outbox(app) -> None:
    postman = app.state.web.runtime.postman()
    assert postman.deliver_due().errors == ()


def _ask(app, name: str):
    visitor = TestClient(app, follow_redirects=False)
    return post_open_form(visitor, "/reset", name=name)


def test_a_reset_link_by_email_sets_a_new_password_once_and_ends_every_session(clinic):
    app, owner, inbox = clinic
    asked = _ask(app, "  ANA ".lower())
    assert asked.status_code == 200 and "is on its way" in asked.text
    _send_outbox(app)
    (message,) = inbox.wait_for(1)
    assert message["To"] == "ana@clinic.example.org"
    assert message["Subject"] == "kneecoach: reset your password"
    link = re.search(r"https://knee\.example\.org(/reset/\S+)", message.get_content()).group(1)

    browser = TestClient(app, follow_redirects=False)
    form = browser.get(link)
    assert form.status_code == 200 and "Choose a new password" in form.text
    done = browser.post(link, data={"csrf": csrf(form.text), "password": NEW_PASSWORD})
    assert done.status_code == 303
    assert browser.get("/settings").status_code == 200  # signed in with the new password
    assert owner.get("/settings").headers["location"] == "/login"  # the old session ended
    assert browser.get(link).status_code == 404  # used once
    again = TestClient(app, follow_redirects=False)
    assert post_open_form(again, "/login", name="ana", password=PASSWORD).status_code == 401


def test_a_reset_ends_the_accounts_api_tokens_too(clinic):
    app, owner, inbox = clinic
    page = owner.post(
        "/settings/token", data={"csrf": csrf(owner.get("/settings").text), "name": "script"}
    ).text
    token = re.search(r'value="(kc_[^"]+)"', page).group(1)
    api = TestClient(app, headers={"Authorization": f"Bearer {token}"})
    assert api.get("/api/v1/tokens").status_code == 200
    _ask(app, "ana")
    _send_outbox(app)
    (message,) = inbox.wait_for(1)
    link = re.search(r"https://knee\.example\.org(/reset/\S+)", message.get_content()).group(1)
    browser = TestClient(app, follow_redirects=False)
    form = browser.get(link)
    browser.post(link, data={"csrf": csrf(form.text), "password": NEW_PASSWORD})
    assert api.get("/api/v1/tokens").status_code == 401


def test_an_unknown_name_gets_the_same_answer_and_no_email(clinic):
    app, _, inbox = clinic
    known, unknown = _ask(app, "ana"), _ask(app, "nobody")
    assert known.status_code == unknown.status_code == 200
    strip = re.compile(r'value="[^"]*"')
    assert strip.sub("", known.text) == strip.sub("", unknown.text)
    _send_outbox(app)
    assert len(inbox.wait_for(2, seconds=2)) == 1


def test_one_address_asking_too_often_is_told_to_wait(clinic):
    app, _, _ = clinic
    visitor = TestClient(app, follow_redirects=False)
    answers = [post_open_form(visitor, "/reset", name="nobody").status_code for _ in range(11)]
    assert answers == [200] * 10 + [429]


def test_a_reset_posted_from_another_site_sends_nothing(clinic):
    app, _, inbox = clinic
    forged = TestClient(app, follow_redirects=False).post("/reset", data={"name": "ana"})
    assert forged.status_code == 403
    _send_outbox(app)
    assert inbox.wait_for(1, seconds=1) == []
