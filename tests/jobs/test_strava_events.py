"""Strava's webhook events and a connection that needs connecting again, through the
services and the worker against the fake Strava: a new activity is fetched by a job, an
edit renames it or changes its sport, a deletion removes the Strava copy (the activity
stays when a file holds it), an athlete's revocation and a refused refresh token mark the
connection for reconnecting, which the poll then skips."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import httpx
import pytest

from kneecoach.domain.activity import Sport
from kneecoach.services import strava as S
from kneecoach.services.ports import ImportedFile, StravaEvent
from kneecoach.worker import Worker
from tests.conftest import TODAY
from tests.services.strava_helpers import VirtualClock, connected_runtime, consent

NOW = dt.datetime.combine(TODAY, dt.time(9), tzinfo=dt.UTC)


@pytest.fixture
def setup(tmp_path):
    """ana's runtime after her first sync of 20 days (a second athlete on the fake too)."""
    with connected_runtime(tmp_path, VirtualClock(TODAY), TODAY, days=20, athletes=2) as made:
        runtime, runner, _ = made
        worker = Worker(runtime, now=lambda: NOW)
        assert worker.run_once(S.queue_sync(runner, runtime.strava, runtime.jobs, NOW))
        yield made


def _event(aspect: str, object_id: int, owner: int = 100, kind: str = "activity", **updates):
    return StravaEvent(kind, aspect, object_id, owner, 1, int(NOW.timestamp()), dict(updates))


def _handle(runtime, event: StravaEvent) -> S.EventOutcome:
    return S.handle_event(runtime.strava, event, runtime.jobs, runtime.runner, NOW)


def _sources(runner) -> set[str]:
    return {s for a in runner.store.activities.all() for s in a.sources}


def test_a_new_activity_is_queued_at_once_and_a_worker_fetches_it_once(setup):
    runtime, runner, server = setup
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    run = server.fake.post_activity(100, noon, notify=False)
    asked = len(server.fake.requests)
    outcome = _handle(runtime, _event("create", run.id))
    assert outcome.action == "queued" and outcome.job is not None
    assert len(server.fake.requests) == asked  # the event itself asks Strava nothing
    assert Worker(runtime, now=lambda: NOW).run_once(outcome.job)
    job = runtime.jobs.get(runner.user_id, outcome.job)
    assert job is not None and job.state == "done" and job.progress.added == 1
    assert f"strava/{run.id}" in _sources(runner)
    fetched = server.fake.requests[asked:]
    assert fetched == [
        f"GET /api/v3/activities/{run.id}",
        f"GET /api/v3/activities/{run.id}/streams",
    ]


def test_an_activity_deleted_before_its_fetch_is_skipped(setup):
    runtime, runner, server = setup
    run = server.fake.post_activity(100, NOW - dt.timedelta(hours=1), notify=False)
    outcome = _handle(runtime, _event("create", run.id))
    server.fake.delete_activity(run.id)
    assert Worker(runtime, now=lambda: NOW).run_once(outcome.job)
    job = runtime.jobs.get(runner.user_id, outcome.job)
    assert job is not None and job.state == "done" and job.progress.added == 0
    assert f"strava/{run.id}" not in _sources(runner)


class _ShowsEveryonesActivities(httpx.BaseTransport):
    """Strava as it would be if it showed an activity to an athlete who does not own it
    (one they follow, say): the fake, except that any activity's summary is served."""

    def __init__(self, server) -> None:
        self.server, self.through = server, httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        number = request.url.path.removeprefix("/api/v3/activities/")
        if request.method == "GET" and number.isascii() and number.isdigit():
            found = self.server.fake.activity(int(number))
            if found is not None:
                return httpx.Response(200, json=self.server.fake.summary(found))
        return self.through.handle_request(request)


def test_an_event_naming_another_athletes_activity_keeps_nothing_for_this_runner(setup):
    runtime, runner, server = setup
    runtime.strava.api.client = httpx.Client(transport=_ShowsEveryonesActivities(server))
    ride = server.fake.post_activity(
        101, NOW - dt.timedelta(hours=2), sport_type="Ride", notify=False
    )
    outcome = _handle(runtime, _event("create", ride.id, owner=100))  # forged: ana's athlete
    assert outcome.action == "queued"
    assert Worker(runtime, now=lambda: NOW).run_once(outcome.job)
    job = runtime.jobs.get(runner.user_id, outcome.job)
    assert job is not None and job.state == "done" and job.progress.added == 0
    assert f"strava/{ride.id}" not in _sources(runner)


def test_a_rename_and_a_new_sport_on_strava_follow(setup):
    runtime, runner, server = setup
    run = next(a for a in server.fake.athletes[100].activities if a.is_run)
    outcome = _handle(runtime, _event("update", run.id, title="Hill reps", type="Ride"))
    assert outcome.action == "updated"
    kept = next(a for a in runner.store.activities.all() if f"strava/{run.id}" in a.sources)
    assert kept.activity.name == "Hill reps" and kept.activity.sport is Sport.CYCLE
    private = _handle(runtime, _event("update", run.id, private="true"))
    assert private.action == "ignored"


def test_a_deleted_activity_goes_unless_a_file_also_holds_it(setup):
    runtime, runner, server = setup
    first, second = [a for a in server.fake.athletes[100].activities if a.is_run][:2]
    shared = next(a for a in runner.store.activities.all() if f"strava/{second.id}" in a.sources)
    full = runner.store.activities.get(shared.id)
    assert full is not None
    runner.store.activities.add(ImportedFile("watch.gpx", (replace(full.activity, format="gpx"),)))
    before = len(runner.store.activities.all())

    gone = _handle(runtime, _event("delete", first.id))
    assert gone.action == "removed" and not gone.kept
    assert f"strava/{first.id}" not in _sources(runner)
    assert len(runner.store.activities.all()) == before - 1

    stays = _handle(runtime, _event("delete", second.id))
    assert stays.action == "removed" and stays.kept
    left = runner.store.activities.get(shared.id)
    assert left is not None and left.sources == ("watch.gpx",)
    assert left.activity.distance_m == full.activity.distance_m  # the figures kept
    assert _handle(runtime, _event("delete", second.id)).action == "ignored"


def test_an_athlete_no_runner_connected_is_ignored(setup):
    runtime, runner, _ = setup
    before = len(runner.store.activities.all())
    assert _handle(runtime, _event("create", 5, owner=999)).action == "ignored"
    assert _handle(runtime, _event("delete", 5, owner=999)).action == "ignored"
    assert len(runner.store.activities.all()) == before


def test_a_revocation_on_strava_deletes_the_tokens_and_the_poll_skips_the_runner(setup):
    runtime, runner, _ = setup
    link = runtime.strava
    assert S.queue_polls(link, runtime.jobs, NOW) == 1
    Worker(runtime, now=lambda: NOW).run_until_idle()
    outcome = _handle(runtime, _event("update", 100, kind="athlete", authorized="false"))
    assert outcome.action == "revoked"
    status = S.status(link, runner.user_id)
    assert status.connected and status.needs_reconnect
    assert "removed kneecoach" in (status.reconnect_reason or "")
    kept = link.store.connection(runner.user_id)
    assert kept is not None and kept.tokens.access_token == kept.tokens.refresh_token == ""
    assert S.queue_polls(link, runtime.jobs, NOW + S.POLL_EVERY) == 0
    with pytest.raises(S.NeedsReconnect):
        S.queue_sync(runner, link, runtime.jobs, NOW)
    assert _handle(runtime, _event("create", 7)).action == "ignored"
    assert S.disconnect(link, runner.user_id).revoked  # nothing left to revoke
    assert S.status(link, runner.user_id).connected is False


def test_a_refresh_token_strava_refuses_marks_the_connection_for_reconnecting(setup):
    runtime, runner, server = setup
    link = runtime.strava
    server.fake.forget_refresh_tokens()
    server.fake.expire_tokens()
    job_id = S.queue_sync(runner, link, runtime.jobs, NOW)
    assert Worker(runtime, now=lambda: NOW).run_once(job_id)
    job = runtime.jobs.get(runner.user_id, job_id)
    assert job is not None and job.state == "failed"  # not tried again: only the runner mends it
    assert "connect Strava again" in (job.error or "")
    status = S.status(link, runner.user_id)
    assert status.needs_reconnect and "no longer accepts" in (status.reconnect_reason or "")
    assert S.queue_polls(link, runtime.jobs, NOW) == 0
    S.connect(link, runner, consent(link, 100))  # connecting again mends it
    assert not S.status(link, runner.user_id).needs_reconnect
    assert S.queue_polls(link, runtime.jobs, NOW) == 1
