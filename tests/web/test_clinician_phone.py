"""A clinician on a phone (390×844), in a real browser, in the triage clinic of
tests/web/test_clinic_triage.py (issue 16): signing in lands on the clinic; the compact bar
leads with Clinic and keeps Today; the paused runner's page is short (under 2,500 px) and says
each reason for a look once, the pause by its signs, with the advice the runner is given at
most once (behind a section that opens); the clinician's decisions are on the page, every
reason cites its source, and nothing runs past the screen's width. Screenshots at both
sizes go to .screenshots/."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import expect

from kneecoach.domain.load import RATIO_CAVEAT
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
from tests.web.test_api import _token
from tests.web.test_browser import shot
from tests.web.test_clinic_triage import PAUSED, SPIKE, SPIKED, seed_triage_clinic

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
TALLEST = 2500
"""The paused runner's page on a phone is shorter than this (it was 5,796 px)."""


@pytest.fixture(scope="module")
def clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The triage clinic served on a SQLite file: its address, the runners' ids and what the
    API says of the paused runner (the advice her pages give her, her reasons for a look)."""
    folder = tmp_path_factory.mktemp("clinician-phone")
    port = free_port()
    clock = Calendar(TODAY)
    app = create_app(served_settings(folder, port), clock=clock)
    ana = seed_triage_clinic(app, clock)
    ids = {
        name: number
        for number, name in re.findall(
            r'href="/clinic/runners/(\d+)"[^>]*>(\w+)<', ana.get("/clinic").text
        )
    }
    api = TestClient(app, headers={"Authorization": f"Bearer {_token(ana)}"})
    paused = api.get(f"/api/v1/runners/{ids[PAUSED]}").json()
    warnings = {r["name"]: r["warnings"] for r in api.get("/api/v1/runners").json()}
    with served(app, port) as address:
        yield {
            "site": address,
            "ids": ids,
            "advice": paused["screening"]["advice"],
            "warnings": warnings[PAUSED],
        }


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launched_chromium() as browser:
        yield browser


def _signed_in(chromium: Any, site: str, viewport: dict[str, int]) -> Any:
    """ana (the owner: a clinician with a program of her own) signed in, at the page she
    lands on."""
    return signed_in_page(chromium, site, viewport)


@pytest.fixture
def phone(chromium: Any, clinic: dict[str, Any]) -> Iterator[Any]:
    page = _signed_in(chromium, clinic["site"], PHONE)
    yield page
    page.context.close()


def _height(page: Any) -> int:
    return int(page.evaluate("() => document.documentElement.scrollHeight"))


def _width(page: Any) -> int:
    return int(page.evaluate("() => document.documentElement.scrollWidth"))


def _text(page: Any) -> str:
    """All the page's text, what the closed sections hold too, its spaces folded."""
    return " ".join(page.evaluate("() => document.body.textContent").split())


def test_the_owner_signs_in_to_the_clinic_with_today_and_clinic_in_the_phones_bar(phone, clinic):
    assert phone.url == clinic["site"] + "/clinic"
    bar = phone.locator("nav.narrow")
    header = phone.locator("header.top").bounding_box()
    assert header is not None and header["height"] <= 60  # still one row
    links = bar.locator(":scope > a")
    assert links.all_inner_texts() == ["Today", "Clinic", "Check-in"]
    for name in ("Today", "Clinic", "Check-in"):
        box = bar.get_by_role("link", name=name, exact=True).bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"], name
    menu = bar.locator("summary").bounding_box()  # whole, its border too, not cut at the edge
    assert menu is not None and menu["x"] + menu["width"] <= PHONE["width"] - 4, menu
    expect(bar.get_by_role("link", name="Clinic", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    bar.locator("summary").click()
    expect(bar.get_by_role("link", name="Runs")).to_be_visible()  # the rest in the menu
    bar.get_by_role("link", name="Today", exact=True).click()
    phone.wait_for_url("**/today")
    shot(phone, "clinician-phone-today")


def test_the_paused_runners_page_fits_a_phone_and_says_the_pause_advice_at_most_once(phone, clinic):
    phone.get_by_role("link", name=PAUSED, exact=True).click()
    phone.wait_for_url(f"**/clinic/runners/{clinic['ids'][PAUSED]}")
    shot(phone, "clinician-phone-paused-runner")
    assert _height(phone) < TALLEST
    assert _width(phone) <= PHONE["width"]  # nothing runs past the screen's side
    text = _text(phone)
    assert text.count(clinic["advice"]) <= 1
    # each reason once, the most urgent first, the pause by its signs, each with its source
    reasons = phone.locator("#warnings ol.flags > li")
    said = [" ".join(t.split()) for t in reasons.all_inner_texts()]
    assert len(said) == len(clinic["warnings"]) == 2
    assert said[0].startswith("paused: ") and clinic["advice"] not in said[0]
    assert said[1].startswith("last session too much: pain during reached 8/10")
    for line in said:
        assert re.search(r"\[[^\]]+\]$", line), line
        assert text.count(line.rsplit(" [", 1)[0]) == 1, line
    # what the clinician acts on is on the page: lift the pause, pin, prescribe, hand over
    lift = phone.get_by_role("button", name=f"I have seen {PAUSED}: lift the pause")
    box = lift.bounding_box()
    assert box is not None and box["y"] + box["height"] <= PHONE["height"]  # first screen
    assert phone.get_by_role("button", name=re.compile(r"^Pin ")).count() == 6
    expect(phone.get_by_role("link", name="Hand this runner to another clinician")).to_be_visible()
    expect(phone.locator("#glance dt", has_text="Pain during sessions")).to_be_visible()
    expect(phone.locator("#glance")).to_contain_text("8/10")
    # the advice the runner is given, and the forms, one tap away
    told = phone.get_by_text(f"What {PAUSED} is told while paused")
    advice = phone.get_by_text(clinic["advice"])
    expect(advice).to_be_hidden()
    told.click()
    expect(advice).to_be_visible()
    exercise = phone.get_by_label("Exercise", exact=True)
    expect(exercise).to_be_hidden()
    phone.get_by_text("Prescribe a variant and dose").click()
    expect(exercise).to_be_visible()
    phone.get_by_text("Charts: sessions, pain, AKPS").click()
    expect(
        phone.get_by_role("heading", name="Pain during sessions and the next morning")
    ).to_be_visible()
    assert _width(phone) <= PHONE["width"]
    shot(phone, "clinician-phone-paused-runner-open")


def test_the_spiked_runners_page_names_the_spike_once_with_the_ratios_caveat_once(phone, clinic):
    phone.goto(f"{clinic['site']}/clinic/runners/{clinic['ids'][SPIKED]}")
    shot(phone, "clinician-phone-spiked-runner")
    text = _text(phone)
    assert len(SPIKE.findall(text)) == 1
    assert text.count(RATIO_CAVEAT.text) == 1
    assert _width(phone) <= PHONE["width"]


def test_on_a_desktop_the_paused_runners_page_keeps_the_same_reasons_and_actions(chromium, clinic):
    page = _signed_in(chromium, clinic["site"], DESKTOP)
    try:
        assert page.url == clinic["site"] + "/clinic"
        page.goto(f"{clinic['site']}/clinic/runners/{clinic['ids'][PAUSED]}")
        shot(page, "clinician-desktop-paused-runner")
        assert _text(page).count(clinic["advice"]) <= 1
        assert page.locator("#warnings ol.flags > li").count() == 2
        wide = page.locator("nav.wide")
        assert wide.locator("a").all_inner_texts()[:2] == ["Today", "Clinic"]  # the owner's
        expect(
            page.get_by_role("button", name=f"I have seen {PAUSED}: lift the pause")
        ).to_be_visible()
    finally:
        page.context.close()
