"""Connecting Strava in a real browser (Debian's chromium at phone size), against the fake
Strava on a free port and the app serving with its worker process: a runner connects on
Strava's consent page, the history sync runs and the runs show on the runs page; a refusal
at Strava says so; a forged answer is refused."""

from __future__ import annotations

import base64
import time

import pytest
from playwright.sync_api import expect

from kneecoach.integrations.strava_fake import FakeStrava, FakeStravaServer
from kneecoach.services.jobs import wall_clock
from tests.conftest import TODAY
from tests.web.live import free_port, served, served_settings
from tests.web.test_browser import _sign_up, menu_link, shot

# The phone-sized chromium page: test_browser's fixtures, shared.
from tests.web.test_browser import chromium as chromium
from tests.web.test_browser import page as page

pytestmark = pytest.mark.browser

KEY = base64.urlsafe_b64encode(b"b" * 32).decode()


@pytest.fixture
def fake():
    # the fake's tokens and rate windows run on the clock the app's Strava jobs read
    # (services.jobs.wall_clock: real time for leases and expiries); every day the tests
    # see comes from TODAY
    state = FakeStrava(until=TODAY, now=wall_clock, days=30, athletes=2)
    with FakeStravaServer(state) as served:
        yield served


@pytest.fixture
def server(tmp_path, fake):
    """The app on SQLite with Strava set up against the fake, as `kneecoach serve` runs it:
    with a worker process that runs the sync."""
    from kneecoach.services.ports import FixedClock
    from kneecoach.web.app import create_app

    port = free_port()
    app = create_app(
        served_settings(
            tmp_path,
            port,
            KNEECOACH_STRAVA_URL=fake.api_url,
            KNEECOACH_STRAVA_CLIENT_ID=fake.fake.client_id,
            KNEECOACH_STRAVA_CLIENT_SECRET=fake.fake.client_secret,
            KNEECOACH_SECRET_KEY=KEY,
            KNEECOACH_TODAY=TODAY.isoformat(),
        ),
        clock=FixedClock(TODAY),
        workers=1,
    )
    with served(app, port) as address:
        yield address


def _to_strava_settings(page) -> None:
    menu_link(page, "Settings").click()
    page.wait_for_url("**/settings")
    page.get_by_role("link", name="connect Strava").click()
    page.wait_for_url("**/settings/strava")


def test_a_runner_connects_strava_and_the_synced_runs_show(server, page, fake):
    _sign_up(server, page)
    _to_strava_settings(page)
    expect(page.get_by_text("Not connected.")).to_be_visible()
    shot(page, "strava-not-connected")
    page.get_by_role("link", name="Connect Strava", exact=True).click()
    page.wait_for_url(f"{fake.root}/oauth/authorize**")
    page.get_by_role("link", name="Authorize as Ada Runner").click()
    page.wait_for_url("**/settings/strava")
    expect(page.get_by_text("Connected as Ada Runner")).to_be_visible()
    wanted = len(fake.fake.athletes[100].activities)
    for _ in range(120):  # the worker process runs the sync
        if page.get_by_text(f"The last sync read {wanted} activities").is_visible():
            break
        time.sleep(0.5)
        page.reload()
    expect(page.get_by_text(f"The last sync read {wanted} activities")).to_be_visible()
    shot(page, "strava-connected")
    menu_link(page, "Runs").click()
    page.wait_for_url("**/runs")
    runs = sum(1 for a in fake.fake.athletes[100].activities if a.is_run)
    assert page.locator("tbody").first.get_by_role("row").count() == runs
    shot(page, "strava-runs")

    fake.fake.forget_refresh_tokens()  # the runner removed kneecoach on Strava's side
    page.goto(f"{server}/settings/strava")
    page.get_by_role("button", name="Sync now").click()
    for _ in range(120):  # the worker's sync finds the grant gone
        if page.get_by_text("Strava needs connecting again").is_visible():
            break
        time.sleep(0.5)
        page.reload()
    expect(page.get_by_role("alert").get_by_text("Strava needs connecting again")).to_be_visible()
    shot(page, "strava-reconnect")
    page.get_by_role("link", name="Connect Strava again").click()
    page.get_by_role("link", name="Authorize as Ada Runner").click()
    page.wait_for_url("**/settings/strava")
    expect(page.get_by_text("Connected as Ada Runner")).to_be_visible()


def test_a_refusal_at_strava_says_so_and_a_forged_answer_is_refused(server, page, fake):
    _sign_up(server, page)
    _to_strava_settings(page)
    page.get_by_role("link", name="Connect Strava", exact=True).click()
    page.wait_for_url(f"{fake.root}/oauth/authorize**")
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_url("**/settings/strava/callback**")
    expect(page.get_by_role("heading", name="Strava not connected")).to_be_visible()
    expect(page.get_by_text("Strava was not connected: you did not allow it")).to_be_visible()
    shot(page, "strava-refused")
    code = fake.fake.grant(100, "read,activity:read_all")
    page.goto(f"{server}/settings/strava/callback?state=made.up&code={code}")
    expect(page.get_by_text("does not belong to a 'Connect Strava' started here")).to_be_visible()
    page.get_by_role("link", name="Back to Strava").click()
    expect(page.get_by_text("Not connected.")).to_be_visible()
