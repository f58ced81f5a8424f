"""In a real browser: the clinician's runner page shows what the runner does today beside
the ladder level, and Today after the guided player's finish says which exercise hurt and
what happens to it next time."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.web.test_browser import (  # noqa: F401
    _sign_up,
    chromium,
    invited_runner,
    page,
    server,
    shot,
    untick,
)

pytestmark = pytest.mark.browser


def test_the_clinician_sees_the_irritable_runners_kneeling_hydrant_beside_its_level(
    server,  # noqa: F811
    page,  # noqa: F811
):
    runner = invited_runner(server, page)
    runner.get_by_label("Knee pain at rest (0 none – 10 worst)").fill("4")
    runner.get_by_label("Sessions a week (3 is kneecoach's default)").fill("7")
    runner.get_by_label("None of these apply to me").check()
    runner.get_by_label("Your age band").select_option("16-50")
    runner.get_by_role("button", name="Start my program").click()
    runner.wait_for_url("**/today")
    hydrant = runner.get_by_role("region", name="3. Fire hydrant")
    variant = "Kneeling on all fours"
    assert variant in (hydrant.text_content() or "")
    page.goto(server + "/clinic")
    page.get_by_role("link", name="ben").click()
    row = page.get_by_role("row").filter(has_text="Fire hydrant")
    shot(page, "runner-detail-today")
    today = row.locator(".today").text_content() or ""
    level = row.locator(".level").text_content() or ""
    assert today.startswith(f"Today: {variant}, ") and "(kneeling)" in today
    assert "(standing)" in level and level.startswith("Level:")
    assert "your knee pain is high" in (row.text_content() or "")


def test_today_after_the_players_finish_names_the_exercise_that_hurt(server, page):  # noqa: F811
    _sign_up(server, page)
    page.goto(server + "/session?speed=1000")
    untick(page.get_by_label("Spoken cues"))
    untick(page.get_by_label("Beeps"))
    page.get_by_role("button", name="Start").click()
    page.get_by_label("Highest knee pain during the session (0–10)").fill("2", timeout=30_000)
    token = page.locator("#player").get_attribute("data-csrf") or ""
    told = page.request.post(
        server + "/session/exercise-pain",
        data={"exercise": "bulgarian-split-squat", "pain": 6},
        headers={"X-CSRF-Token": token},
    )
    assert told.ok, told.text()
    page.get_by_role("button", name="Log the session").click()
    page.wait_for_url("**/today")
    shot(page, "today-session-end")
    end = page.locator(".session-end")
    expect(end.get_by_text("Bulgarian split squat hurt: pain during this exercise")).to_be_visible()
    expect(end.get_by_text("The other exercises keep progressing")).to_be_visible()
    assert "[Silbernagel 2007" in (end.text_content() or "")
