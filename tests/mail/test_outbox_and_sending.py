"""Email notices wait in the outbox and reach a real mail server; a server that is down
costs a retry later, never the message; two senders never send one message twice."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneecoach.config import MailSettings, load_settings
from kneecoach.domain.errors import InvalidInput
from kneecoach.integrations.smtp import SmtpTransport
from kneecoach.services.mail import (
    FIRST_RETRY,
    LONGEST_RETRY,
    TRIES,
    Postman,
    email_address,
    next_try,
)
from kneecoach.services.ports import Mail
from kneecoach.storage.database import open_database
from kneecoach.storage.outbox import SqlOutbox
from tests.conftest import TODAY, fresh_database
from tests.mail.conftest import free_port, mail_env

START = dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC)
NOTICE = Mail("ana@example.org", "kneecoach: a notice", "Ça va? The knee was paused.\n")


class MovingClock:
    def __init__(self, now: dt.datetime) -> None:
        self.moment = now

    def today(self) -> dt.date:
        return self.moment.date()

    def now(self) -> dt.datetime:
        return self.moment


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def outbox(request, tmp_path):
    return SqlOutbox(open_database(fresh_database(request.param, request, tmp_path)))


def _postman(outbox, port: int, clock: MovingClock) -> Postman:
    transport = SmtpTransport(MailSettings("127.0.0.1", port, security="none"))
    return Postman(outbox, transport, "coach@knee.example.org", clock)


def test_a_queued_notice_reaches_the_mail_server_as_written(outbox, mail_server):
    inbox, port = mail_server
    outbox.queue(NOTICE, START)
    result = _postman(outbox, port, MovingClock(START)).deliver_due()
    assert (result.sent, result.failed, result.waiting) == (1, 0, 0)
    (message,) = inbox.wait_for(1)
    assert message["To"] == "ana@example.org"
    assert message["From"] == "coach@knee.example.org"
    assert message["Subject"] == "kneecoach: a notice"
    assert message.get_content().replace("\r\n", "\n") == NOTICE.body
    assert outbox.counts() == {"waiting": 0, "sent": 1, "given_up": 0}


def test_a_mail_server_that_is_down_costs_a_retry_later_never_the_message(outbox, mail_server):
    inbox, port = mail_server
    clock = MovingClock(START)
    outbox.queue(NOTICE, START)
    down = _postman(outbox, free_port(), clock).deliver_due()
    assert (down.sent, down.failed, down.waiting) == (0, 1, 1)
    assert "could not reach the mail server" in down.errors[0]
    assert _postman(outbox, port, clock).deliver_due().sent == 0  # not due yet
    clock.moment += FIRST_RETRY
    assert _postman(outbox, port, clock).deliver_due().sent == 1
    assert len(inbox.wait_for(1)) == 1


def test_a_message_the_server_never_takes_is_given_up_after_its_tries_and_kept(outbox):
    clock = MovingClock(START)
    outbox.queue(NOTICE, START)
    postman = _postman(outbox, free_port(), clock)
    for _ in range(TRIES):
        postman.deliver_due()
        clock.moment += LONGEST_RETRY
    assert outbox.counts() == {"waiting": 0, "sent": 0, "given_up": 1}
    assert postman.deliver_due().failed == 0


def test_two_senders_never_claim_the_same_message(outbox):
    outbox.queue(NOTICE, START)
    first = outbox.claim_due(START, dt.timedelta(minutes=2), 10)
    second = outbox.claim_due(START, dt.timedelta(minutes=2), 10)
    assert [m.mail for m in first] == [NOTICE]
    assert second == []
    # a sender that died holding it lets it go when its hold runs out
    assert len(outbox.claim_due(START + dt.timedelta(minutes=3), dt.timedelta(minutes=2), 10)) == 1


@given(st.integers(min_value=1, max_value=TRIES - 1))
def test_each_retry_waits_at_least_as_long_as_the_one_before_up_to_an_hour(failures):
    this, later = next_try(failures, START), next_try(failures + 1, START)
    assert this is not None
    assert FIRST_RETRY <= this - START <= LONGEST_RETRY
    assert later is None if failures + 1 >= TRIES else later >= this
    assert next_try(TRIES, START) is None


@pytest.mark.parametrize(
    "text", ["ana@example.org", "  ana.b+knee@clinic.example.co.uk ", "é@exämple.org"]
)
def test_an_email_address_is_taken_as_typed_without_surrounding_spaces(text):
    assert email_address(text) == text.strip()


@pytest.mark.parametrize(
    "text",
    ["ana", "ana@", "@example.org", "ana@example", "ana b@example.org", "a@b.org\r\nBcc: x@y.org"],
)
def test_a_text_that_is_not_an_address_is_refused_with_what_was_typed(text):
    with pytest.raises(InvalidInput, match="is not an email address"):
        email_address(text)


@given(st.text(max_size=300))
def test_any_text_is_an_address_without_spaces_or_control_characters_or_refused(text):
    try:
        address = email_address(text)
    except InvalidInput:
        return
    assert "@" in address and len(address) <= 254
    assert not any(c.isspace() or ord(c) < 32 for c in address)


def test_email_is_off_unless_a_mail_server_is_set():
    assert load_settings({}).mail is None
    on = load_settings(mail_env(2525))
    assert on.mail == MailSettings(
        "127.0.0.1", 2525, security="none", sender="coach@knee.example.org"
    )


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("KNEECOACH_SMTP_PORT", "0", "KNEECOACH_SMTP_PORT must be from 1 to 65535"),
        ("KNEECOACH_SMTP_SECURITY", "ssl", "must be one of starttls, tls, none"),
        ("KNEECOACH_MAIL_FROM", "coach", "KNEECOACH_MAIL_FROM must be an email address"),
    ],
)
def test_a_wrong_mail_setting_is_refused_with_its_name(variable, value, said):
    with pytest.raises(InvalidInput, match=said):
        load_settings({**mail_env(25), variable: value})
