"""The mail sender of a serving process: a thread that sends the outbox every few seconds.

Sending happens here, never in a request, so a slow mail server slows no page. Several
serving processes may each run one: the outbox's claims keep a message to one sender.
"""

from __future__ import annotations

import logging
import threading

from kneecoach.services.mail import Postman

EVERY_SECONDS = 10.0
"""How often the outbox is looked at (kneecoach default: a notice goes within seconds)."""

log = logging.getLogger("kneecoach.mail")


class MailSender:
    def __init__(self, postman: Postman, every: float = EVERY_SECONDS) -> None:
        self.postman = postman
        self.every = every
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="kneecoach-mail", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.every + 20)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                result = self.postman.deliver_due()
            except Exception:  # the database may be briefly unreachable: try next round
                log.exception("sending the outbox failed; trying again shortly")
            else:
                for error in result.errors:
                    log.warning("a notice was not sent: %s", error)
            self._stop.wait(self.every)
