"""Connecting Strava and syncing a runner's history against the fake Strava, served on a
free port: within the announced limits, tokens refreshed, 429s and 5xx waited out, resumed
where it stopped, and one activity whatever else holds it."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from kneecoach.domain.activity import is_run
from kneecoach.services import strava as S
from kneecoach.services.ports import StravaUnavailable
from kneecoach.services.runs import import_uploads, load_report
from kneecoach.storage.database import open_database
from tests.services.strava_helpers import (
    VirtualClock,
    consent,
    fake_strava,
    link_to,
    onboarded,
)

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def clock():
    return VirtualClock(TODAY)


@pytest.fixture
def engine(tmp_path):
    return open_database(f"sqlite:///{tmp_path / 'k.db'}")


@pytest.fixture
def server(clock):
    with fake_strava(clock, TODAY, days=2 * 365, athletes=2) as served:
        yield served


def _connected(server, engine, clock, athlete=100, name="local", since=None):
    link = link_to(server, engine, clock)
    runner = onboarded(engine, TODAY, name)
    S.connect(link, runner, consent(link, athlete), since)
    return runner, link


def test_two_years_of_history_arrive_within_the_limits_newest_first_with_progress(
    server, engine, clock
):
    runner, link = _connected(server, engine, clock)
    progress: list[S.SyncProgress] = []
    report = S.sync_history(link, runner, progress.append)

    athlete = server.fake.athletes[100]
    wanted = [a for a in athlete.activities if a.start.date() >= TODAY - dt.timedelta(days=730)]
    assert 450 <= len(wanted) <= 600  # about five a week for two years
    assert report.done and report.seen == len(wanted) == report.added
    assert server.fake.rate_limited == 0  # never past the limits: it waited for windows
    assert clock.slept and max(clock.slept) <= 905  # only ever the next 15-minute window
    kept = runner.store.activities.all()
    assert len(kept) == len(wanted)
    assert {s for a in kept for s in a.sources} == {f"strava/{a.id}" for a in wanted}
    # streams only for runs, each once; one list request per 200 summaries
    runs = [a for a in wanted if a.is_run]
    streams = [p for p, status in server.fake.answered if p.endswith("/streams")]
    assert len(streams) == len(runs) == len(set(streams))
    assert sum(r.endswith("/athlete/activities") for r in server.fake.requests) <= 4
    # progress counted up activity by activity, going back in time
    told = [p for p in progress if p.waiting_until is None]  # with the end of each wait
    counted = [
        p
        for before, p in zip([None, *told], told, strict=False)
        if p.seen and (before is None or p.seen != before.seen)
    ]
    assert [p.seen for p in counted] == list(range(1, len(wanted) + 1))
    reached = [p.reached for p in counted]
    assert reached == sorted(reached, reverse=True)
    # each wait for the next window told as it began, with when it ends, and its end told
    waits = [p.waiting_until for p in progress if p.waiting_until is not None]
    assert len(waits) == len(clock.slept) and waits == sorted(waits)
    assert sum(1 for p in progress if p.waiting_until is None) == len(wanted) + len(waits)
    status = S.status(link, runner.user_id)
    assert status.history_done and status.synced == len(wanted)


def test_runs_synced_carry_their_streams_and_count_as_running_load(server, engine, clock):
    runner, link = _connected(server, engine, clock, since=TODAY - dt.timedelta(days=30))
    S.sync_history(link, runner)
    kept = [runner.store.activities.get(a.id) for a in runner.store.activities.all()]
    runs = [k for k in kept if k is not None and is_run(k.activity)]
    assert runs and all(len(r.activity.samples) > 100 for r in runs if not r.activity.indoor)
    assert all(r.activity.avg_hr is not None and r.activity.step_rate for r in runs)
    rides = [k for k in kept if k is not None and not is_run(k.activity)]
    assert all(len(r.activity.samples) == 0 for r in rides)
    report = load_report(runner)
    wanted = sum(a.distance_m for a in runs_of(server, TODAY - dt.timedelta(days=30))) / 1000
    assert report is not None and sum(w.load for w in report.weeks) == pytest.approx(wanted)


def test_a_sync_stops_at_the_day_the_runner_chose(server, engine, clock):
    since = TODAY - dt.timedelta(days=60)
    runner, link = _connected(server, engine, clock, since=since)
    report = S.sync_history(link, runner)
    starts = [a.activity.start.date() for a in runner.store.activities.all()]
    assert report.done and min(starts) >= since
    wanted = [a for a in server.fake.athletes[100].activities if a.start.date() >= since]
    assert len(starts) == len(wanted)


def test_an_access_token_expiring_mid_sync_is_refreshed_before_it_is_refused(
    tmp_path, engine, clock
):
    with fake_strava(
        clock, TODAY, days=120, athletes=1, token_lifetime_s=1200, short_limit=20
    ) as server:
        runner, link = _connected(server, engine, clock)
        first = link.store.connection(runner.user_id).tokens
        report = S.sync_history(link, runner)
        assert report.done
        assert server.fake.refreshed >= 2  # the sync outlived several 20-minute tokens
        assert all(status != 401 for _, status in server.fake.answered)  # none was refused
        later = link.store.connection(runner.user_id).tokens
        assert later.access_token != first.access_token
        assert later.expires_at > clock.now()


def test_a_token_refused_mid_sync_is_refreshed_once_and_the_sync_goes_on(server, engine, clock):
    runner, link = _connected(server, engine, clock, since=TODAY - dt.timedelta(days=90))
    seen = []

    def on_progress(progress):
        seen.append(progress)
        if len(seen) == 5:
            server.fake.expire_tokens()

    report = S.sync_history(link, runner, on_progress)
    assert report.done and server.fake.refreshed == 1
    wanted = [
        a
        for a in server.fake.athletes[100].activities
        if a.start.date() >= TODAY - dt.timedelta(days=90)
    ]
    assert report.added == len(wanted)


def test_a_429_pauses_until_the_next_window_and_the_sync_resumes(server, engine, clock):
    runner, link = _connected(server, engine, clock, since=TODAY - dt.timedelta(days=90))
    # another application's burst (or a forgotten script) used the window up behind our back
    for _ in range(server.fake.short_limit):
        server.fake.count_request()
    before = clock.now()
    report = S.sync_history(link, runner)
    assert server.fake.rate_limited >= 1
    assert report.done and report.added > 0
    waited = clock.slept[0]
    assert S.next_window(before) <= before + dt.timedelta(seconds=waited)
    assert waited <= 900 + 5


def test_5xx_answers_are_tried_again_after_growing_pauses_with_jitter(server, engine, clock):
    runner, link = _connected(server, engine, clock, since=TODAY - dt.timedelta(days=30))
    server.fake.fail_next(503, times=3)
    report = S.sync_history(link, runner)
    assert report.done and report.added > 0
    pauses = clock.slept[:3]
    assert len(pauses) == 3
    assert all(0 <= p <= S.BACKOFF_S * 2**n for n, p in enumerate(pauses))


def test_a_sync_cut_short_resumes_where_it_stopped_and_asks_for_no_stream_twice(
    server, engine, clock
):
    runner, link = _connected(server, engine, clock, since=TODAY - dt.timedelta(days=120))
    seen = []

    def on_progress(progress):
        seen.append(progress)
        if len(seen) == 20:
            server.fake.fail_next(502, times=S.TRIES)

    with pytest.raises(StravaUnavailable):
        S.sync_history(link, runner, on_progress)
    middle = S.status(link, runner.user_id)
    assert not middle.history_done and middle.synced == 20
    report = S.sync_history(link, runner)
    assert report.done
    wanted = [
        a
        for a in server.fake.athletes[100].activities
        if a.start.date() >= TODAY - dt.timedelta(days=120)
    ]
    assert len(runner.store.activities.all()) == len(wanted)
    streams = [p for p, status in server.fake.answered if p.endswith("/streams") and status == 200]
    assert len(streams) == len(set(streams))
    # a finished history is not read again: one request asks only for what is new
    asked = len(server.fake.requests)
    again = S.sync_history(link, runner)
    assert again.done and again.seen == 0
    assert server.fake.requests[asked:] == ["GET /api/v3/athlete/activities"]


def test_two_runners_syncing_at_once_share_the_applications_limits(server, engine, clock):
    since = TODAY - dt.timedelta(days=200)
    first, link_a = _connected(server, engine, clock, athlete=100, name="ada", since=since)
    second, link_b = _connected(server, engine, clock, athlete=101, name="ben", since=since)
    results = {}

    def sync(name, runner, link):
        results[name] = S.sync_history(link, runner)

    threads = [
        threading.Thread(target=sync, args=("ada", first, link_a)),
        threading.Thread(target=sync, args=("ben", second, link_b)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert results["ada"].done and results["ben"].done
    # each waited for windows the other used up too: at most a race's worth of 429s
    assert server.fake.rate_limited <= 4
    assert len(first.store.activities.all()) == results["ada"].added
    assert len(second.store.activities.all()) == results["ben"].added


def runs_of(server, since):
    return [a for a in server.fake.athletes[100].activities if a.is_run and a.start.date() >= since]


def _gpx_of(activity) -> bytes:
    from kneecoach.integrations.strava_fake import streams_of

    streams = streams_of(activity)
    points = []
    for t, (lat, lon), ele, hr, cad in zip(
        streams["time"],
        streams["latlng"],
        streams["altitude"],
        streams["heartrate"],
        streams["cadence"],
        strict=True,
    ):
        moment = (activity.start + dt.timedelta(seconds=t)).strftime("%Y-%m-%dT%H:%M:%SZ")
        points.append(
            f'<trkpt lat="{lat}" lon="{lon}"><ele>{ele}</ele><time>{moment}</time>'
            "<extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:hr>{hr}</gpxtpx:hr><gpxtpx:cad>{cad}</gpxtpx:cad>"
            "</gpxtpx:TrackPointExtension></extensions></trkpt>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<gpx version="1.1" creator="StravaGPX" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>{activity.name}</name><type>running</type><trkseg>"
        + "".join(points)
        + "</trkseg></trk></gpx>"
    ).encode()


def test_a_run_from_strava_and_from_a_file_is_one_activity_with_the_same_load_either_way(
    server, clock, tmp_path
):
    since = TODAY - dt.timedelta(days=21)
    run = next(a for a in runs_of(server, since) if not a.trainer)
    loads = []
    for order in ("file-first", "strava-first"):
        engine = open_database(f"sqlite:///{tmp_path / order}.db")
        runner, link = _connected(server, engine, clock, since=since)
        if order == "file-first":
            import_uploads(runner, [(f"{run.id}.gpx", _gpx_of(run))])
        S.sync_history(link, runner)
        if order == "strava-first":
            import_uploads(runner, [(f"{run.id}.gpx", _gpx_of(run))])
        holding = [a for a in runner.store.activities.all() if f"strava/{run.id}" in a.sources]
        assert len(holding) == 1
        assert set(holding[0].sources) == {f"strava/{run.id}", f"{run.id}.gpx"}
        wanted = [a for a in server.fake.athletes[100].activities if a.start.date() >= since]
        assert len(runner.store.activities.all()) == len(wanted)
        assert holding[0].activity.distance_m == pytest.approx(run.distance_m)
        report = load_report(runner)
        assert report is not None
        loads.append([(w.monday, w.load) for w in report.weeks])
    assert loads[0] == loads[1]


def test_activities_posted_after_the_history_arrive_with_the_next_sync_and_only_they(
    server, engine, clock
):
    runner, link = _connected(server, engine, clock, since=TODAY - dt.timedelta(days=30))
    assert S.sync_history(link, runner).done
    kept = len(runner.store.activities.all())
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    run = server.fake.post_activity(100, noon, minutes=40)
    ride = server.fake.post_activity(100, noon + dt.timedelta(hours=3), sport_type="Ride")
    asked = len(server.fake.answered)
    report = S.sync_history(link, runner)
    assert report.added == 2 and report.seen == 2 and report.streams == 1
    paths = [p for p, _ in server.fake.answered[asked:]]
    listing = "/api/v3/athlete/activities"
    assert paths == [listing, f"/api/v3/activities/{run.id}/streams", listing]
    sources = {s for a in runner.store.activities.all() for s in a.sources}
    assert {f"strava/{run.id}", f"strava/{ride.id}"} <= sources
    assert len(runner.store.activities.all()) == kept + 2
    assert S.sync_history(link, runner).seen == 0  # nothing new: nothing kept again


def test_disconnecting_revokes_at_strava_and_deletes_the_tokens(server, engine, clock):
    runner, link = _connected(server, engine, clock)
    token = link.store.connection(runner.user_id).tokens.access_token
    done = S.disconnect(link, runner.user_id)
    assert done.was_connected and done.revoked
    assert link.store.connection(runner.user_id) is None
    assert server.fake.athlete_of(f"Bearer {token}") is None  # revoked at Strava
    assert S.disconnect(link, runner.user_id).was_connected is False


def test_tokens_are_kept_encrypted_at_rest(server, engine, clock):
    import sqlalchemy as sa

    runner, link = _connected(server, engine, clock)
    tokens = link.store.connection(runner.user_id).tokens
    with engine.connect() as c:
        sealed = c.execute(sa.text("SELECT tokens FROM strava_connections")).scalar_one()
    assert tokens.access_token.encode() not in sealed
    assert tokens.refresh_token.encode() not in sealed


def test_tokens_sealed_with_another_key_need_connecting_again_and_fail_no_page(
    server, engine, clock
):
    """KNEECOACH_SECRET_KEY changed: the connection shows as needing connecting again (every
    face that reads it keeps working), a sync is refused as such, and it can be forgotten."""
    import base64

    from kneecoach.services.strava import StravaLink
    from kneecoach.storage.jobs import SqlJobQueue
    from kneecoach.storage.strava import SqlStravaStore

    runner, link = _connected(server, engine, clock)
    other = StravaLink(link.api, SqlStravaStore(engine, base64.urlsafe_b64decode(b"z" * 43 + b"=")))
    found = S.status(other, runner.user_id)
    assert found.connected and found.needs_reconnect and found.athlete_id == 100
    assert "KNEECOACH_SECRET_KEY" in found.reconnect_reason
    with pytest.raises(S.NeedsReconnect):
        S.sync_history(other, runner)
    assert S.queue_polls(other, SqlJobQueue(engine), clock.now()) == 0  # no sync bound to fail
    done = S.disconnect(other, runner.user_id)
    # kneecoach could not ask Strava: it does not claim Strava revoked anything
    assert done.was_connected and not done.revoked
    assert "KNEECOACH_SECRET_KEY" in (done.error or "")
    assert S.status(other, runner.user_id).connected is False


def test_a_sync_without_a_connection_is_refused(server, engine, clock):
    link = link_to(server, engine, clock)
    runner = onboarded(engine, TODAY)
    with pytest.raises(S.NotConnected):
        S.sync_history(link, runner)
    with pytest.raises(S.StravaOff):
        S.sync_history(None, runner)


def test_disconnecting_after_the_token_expired_refreshes_it_to_revoke_for_real(
    server, engine, clock
):
    runner, link = _connected(server, engine, clock)
    clock.sleep(7 * 3600)  # past the six hours an access token lasts
    assert S.disconnect(link, runner.user_id).revoked
    assert server.fake.refreshed == 1
    assert server.fake.access == {} and server.fake.refresh_tokens == {}


def test_429s_strava_keeps_sending_stop_the_sync_resumably_instead_of_waiting_forever(
    server, engine, clock
):
    runner, link = _connected(server, engine, clock, since=TODAY - dt.timedelta(days=30))
    server.fake.fail_next(429, times=S.LIMITED_TRIES)
    report = S.sync_history(link, runner)
    assert not report.done and report.paused_until is not None and report.seen == 0
    assert S.sync_history(link, runner).done  # the next sync goes on
