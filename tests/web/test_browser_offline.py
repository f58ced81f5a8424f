"""Offline-first in Debian's chromium at phone size: Today is loaded, the network is cut, a
whole session runs at speed 50, its sets wait on the device with the count on screen, and
after reconnecting every set is stored once on the server; reloading offline still shows
Today and the player; online again, a newer state of the day replaces the kept one."""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.web.test_browser import _shot_path, _sign_up, chromium, page, server, untick

__all__ = ["chromium", "page", "server"]

pytestmark = pytest.mark.browser
SETS = 27


def _ready_offline(page):
    """Today, loaded online, with the service worker in charge and the player kept."""
    page.goto(page.url.split("/today")[0] + "/today")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=20_000)
    page.wait_for_function(
        "() => document.documentElement.dataset.offline === 'kept'", timeout=20_000
    )


def _stored(server, page, table):
    """The runner's rows of ``table`` as the server stores them (sessions with their sets,
    check-ins), read through the API's backup export with a token the runner makes on the
    settings page."""
    page.goto(server + "/settings")
    page.get_by_role("button", name="Create a token").click()
    token = page.get_by_label("New API token").input_value()
    answer = page.request.get(
        server + "/api/v1/export/backup", headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status == 200
    return answer.json()["tables"][table]


def test_a_session_run_offline_waits_on_the_device_and_is_stored_once_when_back(server, page):

    _sign_up(server, page)
    _ready_offline(page)
    context = page.context
    context.set_offline(True)

    page.goto(server + "/session?speed=50")
    expect(page.locator("#player")).to_be_visible()
    untick(page.get_by_label("Spoken cues"))
    untick(page.get_by_label("Beeps"))
    posted = []
    page.on("request", lambda r: posted.append(r) if r.method == "POST" else None)
    page.get_by_role("button", name="Start").click()
    page.get_by_label("Highest knee pain during the session (0–10)").fill("2", timeout=90_000)
    page.get_by_label("How hard was it (0–10)?").fill("4")
    page.get_by_role("button", name="Log the session").click()
    expect(page.locator("#finishwaiting")).to_be_visible()
    status = page.locator("#outbox")
    expect(status).to_have_text(f"{SETS} sets and the session's log waiting to be sent.")
    assert status.get_attribute("aria-live") == "polite"
    assert page.locator("#problem").is_hidden()
    page.screenshot(path=str(_shot_path("offline-session-waiting-390x844")))

    # reloading with no network still shows Today and the player, and what waits
    page.goto(server + "/today")
    expect(page.get_by_role("link", name="Start the guided session")).to_be_visible()
    expect(page.locator("#outbox")).to_contain_text(f"{SETS} sets")
    page.screenshot(path=str(_shot_path("offline-today-390x844")))
    page.goto(server + "/session?speed=50")
    expect(page.get_by_role("button", name="Start")).to_be_visible()
    expect(page.locator("#outbox")).to_contain_text(f"{SETS} sets")

    answers = []
    page.on(
        "response",
        lambda r: answers.append(r) if r.request.method == "POST" else None,
    )
    context.set_offline(False)
    expect(page.locator("#outbox")).to_have_text(
        "Everything kept on this device has been sent.", timeout=30_000
    )
    sent = [r for r in answers if r.url.endswith("/session/sets")]
    assert len(sent) == SETS and {r.status for r in sent} == {200}
    keys = {r.request.header_value("idempotency-key") for r in answers}
    assert len(keys) == SETS + 1 and None not in keys

    page.goto(server + "/today")
    expect(page.get_by_text(f"Logged for today: {SETS} sets, pain 2/10.")).to_be_visible()
    [stored] = _stored(server, page, "sessions")
    assert (stored["pain_during"], stored["effort"]) == (2, 4)
    each = [(s["exercise"], s["side"], s["set_number"]) for s in stored["sets"]]
    assert len(each) == len(set(each)) == SETS


def test_what_the_device_sends_again_after_a_lost_answer_is_stored_once(server, page):
    """The answer to a set is lost on the way back (the connection went as it came): the
    outbox sends it again under the same key and the server gives the first answer."""

    _sign_up(server, page)
    _ready_offline(page)
    page.goto(server + "/session?speed=1000")
    cut = {"done": False}

    def lose_first_answer(route):
        response = route.fetch()
        if not cut["done"]:
            cut["done"] = True
            route.abort("internetdisconnected")  # the server kept it; the phone never heard
            return
        route.fulfill(response=response)

    page.route("**/session/sets", lose_first_answer)
    answers = []
    page.on("response", lambda r: answers.append(r) if r.url.endswith("/session/sets") else None)
    untick(page.get_by_label("Spoken cues"))
    page.get_by_role("button", name="Start").click()
    page.get_by_label("Highest knee pain during the session (0–10)").fill("1", timeout=60_000)
    send = page.get_by_role("button", name="Log the session")
    expect(send).to_be_enabled(timeout=60_000)
    expect(page.locator("#outbox")).to_have_text(
        "Everything kept on this device has been sent.", timeout=30_000
    )
    replayed = [r for r in answers if r.headers.get("idempotent-replayed") == "true"]
    assert len(replayed) == 1 and len(answers) == SETS
    send.click()
    page.wait_for_url("**/today")
    expect(page.get_by_text(f"Logged for today: {SETS} sets")).to_be_visible()
    [stored] = _stored(server, page, "sessions")
    each = [(s["exercise"], s["side"], s["set_number"]) for s in stored["sets"]]
    assert len(each) == len(set(each)) == SETS


def test_online_a_newer_day_replaces_the_kept_player(server, page):

    _sign_up(server, page)
    _ready_offline(page)
    page.goto(server + "/session?speed=1000")
    untick(page.get_by_label("Spoken cues"))
    page.get_by_role("button", name="Start").click()
    page.get_by_label("Highest knee pain during the session (0–10)").fill("1", timeout=60_000)
    page.get_by_role("button", name="Log the session").click()
    page.wait_for_url("**/today")
    _ready_offline(page)  # online: Today and the player are kept afresh
    page.context.set_offline(True)
    page.goto(server + "/session")
    expect(page.get_by_role("heading", name="Done for today")).to_be_visible()
    page.goto(server + "/today")
    expect(page.get_by_text(re.compile(r"Logged for today: \d+ sets"))).to_be_visible()


def test_the_installable_parts_are_what_chromium_accepts(server, page):
    _sign_up(server, page)
    manifest = page.evaluate(
        "() => fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())"
    )
    assert manifest["start_url"] == "/today" and manifest["display"] == "standalone"
    state = page.evaluate(
        "() => navigator.serviceWorker.ready.then(r => [r.scope, r.active.scriptURL])"
    )
    assert state == [server + "/", server + "/sw.js"]


def test_a_check_in_made_offline_waits_on_the_device_and_is_kept_once_when_back(server, page):

    _sign_up(server, page)
    _ready_offline(page)
    page.context.set_offline(True)
    page.goto(server + "/checkin")
    page.get_by_label("Knee pain this morning (0–10)").fill("1")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#checkin-waiting")).to_be_visible()
    expect(page.locator("#outbox")).to_have_text(
        "a check-in waiting to be sent when the connection returns."
    )
    page.context.set_offline(False)
    expect(page.locator("#outbox")).to_have_text(
        "Everything kept on this device has been sent.", timeout=30_000
    )
    page.goto(server + "/checkin")  # and once more: the outbox is empty, nothing is sent again
    page.wait_for_load_state("load")
    assert [c["pain_morning"] for c in _stored(server, page, "checkins")] == [1]


def test_a_pause_online_drops_the_kept_player_so_it_never_runs_offline(server, page):

    _sign_up(server, page)
    _ready_offline(page)
    page.goto(server + "/session?speed=50")  # kept under this speed too
    page.goto(server + "/settings")
    page.get_by_role("button", name="Create a token").click()
    token = page.get_by_label("New API token").input_value()
    screened = page.request.post(
        server + "/api/v1/screen",
        headers={"Authorization": f"Bearer {token}"},
        data={"red_flags": ["swelling"], "age_band": "16-50"},
    )
    assert screened.status in (200, 201)
    page.goto(server + "/today")
    page.wait_for_function(
        "() => document.documentElement.dataset.offline === 'not-kept'", timeout=20_000
    )
    page.context.set_offline(True)
    page.goto(server + "/today")
    expect(page.get_by_role("heading", name="Program paused")).to_be_visible()
    expect(page.locator("#outbox")).to_have_text(
        "No connection: this is the copy kept on this device."
    )
    for address in ("/session", "/session?speed=50"):
        page.goto(server + address)
        expect(page.get_by_role("heading", name="No connection")).to_be_visible()
        assert page.get_by_role("button", name="Start").count() == 0


def test_logging_out_forgets_the_pages_kept_on_the_device(server, page):
    _sign_up(server, page)
    _ready_offline(page)
    kept_pages = (
        "() => caches.keys().then(all => Promise.all(all.filter(n => n.startsWith("
        "'kneecoach-pages-')).map(n => caches.open(n).then(c => c.keys()))))"
        ".then(lists => lists.flat().map(r => new URL(r.url).pathname))"
    )
    assert {"/today", "/session", "/checkin"} <= set(page.evaluate(kept_pages))
    page.locator("nav.narrow details.menu summary").click()  # on a phone it is in the menu
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/login")
    page.wait_for_load_state("load")
    assert set(page.evaluate(kept_pages)) <= {"/login"}  # the login page holds no one's data


def test_signing_out_from_the_account_page_leaves_no_ones_pages_on_the_device(server, page):
    """Not only the Log out button: 'Sign out here' (or a session ended elsewhere, or run
    out) lands on a page for no one, which forgets the pages kept for the last account."""
    _sign_up(server, page)
    _ready_offline(page)
    page.goto(server + "/settings/account")
    kept_pages = (
        "() => caches.keys().then(all => Promise.all(all.filter(n => n.startsWith("
        "'kneecoach-pages-')).map(n => caches.open(n).then(c => c.keys()))))"
        ".then(lists => lists.flat().map(r => new URL(r.url).pathname))"
    )
    assert {"/today", "/settings/account"} <= set(page.evaluate(kept_pages))
    page.get_by_role("button", name="Sign out here").click()
    page.wait_for_url("**/login")
    deadline = time.monotonic() + 10
    while not set(page.evaluate(kept_pages)) <= {"/login"}:  # forgotten as the page loads
        assert time.monotonic() < deadline, page.evaluate(kept_pages)
        time.sleep(0.05)
    page.context.set_offline(True)
    try:
        page.goto(server + "/settings/account")
        expect(page.get_by_role("heading", name="No connection")).to_be_visible()
        assert "ana" not in page.content()
    finally:
        page.context.set_offline(False)


def test_today_is_kept_for_offline_on_the_first_visit_before_the_worker_was_there(
    server, page, chromium
):
    _sign_up(server, page)
    # the same account on a phone that has never had the app's worker: signed in already
    # (its cookie), Today is the first page it loads, before the worker is in charge
    phone = chromium.new_context(
        viewport={"width": 390, "height": 844}, storage_state=page.context.storage_state()
    ).new_page()
    phone.goto(server + "/today")
    phone.wait_for_function(
        "() => document.documentElement.dataset.offline === 'kept'", timeout=20_000
    )
    phone.context.set_offline(True)
    try:
        phone.reload()
        expect(phone.get_by_role("link", name="Start the guided session")).to_be_visible()
    finally:
        phone.context.set_offline(False)


def test_a_finish_the_server_refuses_says_why_on_the_player(server, page):

    _sign_up(server, page)
    page.goto(server + "/session?speed=1000")
    untick(page.get_by_label("Spoken cues"))
    page.get_by_role("button", name="Start").click()
    pain = page.get_by_label("Highest knee pain during the session (0–10)")
    pain.fill("11", timeout=60_000)  # past what the field allows: sent by script, as a form could
    page.evaluate("() => document.getElementById('pain').removeAttribute('max')")
    send = page.get_by_role("button", name="Log the session")
    expect(send).to_be_enabled(timeout=60_000)
    send.click()
    expect(page.locator("#problem")).to_contain_text("Not logged: pain", timeout=20_000)
    assert page.url.endswith("/session?speed=1000")
    expect(send).to_be_enabled()
    pain.fill("2")
    send.click()
    page.wait_for_url("**/today")


def test_a_report_made_as_the_outbox_ends_a_pass_is_sent_and_answered(server, page):
    """A report made at any moment of the outbox's sending, even as it ends a pass, is sent
    and answered. The player's finish waits for the last set's answer: one left unsent until
    some later report kept the finish waiting for ever."""

    _sign_up(server, page)
    page.goto(server + "/session?speed=1000")
    outcomes = page.evaluate(
        """async () => {
          const outbox = window.kneecoachOutbox;
          const pause = (ms) => new Promise((done) => setTimeout(done, ms));
          const late = (settled) => Promise.race([settled, pause(5000).then(() => "unanswered")]);
          const outcomes = [];
          // a set the server refuses at validation is answered (422) and dropped: sent
          for (let trial = 0; trial < 150 && !outcomes.includes("unanswered"); trial++) {
            const first = outbox.send("/session/sets", "set", "{}").settled;
            outcomes.push(await late(first));
            // the pass that sent it is ending now: the next report comes as it ends
            await pause((trial % 6) * 0.5);
            outcomes.push(await late(outbox.send("/session/sets", "set", "{}").settled));
          }
          return outcomes;
        }"""
    )
    assert outcomes.count("sent") == len(outcomes)
    expect(page.locator("#outbox")).to_have_text("Everything kept on this device has been sent.")
