"""The worker over a real SQLite database and real files: an upload's import run in the
background, its progress and report kept, its files removed when it ends; a job whose
worker was killed with SIGKILL (a real process) completes under the next worker with
nothing doubled; jobs that cannot finish are given up and their files removed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kneecoach.bootstrap import build
from kneecoach.config import load_settings
from kneecoach.domain.redflags import AgeBand
from kneecoach.services import jobs as J
from kneecoach.services import onboarding
from kneecoach.services.ports import FixedClock, JobInput
from kneecoach.worker import Worker
from tests.conftest import TODAY
from tests.fitwriter import run_points, write_activity
from tests.xmlwriter import gpx

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        "KNEECOACH_DATA_DIR": str(tmp_path / "data"),
        "KNEECOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'kneecoach.db'}",
        "KNEECOACH_TODAY": TODAY.isoformat(),
    }


@pytest.fixture
def runtime(tmp_path):
    runtime = build(load_settings(_env(tmp_path)), clock=FixedClock(TODAY))
    yield runtime
    runtime.engine.dispose()


def _runner(runtime, name: str = "ana", *, onboarded: bool = True) -> int:
    user = runtime.storage.user_id(name)
    if onboarded:
        profile = onboarding.default_profile(TODAY - dt.timedelta(days=60))
        onboarding.onboard(
            runtime.runner(user), profile, onboarding.answers_from_flags([]), AgeBand.ADULT
        )
    return user


def _run_file(day: int, seconds: int = 600) -> bytes:
    start = dt.datetime.combine(TODAY - dt.timedelta(days=day), dt.time(7), tzinfo=dt.UTC)
    return write_activity(run_points(int(start.timestamp()), seconds, seed=day))


def _gpx_runs(count: int) -> dict[str, bytes]:
    """``count`` five-minute runs as GPX, one a day going back (cheap to write many)."""
    base = run_points(0, 300, seed=1)
    files = {}
    for day in range(count):
        start = dt.datetime.combine(TODAY - dt.timedelta(days=day + 1), dt.time(7), dt.UTC)
        shift = int(start.timestamp())
        files[f"{day}.gpx"] = gpx([dataclasses.replace(p, time=p.time + shift) for p in base])
    return files


def _queue(runtime, user: int, files: dict[str, bytes], now=NOW) -> tuple[int, Path]:
    """Files stored in a job folder as an upload leaves them, and their import queued."""
    folder = f"upload-test-{len(list(runtime.settings.jobs_dir.glob('*')))}"
    inputs = []
    for number, (name, data) in enumerate(files.items(), start=1):
        relative = f"{number:04d}/{name}"
        path = runtime.settings.jobs_dir / folder / relative
        path.parent.mkdir(parents=True)
        path.write_bytes(data)
        inputs.append(JobInput(name, relative))
    view = J.queue_import(runtime.runner(user), runtime.jobs, folder, inputs, now)
    assert view.state == "queued" and view.files_total == len(files)
    return view.id, runtime.settings.jobs_dir / folder


def test_a_queued_import_runs_in_the_background_and_its_report_is_kept(runtime):
    user = _runner(runtime)
    job_id, folder = _queue(runtime, user, {"a.fit": _run_file(1), "notes.gpx": b"<gpx><oops"})
    assert Worker(runtime, now=lambda: NOW).run_until_idle() == 1
    view = J.job_view(runtime.runner(user), runtime.jobs, job_id)
    assert view.state == "done" and view.ended
    assert (view.files_done, view.files_total, view.files_failed) == (2, 2, 1)
    assert (view.report.files, view.report.added, view.report.read) == (2, 1, 1)
    assert view.report.failed[0][0] == "notes.gpx"
    [run] = runtime.runner(user).store.activities.all()
    assert run.sources == ("a.fit",)  # the name given, never the job folder's path
    assert not folder.exists()


def test_someone_elses_job_is_no_such_job(runtime):
    ana, bo = _runner(runtime), _runner(runtime, "bo")
    job_id, _ = _queue(runtime, ana, {"a.fit": _run_file(1)})
    with pytest.raises(J.NoSuchJob):
        J.job_view(runtime.runner(bo), runtime.jobs, job_id)


def test_a_job_taken_again_after_its_worker_died_adds_nothing_twice(runtime):
    user = _runner(runtime)
    job_id, folder = _queue(runtime, user, {f"{d}.fit": _run_file(d) for d in (1, 2, 3)})
    Worker(runtime, now=lambda: NOW).run_until_idle()
    # the same files again, and their worker dies before it says anything
    job_id, folder = _queue(runtime, user, {f"{d}.fit": _run_file(d) for d in (1, 2, 3)})
    dead = runtime.jobs.claim("dead", NOW, J.LEASE)
    assert dead is not None
    later = NOW + J.LEASE + dt.timedelta(seconds=1)
    Worker(runtime, now=lambda: later).run_until_idle()
    view = J.job_view(runtime.runner(user), runtime.jobs, job_id)
    assert view.state == "done" and (view.report.added, view.report.already_kept) == (0, 3)
    assert len(runtime.runner(user).store.activities.all()) == 3 and not folder.exists()


def test_a_job_that_keeps_failing_is_tried_three_times_then_failed_and_its_files_removed(
    runtime,
):
    user = _runner(runtime, onboarded=False)
    folder = runtime.settings.jobs_dir / "upload-x"
    (folder / "0001").mkdir(parents=True)
    (folder / "0001" / "a.fit").write_bytes(_run_file(1))
    job_id = runtime.jobs.queue(user, J.IMPORT, "upload-x", [JobInput("a.fit", "0001/a.fit")], NOW)
    worker = Worker(runtime, now=lambda: NOW)
    assert worker.run_once() and worker.run_once()
    assert folder.exists()  # queued again after each of the first tries
    assert worker.run_once() and not worker.run_once()
    job = runtime.jobs.get(user, job_id)
    assert job.state == "failed" and job.attempts == J.TRIES and "NotSetUp" in job.error
    assert not folder.exists()


def test_the_sweep_gives_up_stale_jobs_and_removes_their_files_and_orphan_uploads(runtime):
    user = _runner(runtime)
    job_id, folder = _queue(runtime, user, {"a.fit": _run_file(1)}, now=NOW)
    orphan = runtime.settings.jobs_dir / "upload-orphan"
    orphan.mkdir()
    (orphan / "part").write_bytes(b"half an upload")
    old = (NOW - dt.timedelta(days=3)).timestamp()
    os.utime(orphan, (old, old))
    two_days_on = NOW + dt.timedelta(days=2)
    assert Worker(runtime, now=lambda: two_days_on).sweep() == 1
    assert runtime.jobs.get(user, job_id).state == "abandoned"
    assert not folder.exists() and not orphan.exists()


def _worker_process(tmp_path: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, **_env(tmp_path)}
    env = {k: v for k, v in env.items() if not k.startswith("KNEECOACH_") or k in _env(tmp_path)}
    return subprocess.Popen(
        [sys.executable, "-m", "kneecoach", "worker", "--lease", "2", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def test_a_worker_killed_mid_job_leaves_it_to_the_next_which_completes_it_without_doubles(
    runtime, tmp_path
):
    user = _runner(runtime)
    count = 320  # five batches of 64: the kill lands with most of the job still to do
    files = _gpx_runs(count)
    job_id, folder = _queue(runtime, user, files, now=J.wall_clock())  # workers use real time
    first = _worker_process(tmp_path)
    try:
        deadline = time.monotonic() + 120
        while runtime.jobs.get(user, job_id).progress.files_done < 64:  # a batch kept
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.05)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    cut = runtime.jobs.get(user, job_id)
    assert cut.state == "running" and cut.progress.files_done < count and folder.exists()
    kept_before = len(runtime.runner(user).store.activities.all())
    assert 0 < kept_before < count
    time.sleep(2.2)  # the killed worker's lease runs out
    second = _worker_process(tmp_path, "--until-idle")
    output, _ = second.communicate(timeout=300)
    assert second.returncode == 0, output.decode()
    view = J.job_view(runtime.runner(user), runtime.jobs, job_id)
    assert view.state == "done" and view.report is not None
    assert view.report.added == count - kept_before and view.report.already_kept == kept_before
    assert len(runtime.runner(user).store.activities.all()) == count
    assert not folder.exists()


def test_the_server_stops_its_workers_even_after_one_was_killed_while_it_waited(runtime, tmp_path):
    import threading

    from kneecoach.worker import WorkerProcesses

    settings = load_settings(_env(tmp_path))
    # A worker sweeps away old upload folders first thing, then waits for work: the folder
    # gone says it has started, and a moment later it is waiting.
    orphan = settings.jobs_dir / "upload-left-behind"
    orphan.mkdir(parents=True)
    old = time.time() - 3 * 24 * 3600
    os.utime(orphan, (old, old))
    processes = WorkerProcesses(settings, FixedClock(TODAY), 1)
    processes.start()
    deadline = time.monotonic() + 60
    while orphan.exists():
        assert time.monotonic() < deadline and processes.processes[0].is_alive()
        time.sleep(0.05)
    time.sleep(0.3)  # past its first look for a job, into its wait
    worker = processes.processes[0]
    assert worker.pid is not None
    os.kill(worker.pid, signal.SIGKILL)
    worker.join(timeout=10)
    stopping = threading.Thread(target=processes.stop, daemon=True)
    stopping.start()
    stopping.join(timeout=60)
    assert not stopping.is_alive(), "stopping the workers hung on the dead one"


def _run_with_no_jobs(running: Worker, sweep, stop, monkeypatch) -> None:
    """Run ``running`` with ``sweep`` as its sweep and no job to do, until ``stop`` is set
    (five seconds at most)."""
    import threading

    monkeypatch.setattr(running, "sweep", sweep)
    monkeypatch.setattr(running, "run_once", lambda: False)
    thread = threading.Thread(target=running.run, args=(stop,), kwargs={"poll_s": 0.01})
    thread.start()
    thread.join(timeout=5)
    stop.set()
    thread.join(timeout=5)


def test_a_worker_sweeps_first_thing_even_on_a_machine_started_moments_ago(runtime, monkeypatch):
    """The monotonic clock counts from the machine's start: a worker started in its first
    minutes once waited until it passed SWEEP_S before its first sweep."""
    import threading
    import types

    from kneecoach import worker as W

    stop = threading.Event()
    swept: list[bool] = []

    def sweep() -> int:
        swept.append(True)
        stop.set()
        return 0

    monkeypatch.setattr(W, "time", types.SimpleNamespace(monotonic=lambda: 12.0, sleep=time.sleep))
    _run_with_no_jobs(Worker(runtime), sweep, stop, monkeypatch)
    assert swept == [True]


def test_a_sweep_that_failed_is_tried_again_at_the_next_turn(runtime, monkeypatch):
    import threading

    stop = threading.Event()
    tries: list[int] = []

    def sweep() -> int:
        tries.append(1)
        if len(tries) == 1:
            raise RuntimeError("database busy a moment")
        stop.set()
        return 0

    _run_with_no_jobs(Worker(runtime), sweep, stop, monkeypatch)
    assert len(tries) == 2


def test_a_sweep_that_keeps_failing_stops_no_job_from_running(runtime, monkeypatch):
    """Since a failed sweep is tried at every turn, a sweep that fails each time (a folder
    it cannot read, a row it cannot give up) once stopped the turn before its jobs: none
    ran again."""
    import threading

    stop = threading.Event()
    ran: list[int] = []

    def sweep() -> int:
        raise RuntimeError("the jobs folder cannot be read")

    def run_once() -> bool:
        ran.append(1)
        if len(ran) == 2:
            stop.set()
        return False

    running = Worker(runtime)
    monkeypatch.setattr(running, "sweep", sweep)
    monkeypatch.setattr(running, "run_once", run_once)
    thread = threading.Thread(target=running.run, args=(stop,), kwargs={"poll_s": 0.01})
    thread.start()
    thread.join(timeout=5)
    stop.set()
    thread.join(timeout=5)
    assert len(ran) == 2
