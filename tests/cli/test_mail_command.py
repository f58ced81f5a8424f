"""``kneecoach mail``: send the outbox now and count it, through a real mail server."""

from __future__ import annotations

import datetime as dt

from kneecoach.bootstrap import build
from kneecoach.services.ports import Mail
from tests.conftest import TODAY
from tests.mail.conftest import mail_env, mail_server  # noqa: F401 (the fixture)

NOW = dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC)


def test_mail_send_sends_what_is_due_and_says_how_many(kc, monkeypatch, mail_server):  # noqa: F811
    inbox, port = mail_server
    for name, value in mail_env(port).items():
        monkeypatch.setenv(name, value)
    build().outbox.queue(Mail("ana@example.org", "a notice", "text\n"), NOW)
    sent = kc("mail", "send", "--json")
    assert sent.code == 0, sent.err
    assert sent.json == {"sent": 1, "failed": 0, "given_up": 0, "waiting": 0, "errors": []}
    status = kc("mail", "status", "--json").json
    assert status == {"enabled": True, "waiting": 0, "sent": 1, "given_up": 0}
    assert [m["Subject"] for m in inbox.wait_for(1)] == ["a notice"]
    assert "Sent 0, failed 0 (given up 0); 0 waiting." in kc("mail", "send").out


def test_mail_send_exits_1_and_keeps_the_message_when_the_server_is_down(kc, monkeypatch):
    from tests.mail.conftest import free_port

    for name, value in mail_env(free_port()).items():
        monkeypatch.setenv(name, value)
    build().outbox.queue(Mail("ana@example.org", "a notice", "text\n"), NOW)
    result = kc("mail", "send")
    assert result.code == 1
    assert "could not reach the mail server" in result.flat
    status = kc("mail", "status", "--json").json
    assert status == {"enabled": True, "waiting": 1, "sent": 0, "given_up": 0}


def test_sending_mail_when_email_is_off_is_refused_with_the_setting_to_set(kc):
    result = kc("mail", "send")
    assert result.code == 2
    assert "email is off: set KNEECOACH_SMTP_HOST" in result.err


def test_the_mail_status_says_email_is_off_when_it_is(kc):
    shown = kc("mail", "status")
    assert shown.code == 0
    assert "Email is off: set KNEECOACH_SMTP_HOST" in shown.flat
    assert kc("mail", "status", "--json").json == {"enabled": False}
