"""The player on a phone, in Debian's chromium: at 390×844 and turned on its side (844×390, on
the floor beside the runner) every control on screen is inside the viewport during every step of
a whole session — the work, the rests, the pain question, the easier ways offered and the
finish; the session keeps the screen awake and fills it; Back starts the set again."""

from __future__ import annotations

import re

import pytest

from tests.web.test_browser import _shot_path, _sign_up, chromium, page, server, untick

__all__ = ["chromium", "page", "server"]

pytestmark = pytest.mark.browser

WATCH = """() => {
  // every time anything on the page changes, each control shown is measured against the
  // viewport (with the page where the runner left it: not scrolled)
  window.outOfView = []; window.seen = new Set();
  const controls = '#start, #back, #pause, #skip, #painask button.pain, #offers button, '
    + '#finish input:not([type=hidden]), #finish button, #voice, #beep, #fullscreen';
  const check = () => {
    const player = document.getElementById('player');
    const held = innerWidth > innerHeight ? ' on its side' : ' upright';
    if (!player.hidden && player.dataset.kind) window.seen.add(player.dataset.kind + held);
    if (document.querySelector('#painask.asking')) window.seen.add('pain question' + held);
    if (!document.getElementById('offers').hidden) window.seen.add('offers' + held);
    if (!document.getElementById('finish').hidden) window.seen.add('finish' + held);
    for (const el of document.querySelectorAll(controls)) {
      if (!el.checkVisibility() || el.getClientRects().length === 0) continue;
      const r = el.getBoundingClientRect();
      if (r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight
          || scrollY !== 0)
        window.outOfView.push(`${el.id || el.textContent} at ${Math.round(r.top)}-`
          + `${Math.round(r.bottom)} in a ${innerWidth}×${innerHeight} px screen during `
          + `${player.hidden ? 'the finish' : player.dataset.kind || 'the start'}`);
    }
  };
  new MutationObserver(check).observe(document.body,
    {subtree: true, childList: true, characterData: true, attributes: true});
  addEventListener('resize', check);  // the phone turned: the same step measured again
  check();
}"""


def _a_set_of(name: str) -> str:
    """Whether a set of the exercise ``name`` is under way, its pain tap ready."""
    return (
        f"() => document.getElementById('exercise').textContent === '{name}'"
        " && document.getElementById('player').dataset.kind === 'beat'"
        " && !document.querySelector('#painask button.pain').disabled"
    )


def test_every_player_control_is_in_view_during_every_step_of_a_whole_session(server, page):
    """One session, the phone turned as a runner turns it: upright at 390×844 to the easier
    ways offered in the split squat, on its side (844×390, on the floor) from there to the
    hip flexor stretch's holds, upright again to the finish, which is then turned once more.
    Every kind of step is measured both ways."""
    from playwright.sync_api import expect

    upright, on_its_side = {"width": 390, "height": 844}, {"width": 844, "height": 390}
    page.set_viewport_size(upright)
    _sign_up(server, page)
    page.goto(server + "/session?speed=40")
    untick(page.get_by_label("Spoken cues"))
    untick(page.get_by_label("Beeps"))
    untick(page.get_by_label("Full screen"))
    page.evaluate("() => window.scrollTo(0, 0)")
    page.evaluate(WATCH)
    page.get_by_role("button", name="Start").click()
    # pain of 6 in the split squat: the easier ways are offered, in view with the rest
    page.wait_for_function(_a_set_of("Bulgarian split squat"), timeout=60_000)
    page.locator('#painask button[data-pain="6"]').click()
    expect(page.locator("#offers button").first).to_be_visible(timeout=20_000)
    page.screenshot(path=str(_shot_path("phone-player-offers-390x844")))
    page.set_viewport_size(on_its_side)
    page.wait_for_function(_a_set_of("Fire hydrant"), timeout=60_000)
    page.locator('#painask button[data-pain="6"]').click()
    expect(page.locator("#offers button").first).to_be_visible(timeout=20_000)
    page.screenshot(path=str(_shot_path("phone-player-offers-844x390")))
    page.wait_for_function(
        "() => document.getElementById('player').dataset.kind === 'hold'", timeout=120_000
    )
    page.set_viewport_size(upright)
    # and so on to the end of the session, where the finish asks how the knee took it
    expect(page.get_by_role("button", name="Log the session")).to_be_visible(timeout=120_000)
    page.get_by_label("Highest knee pain during the session (0–10)").focus()
    page.set_viewport_size(on_its_side)
    page.wait_for_function("() => window.seen.has('finish on its side')")
    seen = set(page.evaluate("() => [...window.seen]"))
    steps = {"get-ready", "beat", "hold", "rest", "pain question", "offers", "finish"}
    assert {f"{step} {way}" for step in steps for way in ("upright", "on its side")} <= seen
    out = page.evaluate("() => window.outOfView")
    assert out == [], "\n".join(sorted({re.sub(r"at \d+-\d+ ", "", o) for o in out}))


def test_the_player_keeps_the_screen_on_and_fills_it_while_the_session_runs(server, page):
    from playwright.sync_api import expect

    page.add_init_script(
        """(() => {
          window.locks = [];
          const wakeLock = {request(kind) {
            const taken = {released: false, release() {
              this.released = true; window.locks.push('released'); return Promise.resolve(); }};
            window.locks.push('taken: ' + kind);
            window.lastLock = taken;
            return Promise.resolve(taken);
          }};
          Object.defineProperty(Navigator.prototype, 'wakeLock', {get: () => wakeLock});
        })()"""
    )
    _sign_up(server, page)
    page.goto(server + "/session?speed=1000")
    full = page.get_by_label("Full screen")
    assert full.is_checked()  # on a phone the player fills the screen unless told not to
    untick(page.get_by_label("Spoken cues"))
    page.get_by_role("button", name="Start").click()
    page.get_by_role("button", name="Pause").click()  # paused, the session is still under way
    page.wait_for_function("() => window.locks.includes('taken: screen')")
    page.wait_for_function("() => document.fullscreenElement === document.documentElement")
    # the browser lets the lock go when the page is hidden; back in view it is taken again
    page.evaluate(
        "() => { window.lastLock.released = true;"
        " document.dispatchEvent(new Event('visibilitychange')); }"
    )
    page.wait_for_function("() => window.locks.filter(l => l === 'taken: screen').length === 2")
    page.get_by_role("button", name="Resume").click()
    expect(page.get_by_role("button", name="Log the session")).to_be_visible(timeout=60_000)
    page.wait_for_function("() => window.locks.at(-1) === 'released'")
    page.wait_for_function("() => document.fullscreenElement === null")


def test_back_starts_the_set_under_way_again_and_never_a_set_already_reported(server, page):
    _sign_up(server, page)
    page.goto(server + "/session?speed=20")
    untick(page.get_by_label("Spoken cues"))
    untick(page.get_by_label("Beeps"))
    reported = []
    page.on("request", lambda r: reported.append(r) if r.url.endswith("/session/sets") else None)
    page.get_by_role("button", name="Start").click()
    into_the_set = (
        _a_set_of("Bulgarian split squat")
        + " && /^([4-9]|1[0-5])\\//.test(document.getElementById('big').textContent)"
    )
    for press in ("button", "key"):
        page.wait_for_function(into_the_set, timeout=60_000)
        page.get_by_role("button", name="Pause").click()  # held still, to read where Back goes
        sent, side = len(reported), page.locator("#side").text_content()
        if press == "button":
            page.get_by_role("button", name="Back").click()
        else:
            page.keyboard.press("b")
        assert page.locator("#exercise").text_content() == "Bulgarian split squat"
        assert page.locator("#side").text_content() == side  # the same side, the same set
        kind = page.locator("#player").get_attribute("data-kind")
        big = page.locator("#big").text_content() or ""
        assert kind == "get-ready" or big.startswith("1/"), (kind, big)
        assert len(reported) == sent  # going back reports nothing
        page.get_by_role("button", name="Resume").click()
