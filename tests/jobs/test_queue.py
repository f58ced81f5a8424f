"""The job queue, held to one contract on the in-memory fake, SQLite and PostgreSQL: a job
is claimed by one worker at a time, a worker whose lease ran out changes nothing, a job
whose worker died is taken again, and one that cannot finish is given up."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter

import pytest

from kneecoach.services.ports import FixedClock, JobInput, JobProgress
from kneecoach.storage.database import open_database
from kneecoach.storage.jobs import SqlJobQueue
from kneecoach.storage.memory import MemoryJobQueue
from kneecoach.storage.sql import SqlStorage
from tests.conftest import TODAY, fresh_database

T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
LEASE = dt.timedelta(minutes=2)
FILES = (JobInput("a.fit", "0001/a.fit"), JobInput("b.gpx", "0002/b.gpx"))


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def kind(request):
    return request.param


@pytest.fixture
def setup(kind, request, tmp_path):
    """(a queue factory — each call a new connection pool, as a separate worker process
    has — and two users' ids)."""
    if kind == "memory":
        shared = MemoryJobQueue()
        yield (lambda: shared), 1, 2
        return
    url = fresh_database(kind, request, tmp_path)
    engines = [open_database(url)]
    storage = SqlStorage(engines[0], FixedClock(TODAY))
    ana, bo = storage.user_id("ana"), storage.user_id("bo")

    def another():
        engines.append(open_database(url))
        return SqlJobQueue(engines[-1])

    yield another, ana, bo
    for engine in engines:
        engine.dispose()


def test_a_queued_job_is_claimed_once_oldest_first_and_kept_with_its_inputs(setup):
    make, ana, _ = setup
    queue = make()
    first = queue.queue(ana, "import", "upload-1", FILES, T0)
    second = queue.queue(ana, "import", "upload-2", FILES[:1], T0)
    taken = queue.claim("w1", T0, LEASE)
    assert taken.id == first and taken.state == "running" and taken.attempts == 1
    assert taken.inputs == FILES and taken.folder == "upload-1"
    assert taken.lease_owner == "w1" and taken.lease_until == T0 + LEASE
    assert taken.progress == JobProgress(files_total=2)
    assert queue.claim("w2", T0, LEASE).id == second
    assert queue.claim("w3", T0, LEASE) is None


def test_progress_and_the_result_are_kept_and_only_the_owner_sees_its_job(setup):
    make, ana, bo = setup
    queue = make()
    job_id = queue.queue(ana, "import", "upload-1", FILES, T0)
    queue.claim("w1", T0, LEASE)
    done = JobProgress(files_done=2, files_total=2, files_failed=1, added=1, merged=0)
    assert queue.progress(job_id, "w1", JobProgress(1, 2, 0, 1, 0), T0, LEASE)
    assert queue.get(ana, job_id).progress == JobProgress(1, 2, 0, 1, 0)
    assert queue.progress(job_id, "w1", JobProgress(0, 2, 0, 0, 0), T0, LEASE)  # a late beat
    assert queue.get(ana, job_id).progress == JobProgress(1, 2, 0, 1, 0)  # never goes back
    assert queue.finish(job_id, "w1", done, {"files": 2, "failed": [["b.gpx", "bad"]]}, T0)
    kept = queue.get(ana, job_id)
    assert kept.state == "done" and kept.progress == done and kept.finished_at == T0
    assert kept.result == {"files": 2, "failed": [["b.gpx", "bad"]]}
    assert kept.lease_owner is None
    assert queue.get(bo, job_id) is None
    assert queue.claim("w2", T0 + dt.timedelta(days=1), LEASE) is None


def test_a_job_whose_lease_ran_out_is_taken_again_and_its_old_worker_changes_nothing(setup):
    make, ana, _ = setup
    queue = make()
    job_id = queue.queue(ana, "import", "upload-1", FILES, T0)
    queue.claim("killed", T0, LEASE)
    assert queue.claim("w2", T0 + LEASE / 2, LEASE) is None  # still held
    later = T0 + LEASE + dt.timedelta(seconds=1)
    assert queue.progress(job_id, "killed", JobProgress(1, 2, 0, 1, 0), T0, LEASE)
    again = queue.claim("w2", later, LEASE)
    assert again.id == job_id and again.attempts == 2 and again.lease_owner == "w2"
    assert again.progress == JobProgress(0, 2)  # counted afresh
    assert not queue.progress(job_id, "killed", JobProgress(1, 2), later, LEASE)
    assert not queue.finish(job_id, "killed", JobProgress(2, 2), {}, later)
    assert not queue.fail(job_id, "killed", "boom", later, retry=False)
    assert queue.finish(job_id, "w2", JobProgress(2, 2), {"files": 2}, later)
    assert queue.get(ana, job_id).state == "done"


def test_a_failed_try_is_queued_again_or_failed_for_good(setup):
    make, ana, _ = setup
    queue = make()
    job_id = queue.queue(ana, "import", "upload-1", FILES, T0)
    queue.claim("w1", T0, LEASE)
    assert queue.fail(job_id, "w1", "OperationalError: the database went away", T0, retry=True)
    again = queue.claim("w1", T0, LEASE)
    assert again.id == job_id and again.attempts == 2 and "went away" in again.error
    assert queue.fail(job_id, "w1", "again", T0, retry=False)
    assert queue.get(ana, job_id).state == "failed"
    assert queue.claim("w1", T0, LEASE) is None


def test_jobs_that_cannot_finish_are_given_up_once(setup):
    make, ana, _ = setup
    queue = make()
    killed = queue.queue(ana, "import", "upload-killed", FILES, T0)
    for n in range(3):
        queue.claim(f"w{n}", T0 + 3 * n * LEASE, LEASE)  # each worker killed in turn
    forgotten = queue.queue(ana, "import", "upload-old", FILES, T0)
    fresh = queue.queue(ana, "import", "upload-new", FILES, T0 + dt.timedelta(days=2))
    now = T0 + dt.timedelta(days=2)
    given_up = queue.abandon(now, now - dt.timedelta(days=1), 3)
    assert sorted(j.folder for j in given_up) == ["upload-killed", "upload-old"]
    assert {queue.get(ana, j).state for j in (killed, forgotten)} == {"abandoned"}
    assert queue.get(ana, fresh).state == "queued"
    assert queue.abandon(now, now - dt.timedelta(days=1), 3) == []


def test_workers_racing_for_jobs_run_each_exactly_once(setup):
    """Four workers, each with its own connections (as separate processes have), take 40
    jobs as fast as they can: each job is claimed once and every job ends done."""
    make, ana, _ = setup
    queue = make()
    ids = [queue.queue(ana, "import", f"upload-{n}", FILES, T0) for n in range(40)]
    claims: list[int] = []
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work(name: str) -> None:
        mine = make()
        try:
            while (job := mine.claim(name, T0, LEASE)) is not None:
                with lock:
                    claims.append(job.id)
                assert mine.finish(job.id, name, JobProgress(2, 2), {"files": 2}, T0)
        except BaseException as error:  # reported below, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Counter(claims) == Counter(ids)
    assert {queue.get(ana, i).state for i in ids} == {"done"}


def test_a_job_queued_once_waits_alone_per_runner_and_kind_and_one_job_is_claimed_by_id(setup):
    make, ana, bo = setup
    queue = make()
    first = queue.queue_once(ana, "strava-sync", T0)
    assert first is not None
    assert queue.queue_once(ana, "strava-sync", T0) is None  # one waits already
    other = queue.queue_once(bo, "strava-sync", T0)
    assert other is not None and other != first
    later = queue.queue(ana, "import", "upload-1", FILES, T0)
    assert queue.claim("w1", T0, LEASE, job_id=later).id == later  # that one, not the oldest
    assert queue.claim("w1", T0, LEASE, job_id=later) is None  # held already
    taken = queue.claim("w2", T0, LEASE, job_id=first)
    assert taken.id == first and taken.inputs == () and taken.folder == ""
    assert queue.queue_once(ana, "strava-sync", T0) is None  # running counts as waiting
    assert queue.finish(first, "w2", JobProgress(), {}, T0)
    assert queue.queue_once(ana, "strava-sync", T0) is not None
