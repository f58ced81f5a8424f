"""On a phone (390×844) what a page is for is within reach: Today's way to start the session
is on the first screen, and the runs table fits the width of the screen (or scrolls inside
its own box) instead of being cut off."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.conftest import TODAY
from tests.web.test_browser import _gpx, _sign_up, chromium, page, server, shot  # noqa: F401

pytestmark = pytest.mark.browser


def test_todays_start_is_on_the_first_screen_of_a_phone(server, page):  # noqa: F811
    _sign_up(server, page)
    page.screenshot(path="/tmp/phone-today-fold.png")
    start = page.get_by_role("link", name="Start the guided session")
    box = start.bounding_box()
    shot(page, "phone-today")
    page.screenshot(path="/tmp/phone-today-fold.png")
    assert box is not None
    assert box["y"] + box["height"] <= 844


def test_the_runs_table_is_not_cut_off_on_a_phone(server, page, tmp_path):  # noqa: F811
    _sign_up(server, page)
    page.goto(server + "/runs")
    run = tmp_path / "easy.gpx"
    run.write_text(_gpx(TODAY - dt.timedelta(days=3), 5))
    page.get_by_label("GPX, TCX or FIT files, or a Strava or Garmin export (.zip)").set_input_files(
        str(run)
    )
    page.get_by_role("button", name="Import").click()
    page.wait_for_selector("text=1 added", timeout=60_000)
    page.goto(server + "/runs")
    page.screenshot(path="/tmp/phone-runs.png", full_page=True)
    table = page.locator("table.cards")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    assert page.evaluate("(t) => t.parentElement.scrollWidth", table.element_handle()) <= 390
    for label in ("Distance", "Time", "Effort"):  # every value is on the screen, with its name
        cell = table.locator(f'td[data-label="{label}"]')
        box = cell.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 390, label


def test_a_phone_header_is_one_row_and_its_menu_reaches_every_page(server, page):  # noqa: F811
    _sign_up(server, page)
    header = page.locator("header.top").bounding_box()
    assert header is not None and header["height"] <= 60
    menu = page.locator("nav.narrow details.menu")
    menu.locator("summary").click()
    page.screenshot(path="/tmp/phone-menu.png")
    for name in ("Progress", "Training load", "Return to running", "Settings"):
        expect(menu.get_by_role("link", name=name), name).to_be_visible()
    expect(menu.get_by_role("button", name="Log out")).to_be_visible()
    menu.get_by_role("link", name="Training load").click()
    page.wait_for_url("**/load")
    assert page.locator('nav.narrow > a[aria-current="page"]').count() == 0  # load is in the menu
    page.set_viewport_size({"width": 1280, "height": 800})
    wide = page.locator("nav.wide")
    expect(wide.get_by_role("link", name="Return to running")).to_be_visible()
    assert wide.locator('a[aria-current="page"]').inner_text() == "Training load"
