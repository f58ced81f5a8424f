"""The phone player's rough edges, in Debian's chromium at 390×844: a pain tap answers at once
with or without a connection and the device keeps one waiting report per exercise; every
number of the pain scale is a whole tap target inside the screen, down to 320 px wide; the
"next" line says "next" once."""

from __future__ import annotations

import itertools
import json
import re

import pytest
from playwright.sync_api import expect

from tests.web.test_browser import _shot_path, _sign_up, chromium, page, server, untick
from tests.web.test_browser_offline import _ready_offline, _stored

__all__ = ["chromium", "page", "server"]

pytestmark = pytest.mark.browser

SQUAT = "bulgarian-split-squat"


def _quiet(page):
    for box in ("Spoken cues", "Beeps", "Full screen"):
        untick(page.get_by_label(box))


def _paused_at_the_start(page, server, speed=1):
    """The player started and paused at once, then on from the roll-down's get-ready (5 s at
    speed 1, where no pain is asked yet) to its first rep, its pain question open to a tap."""
    page.goto(server + f"/session?speed={speed}")
    _quiet(page)
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Pause").click()
    expect(page.locator("#painask")).to_be_hidden()
    page.get_by_role("button", name="Skip").click()
    expect(page.locator("#player")).to_have_attribute("data-kind", "beat")
    expect(page.locator("#painask")).to_be_visible()
    expect(page.locator('#painask button[data-pain="0"]')).to_be_enabled()


def _on_to_the_split_squat(page):
    """Skip (paused all along) from the roll-down to the split squat's first rep: the
    roll-down's set is reported as stopped, and the pain question moves on once the split
    squat's get-ready is over."""
    for _ in range(10):
        if page.locator("#painexercise").text_content() == "Bulgarian split squat":
            break
        page.get_by_role("button", name="Skip").click()
    expect(page.locator("#painexercise")).to_have_text("Bulgarian split squat")
    expect(page.locator('#painask button[data-pain="0"]')).to_be_enabled()


def _tap(page, pain):
    page.locator(f'#painask button[data-pain="{pain}"]').click()


def _chosen(page):
    """The numbers the scale shows as chosen."""
    return page.eval_on_selector_all(
        '#painask button.pain[aria-pressed="true"]', "bs => bs.map(b => b.dataset.pain)"
    )


def test_offline_a_pain_tap_answers_at_once_and_the_device_keeps_one_report_per_exercise(
    server, page
):
    _sign_up(server, page)
    _ready_offline(page)
    page.context.set_offline(True)
    _paused_at_the_start(page, server)
    question = page.locator("#painask")

    _tap(page, 3)
    # the question answers at once: the number tapped shows as chosen, and it asks no more
    assert _chosen(page) == ["3"]
    expect(page.locator("#painquestion")).to_contain_text("You tapped 3")
    expect(question).not_to_have_class(re.compile(r"\basking\b"))
    expect(page.locator("#painanswer")).to_contain_text("Pain 3 kept on this device")
    status = page.locator("#outbox")
    expect(status).to_have_text("1 pain report waiting to be sent.")
    # the runner taps again, and again: each tap replaces the one waiting
    for pain in (5, 5, 4):
        _tap(page, pain)
    assert _chosen(page) == ["4"]
    expect(page.locator("#painanswer")).to_contain_text("Pain 4 kept on this device")
    expect(status).to_have_text("1 pain report waiting to be sent.")
    page.screenshot(path=str(_shot_path("phone-player-pain-tapped-offline-390x844")))

    # the next exercise has a question of its own, unanswered, and a waiting report of its own
    _on_to_the_split_squat(page)
    assert _chosen(page) == []
    expect(page.locator("#painquestion")).to_contain_text("Tap it, or carry on.")
    _tap(page, 2)
    _tap(page, 1)
    assert _chosen(page) == ["1"]
    expect(status).to_have_text("1 set and 2 pain reports waiting to be sent.")

    sent = []
    page.on(
        "request",
        lambda r: (
            sent.append(json.loads(r.post_data))
            if r.url.endswith("/session/exercise-pain")
            else None
        ),
    )
    with page.expect_response("**/session/exercise-pain") as answered:
        page.context.set_offline(False)
        expect(status).to_have_text("Everything kept on this device has been sent.", timeout=30_000)
    # only what was waiting went: the last tap of each exercise, once each
    assert sent == [{"exercise": "roll-down", "pain": 4}, {"exercise": SQUAT, "pain": 1}]
    assert answered.value.status == 200
    # the server's answer to the pain still asked about shows, the number still chosen
    expect(page.locator("#painanswer")).to_have_attribute("data-light", "green")
    assert _chosen(page) == ["1"]
    [session] = _stored(server, page, "sessions")
    assert session["exercise_pain"] == {"roll-down": 4, SQUAT: 1}


def test_offline_a_pain_at_the_stop_line_stops_the_session_at_once_and_pauses_when_sent(
    server, page
):
    """A pause means pause, with or without a signal: a pain of 7/10 or more tapped offline
    stops the session on the device there and then, with the advice and its sources, and
    the program is paused once the report arrives."""
    from kneecoach.domain.pain import STOP_EXERCISE_PAIN

    _sign_up(server, page)
    _ready_offline(page)
    page.context.set_offline(True)
    page.goto(server + "/session?speed=5")
    _quiet(page)
    page.get_by_role("button", name="Start").click()
    expect(page.locator('#painask button[data-pain="0"]')).to_be_enabled()
    _tap(page, 8)
    stopped = page.locator("#stopped")
    expect(stopped).to_be_visible(timeout=5_000)
    expect(stopped).to_contain_text(f"Pain of {STOP_EXERCISE_PAIN}/10 or more: stop")
    expect(stopped).to_contain_text("Silbernagel")
    expect(stopped).to_contain_text("logged as it was, and the program paused, when the connection")
    expect(page.locator("#player")).to_be_hidden()
    shown = page.locator("#big").text_content()
    page.wait_for_timeout(1_500)  # the player does not count on behind the stop
    assert page.locator("#big").text_content() == shown
    page.screenshot(path=str(_shot_path("phone-player-stopped-offline-390x844")))
    with page.expect_response("**/session/exercise-pain") as answered:
        page.context.set_offline(False)
    assert answered.value.status == 200 and answered.value.json()["stopped"] is True
    page.goto(server + "/today")
    expect(page.get_by_text("paused", exact=False).first).to_be_visible()


def test_online_a_pain_tap_answers_with_the_number_chosen_and_the_servers_verdict(server, page):
    _sign_up(server, page)
    _paused_at_the_start(page, server)
    with page.expect_response("**/session/exercise-pain"):
        _tap(page, 2)
    assert _chosen(page) == ["2"]
    expect(page.locator("#painquestion")).to_contain_text("You tapped 2")
    expect(page.locator("#painanswer")).to_have_attribute("data-light", "green")
    expect(page.locator("#outbox")).not_to_contain_text("waiting")
    with page.expect_response("**/session/exercise-pain"):
        _tap(page, 3)  # the pain changed: the new number is chosen and answered
    assert _chosen(page) == ["3"]
    expect(page.locator("#painquestion")).to_contain_text("You tapped 3")
    page.screenshot(path=str(_shot_path("phone-player-pain-tapped-online-390x844")))


SCALE = """() => [...document.querySelectorAll('#painask button.pain')].map(b => {
  const r = b.getBoundingClientRect();
  return {pain: b.dataset.pain, left: r.left, top: r.top, right: r.right, bottom: r.bottom,
          width: r.width, height: r.height, inside: r.left >= 0 && r.top >= 0
          && r.right <= innerWidth && r.bottom <= innerHeight && scrollX === 0};
})"""


@pytest.mark.parametrize(
    "screen",
    [(390, 844), (320, 568), (844, 390)],
    ids=["390x844", "320x568", "844x390-on-its-side"],
)
def test_every_number_of_the_pain_scale_is_a_whole_tap_target_inside_the_screen(
    server, page, screen
):
    width, height = screen
    page.set_viewport_size({"width": width, "height": height})
    _sign_up(server, page)
    _paused_at_the_start(page, server)
    page.evaluate("() => window.scrollTo(0, 0)")
    buttons = page.evaluate(SCALE)
    assert [b["pain"] for b in buttons] == [str(n) for n in range(11)]
    for b in buttons:
        assert b["inside"], f"pain {b['pain']} at {b} outside a {width}×{height} screen"
        assert b["width"] >= 44 and b["height"] >= 44, f"pain {b['pain']} is {b}"
    rows = sorted({round(b["top"]) for b in buttons})
    assert len(rows) <= 2  # one row, or two (0–5 and 6–10)
    for one, other in itertools.pairwise(buttons):  # none covers the next
        assert one["right"] <= other["left"] or one["bottom"] <= other["top"]
    controls = page.evaluate(
        "() => ['back', 'pause', 'skip'].map(id => document.getElementById(id)"
        ".getBoundingClientRect()).map(r => [r.left, r.top, r.right, r.bottom])"
    )
    for left, top, right, bottom in controls:  # and the controls beside it too
        assert min(left, top) >= 0 and right <= width and bottom <= height, controls
    page.screenshot(path=str(_shot_path(f"phone-player-pain-scale-{width}x{height}")))


WATCH_NEXT = """() => {
  // every "next" line shown, and a pause at the first rest between two exercises
  window.nextLines = new Set(); window.pausedInRest = false;
  const player = document.getElementById('player');
  const check = () => {
    window.nextLines.add(document.getElementById('next').textContent);
    if (!window.pausedInRest && player.dataset.kind === 'rest'
        && document.getElementById('painask').classList.contains('asking')) {
      window.pausedInRest = true;
      document.getElementById('pause').click();
    }
  };
  new MutationObserver(check).observe(document.body,
    {subtree: true, childList: true, characterData: true, attributes: true});
  check();
}"""


def test_the_next_line_says_next_once_at_every_step_and_in_a_rest_names_the_rest(server, page):
    _sign_up(server, page)
    page.goto(server + "/session?speed=200")
    _quiet(page)
    page.evaluate(WATCH_NEXT)
    expect(page.locator("#next")).to_have_text("First: Roll down, set 1 of 1")
    page.get_by_role("button", name="Start").click()
    page.wait_for_function("() => window.pausedInRest", timeout=30_000)
    expect(page.get_by_role("button", name="Resume")).to_be_visible()
    # the first rest between two exercises (under load, a later one)
    expect(page.locator("#next")).to_have_text(
        re.compile(r"^Rest \d+ s · next: [A-Z][\w -]+, left leg, set 1 of \d$")
    )
    page.screenshot(path=str(_shot_path("phone-player-next-in-a-rest-390x844")))
    page.get_by_role("button", name="Resume").click()
    expect(page.get_by_role("button", name="Log the session")).to_be_visible(timeout=60_000)
    lines = set(page.evaluate("() => [...window.nextLines]"))
    twice = [line for line in lines if len(re.findall(r"\bnext\b", line, re.IGNORECASE)) > 1]
    assert twice == []
    assert {
        "Next: rest 30 s, then Bulgarian split squat",
        "Next: switch to the right leg",
        "Next: rest 60 s, then set 2 of 2",
        "Next: the end of the session",
    } <= lines


BOXES = """() => {
  const shown = (el) => el && el.checkVisibility() && el.getClientRects().length > 0;
  // upright the options are the page under the dock (scrolled to); on its side they sit at
  // the top of the dock's column
  const options = innerWidth > innerHeight ? ['voice', 'beep', 'fullscreen'] : [];
  const boxes = [...options, 'painanswer', 'offers', 'painask', 'controls']
    .map(id => document.getElementById(id)).filter(shown)
    .map(el => ({id: el.id, r: (el.closest('label') || el).getBoundingClientRect()}));
  const overlaps = [];
  for (const a of boxes) for (const b of boxes) {
    if (a.id >= b.id) continue;
    if (a.r.left < b.r.right && b.r.left < a.r.right && a.r.top < b.r.bottom
        && b.r.top < a.r.bottom) overlaps.push(a.id + ' over ' + b.id);
  }
  return {shown: boxes.map(b => b.id), overlaps: overlaps};
}"""


@pytest.mark.parametrize("screen", [(390, 844), (844, 390)], ids=["390x844", "844x390-on-its-side"])
def test_with_the_easier_ways_offered_nothing_in_the_player_covers_anything_else(
    server, page, screen
):
    """The tallest the dock gets: the server's answer to a pain of 6 in the split squat, its
    easier ways, the question with the number chosen and the controls; on its side the
    options sit at the top of the same column."""
    width, height = screen
    page.set_viewport_size({"width": width, "height": height})
    _sign_up(server, page)
    _paused_at_the_start(page, server)
    _on_to_the_split_squat(page)
    _tap(page, 6)
    expect(page.locator("#offers button").first).to_be_visible(timeout=20_000)
    expect(page.locator("#painanswer")).to_have_attribute("data-light", re.compile("."))
    page.evaluate("() => window.scrollTo(0, 0)")
    found = page.evaluate(BOXES)
    assert {"painanswer", "offers", "painask", "controls"} <= set(found["shown"])
    assert found["overlaps"] == []
    if height > width:  # upright the dock is below the count, which it must not cover
        assert page.evaluate(UNDER_THE_DOCK) == []
    page.screenshot(path=str(_shot_path(f"phone-player-offers-chosen-{width}x{height}")))


UNDER_THE_DOCK = """() => {
  const dock = document.getElementById('dock').getBoundingClientRect();
  return ['big', 'label', 'setcount', 'next']
    .map(id => document.getElementById(id))
    .filter(el => el.checkVisibility() && el.getClientRects().length > 0)
    .filter(el => el.getBoundingClientRect().bottom > dock.top)
    .map(el => el.id + ' ends at ' + Math.round(el.getBoundingClientRect().bottom)
         + ', the dock starts at ' + Math.round(dock.top));
}"""


def test_offline_what_waits_is_said_in_the_dock_and_the_beat_and_next_line_stay_in_view(
    server, page
):
    """With sets and a pain waiting on the device, the player at 390×844 still shows the
    count, the beat word, where the session is and what comes next above the dock: the
    waiting line sits in the dock, not above the player (where it pushed them under it)."""
    _sign_up(server, page)
    _ready_offline(page)
    page.context.set_offline(True)
    _paused_at_the_start(page, server)
    _tap(page, 3)
    _on_to_the_split_squat(page)
    status = page.locator("#outbox")
    expect(status).to_contain_text("waiting to be sent")
    page.get_by_role("button", name="Resume").click()
    page.wait_for_function("() => document.getElementById('player').dataset.kind === 'beat'")
    page.get_by_role("button", name="Pause").click()
    page.evaluate("() => window.scrollTo(0, 0)")
    assert status.evaluate("el => el.closest('#dock') !== null")
    page.screenshot(path=str(_shot_path("phone-player-waiting-offline-390x844")))
    assert page.evaluate(UNDER_THE_DOCK) == []
