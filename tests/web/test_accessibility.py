"""Every page passes axe-core's WCAG 2.2 A/AA rules with no serious or critical violation:
as a runner with two weeks of sessions, check-ins, runs and AKPS scores, as a clinician
with that runner on the dashboard, and as someone not signed in; on a phone (390×844) and
on a desktop (1280×800), in the light and in the dark colour scheme.

One chromium for the module and one signed-in browser context per person, size and scheme:
each page is opened and checked in the context that would see it. Screenshots of the main
pages in both schemes and sizes go to .screenshots/ to look at.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kneecoach.web.app import create_app
from tests.conftest import TODAY
from tests.fitwriter import run_points, write_activity
from tests.helpers import Calendar
from tests.web.conftest import csrf, import_on_the_page, set_up_owner
from tests.web.live import (
    free_port,
    launched_chromium,
    served,
    served_settings,
    signed_in_page,
)
from tests.web.test_browser import server, shot, untick  # noqa: F401
from tests.web.test_clinic import _invite, _join

pytestmark = pytest.mark.browser

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
SERIOUS = {"serious", "critical"}
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
RUNNER, CLINICIAN, PAUSED = "ben", "ana", "cy"

RUNNER_PAGES = [
    "/today",
    "/session",
    "/checkin",
    "/history",
    "/progress",
    "/learn",
    "/akps",
    "/knee-alignment",
    "/review",
    "/return-to-run",
    "/runs",
    "{job}",
    "/load",
    "/exercises",
    "/exercises/bulgarian-split-squat",
    "/settings",
    "/settings/account",
    "/settings/data",
    "/settings/strava",
    "/settings/audit",
    "/sheet",
    "/screen",
    "/onboarding",
    "/no-such-page",
]
CLINICIAN_PAGES = [
    "/clinic",
    "/clinic/runners/{runner}",
    "/clinic/runners/{runner}/hand-over",
    "/clinic/runners/{paused}",
    "/clinic/clinicians",
    "/audit",
    "/today",
    "/settings/account",
]
PAUSED_PAGES = ["/today", "/session", "/checkin", "/return-to-run", "/review", "/progress"]
"""The pages of a runner whose program is paused by pain: each says so in words."""
VISITOR_PAGES = ["/login", "/reset", "/reset/not-a-token", "/invite/{invite}"]
SCREENSHOTS = {"/today", "/session", "/progress", "/load", "/clinic"}


def _seed(app: Any, clock: Calendar) -> dict[str, str]:
    """ana (the owner: a clinician with a program of her own) invites ben, who has logged two
    weeks of sessions and check-ins, scored the AKPS twice and imported six weeks of runs,
    and cy, whose program today's pain of 8/10 paused."""
    clock.day = TODAY - dt.timedelta(days=13)
    owner = set_up_owner(TestClient(app, follow_redirects=False))
    ben = _join(app, _invite(owner), RUNNER)
    all_best = {f"item{n}": "1" for n in range(1, 14)}
    for offset in range(13, -1, -1):
        clock.day = TODAY - dt.timedelta(days=offset)
        token = csrf(ben.get("/today").text)
        ben.post("/checkin", data={"csrf": token, "pain": str(offset % 3)})
        if offset % 2 == 0:
            ben.post("/log", data={"csrf": token, "pain": str(1 + offset % 4), "effort": "5"})
        if offset in (13, 0):
            worse = {"item1": "2"} if offset == 0 else {}
            scored = ben.post("/akps", data={"csrf": token, **all_best, **worse})
            assert scored.status_code == 200, scored.text
    ben.post("/review", data={"csrf": csrf(ben.get("/today").text), "no_red_flags": "1"})
    files = []
    for offset in [*range(41, 8, -3), *range(7, 0, -1)]:
        begun = dt.datetime.combine(TODAY - dt.timedelta(days=offset), dt.time(7), dt.UTC)
        data = write_activity(run_points(int(begun.timestamp()), 1500, seed=offset))
        files.append(("files", (f"{offset}.fit", data, "application/octet-stream")))
    job = import_on_the_page(ben, files).url.path
    cy = _join(app, _invite(owner), PAUSED)
    paused = cy.post("/log", data={"csrf": csrf(cy.get("/today").text), "pain": "8"})
    assert paused.status_code < 400, paused.text
    clinic = owner.get("/clinic").text
    runners = dict(re.findall(r'href="/clinic/runners/(\d+)"[^>]*>(\w+)<', clinic))
    assert set(runners.values()) == {RUNNER, PAUSED}, clinic
    ids = {name: number for number, name in runners.items()}
    return {
        "job": job,
        "runner": ids[RUNNER],
        "paused": ids[PAUSED],
        "invite": _invite(owner),
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """A served app with the seeded clinic, on a SQLite file: its address and the ids its
    pages need."""
    folder = tmp_path_factory.mktemp("a11y")
    port = free_port()
    settings = served_settings(folder, port)
    clock = Calendar(TODAY)
    app = create_app(settings, clock=clock)
    ids = _seed(app, clock)
    with served(app, port) as address:
        yield address, ids


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    """One chromium for the module: each person, size and scheme gets a context of its own."""
    with launched_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def axe() -> Any:
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _signed_in(chromium: Any, base: str, who: str | None, size: str, scheme: str) -> Any:
    if who is None:
        return chromium.new_context(viewport=SIZES[size], color_scheme=scheme).new_page()
    return signed_in_page(chromium, base, SIZES[size], who, color_scheme=scheme)


def describe(violations: list[dict[str, Any]]) -> str:
    """axe's findings as lines a person reads: the rule, its impact, what it asks, and each
    element that breaks it with axe's summary of why."""
    lines = []
    for found in violations:
        lines.append(f"  [{found['impact']}] {found['id']}: {found['help']} ({found['helpUrl']})")
        for node in found["nodes"][:6]:
            target = " ".join(str(t) for t in node["target"])
            why = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"      {target}\n        {node['html'][:160]}\n        {why[:300]}")
        if len(found["nodes"]) > 6:
            lines.append(f"      … and {len(found['nodes']) - 6} more")
    return "\n".join(lines)


def _check(axe: Any, page: Any) -> list[dict[str, Any]]:
    options = {"runOnly": {"type": "tag", "values": WCAG}, "resultTypes": ["violations"]}
    results = axe.run(page, options=options)
    return [v for v in results.response["violations"] if v["impact"] in SERIOUS]


def _audit(
    chromium: Any,
    axe: Any,
    site: tuple[str, dict[str, str]],
    who: str | None,
    pages: list[str],
    size: str,
    scheme: str,
) -> dict[str, str]:
    base, ids = site
    page = _signed_in(chromium, base, who, size, scheme)
    found: dict[str, str] = {}
    try:
        for path in pages:
            address = path.format(**ids)
            shown = page.goto(base + address)
            assert shown is not None and shown.status < 500, f"{address}: {shown}"
            page.wait_for_load_state()
            serious = _check(axe, page)
            if serious:
                found[address] = describe(serious)
            if path in SCREENSHOTS:
                shot(page, f"a11y-{who}-{path.strip('/')}-{size}-{scheme}")
    finally:
        page.context.close()
    return found


def _report(found: dict[str, str]) -> str:
    return "\n".join(f"{address}:\n{text}" for address, text in found.items())


@pytest.mark.parametrize("size", SIZES)
def test_every_runners_page_has_no_serious_accessibility_violation(chromium, axe, site, size):
    found = _audit(chromium, axe, site, RUNNER, RUNNER_PAGES, size, "light")
    assert not found, "axe found serious or critical violations:\n" + _report(found)


@pytest.mark.parametrize("size", SIZES)
def test_a_paused_runners_pages_have_no_serious_accessibility_violation(chromium, axe, site, size):
    found = _audit(chromium, axe, site, PAUSED, PAUSED_PAGES, size, "light")
    assert not found, "axe found serious or critical violations:\n" + _report(found)


@pytest.mark.parametrize("size", SIZES)
def test_every_clinicians_page_has_no_serious_accessibility_violation(chromium, axe, site, size):
    found = _audit(chromium, axe, site, CLINICIAN, CLINICIAN_PAGES, size, "light")
    assert not found, "axe found serious or critical violations:\n" + _report(found)


@pytest.mark.parametrize("size", SIZES)
def test_the_pages_before_signing_in_have_no_serious_accessibility_violation(
    chromium, axe, site, size
):
    found = _audit(chromium, axe, site, None, VISITOR_PAGES, size, "light")
    assert not found, "axe found serious or critical violations:\n" + _report(found)


@pytest.mark.parametrize("size", SIZES)
def test_in_the_dark_colour_scheme_the_pages_keep_their_contrast(chromium, axe, site, size):
    """Every runner's page on a phone, and the main pages on a desktop, in the dark."""
    main = [page for page in RUNNER_PAGES if page in SCREENSHOTS]
    found = {
        **_audit(
            chromium, axe, site, RUNNER, RUNNER_PAGES if size == "phone" else main, size, "dark"
        ),
        **_audit(chromium, axe, site, CLINICIAN, CLINICIAN_PAGES[:3], size, "dark"),
    }
    assert not found, "axe found serious or critical violations:\n" + _report(found)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("size", SIZES)
def test_the_running_player_has_no_serious_accessibility_violation(
    chromium, axe, site, size, scheme
):
    """The player once started: the countdown, the pain tap and the controls in its dock (ana's:
    ben has done today's session)."""
    base, _ = site
    page = _signed_in(chromium, base, CLINICIAN, size, scheme)
    try:
        page.goto(base + "/session?speed=1")
        untick(page.get_by_label("Spoken cues"))
        untick(page.get_by_label("Beeps"))
        page.get_by_role("button", name="Start").click()
        page.get_by_role("button", name="Pause").wait_for()
        serious = _check(axe, page)
        shot(page, f"a11y-{CLINICIAN}-player-{size}-{scheme}")
    finally:
        page.context.close()
    assert not serious, "axe found serious or critical violations:\n" + describe(serious)


@pytest.mark.parametrize("size", SIZES)
def test_the_first_run_page_has_no_serious_accessibility_violation(chromium, axe, server, size):  # noqa: F811
    """Setting up the owner's account, on a server that has none yet."""
    page = chromium.new_context(viewport=SIZES[size]).new_page()
    try:
        page.goto(server + "/setup")
        serious = _check(axe, page)
    finally:
        page.context.close()
    assert not serious, "axe found serious or critical violations:\n" + describe(serious)


KEYBOARD_PAGES = {
    RUNNER: ["/today", "/checkin", "/progress", "/load", "/runs", "/akps", "/settings"],
    CLINICIAN: ["/clinic", "/clinic/runners/{runner}", "/session"],
}
MARK_CONTROLS = """() => {
  const all = [...document.querySelectorAll(
    'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, '
    + 'textarea, summary')]
    .filter((el) => el.checkVisibility() && el.getClientRects().length > 0);
  const seenGroups = new Set();
  const wanted = [];
  all.forEach((el, n) => {
    el.dataset.kcKey = String(n);
    if (el.type === 'radio') {
      // a group of radios is one stop for Tab; the arrow keys move within it
      if (seenGroups.has(el.name)) return;
      seenGroups.add(el.name);
      el.closest('form').querySelectorAll(`input[name="${el.name}"]`)
        .forEach((r) => { r.dataset.kcKey = 'group:' + el.name; });
      wanted.push('group:' + el.name);
      return;
    }
    wanted.push(String(n));
  });
  return wanted;
}"""
RECORD_FOCUS = """() => {
  // each element the focus moves to, with the ring it shows then
  window.kcFocused = [];
  document.addEventListener('focusin', (event) => {
    const el = event.target;
    const style = getComputedStyle(el);
    window.kcFocused.push({key: el.dataset.kcKey || null, outline: style.outlineStyle,
      width: parseFloat(style.outlineWidth), html: el.outerHTML.slice(0, 120)});
  });
}"""


@pytest.mark.parametrize("size", SIZES)
def test_every_control_is_reached_by_the_keyboard_and_shows_its_focus(chromium, site, size):
    """Tab from the top of each page reaches every visible link, button and field (a group
    of radios as one stop), and the focused one is ringed by a visible outline."""
    base, ids = site
    missed: dict[str, list[str]] = {}
    unringed: dict[str, list[str]] = {}
    for who, pages in KEYBOARD_PAGES.items():
        page = _signed_in(chromium, base, who, size, "light")
        try:
            for path in pages:
                address = path.format(**ids)
                page.goto(base + address)
                wanted = page.evaluate(MARK_CONTROLS)
                page.evaluate(RECORD_FOCUS)
                for _ in range(len(wanted) + 3):
                    page.keyboard.press("Tab")
                reached: set[str] = set()
                for focused in page.evaluate("() => window.kcFocused"):
                    if focused["key"] is not None:
                        reached.add(focused["key"])
                    if focused["outline"] == "none" or focused["width"] < 2:
                        unringed.setdefault(address, []).append(focused["html"])
                left = [key for key in wanted if key not in reached]
                if left:
                    missed[address] = [
                        page.locator(f'[data-kc-key="{key}"]').first.evaluate(
                            "el => el.outerHTML.slice(0, 120)"
                        )
                        for key in left
                    ]
        finally:
            page.context.close()
    assert not missed, f"not reached by Tab: {missed}"
    assert not unringed, f"focused without a visible ring: {unringed}"
