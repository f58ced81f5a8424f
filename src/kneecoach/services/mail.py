"""Email notices: queued with what caused them, delivered later with retries.

A notice is written to the outbox in the transaction of the event it reports (a lock on an
account, a runner's pause), so a notice is never sent for something that did not happen,
and a slow or absent mail server never holds a page or a command up. The sender runs
outside requests (``integrations.sender``) or on demand (``kneecoach mail send``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kneecoach.domain.errors import InvalidInput
from kneecoach.services.ports import Clock, MailNotSent, MailTransport, Outbox

FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_RETRY = dt.timedelta(hours=1)
TRIES = 10
"""A message is tried this many times, waiting 1, 2, 4 … minutes (at most an hour) between
tries, then given up and kept with its last error (kneecoach default: about 8 hours of
trying covers a mail server's restart or a night's outage)."""
CLAIM = dt.timedelta(minutes=2)
"""How long a sender holds a message it is sending before another sender may try it."""
LONGEST_ADDRESS = 254


def next_try(failed_tries: int, now: dt.datetime) -> dt.datetime | None:
    """When to try again after ``failed_tries`` failures, or None to give up."""
    if failed_tries >= TRIES:
        return None
    wait: dt.timedelta = min(LONGEST_RETRY, FIRST_RETRY * 2 ** max(0, failed_tries - 1))
    return now + wait


def email_address(text: str) -> str:
    """An email address as typed, checked for its shape only (the mail server has the last
    word): one @ with something either side, no spaces, at most 254 characters."""
    address = text.strip()
    local, at, domain = address.rpartition("@")
    if (
        not at
        or not local
        or "." not in domain.strip(".")
        or len(address) > LONGEST_ADDRESS
        or any(c.isspace() or ord(c) < 32 for c in address)
    ):
        raise InvalidInput(f"'{address[:60]}' is not an email address (like name@example.org)")
    return address


@dataclass(frozen=True, slots=True)
class DeliveryView:
    """One round of sending, and the outbox after it."""

    sent: int
    failed: int
    given_up: int
    waiting: int
    errors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Postman:
    """Sends what is due in the outbox through the mail server."""

    outbox: Outbox
    transport: MailTransport
    sender: str
    clock: Clock

    def deliver_due(self, limit: int = 50) -> DeliveryView:
        sent = failed = given_up = 0
        errors: list[str] = []
        for queued in self.outbox.claim_due(self.clock.now(), CLAIM, limit):
            try:
                self.transport.send(queued.mail, self.sender)
            except MailNotSent as error:
                retry = next_try(queued.attempts + 1, self.clock.now())
                self.outbox.failed(queued.id, str(error), self.clock.now(), retry)
                errors.append(f"to {queued.mail.to}: {error}")
                failed += 1
                given_up += retry is None
            else:
                self.outbox.sent(queued.id, self.clock.now())
                sent += 1
        return DeliveryView(
            sent=sent,
            failed=failed,
            given_up=given_up,
            waiting=self.outbox.counts()["waiting"],
            errors=tuple(errors),
        )
