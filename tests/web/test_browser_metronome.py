"""The run of the day's metronome in a real browser: it starts and stops the audio."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.conftest import TODAY
from tests.fitwriter import run_points, write_activity
from tests.web.test_browser import _sign_up, chromium, page, server  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def test_the_metronome_button_starts_and_stops_the_beat_at_the_target(server, page, tmp_path):  # noqa: F811
    _sign_up(server, page)
    files = []
    for ago, cadence in ((6, 80), (4, 82), (2, 84)):
        start = dt.datetime.combine(TODAY - dt.timedelta(days=ago), dt.time(7), dt.UTC)
        points = [
            dataclasses.replace(p, cadence=cadence)
            for p in run_points(int(start.timestamp()), 900, seed=ago)
        ]
        path = tmp_path / f"{ago}.fit"
        path.write_bytes(write_activity(points))
        files.append(str(path))
    page.goto(server + "/runs")
    page.get_by_label("GPX, TCX or FIT files, or a Strava or Garmin export (.zip)").set_input_files(
        files
    )
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector("text=3 added")
    page.goto(server + "/return-to-run")
    page.get_by_label("Yes").check()
    page.get_by_label("Pain-free single-leg squats with good form (on the painful leg)").fill("10")
    page.get_by_label("Pain-free single-leg hops (on the painful leg)").fill("10")
    page.get_by_label("Knee pain during those tests (0–10)").fill("0")
    page.get_by_role("button", name="Check").click()
    button = page.get_by_role("button", name="Start metronome (172 a minute)")
    assert button.get_attribute("aria-pressed") == "false"
    assert page.evaluate("() => window.kneecoachMetronome === undefined")
    button.click()
    page.wait_for_function("() => window.kneecoachMetronome?.state === 'running'")
    stop = page.get_by_role("button", name="Stop metronome")
    assert stop.get_attribute("aria-pressed") == "true"
    page.wait_for_function("() => window.kneecoachMetronome.currentTime > 0.3")
    stop.click()
    page.wait_for_function("() => window.kneecoachMetronome.state === 'suspended'")
    expect(page.get_by_role("button", name="Start metronome (172 a minute)")).to_be_visible()
