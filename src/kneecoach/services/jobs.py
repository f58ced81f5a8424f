"""Imports as background jobs: a request only stores the upload and queues a job; a worker
process (``kneecoach.worker``) runs the import over the stored files, keeping its progress
as it goes, and its result when it ends. A job whose worker was killed is taken again when
its lease runs out and re-run from its stored files: importing is idempotent (files of an
activity already kept add nothing), so nothing is doubled.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from kneecoach.domain.errors import InvalidInput
from kneecoach.services.context import RunnerContext
from kneecoach.services.ports import Job, JobInput, JobProgress, JobQueue
from kneecoach.services.runs import BATCH_FILES, ImportReport, NamedSource, import_sources

IMPORT = "import"
"""The kind of job that imports uploaded files."""
LEASE = dt.timedelta(minutes=2)
"""How long a worker holds a job without a word (renewed with each progress update): when
it runs out, the worker is taken for dead and the job is taken again (kneecoach default)."""
PROGRESS_EVERY_S = 0.5
"""Progress is kept (and the lease renewed) this often, and when the job ends: one small
write per file would cost a 10-year export thousands of commits."""
TRIES = 3
"""A job is tried this many times (an error, or its worker killed) before it is given up."""
ABANDON_AFTER = dt.timedelta(days=1)
"""A job still queued after this long is given up (kneecoach default): no worker ran."""
STATES = ("queued", "running", "done", "failed", "abandoned")

log = logging.getLogger("kneecoach.jobs")


def wall_clock() -> dt.datetime:
    """Jobs' times and leases are real time, whatever day the app treats as today
    (KNEECOACH_TODAY): a lease must run out, and a job's age is its real age."""
    return dt.datetime.now(dt.UTC)


class NoSuchJob(InvalidInput):
    """A job id that is not the runner's."""


class LeaseLost(Exception):
    """Another worker holds the job now (this one was taken for dead): stop, keep nothing."""


@dataclass(frozen=True, slots=True)
class JobView:
    """A job as every face shows it: where it is, how far it has got, and once done the
    import's report (the same one an import in the terminal gives)."""

    id: int
    state: str
    files_done: int
    files_total: int
    files_failed: int
    added: int
    merged: int
    report: ImportReport | None
    """The import's report, once the job is done."""
    error: str | None
    created_at: dt.datetime
    finished_at: dt.datetime | None
    kind: str = IMPORT
    """What the job does: an import of files (``import``), a Strava sync or fetch."""
    waiting_until: dt.datetime | None = None
    """While it waits for Strava's next window of requests, until when (UTC)."""

    @property
    def ended(self) -> bool:
        return self.state in ("done", "failed", "abandoned")


def report_document(report: ImportReport) -> dict[str, Any]:
    """The report as kept with the job."""
    return {
        "files": report.files,
        "activities": report.activities,
        "added": report.added,
        "merged": report.merged,
        "already_kept": report.already_kept,
        "failed": [[name, reason] for name, reason in report.failed],
    }


def report_from(document: dict[str, Any]) -> ImportReport:
    return ImportReport(
        files=int(document["files"]),
        activities=int(document["activities"]),
        added=int(document["added"]),
        merged=int(document["merged"]),
        already_kept=int(document["already_kept"]),
        failed=[(str(name), str(reason)) for name, reason in document["failed"]],
    )


def _view(job: Job) -> JobView:
    p = job.progress
    return JobView(
        id=job.id,
        state=job.state,
        files_done=p.files_done,
        files_total=p.files_total,
        files_failed=p.files_failed,
        added=p.added,
        merged=p.merged,
        report=None if job.result is None or job.kind != IMPORT else report_from(job.result),
        error=job.error,
        created_at=job.created_at,
        finished_at=job.finished_at,
        kind=job.kind,
        # in UTC, as every face says it: PostgreSQL gives a timestamptz back in the
        # server's own time zone, which may not be UTC
        waiting_until=(
            None
            if job.state != "running" or p.waiting_until is None
            else p.waiting_until.astimezone(dt.UTC)
        ),
    )


def queue_import(
    runner: RunnerContext,
    queue: JobQueue,
    folder: str,
    inputs: Sequence[JobInput],
    now: dt.datetime,
) -> JobView:
    """Queue the import of files stored in ``folder`` (each under the name the runner gave
    it); the job as it starts."""
    if not inputs:
        raise InvalidInput("choose at least one file to import")
    runner.stored_profile()
    job_id = queue.queue(runner.user_id, IMPORT, folder, inputs, now)
    return job_view(runner, queue, job_id)


def job_view(runner: RunnerContext, queue: JobQueue, job_id: int) -> JobView:
    """The runner's own job; NoSuchJob for anyone else's, as for one that never was."""
    job = queue.get(runner.user_id, job_id)
    if job is None:
        raise NoSuchJob(f"no job {job_id}")
    return _view(job)


def _opener(path: Path) -> Callable[[], BinaryIO]:
    def opened() -> BinaryIO:
        return path.open("rb")

    return opened


class _Heartbeat:
    """Keeps a running job's progress and renews its lease every ``every_s`` seconds, from a
    thread of its own: the import keeps 64 files to a transaction, and on SQLite a write
    from the importing thread would wait on that very transaction. A write that fails (the
    database busy) is tried at the next beat; a lease found taken stops the import."""

    def __init__(
        self,
        queue: JobQueue,
        job_id: int,
        worker: str,
        now: Callable[[], dt.datetime],
        lease: dt.timedelta,
        every_s: float,
        total: int,
    ) -> None:
        self.queue, self.job_id, self.worker = queue, job_id, worker
        self.now, self.lease, self.every_s = now, lease, every_s
        self.latest = JobProgress(0, total)
        self.lost = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-{job_id}", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *failure: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every_s) and not self.lost:
            self.keep()

    def keep(self) -> None:
        """Keep the progress now (also from the importing thread, between two batches:
        on SQLite the beats mostly wait while a batch is being kept)."""
        try:
            held = self.queue.progress(
                self.job_id, self.worker, self.latest, self.now(), self.lease
            )
        except Exception as error:  # busy (SQLite: a batch being kept): the next beat tries
            log.debug("job %s: progress not kept this time: %s", self.job_id, error)
            return
        if not held:
            self.lost = True


def run_job(
    job: Job,
    queue: JobQueue,
    runner: RunnerContext,
    folder: Path,
    worker: str,
    now: Callable[[], dt.datetime],
    *,
    every_s: float = PROGRESS_EVERY_S,
    lease: dt.timedelta = LEASE,
) -> str:
    """Run a claimed import job over its stored files, keeping its progress as it goes:
    what became of it (done, queued again, failed, or lost to another worker). The caller
    removes the job's files unless it was queued again or lost."""
    if job.kind != IMPORT:
        queue.fail(job.id, worker, f"unknown kind of job: {job.kind}", now(), retry=False)
        return "failed"
    sources = [NamedSource(i.name, _opener(folder / i.path)) for i in job.inputs]
    beat = _Heartbeat(queue, job.id, worker, now, lease, every_s, len(sources))

    def on_total(count: int) -> None:
        beat.latest = JobProgress(0, count)

    def on_file(report: ImportReport) -> None:
        beat.latest = _progress(report, beat.latest.files_total)
        if beat.lost:
            raise LeaseLost
        if report.read and report.read % BATCH_FILES == 0:  # a batch was just kept
            beat.keep()

    try:
        with beat:
            report = import_sources(runner, sources, on_file, on_total, workers=1)
    except LeaseLost:
        return "lost"
    except Exception as error:  # an unexpected failure: kept with the job, tried again
        retry = job.attempts < TRIES
        text = f"{type(error).__name__}: {error}"
        if not queue.fail(job.id, worker, text, now(), retry=retry):
            return "lost"
        return "queued" if retry else "failed"
    done = _progress(report, beat.latest.files_total)
    if not queue.finish(job.id, worker, done, report_document(report), now()):
        return "lost"
    return "done"


def _progress(report: ImportReport, total: int) -> JobProgress:
    return JobProgress(report.files, total, len(report.failed), report.added, report.merged)
