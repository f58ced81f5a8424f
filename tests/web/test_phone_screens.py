"""What the README shows of the app on a phone, taken here: the clinic dashboard of a clinic
with a runner paused by pain and a runner with a week-long load spike (the paused runner
first, the spike one line), Today, and the player under way. Each test checks what its
screenshot shows. The PNGs go to .screenshots/; with KNEECOACH_README_SHOTS=1 they are also
written to docs/screenshots/, where the README takes them from."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from kneecoach.web.app import create_app
from tests.conftest import TODAY
from tests.helpers import Calendar
from tests.web.live import (
    free_port,
    launched_chromium,
    served,
    served_settings,
    signed_in_page,
)
from tests.web.test_browser import SHOTS, untick
from tests.web.test_clinic_triage import PAUSED, SPIKE, SPIKED, seed_triage_clinic

pytestmark = pytest.mark.browser

DOCS = Path(__file__).parents[2] / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}


def readme_shot(page: Any, name: str) -> Path:
    """The screen as the phone shows it (the viewport, not the whole page), for the README."""
    SHOTS.mkdir(exist_ok=True)
    taken = SHOTS / f"readme-{name}.png"
    page.screenshot(path=str(taken))
    if os.environ.get("KNEECOACH_README_SHOTS") == "1":
        DOCS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(taken, DOCS / f"{name}.png")
    return taken


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The triage clinic (tests/web/test_clinic_triage.py) served on a SQLite file."""
    folder = tmp_path_factory.mktemp("phone")
    port = free_port()
    settings = served_settings(folder, port)
    clock = Calendar(TODAY)
    app = create_app(settings, clock=clock)
    seed_triage_clinic(app, clock)
    with served(app, port) as address:
        yield address


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launched_chromium() as browser:
        yield browser


@pytest.fixture
def ana(chromium: Any, clinic: str) -> Iterator[Any]:
    """The clinician (who has a program of her own), signed in on a phone."""
    page = signed_in_page(chromium, clinic, PHONE)
    yield page
    page.context.close()


def test_on_a_phone_the_dashboard_shows_the_paused_runner_first_and_the_spike_in_one_line(
    ana, clinic
):
    ana.goto(clinic + "/clinic")
    cards = ana.locator("table.dashboard tbody tr")
    expect(cards.first.get_by_role("link", name=PAUSED, exact=True)).to_be_visible()
    for card in (cards.first, cards.nth(1)):  # both named on the first screen
        name = card.locator('td[data-label="Runner"]').bounding_box()
        assert name is not None and name["y"] + name["height"] <= PHONE["height"]
    spiked = cards.filter(has=ana.get_by_role("link", name=SPIKED, exact=True))
    assert len(SPIKE.findall(spiked.inner_text())) == 1
    assert spiked.bounding_box() is not None
    assert ana.locator("#caveat").count() == 1
    readme_shot(ana, "phone-dashboard")


def test_on_a_phone_today_starts_the_session_from_the_first_screen(ana, clinic):
    ana.goto(clinic + "/today")
    ana.wait_for_function(
        "() => [...document.querySelectorAll('img.thumb')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    start = ana.get_by_role("link", name="Start the guided session")
    box = start.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]
    readme_shot(ana, "phone-today")


def test_on_a_phone_the_player_under_way_shows_the_count_the_pain_tap_and_its_controls(ana, clinic):
    ana.goto(clinic + "/session?speed=20")
    untick(ana.get_by_label("Spoken cues"))
    untick(ana.get_by_label("Beeps"))
    untick(ana.get_by_label("Full screen"))
    ana.get_by_role("button", name="Start").click()
    ana.wait_for_function(
        "() => document.getElementById('exercise').textContent === 'Bulgarian split squat'"
        " && /^[3-9]\\//.test(document.getElementById('big').textContent)",
        timeout=60_000,
    )
    ana.get_by_role("button", name="Pause").click()  # held still for the picture
    ana.wait_for_function(
        "() => document.querySelector('#figure svg') !== null"
        " && !document.querySelector('#painask button.pain').disabled"
    )
    for control in ("Back", "Resume", "Skip"):
        box = ana.get_by_role("button", name=control).bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], control
    readme_shot(ana, "phone-player")
