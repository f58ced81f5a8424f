"""The served app makes the clinic dashboard's rows when the day changes, in a thread of its
own (services.clinic.warm): a row holds the day (a week without a session, an AKPS due),
so each one is made anew on the day's first look, which for a clinic of 200 runners took
4 s. Made beforehand, that look is as quick as the next. The rows live in this process's
memory, so each serving process warms its own."""

from __future__ import annotations

import datetime as dt
import logging
import threading

from kneecoach.bootstrap import Runtime

CHECK_EVERY_S = 60.0
"""How often the thread asks whether the day has changed."""

log = logging.getLogger(__name__)


class ClinicWarmer:
    def __init__(self, runtime: Runtime, check_every_s: float = CHECK_EVERY_S) -> None:
        self.runtime = runtime
        self.check_every_s = check_every_s
        self.warmed_on: dt.date | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def warm_once(self) -> int:
        """Make the rows not kept for today of every runner a clinician follows; the
        number made."""
        from kneecoach.services.clinic import warm

        today = self.runtime.clock.today()
        followed = self.runtime.accounts.followed_by_anyone()
        made = warm(
            ((self.runtime.runner(f.id), f.revision) for f in followed),
            self.runtime.kept_summaries,
        )
        self.warmed_on = today
        return made

    def _run(self) -> None:
        while not self._stop.is_set():
            if self.runtime.clock.today() != self.warmed_on:
                try:
                    self.warm_once()
                except Exception:  # a row not made now is made by the first look
                    log.exception("the clinic's rows could not be made ahead of the day")
                    self.warmed_on = self.runtime.clock.today()
            self._stop.wait(self.check_every_s)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="clinic-warmer", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
