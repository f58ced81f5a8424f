"""The fake Strava keeps Strava's contract: every answer validates against the documented
models (integrations.strava_models, strict: no field they do not list), paging and
ordering as Strava's, rate-limit headers on every API answer, 429 past a limit, tokens
that expire and are renewed, deauthorisation. stravalib's ``strava_model`` is not available
to the project; the models are written from Strava's reference."""

from __future__ import annotations

import datetime as dt

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kneecoach.integrations import strava_models as M
from kneecoach.integrations.strava import parse_limits
from kneecoach.integrations.strava_fake import FakeStrava, FakeStravaServer
from tests.services.strava_helpers import VirtualClock

TODAY = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def clock():
    return VirtualClock(TODAY)


@pytest.fixture(scope="module")
def server(clock):
    fake = FakeStrava(until=TODAY, now=clock.now, days=400, short_limit=10_000, daily_limit=100_000)
    with FakeStravaServer(fake) as served:
        yield served


def _token(server) -> dict:
    fake = server.fake
    code = fake.grant(100, "read,activity:read_all")
    answer = httpx.post(
        f"{server.root}/oauth/token",
        data={
            "client_id": fake.client_id,
            "client_secret": fake.client_secret,
            "code": code,
            "grant_type": "authorization_code",
        },
    )
    assert answer.status_code == 200
    body = answer.json()
    M.strict(M.TokenAnswer).model_validate(body)
    M.strict(M.SummaryAthlete).model_validate(body["athlete"])
    return body


@pytest.fixture(scope="module")
def token(server):
    return _token(server)["access_token"]


def _get(server, token, path, **params):
    return httpx.get(
        f"{server.api_url}{path}", params=params, headers={"Authorization": f"Bearer {token}"}
    )


def test_every_activity_of_the_list_is_a_documented_summary_activity(server, token):
    answer = _get(server, token, "/athlete/activities", per_page=200)
    assert answer.status_code == 200
    body = answer.json()
    assert len(body) == 200
    for item in body:
        found = M.strict(M.SummaryActivity).model_validate(item)
        assert found.sport_type in M.SPORT_TYPES
        M.strict(M.MetaAthlete).model_validate(item["athlete"])
    sports = {item["sport_type"] for item in body}
    assert {"Run", "Ride"} <= sports


def test_the_list_is_newest_first_and_pages_without_gaps_or_repeats(server, token):
    everything = []
    page = 1
    while True:
        body = _get(server, token, "/athlete/activities", page=page, per_page=100).json()
        if not body:
            break
        everything.extend(body)
        page += 1
    starts = [item["start_date"] for item in everything]
    assert starts == sorted(starts, reverse=True)
    assert len({item["id"] for item in everything}) == len(everything)
    assert len(everything) == len(server.fake.athletes[100].activities) > 250  # a year+


def test_before_and_after_bound_the_list_and_after_alone_gives_the_oldest_first(server, token):
    middle = dt.datetime.combine(TODAY - dt.timedelta(days=100), dt.time(0), tzinfo=dt.UTC)
    epoch = int(middle.timestamp())
    before = _get(server, token, "/athlete/activities", before=epoch, per_page=50).json()
    after = _get(server, token, "/athlete/activities", after=epoch, per_page=50).json()
    assert all(item["start_date"] < middle.strftime("%Y-%m-%dT%H:%M:%SZ") for item in before)
    assert all(item["start_date"] > middle.strftime("%Y-%m-%dT%H:%M:%SZ") for item in after)
    assert [i["start_date"] for i in after] == sorted(i["start_date"] for i in after)


@settings(max_examples=25)
@given(per_page=st.integers(-5, 400), page=st.integers(-2, 50))
def test_paging_takes_strava_s_bounds_and_refuses_others_with_a_fault(
    server, token, per_page, page
):
    answer = _get(server, token, "/athlete/activities", per_page=per_page, page=page)
    if 1 <= per_page <= 200 and page >= 1:
        assert answer.status_code == 200
        assert len(answer.json()) <= per_page
    else:
        assert answer.status_code == 400
        M.strict(M.Fault).model_validate(answer.json())


def test_a_runs_streams_are_a_documented_stream_set_of_equal_lengths(server, token):
    run = next(a for a in server.fake.athletes[100].activities if a.is_run and not a.trainer)
    keys = "time,distance,latlng,altitude,heartrate,cadence"
    answer = _get(server, token, f"/activities/{run.id}/streams", keys=keys, key_by_type="true")
    assert answer.status_code == 200
    body = answer.json()
    found = M.strict(M.StreamSet).model_validate(body)
    assert set(body) == set(keys.split(","))
    for stream in body.values():
        M.strict(M.LatLngStream if stream is body["latlng"] else M.NumberStream).model_validate(
            stream
        )
    sizes = {len(s["data"]) for s in body.values()}
    assert len(sizes) == 1 and found.time is not None and found.time.data[0] == 0
    listed = _get(server, token, f"/activities/{run.id}/streams", keys=keys).json()
    assert isinstance(listed, list) and {s["type"] for s in listed} == set(keys.split(","))


def test_another_athletes_activity_is_not_found(server, token):
    other = server.fake.athletes[101].activities[0]
    answer = _get(server, token, f"/activities/{other.id}/streams", key_by_type="true")
    assert answer.status_code == 404
    M.strict(M.Fault).model_validate(answer.json())


def test_every_api_answer_announces_the_limits_and_past_them_answers_429(clock):
    fake = FakeStrava(until=TODAY, now=clock.now, days=30, short_limit=3, daily_limit=5)
    with FakeStravaServer(fake) as served:
        token = _token(served)["access_token"]
        statuses, usages = [], []
        for _ in range(4):
            answer = _get(served, token, "/athlete")
            statuses.append(answer.status_code)
            usages.append(parse_limits(answer.headers))
        assert statuses == [200, 200, 200, 429]
        assert [u.short_usage for u in usages] == [1, 2, 3, 4]
        assert usages[0].short_limit == 3 and usages[0].daily_limit == 5
        M.strict(M.Fault).model_validate(answer.json())
        clock.sleep(900)  # the next 15-minute window: the short limit is fresh
        answer = _get(served, token, "/athlete")
        assert answer.status_code == 200
        assert parse_limits(answer.headers).short_usage == 1
        _get(served, token, "/athlete")
        assert _get(served, token, "/athlete").status_code == 429  # the day's 5 are used


def test_an_access_token_expires_and_the_refresh_token_renews_it(clock):
    fake = FakeStrava(until=TODAY, now=clock.now, days=30, token_lifetime_s=600)
    with FakeStravaServer(fake) as served:
        first = _token(served)
        assert _get(served, first["access_token"], "/athlete").status_code == 200
        clock.sleep(601)
        refused = _get(served, first["access_token"], "/athlete")
        assert refused.status_code == 401
        M.strict(M.Fault).model_validate(refused.json())
        renewed = httpx.post(
            f"{served.root}/oauth/token",
            data={
                "client_id": fake.client_id,
                "client_secret": fake.client_secret,
                "refresh_token": first["refresh_token"],
                "grant_type": "refresh_token",
            },
        )
        M.strict(M.TokenAnswer).model_validate(renewed.json())
        assert _get(served, renewed.json()["access_token"], "/athlete").status_code == 200


def test_deauthorising_revokes_every_token_of_the_athlete(clock):
    fake = FakeStrava(until=TODAY, now=clock.now, days=30)
    with FakeStravaServer(fake) as served:
        tokens = _token(served)
        answer = httpx.post(
            f"{served.root}/oauth/deauthorize", data={"access_token": tokens["access_token"]}
        )
        M.strict(M.DeauthorizeAnswer).model_validate(answer.json())
        assert _get(served, tokens["access_token"], "/athlete").status_code == 401


def test_a_wrong_client_secret_is_refused_with_a_fault(server):
    answer = httpx.post(
        f"{server.root}/oauth/token",
        data={"client_id": server.fake.client_id, "client_secret": "nope", "code": "x"},
    )
    assert answer.status_code == 401
    M.strict(M.Fault).model_validate(answer.json())


def test_the_consent_page_redirects_with_the_state_and_a_code_or_a_refusal(server):
    query = {
        "client_id": server.fake.client_id,
        "redirect_uri": "http://127.0.0.1:9/callback",
        "response_type": "code",
        "scope": "read,activity:read_all",
        "state": "abc",
    }
    page = httpx.get(f"{server.root}/oauth/authorize", params=query)
    assert page.status_code == 200 and "Authorize as Ada Runner" in page.text
    approved = httpx.get(
        f"{server.root}/oauth/authorize/approve", params={**query, "athlete": "100"}
    )
    assert approved.status_code == 302
    assert "state=abc" in approved.headers["Location"] and "code=" in approved.headers["Location"]
    denied = httpx.get(f"{server.root}/oauth/authorize/approve", params={**query, "deny": "1"})
    assert "error=access_denied" in denied.headers["Location"]
    wrong = httpx.get(f"{server.root}/oauth/authorize", params={**query, "client_id": "1"})
    assert wrong.status_code == 400


def test_one_activity_is_its_documented_summary_and_another_athletes_is_not_found(server, token):
    mine = server.fake.athletes[100].activities[0]
    answer = _get(server, token, f"/activities/{mine.id}")
    assert answer.status_code == 200 and "X-RateLimit-Usage" in answer.headers
    found = M.strict(M.SummaryActivity).model_validate(answer.json())
    assert found.id == mine.id and found.resource_state == 3
    theirs = server.fake.athletes[101].activities[0]
    refused = _get(server, token, f"/activities/{theirs.id}")
    assert refused.status_code == 404
    M.strict(M.Fault).model_validate(refused.json())


class _Recorder:
    """A callback address as an httpx client: answers the subscription check (with the
    challenge when the verify token is right) and keeps every event posted."""

    def __init__(self, verify: str) -> None:
        self.verify = verify
        self.events: list[dict] = []

    def request(self, method: str, url: str, **options) -> httpx.Response:
        if method == "GET":
            query = options["params"]
            if query["hub.verify_token"] != self.verify:
                return httpx.Response(403, json={})
            return httpx.Response(200, json={"hub.challenge": query["hub.challenge"]})
        self.events.append(options["json"])
        return httpx.Response(200, json={})


def test_a_subscription_is_checked_with_a_challenge_and_events_are_strava_shaped(clock):
    fake = FakeStrava(until=TODAY, now=clock.now, days=30, athletes=1)
    form = {
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
        "callback_url": "https://kneecoach.example/strava/webhook/t0ken",
        "verify_token": "t0ken",
    }
    fake.webhook_client = _Recorder("another")  # type: ignore[assignment]
    assert fake.subscribe(form)[0] == 400  # the callback did not echo the challenge
    recorder = _Recorder("t0ken")
    fake.webhook_client = recorder  # type: ignore[assignment]
    status, body = fake.subscribe(form)
    assert status == 201 and M.strict(M.PushSubscription).model_validate(body).id == 1
    assert fake.subscribe(form)[0] == 400  # one subscription per application
    run = fake.post_activity(100, dt.datetime.combine(TODAY, dt.time(7), tzinfo=dt.UTC))
    fake.update_activity(run.id, name="Tempo", sport_type="TrailRun")
    fake.delete_activity(run.id)
    fake.revoke(100)
    events = [M.strict(M.PushEvent).model_validate(e) for e in recorder.events]
    assert [(e.object_type, e.aspect_type) for e in events] == [
        ("activity", "create"),
        ("activity", "update"),
        ("activity", "delete"),
        ("athlete", "update"),
    ]
    assert events[1].updates == {"title": "Tempo", "type": "TrailRun"}
    assert events[3].updates == {"authorized": "false"} and events[3].object_id == 100
    assert fake.activity(run.id) is None


def test_a_person_uploads_a_run_on_the_fakes_page_and_kneecoach_is_told(clock):
    """`kneecoach strava fake` has a page of its own: a button per athlete uploads a run now,
    and the webhook event goes to the subscription's callback, as Strava sends it."""
    fake = FakeStrava(until=TODAY, now=clock.now, days=3)
    told = []
    fake.notify = lambda *event: told.append(event)  # the subscription's callback
    with FakeStravaServer(fake) as served:
        root = served.root
        page = httpx.get(root + "/")
        assert page.status_code == 200 and "Upload a 30-minute run now" in page.text
        athlete = next(iter(fake.athletes))
        before = len(fake.athletes[athlete].activities)
        sent = httpx.post(root + "/upload", data={"athlete": str(athlete)})
        assert sent.status_code == 303
        assert len(fake.athletes[athlete].activities) == before + 1
        newest = fake.athletes[athlete].activities[0]
        assert newest.start <= clock.now() and told[-1][:4] == (
            "activity",
            "create",
            newest.id,
            athlete,
        )
        assert "uploaded" in httpx.get(root + sent.headers["location"]).text
        assert httpx.post(root + "/upload", data={"athlete": "²"}).status_code == 404
