"""The worker: runs the jobs requests queue (an upload's import), one at a time, in its own
process, so parsing a large export never holds the web server's interpreter.

``kneecoach serve`` starts one beside the web app; ``kneecoach worker`` runs one alone (for
deployments with several serving processes, or a machine kept for imports). Any number may
run against one database: a job is claimed by one of them (services.ports.JobQueue), and a
job whose worker was killed is taken again once its lease runs out.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import shutil
import socket
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kneecoach.services import jobs as J
from kneecoach.services.strava import (
    POLL_EVERY,
    STRAVA_FETCH,
    STRAVA_SYNC,
    queue_polls,
    run_fetch_job,
    run_sync_job,
)

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

    from kneecoach.bootstrap import Runtime
    from kneecoach.config import Settings
    from kneecoach.services.ports import Clock

log = logging.getLogger("kneecoach.worker")

POLL_S = 1.0
"""How often an idle worker looks for a job (kneecoach default: progress shows within a
second of an upload)."""
SWEEP_S = 300.0
"""How often a worker gives up stuck jobs and removes their files."""
ORPHAN_AFTER = dt.timedelta(days=2)
"""An upload folder without a job (the server stopped mid-upload) is removed after this."""


class Stopping(Protocol):
    def is_set(self) -> bool: ...

    def wait(self, timeout: float | None = None) -> bool: ...


def default_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    def __init__(
        self,
        runtime: Runtime,
        *,
        name: str | None = None,
        now: Callable[[], dt.datetime] = J.wall_clock,
        lease: dt.timedelta = J.LEASE,
    ) -> None:
        self.runtime = runtime
        self.name = name or default_name()
        self.now = now
        self.lease = lease
        self.root = runtime.settings.jobs_dir
        self.polled: dt.datetime | None = None

    def run_once(self, job_id: int | None = None) -> bool:
        """Run the oldest waiting job (or job ``job_id``), if any; whether there was one."""
        job = self.runtime.jobs.claim(self.name, self.now(), self.lease, job_id=job_id)
        if job is None:
            return False
        folder = self.root / job.folder
        log.info(
            "job %s: %s of %s file(s), try %s", job.id, job.kind, len(job.inputs), job.attempts
        )
        if job.kind in (STRAVA_FETCH, STRAVA_SYNC):
            run = (
                run_fetch_job
                if job.kind == STRAVA_FETCH
                else partial(run_sync_job, lease=self.lease)
            )
            ended = run(
                job,
                self.runtime.jobs,
                self.runtime.runner(job.user_id),
                self.runtime.strava,
                self.name,
                self.now,
            )
            log.info("job %s: %s", job.id, ended)
            return True
        ended = J.run_job(
            job,
            self.runtime.jobs,
            self.runtime.runner(job.user_id),
            folder,
            self.name,
            self.now,
            lease=self.lease,
        )
        log.info("job %s: %s", job.id, ended)
        if ended in ("done", "failed"):
            remove_folder(self.root, job.folder)
        return True

    def run_until_idle(self) -> int:
        """Run jobs until none waits; how many ran."""
        ran = 0
        while self.run_once():
            ran += 1
        return ran

    def poll_strava(self) -> int:
        """Every :data:`POLL_EVERY`, queue a sync of each connected runner's new Strava
        activities (none queued twice); how many were queued."""
        now = self.now()
        if self.polled is not None and now - self.polled < POLL_EVERY:
            return 0
        self.polled = now
        return queue_polls(self.runtime.strava, self.runtime.jobs, now)

    def sweep(self) -> int:
        """Give up the jobs that cannot finish and remove their files (and upload folders
        left without a job); how many jobs were given up."""
        now = self.now()
        given_up = self.runtime.jobs.abandon(now, now - J.ABANDON_AFTER, J.TRIES)
        for job in given_up:
            remove_folder(self.root, job.folder)
        if self.root.is_dir():
            for folder in self.root.iterdir():
                try:
                    old = now.timestamp() - folder.stat().st_mtime > ORPHAN_AFTER.total_seconds()
                except OSError:
                    continue
                if old and folder.name.startswith("upload-"):
                    remove_folder(self.root, folder.name)
        return len(given_up)

    def run(self, stop: Stopping, poll_s: float = POLL_S) -> None:
        """Run jobs until ``stop`` is set (checked between jobs)."""
        swept: float | None = None  # not 0.0: the monotonic clock may start near 0 at boot
        while not stop.is_set():
            try:
                if swept is None or time.monotonic() - swept > SWEEP_S:
                    swept = self._swept(swept)
                self.poll_strava()
                if self.run_once():
                    continue
            except Exception:  # the database may be briefly unreachable: try again shortly
                log.exception("running jobs failed; trying again shortly")
            _nap(stop, poll_s)

    def _swept(self, before: float | None) -> float | None:
        """Sweep; when it worked, when (time.monotonic). A sweep that failed (the database
        busy a moment) is tried again at the next turn, not SWEEP_S later, and stops no job:
        the turn goes on to run them."""
        try:
            self.sweep()
        except Exception:
            log.exception("sweeping stuck jobs failed; trying again at the next turn")
            return before
        return time.monotonic()


def _nap(stop: Stopping, seconds: float) -> None:
    """Sleep ``seconds``, waking early once ``stop`` is set, by looking at it rather than
    waiting on it: a process killed while it waits on a shared Event leaves the Event's
    condition waiting for it, and setting it then hangs the server's shutdown for good."""
    deadline = time.monotonic() + seconds
    while not stop.is_set() and time.monotonic() < deadline:
        time.sleep(min(0.1, seconds))


def remove_folder(root: Path, name: str) -> None:
    """Remove a job's folder (only ever one directly under the jobs directory)."""
    folder = root / name
    if name and "/" not in name and "\\" not in name and name not in (".", ".."):
        shutil.rmtree(folder, ignore_errors=True)


NICENESS = 10
"""A worker beside the web app runs at a lower priority: when both want the processor,
pages come first and the import waits (kneecoach default)."""


def _process_main(settings: Settings, today: dt.date | None, stop: Any) -> None:
    from kneecoach.bootstrap import build
    from kneecoach.services.ports import FixedClock

    with contextlib.suppress(OSError, AttributeError):  # not everywhere (Windows)
        os.nice(NICENESS)
    runtime = build(settings, clock=None if today is None else FixedClock(today))
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C reaches the whole process group
        Worker(runtime).run(stop)


class WorkerProcesses:
    """Workers in their own processes (spawned, so no thread or lock of the server is
    copied into them), started and stopped with the web app."""

    def __init__(self, settings: Settings, clock: Clock, count: int = 1) -> None:
        import multiprocessing

        from kneecoach.services.ports import FixedClock

        self.context = multiprocessing.get_context("spawn")
        self.stop_event = self.context.Event()
        today = clock.day if isinstance(clock, FixedClock) else None
        self.processes: list[BaseProcess] = [
            self.context.Process(
                target=_process_main,
                args=(settings, today, self.stop_event),
                name=f"kneecoach-worker-{n}",
                daemon=True,
            )
            for n in range(count)
        ]

    def start(self) -> None:
        for process in self.processes:
            process.start()

    def stop(self, wait_s: float = 10.0) -> None:
        """Stop after the job in hand, or, after ``wait_s``, at once: a job cut short is
        taken again by the next worker once its lease runs out."""
        self.stop_event.set()
        deadline = time.monotonic() + wait_s
        for process in self.processes:
            process.join(timeout=max(0.1, deadline - time.monotonic()))
            if process.is_alive():
                process.terminate()
                process.join(timeout=5)
