"""Strava in the web app and the API, against the fake Strava on a free port: connecting
through Strava's consent page (the state bound to the browser's session or the account),
a refusal and a forged state connecting nothing, the sync's progress, disconnecting; the
webhook's subscription check and its events (the fake posting them to the app); and a
connection that needs connecting again, said on the page and in the API."""

from __future__ import annotations

import base64
import datetime as dt
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from kneecoach.config import load_settings
from kneecoach.integrations.strava_fake import FakeStrava, FakeStravaServer
from kneecoach.services.jobs import wall_clock
from kneecoach.services.ports import FixedClock
from kneecoach.web.app import create_app
from tests.conftest import TODAY
from tests.web.conftest import csrf, run_jobs, set_up_owner
from tests.web.test_api import _token
from tests.web.test_clinic import _invite, _join

KEY = base64.urlsafe_b64encode(b"w" * 32).decode()
HOOK = "hook-token-0123456789"


@pytest.fixture
def fake():
    # the fake's tokens and rate windows run on the clock the app's Strava jobs read
    # (services.jobs.wall_clock: real time for leases and expiries); every day the tests
    # see comes from TODAY
    state = FakeStrava(until=TODAY, now=wall_clock, days=30, athletes=2)
    with FakeStravaServer(state) as served:
        yield served


@pytest.fixture
def app(tmp_path, fake):
    settings = load_settings(
        {
            "KNEECOACH_DATA_DIR": str(tmp_path / "data"),
            "KNEECOACH_DATABASE_URL": f"sqlite:///{tmp_path / 'kneecoach.db'}",
            "KNEECOACH_PUBLIC_URL": "http://testserver",
            "KNEECOACH_STRAVA_URL": fake.api_url,
            "KNEECOACH_STRAVA_CLIENT_ID": fake.fake.client_id,
            "KNEECOACH_STRAVA_CLIENT_SECRET": fake.fake.client_secret,
            "KNEECOACH_SECRET_KEY": KEY,
            "KNEECOACH_STRAVA_WEBHOOK_TOKEN": HOOK,
        }
    )
    return create_app(settings, clock=FixedClock(TODAY))


@pytest.fixture
def ana(app):
    return set_up_owner(TestClient(app, follow_redirects=False))


def _start(client) -> str:
    """Press Connect Strava: the address of Strava's consent page it sends the browser to."""
    answer = client.get("/settings/strava/connect")
    assert answer.status_code == 303
    return answer.headers["location"]


def _strava_answer(fake, address: str, athlete: int | None) -> str:
    """The runner's choice on the fake's consent page: the address Strava sends them back to."""
    query = {k: v[-1] for k, v in parse_qs(urlsplit(address).query).items()}
    keep = {k: query[k] for k in ("redirect_uri", "state", "scope")}
    choice = {"athlete": athlete} if athlete is not None else {"athlete": "", "deny": "1"}
    answer = httpx.get(
        f"{fake.root}/oauth/authorize/approve?{urlencode({**keep, **choice})}",
        follow_redirects=False,
    )
    assert answer.status_code == 302
    return answer.headers["location"]


def _names(app) -> set[str]:
    """The names of the activities kept for ana (the first account)."""
    return {a.activity.name for a in app.state.web.runtime.runner(1).store.activities.all()}


def _connect(fake, client, athlete: int = 100) -> None:
    back = _strava_answer(fake, _start(client), athlete)
    answer = client.get(back)
    assert answer.status_code == 303 and answer.headers["location"] == "/settings/strava"


def test_a_runner_connects_strava_and_the_history_sync_shows_its_progress(app, fake, ana):
    page = ana.get("/settings/strava").text
    assert "Not connected" in page and "Connect Strava" in page
    address = _start(ana)
    assert address.startswith(f"{fake.root}/oauth/authorize?")
    query = parse_qs(urlsplit(address).query)
    assert query["redirect_uri"] == ["http://testserver/settings/strava/callback"]
    assert query["scope"] == ["read,activity:read_all"]
    ana.get(_strava_answer(fake, address, 100))
    queued = ana.get("/settings/strava").text
    assert "Connected as <strong>Ada Runner</strong>" in queued
    assert "starts within a few seconds" in queued
    assert run_jobs(app) == 1
    done = ana.get("/settings/strava").text
    wanted = len(fake.fake.athletes[100].activities)
    assert f"<dd>{wanted}</dd>" in done and f"The last sync read {wanted} activities" in done
    assert "connected as Ada Runner" in ana.get("/settings").text
    assert len(app.state.web.runtime.runner(1).store.activities.all()) == wanted
    runs = ana.get("/runs")
    assert runs.status_code == 200 and runs.text.count('<th scope="row">') >= 1


def test_a_refusal_at_strava_connects_nothing_and_says_so(app, fake, ana):
    back = _strava_answer(fake, _start(ana), None)
    answer = ana.get(back)
    assert answer.status_code == 400
    assert "Strava was not connected: you did not allow it" in answer.text
    assert "Not connected" in ana.get("/settings/strava").text


def test_a_forged_state_or_another_sessions_state_connects_nothing(app, fake, ana):
    code = fake.fake.grant(100, "read,activity:read_all")
    forged = ana.get(f"/settings/strava/callback?{urlencode({'state': 'abc.def', 'code': code})}")
    assert forged.status_code == 400 and "does not belong" in forged.text
    ben = _join(app, _invite(ana), "ben")
    bens = _strava_answer(fake, _start(ben), 101)  # ben's consent, ana's browser
    assert ana.get(bens).status_code == 400
    assert "Not connected" in ana.get("/settings/strava").text
    assert fake.fake.codes  # the codes were never exchanged


def test_sync_now_and_disconnect_revoke_at_strava_and_keep_the_runs(app, fake, ana):
    _connect(fake, ana)
    run_jobs(app)
    token = csrf(ana.get("/settings/strava").text)
    assert ana.post("/settings/strava/sync", data={"csrf": token}).status_code == 303
    assert run_jobs(app) == 1
    kept = len(app.state.web.runtime.runner(1).store.activities.all())
    gone = ana.post("/settings/strava/disconnect", data={"csrf": token})
    assert gone.status_code == 200 and "Strava revoked kneecoach's access" in gone.text
    assert fake.fake.access == {}
    assert len(app.state.web.runtime.runner(1).store.activities.all()) == kept > 0


def test_the_webhook_checks_the_subscription_and_follows_strava_events(app, fake, ana):
    _connect(fake, ana)
    run_jobs(app)
    fake.fake.webhook_client = ana  # the fake posts its events to the app in-process
    made = httpx.post(
        f"{fake.api_url}/push_subscriptions",
        data={
            "client_id": fake.fake.client_id,
            "client_secret": fake.fake.client_secret,
            "callback_url": f"http://testserver/strava/webhook/{HOOK}",
            "verify_token": HOOK,
        },
    )
    assert made.status_code == 201, made.text
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    run = fake.fake.post_activity(100, noon, name="Lunch Run")
    assert fake.fake.events[-1][1] == 200
    assert run_jobs(app) == 1
    assert "Lunch Run" in _names(app)
    fake.fake.update_activity(run.id, name="Easy shakeout")
    assert "Easy shakeout" in _names(app) and "Lunch Run" not in _names(app)
    fake.fake.delete_activity(run.id)
    assert "Easy shakeout" not in _names(app)
    fake.fake.revoke(100)
    page = ana.get("/settings/strava").text
    assert "Strava needs connecting again" in page and "Connect Strava again" in page
    assert [status for _, status in fake.fake.events] == [200] * 4


def test_the_webhook_refuses_a_wrong_secret_a_wrong_verify_token_and_junk(app, ana):
    check = {"hub.mode": "subscribe", "hub.challenge": "c4ll", "hub.verify_token": HOOK}
    stranger = TestClient(app)
    assert stranger.get(f"/strava/webhook/{HOOK}", params=check).json() == {"hub.challenge": "c4ll"}
    assert stranger.get("/strava/webhook/not-the-token", params=check).status_code == 404
    wrong = {**check, "hub.verify_token": "guess"}
    assert stranger.get(f"/strava/webhook/{HOOK}", params=wrong).status_code == 403
    assert stranger.post("/strava/webhook/not-the-token", json={}).status_code == 404
    assert stranger.post(f"/strava/webhook/{HOOK}", content=b"{").status_code == 400
    assert stranger.post(f"/strava/webhook/{HOOK}", json={"object_type": "x"}).status_code == 400
    unknown = {
        "object_type": "activity",
        "object_id": 1,
        "aspect_type": "create",
        "owner_id": 999,
        "subscription_id": 1,
        "event_time": 1,
        "updates": {},
    }
    answer = stranger.post(f"/strava/webhook/{HOOK}", json=unknown)
    assert answer.status_code == 200 and answer.json() == {"action": "ignored"}


def test_the_api_connects_with_a_state_bound_to_the_account_and_disconnects(app, fake, ana):
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(ana)}"})
    before = api.get("/api/v1/strava").json()
    assert before["enabled"] and not before["connected"] and not before["needs_reconnect"]
    assert api.post("/api/v1/strava/sync").status_code == 409
    given = api.post("/api/v1/strava/authorization", json={}).json()
    back = _strava_answer(fake, given["address"], 100)
    answer = {k: v[-1] for k, v in parse_qs(urlsplit(back).query).items()}
    forged = api.post("/api/v1/strava/connection", json={"state": "x.y", "code": answer["code"]})
    assert forged.status_code == 403
    done = api.post("/api/v1/strava/connection", json=answer)
    assert done.status_code == 201, done.text
    assert done.json()["athlete_name"] == "Ada Runner" and done.json()["sync"]["state"] == "queued"
    run_jobs(app)
    now = api.get("/api/v1/strava").json()
    assert now["synced"] == len(fake.fake.athletes[100].activities)
    assert now["sync"]["state"] == "done"
    assert api.post("/api/v1/strava/sync").status_code == 202
    refused = api.post(
        "/api/v1/strava/connection", json={"state": given["state"], "error": "access_denied"}
    )
    assert refused.status_code == 422
    gone = api.delete("/api/v1/strava/connection")
    assert gone.status_code == 200 and gone.json() == {
        "was_connected": True,
        "revoked": True,
        "error": None,
    }


def test_a_refused_refresh_shows_as_needing_reconnection_on_the_page_and_in_the_api(app, fake, ana):
    _connect(fake, ana)
    run_jobs(app)
    fake.fake.forget_refresh_tokens()
    fake.fake.expire_tokens()
    token = csrf(ana.get("/settings/strava").text)
    ana.post("/settings/strava/sync", data={"csrf": token})
    run_jobs(app)
    assert "Strava needs connecting again" in ana.get("/settings/strava").text
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(ana)}"})
    status = api.get("/api/v1/strava").json()
    assert status["needs_reconnect"] is True and "no longer accepts" in status["reconnect_reason"]
    assert api.post("/api/v1/strava/sync").status_code == 409
    _connect(fake, ana)  # connecting again mends it
    assert "Connected as" in ana.get("/settings/strava").text


def test_a_consent_asked_through_the_api_connects_the_same_accounts_browser_only(app, fake, ana):
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(ana)}"})
    address = api.post("/api/v1/strava/authorization", json={}).json()["address"]
    back = _strava_answer(fake, address, 100)
    assert back.startswith("http://testserver/settings/strava/callback?")
    ben = _join(app, _invite(ana), "ben")
    assert ben.get(back).status_code == 400  # another account's browser: refused
    assert ana.get(back).status_code == 303
    assert "Connected as <strong>Ada Runner</strong>" in ana.get("/settings/strava").text


@pytest.mark.parametrize("field", ["owner_id", "object_id", "subscription_id", "event_time"])
@pytest.mark.parametrize("number", [10**30, -1])
def test_the_webhook_refuses_an_event_whose_ids_strava_could_never_send(app, ana, field, number):
    """Strava's ids and times are 64-bit: a larger or negative one is not an event, and is
    answered 400 before the database is asked (it could not hold such a number)."""
    event = {
        "object_type": "activity",
        "object_id": 1,
        "aspect_type": "delete",
        "owner_id": 100,
        "subscription_id": 1,
        "event_time": 1,
        "updates": {},
        field: number,
    }
    answer = TestClient(app).post(f"/strava/webhook/{HOOK}", json=event)
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith("not a Strava event")


def test_a_strava_account_connected_to_one_runner_is_refused_to_another(app, fake, ana):
    """One Strava account, one runner: its webhook events reach one record, and one
    person's runs never land in another's. The second connection keeps nothing and revokes
    nothing (that would cut the first one's access too)."""
    _connect(fake, ana, athlete=100)
    ben = _join(app, _invite(ana), "ben")
    refused = ben.get(_strava_answer(fake, _start(ben), 100))
    assert refused.status_code == 400
    assert "already connected to another kneecoach account" in refused.text
    assert "Not connected" in ben.get("/settings/strava").text
    ben_api = TestClient(app, headers={"Authorization": f"Bearer {_token(ben)}"})
    given = ben_api.post("/api/v1/strava/authorization", json={}).json()
    back = _strava_answer(fake, given["address"], 100)
    answer = {k: v[-1] for k, v in parse_qs(urlsplit(back).query).items()}
    by_api = ben_api.post("/api/v1/strava/connection", json=answer)
    assert by_api.status_code == 409 and "another kneecoach account" in by_api.json()["detail"]
    assert not ben_api.get("/api/v1/strava").json()["connected"]
    assert "Connected as <strong>Ada Runner</strong>" in ana.get("/settings/strava").text
    assert run_jobs(app) == 1  # ana's history sync still runs on her tokens
    assert len(app.state.web.runtime.runner(1).store.activities.all()) == len(
        fake.fake.athletes[100].activities
    )


def test_a_sync_under_way_says_it_waits_for_stravas_windows_so_it_never_looks_frozen():
    from types import SimpleNamespace

    from kneecoach.presenters import strava_sync_text

    running = SimpleNamespace(
        state="running", files_done=126, added=120, merged=6, waiting_until=None
    )
    said = strava_sync_text(running)
    assert said.startswith("Syncing from Strava: 126 activities read, 120 added, 6 merged")
    assert "100 requests each 15 minutes" in said and "waits of up to 15 minutes" in said
    # in a wait, until when
    until = dt.datetime(2026, 11, 30, 12, 15, 4, tzinfo=dt.UTC)
    waiting = strava_sync_text(SimpleNamespace(**{**vars(running), "waiting_until": until}))
    assert "Waiting for Strava's next window of requests, until 12:15 UTC" in waiting
