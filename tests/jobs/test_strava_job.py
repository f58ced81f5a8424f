"""The Strava history sync as a background job: a worker runs it with its progress kept;
one cut short by Strava's 5xx answers is queued again and resumes where it stopped;
Strava settings read and refused by name."""

from __future__ import annotations

import base64
import datetime as dt

import pytest

from kneecoach.bootstrap import build
from kneecoach.config import load_settings
from kneecoach.domain.errors import InvalidInput
from kneecoach.services import jobs as J
from kneecoach.services import strava as S
from kneecoach.services.ports import FixedClock
from kneecoach.worker import Worker
from tests.conftest import TODAY
from tests.services.strava_helpers import VirtualClock, connected_runtime

NOW = dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC)


@pytest.fixture
def clock():
    return VirtualClock(TODAY)


@pytest.fixture
def setup(tmp_path, clock):
    with connected_runtime(tmp_path, clock, TODAY, days=90, athletes=1) as made:
        yield made


def test_a_worker_runs_the_queued_sync_and_keeps_its_progress_and_report(setup):
    runtime, runner, server = setup
    job_id = S.queue_sync(runner, runtime.strava, runtime.jobs, NOW)
    worker = Worker(runtime, now=lambda: NOW)
    assert worker.run_once(job_id)
    job = runtime.jobs.get(runner.user_id, job_id)
    wanted = len(server.fake.athletes[100].activities)
    assert job is not None and job.state == "done"
    assert job.result is not None and job.result["done"] and job.result["added"] == wanted
    assert job.progress.files_done == wanted and job.progress.added == wanted
    view = J.job_view(runner, runtime.jobs, job_id)
    assert view.ended and view.report is None  # a sync has no import report


def test_a_sync_cut_short_by_5xx_is_queued_again_and_resumes_where_it_stopped(setup):
    runtime, runner, server = setup
    job_id = S.queue_sync(runner, runtime.strava, runtime.jobs, NOW)
    worker = Worker(runtime, now=lambda: NOW)
    server.fake.fail_next(503, times=S.TRIES)
    assert worker.run_once(job_id)
    job = runtime.jobs.get(runner.user_id, job_id)
    assert job is not None and job.state == "queued" and "StravaUnavailable" in (job.error or "")
    assert worker.run_once(job_id)
    job = runtime.jobs.get(runner.user_id, job_id)
    assert job is not None and job.state == "done"
    assert len(runner.store.activities.all()) == len(server.fake.athletes[100].activities)


def test_a_sync_for_a_runner_who_disconnected_fails_without_retrying(setup):
    runtime, runner, _ = setup
    job_id = S.queue_sync(runner, runtime.strava, runtime.jobs, NOW)
    S.disconnect(runtime.strava, runner.user_id)
    Worker(runtime, now=lambda: NOW).run_once(job_id)
    job = runtime.jobs.get(runner.user_id, job_id)
    assert job is not None and job.state == "failed" and "not connected" in (job.error or "")


def test_the_worker_polls_for_new_activities_hourly_and_never_queues_a_runner_twice(setup):
    runtime, runner, server = setup
    moments = [NOW]
    worker = Worker(runtime, now=lambda: moments[-1])
    assert worker.poll_strava() == 1
    assert worker.run_once()  # the history, the first time
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    run = server.fake.post_activity(100, noon)
    assert worker.poll_strava() == 0  # within the hour: nothing asked
    moments.append(NOW + S.POLL_EVERY)
    assert worker.poll_strava() == 1
    assert S.queue_polls(runtime.strava, runtime.jobs, moments[-1]) == 0  # one waits already
    assert worker.run_once() and not worker.run_once()
    sources = {s for a in runner.store.activities.all() for s in a.sources}
    assert f"strava/{run.id}" in sources


def test_no_poll_is_queued_when_strava_is_off(tmp_path):
    env = {"KNEECOACH_DATA_DIR": str(tmp_path / "data"), "KNEECOACH_TODAY": TODAY.isoformat()}
    runtime = build(load_settings(env), clock=FixedClock(TODAY))
    assert runtime.strava is None
    assert Worker(runtime, now=lambda: NOW).poll_strava() == 0
    runtime.engine.dispose()


KEY = base64.urlsafe_b64encode(b"s" * 32).decode()


def test_strava_settings_are_read_with_their_defaults():
    settings = load_settings({})
    assert settings.strava is None and settings.secret_key is None
    assert settings.strava_url == "https://www.strava.com/api/v3"
    set_up = load_settings(
        {
            "KNEECOACH_STRAVA_URL": "http://127.0.0.1:8088/api/v3/",
            "KNEECOACH_STRAVA_CLIENT_ID": "4242",
            "KNEECOACH_STRAVA_CLIENT_SECRET": "abc123",
            "KNEECOACH_SECRET_KEY": KEY,
        }
    )
    assert set_up.strava is not None
    assert set_up.strava.api_url == set_up.strava_url == "http://127.0.0.1:8088/api/v3"
    assert set_up.strava.client_id == "4242" and set_up.secret_key == b"s" * 32
    assert "abc123" not in repr(set_up.strava)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"KNEECOACH_STRAVA_URL": "strava"}, "KNEECOACH_STRAVA_URL"),
        ({"KNEECOACH_STRAVA_CLIENT_ID": "4242"}, "KNEECOACH_STRAVA_CLIENT_SECRET"),
        ({"KNEECOACH_STRAVA_CLIENT_SECRET": "abc"}, "KNEECOACH_STRAVA_CLIENT_ID"),
        (
            {"KNEECOACH_STRAVA_CLIENT_ID": "app", "KNEECOACH_STRAVA_CLIENT_SECRET": "abc"},
            "KNEECOACH_STRAVA_CLIENT_ID",
        ),
        (
            {"KNEECOACH_STRAVA_CLIENT_ID": "1", "KNEECOACH_STRAVA_CLIENT_SECRET": "a b"},
            "KNEECOACH_STRAVA_CLIENT_SECRET",
        ),
        ({"KNEECOACH_SECRET_KEY": "too-short"}, "KNEECOACH_SECRET_KEY"),
        ({"KNEECOACH_SECRET_KEY": "é" * 44}, "KNEECOACH_SECRET_KEY"),
    ],
)
def test_a_bad_strava_setting_is_refused_with_its_name(env, named):
    with pytest.raises(InvalidInput, match=named):
        load_settings(env)


def test_while_the_sync_waits_for_stravas_next_window_its_job_says_until_when(tmp_path, clock):
    with connected_runtime(tmp_path, clock, TODAY, days=90, athletes=1, short_limit=30) as made:
        _page_says_until_when_during_the_wait(*made, clock)


def _page_says_until_when_during_the_wait(runtime, runner, server, clock) -> None:
    from kneecoach.presenters import job_json, job_progress_text

    job_id = S.queue_sync(runner, runtime.strava, runtime.jobs, NOW)
    seen_waiting: list[J.JobView] = []
    link = runtime.strava

    def sleeping(seconds: float) -> None:  # what the job's page shows during the wait
        seen_waiting.append(J.job_view(runner, runtime.jobs, job_id))
        clock.sleep(seconds)

    link.sleep = sleeping
    worker = Worker(runtime, now=lambda: NOW)
    assert worker.run_once(job_id)
    assert clock.slept, "the fake's limits were never reached: no wait to show"
    view = seen_waiting[0]
    assert view.state == "running" and view.waiting_until is not None
    moment = view.waiting_until
    assert dt.timedelta(0) < moment - clock.moment + dt.timedelta(seconds=clock.slept[0])
    text = job_progress_text(view)
    assert f"until {moment:%H:%M} UTC" in text and text.startswith("Syncing from Strava:")
    assert job_json(view, f"/runs/jobs/{job_id}")["waiting_until"] == moment.isoformat()
    done = J.job_view(runner, runtime.jobs, job_id)
    assert done.ended and done.waiting_until is None
    assert job_json(done, f"/runs/jobs/{job_id}")["waiting_until"] is None
    assert job_progress_text(done).startswith("The last sync read ")


def test_the_wait_reads_in_utc_when_the_database_gives_it_in_another_time_zone():
    """PostgreSQL gives a timestamptz back in the server's time zone: 'waiting until …
    UTC' must not be an hour off on a server set to Paris time."""
    from types import SimpleNamespace

    from kneecoach.presenters import job_progress_text
    from kneecoach.services.ports import Job, JobProgress

    paris = dt.timezone(dt.timedelta(hours=1))
    until = dt.datetime(2026, 11, 30, 13, 15, tzinfo=paris)  # 12:15 UTC
    job = Job(
        id=7,
        user_id=1,
        kind="strava-sync",
        state="running",
        folder="",
        inputs=(),
        progress=JobProgress(3, 3, 0, 3, 0, until),
        result=None,
        error=None,
        attempts=1,
        created_at=dt.datetime(2026, 11, 30, 12, 0, tzinfo=paris),
    )
    queue = SimpleNamespace(get=lambda user_id, job_id: job)
    runner = SimpleNamespace(user_id=1)

    view = J.job_view(runner, queue, 7)  # type: ignore[arg-type]

    assert view.waiting_until == until and view.waiting_until.utcoffset() == dt.timedelta(0)
    assert "until 12:15 UTC" in job_progress_text(view)
