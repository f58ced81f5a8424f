"""``kneecoach strava connect | sync | status | disconnect``, against the fake Strava on a
free port: JSON shapes, exit statuses, and the terminal's consent flow through a loopback
port (driven with pexpect as a person would)."""

from __future__ import annotations

import base64
import datetime as dt
import re
import shutil
import sys
from pathlib import Path

import httpx
import pexpect
import pytest

from kneecoach.integrations.strava_fake import FakeStrava, FakeStravaServer
from kneecoach.services.jobs import wall_clock
from tests.cli.conftest import SCRIPTED_INIT
from tests.conftest import TODAY, person_env

EXECUTABLE = shutil.which("kneecoach", path=str(Path(sys.executable).parent)) or "kneecoach"
KEY = base64.urlsafe_b64encode(b"k" * 32).decode()


@pytest.fixture
def fake():
    # the fake's tokens and rate windows run on the clock the app's Strava jobs read
    # (services.jobs.wall_clock: real time for leases and expiries); every day the tests
    # see comes from TODAY
    state = FakeStrava(until=TODAY, now=wall_clock, days=120, athletes=2)
    with FakeStravaServer(state) as served:
        yield served


def _strava_env(fake) -> dict[str, str]:
    return {
        "KNEECOACH_STRAVA_URL": fake.api_url,
        "KNEECOACH_STRAVA_CLIENT_ID": fake.fake.client_id,
        "KNEECOACH_STRAVA_CLIENT_SECRET": fake.fake.client_secret,
        "KNEECOACH_SECRET_KEY": KEY,
    }


@pytest.fixture
def strava_kc(kc, fake, monkeypatch):
    for name, value in _strava_env(fake).items():
        monkeypatch.setenv(name, value)
    assert kc(*SCRIPTED_INIT).code == 0
    return kc


def test_connect_with_a_code_syncs_the_history_and_status_tells_how_far(strava_kc, fake):
    since = (TODAY - dt.timedelta(days=45)).isoformat()
    before = strava_kc("strava", "status", "--json")
    assert before.code == 0 and before.json["enabled"] and not before.json["connected"]
    code = fake.fake.grant(100, "read,activity:read_all")
    result = strava_kc("strava", "connect", "--code", code, "--since", since, "--json")
    assert result.code == 0, result.err
    wanted = [a for a in fake.fake.athletes[100].activities if a.start.date().isoformat() >= since]
    document = result.json
    assert document["connected"] and document["athlete_id"] == 100
    assert document["athlete_name"] == "Ada Runner"
    assert document["history_from"] == since
    assert document["sync"]["state"] == "done"
    assert document["sync"]["report"]["added"] == len(wanted)
    assert document["history_done"] and document["synced"] == len(wanted)
    runs = strava_kc("runs", "list", "--all", "--json")
    assert runs.code == 0
    again = strava_kc("strava", "sync", "--json")
    assert again.code == 0 and again.json["state"] == "done"
    assert again.json["report"]["seen"] == 0  # the history is complete: nothing asked again
    status = strava_kc("strava", "status")
    assert "Connected to Strava as Ada Runner" in status.out
    assert f"{len(wanted)} activities synced" in status.flat


def test_disconnect_revokes_and_deletes_the_tokens(strava_kc, fake):
    code = fake.fake.grant(101, "read,activity:read_all")
    since = (TODAY - dt.timedelta(days=7)).isoformat()
    assert strava_kc("strava", "connect", "--code", code, "--since", since, "--no-sync").code == 0
    assert len(fake.fake.access) == 1
    done = strava_kc("strava", "disconnect", "--json")
    assert done.code == 0 and done.json == {"was_connected": True, "revoked": True, "error": None}
    assert fake.fake.access == {}
    assert strava_kc("strava", "status", "--json").json["connected"] is False
    assert strava_kc("strava", "disconnect", "--json").json["was_connected"] is False


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("connect", "--code", "x", "--port", "70000"), "--port"),
        (("connect", "--code", "x", "--since", "someday"), "--since"),
        (("connect", "--code", "x", "--since", "2099-01-01"), "after today"),
        (("connect", "--code", " "), "authorization code"),
        (("sync",), "not connected"),
    ],
)
def test_bad_input_gets_one_line_and_exit_2(strava_kc, args, said):
    result = strava_kc("strava", *args)
    assert result.code == 2
    assert result.err.startswith("kneecoach: error: ") and said in result.err
    assert "Traceback" not in result.err


def test_a_code_strava_refuses_is_an_error_not_a_traceback(strava_kc):
    result = strava_kc("strava", "connect", "--code", "not-a-code-it-gave", "--no-sync")
    assert result.code == 1
    assert result.err.startswith("kneecoach: error: Strava refused the request (400)")


def test_without_the_settings_strava_is_off(kc):
    assert kc("strava", "status", "--json").json == {
        "enabled": False,
        "connected": False,
        "athlete_id": None,
        "athlete_name": None,
        "connected_at": None,
        "history_from": None,
        "reached": None,
        "history_done": False,
        "synced": 0,
        "last_sync_at": None,
        "needs_reconnect": False,
        "reconnect_reason": None,
    }
    result = kc("strava", "connect", "--code", "abc")
    assert result.code == 2 and "KNEECOACH_STRAVA_CLIENT_ID" in result.err


def test_a_bad_secret_key_is_refused_by_its_name(kc, monkeypatch):
    monkeypatch.setenv("KNEECOACH_SECRET_KEY", "short")
    result = kc("strava", "status")
    assert result.code == 2 and "KNEECOACH_SECRET_KEY" in result.err


def test_a_person_connects_in_the_terminal_through_the_loopback_port(fake, tmp_path):
    import subprocess

    env = {**person_env(tmp_path), **_strava_env(fake), "COLUMNS": "200", "TERM": "xterm"}
    assert (
        subprocess.run([EXECUTABLE, *SCRIPTED_INIT], env=env, capture_output=True).returncode == 0
    )
    child = pexpect.spawn(
        EXECUTABLE,
        ["strava", "connect", "--no-browser", "--no-sync", "--timeout", "30"],
        env=env,
        encoding="utf-8",
        timeout=30,
    )
    child.expect(r"(http://127\.0\.0\.1:\d+/oauth/authorize\?\S+)")
    address = child.match.group(1)
    child.expect("Waiting for Strava's answer")
    page = httpx.get(address)
    link = re.search(r'href="(/oauth/authorize/approve\?[^"]+athlete=100[^"]*)"', page.text)
    assert link is not None
    consent = httpx.get(fake.root + link.group(1).replace("&amp;", "&"), follow_redirects=True)
    assert "Strava is connected" in consent.text
    child.expect("Connected to Strava as Ada Runner")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_the_fake_is_served_for_a_person_until_stopped(tmp_path):
    import socket
    import subprocess

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**person_env(tmp_path), "COLUMNS": "200"}
    process = subprocess.Popen(
        [EXECUTABLE, "strava", "fake", "--port", str(port), "--days", "30"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/api/v3" in first
        answer = httpx.get(f"http://127.0.0.1:{port}/api/v3/athlete")
        assert answer.status_code == 401
        assert answer.headers["X-RateLimit-Limit"] == "100,1000"
    finally:
        process.terminate()
        process.wait(10)


def test_the_fake_refuses_a_port_out_of_range(kc):
    result = kc("strava", "fake", "--port", "0")
    assert result.code == 2 and "--port" in result.err


def test_status_says_when_strava_needs_connecting_again_and_sync_refuses(strava_kc, fake):
    code = fake.fake.grant(100, "read,activity:read_all")
    since = (TODAY - dt.timedelta(days=7)).isoformat()
    assert strava_kc("strava", "connect", "--code", code, "--since", since, "--no-sync").code == 0
    fake.fake.forget_refresh_tokens()  # the athlete removed kneecoach on Strava
    fake.fake.expire_tokens()
    synced = strava_kc("strava", "sync", "--json")
    assert synced.code == 1 and synced.json["state"] == "failed"
    status = strava_kc("strava", "status", "--json")
    assert status.code == 0 and status.json["connected"] is True
    assert status.json["needs_reconnect"] is True
    assert "no longer accepts" in status.json["reconnect_reason"]
    said = strava_kc("strava", "status")
    assert "Strava needs connecting again" in said.flat
    again = strava_kc("strava", "sync")
    assert again.code == 2 and "connecting again" in again.err
