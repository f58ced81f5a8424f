"""The web app in a real browser: Debian's chromium driven by Playwright, at phone size.

Screenshots of the main pages go to .screenshots/ (git-ignored) to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.conftest import TODAY
from tests.web.live import free_port, launched_chromium, served, served_settings

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).parents[2] / ".screenshots"


ON_BOTH_DATABASES = pytest.mark.parametrize(
    "server", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
"""For a browser test that also runs on PostgreSQL. The pages reach the database only through
the services, whose storage is held to one contract on both databases and whose pages and API
are tested on both without a browser; a browser test on the second database finds nothing new
and takes a chromium's time, so one journey is kept there as a smoke test."""


@pytest.fixture(params=["sqlite"])
def server(request, tmp_path):
    from kneecoach.services.ports import FixedClock
    from kneecoach.web.app import create_app
    from tests.conftest import fresh_database

    port = free_port()
    url = fresh_database(request.param, request, tmp_path)
    app = create_app(
        served_settings(tmp_path, port, url),
        clock=FixedClock(TODAY),
        workers=1,  # as `kneecoach serve` runs it: imports run in a worker process
    )
    with served(app, port) as address:
        yield address


@pytest.fixture(scope="module")
def chromium():
    """One chromium for the module's tests, launched once: each test still gets a browser
    context of its own (see :func:`page`), which shares no cookie, storage or cache."""
    with launched_chromium() as browser:
        yield browser


@pytest.fixture
def page(chromium):
    """A phone-sized page in a new browser context; the contexts the test opened besides
    (a second person's browser) are closed with it."""
    context = chromium.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    for opened in chromium.contexts:
        opened.close()


def menu_link(page, name):
    """A page of the main navigation: on a phone it is in the header's menu, opened first.

    Called right after a form is sent, the page may still be the one before: a menu opened
    there is closed again on the page that follows, so the menu is opened until the link shows.
    """
    menu = page.locator("nav.narrow details.menu")
    link = page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)
    for _ in range(100):
        if link.is_visible():
            break
        if menu.is_visible() and menu.get_attribute("open") is None:
            menu.locator("summary").click()
        page.wait_for_timeout(100)
    return link


def untick(box):
    """Unticks a box on a page that may still be settling: a click that left it ticked (the
    page moved under it) is made again, a few times at most."""
    from playwright.sync_api import Error

    for attempt in range(5):
        try:
            box.uncheck(timeout=5_000)
            return
        except Error:
            if attempt == 4:
                raise


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@ON_BOTH_DATABASES
def test_a_new_runner_signs_up_sets_up_logs_and_checks_in(server, page):
    page.goto(server)
    assert page.url.endswith("/setup")
    shot(page, "setup")
    page.get_by_label("Name").fill("ana")
    page.get_by_label("Password (at least 10 characters)").fill("correct horse battery")
    page.get_by_role("button", name="Create the account").click()
    page.wait_for_url("**/onboarding")
    page.get_by_label("Which knee hurts?").select_option("left")
    page.get_by_label("Knee pain at rest (0 none – 10 worst)").fill("1")
    page.get_by_label("Sessions a week (3 is kneecoach's default)").fill("7")
    shot(page, "onboarding")
    page.get_by_label("None of these apply to me").check()
    page.get_by_label("Your age band").select_option("16-50")
    page.get_by_role("button", name="Start my program").click()
    page.wait_for_url("**/today")
    expect(page.get_by_role("heading", name="1. Roll down")).to_be_visible()
    expect(page.get_by_text("3 rounds × 40 s hold per side")).to_be_visible()
    thumbs = page.locator("img.thumb")
    assert thumbs.count() == 6
    for index in range(6):
        thumbs.nth(index).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.thumb')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    shot(page, "today")
    page.get_by_label("Highest knee pain during the session (0–10)").fill("2")
    page.get_by_role("button", name="Log today's session as done").click()
    page.wait_for_url("**/today")
    expect(page.get_by_text("Logged for today: 27 sets")).to_be_visible()
    page.get_by_role("link", name="Check-in").click()
    page.get_by_label("Knee pain this morning (0–10)").fill("1")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Morning pain 1/10 kept")).to_be_visible()
    menu_link(page, "History").click()
    expect(page.get_by_role("cell", name="27/27")).to_be_visible()
    shot(page, "history")


def _sign_up(server, page):
    page.goto(server)
    page.get_by_label("Name").fill("ana")
    page.get_by_label("Password (at least 10 characters)").fill("correct horse battery")
    page.get_by_role("button", name="Create the account").click()
    page.wait_for_url("**/onboarding")
    page.get_by_label("Sessions a week (3 is kneecoach's default)").fill("7")
    page.get_by_label("None of these apply to me").check()
    page.get_by_label("Your age band").select_option("16-50")
    page.get_by_role("button", name="Start my program").click()
    page.wait_for_url("**/today")


def _start_quietly(page, address):
    """The player at ``address``, started with its spoken cues and beeps off."""
    page.goto(address)
    untick(page.get_by_label("Spoken cues"))
    untick(page.get_by_label("Beeps"))
    page.get_by_role("button", name="Start").click()


def _sets_answered(page):
    """The server's answers to the sets the player reports, in order (their bodies are read
    once the page has them all: reading one in the event would let later events pass it)."""
    answers = []
    page.on("response", lambda r: answers.append(r) if r.url.endswith("/session/sets") else None)
    return answers


def test_a_whole_guided_session_in_the_browser_is_logged(server, page):

    _sign_up(server, page)
    page.get_by_role("link", name="Start the guided session").click()
    page.goto(server + "/session?speed=1000")
    answers = _sets_answered(page)
    untick(page.get_by_label("Spoken cues"))
    page.get_by_role("button", name="Start").click()
    shot(page, "player")
    page.get_by_label("Highest knee pain during the session (0–10)").fill("2", timeout=30_000)
    send = page.get_by_role("button", name="Log the session")
    expect(send).to_be_enabled(timeout=30_000)  # once the server has answered every set
    assert len(answers) == 27 and {r.status for r in answers} == {200}
    kept = [r.json()["set"] for r in answers]
    squats = [s for s in kept if s["exercise"] == "bulgarian-split-squat"]
    assert [(s["side"], s["set_number"], s["reps"]) for s in squats] == [
        ("left", 1, 15),
        ("right", 1, 15),
        ("left", 2, 15),
        ("right", 2, 15),
    ]
    send.click()
    page.wait_for_url("**/today")
    expect(page.get_by_text("Logged for today: 27 sets")).to_be_visible()


def test_a_set_skipped_part_way_in_the_browser_is_counted_by_the_server(server, page):
    _sign_up(server, page)
    _start_quietly(page, server + "/session?speed=20")
    page.wait_for_function(
        "() => document.getElementById('big').textContent === '4/10'", timeout=20_000
    )
    # the repetition shown and the tap in one turn of the page's loop: on a busy machine the
    # player may move on between a look and a click
    with page.expect_response("**/session/sets") as answered:
        shown = page.evaluate(
            """() => {
                const shown = document.getElementById('big').textContent;
                document.getElementById('skip').click();
                return shown;
            }"""
        )
    under_way = int(shown.split("/")[0])
    assert shown.endswith("/10") and under_way >= 4
    kept = answered.value.json()
    assert answered.value.status == 200 and kept["kept"] is True
    # the repetitions done before the one under way count; that one does not
    assert (kept["set"]["exercise"], kept["set"]["reps"]) == ("roll-down", under_way - 1)
    assert page.locator("#setcount").text_content() == "2 of 27 sets today"
    assert page.locator("#problem").is_hidden()


def test_closing_the_tab_mid_session_loses_nothing(server, page):
    _sign_up(server, page)
    page.goto(server + "/session?speed=100")
    answers = _sets_answered(page)
    untick(page.get_by_label("Spoken cues"))
    untick(page.get_by_label("Beeps"))
    page.get_by_role("button", name="Start").click()
    page.wait_for_function(
        "() => document.getElementById('exercise').textContent.includes('Fire')", timeout=30_000
    )
    for _ in range(300):  # the sets done so far have been answered (a busy server is slower)
        if len(answers) >= 5:
            break
        page.wait_for_timeout(100)
    page.goto(server + "/session?speed=1000")
    kept = int(page.locator("#where").text_content().split()[0])
    assert kept >= 5
    untick(page.get_by_label("Spoken cues"))
    page.get_by_role("button", name="Start").click()
    page.get_by_label("Highest knee pain during the session (0–10)").fill("3", timeout=30_000)
    page.get_by_role("button", name="Log the session").click()
    page.wait_for_url("**/today")
    expect(page.get_by_text("Logged for today: 27 sets")).to_be_visible()


def test_the_player_figure_moves_in_step_with_the_rep_beats_and_pauses_with_the_session(
    server, page
):
    _sign_up(server, page)
    _start_quietly(page, server + "/session?speed=4")
    page.wait_for_selector("#figure svg title", state="attached")
    assert "Roll down" in page.locator("#figure svg title").text_content()
    # Roll down: down 3 s, pause 1 s, up 4 s; at speed 4 a repetition lasts 2 s and the
    # 'up' beat covers the second half of the figure's loop.
    page.wait_for_function(
        "() => document.getElementById('label').textContent === 'UP'", timeout=20_000
    )
    phase = page.evaluate(
        """() => {
            const svg = document.querySelector('#figure svg');
            return (svg.getCurrentTime() % 2) / 2;
        }"""
    )
    assert 0.45 <= phase <= 1.0
    shot(page, "player-figure")
    page.get_by_role("button", name="Pause").click()
    assert page.evaluate("document.querySelector('#figure svg').animationsPaused()")
    page.get_by_role("button", name="Resume").click()
    assert not page.evaluate("document.querySelector('#figure svg').animationsPaused()")


def test_the_exercise_reference_shows_a_moving_figure_for_every_variant(server, page):
    _sign_up(server, page)
    page.goto(server + "/exercises/bulgarian-split-squat")
    figures = page.locator("figure.figure img")
    assert figures.count() == 2
    page.wait_for_function(
        "() => [...document.querySelectorAll('figure.figure img')].every(i => i.naturalWidth > 0)"
    )
    assert "working leg in orange" in figures.first.get_attribute("alt")
    shot(page, "exercise-reference")
    page.goto(server + "/exercises")
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.figure')]"
        ".every(i => i.complete && i.naturalWidth > 0)"
    )
    assert page.locator("img.figure").count() == 6


def test_every_figure_renders_inside_its_frame_in_chromium(page):
    """Each variant drawn in the browser, animated and as key frames, for both legs; the
    PNGs in .screenshots/figures/ are there to look at."""
    from kneecoach import definitions
    from kneecoach.exports.figure_svg import exercise_figure

    folder = SHOTS / "figures"
    folder.mkdir(parents=True, exist_ok=True)
    for exercise in definitions.catalogue():
        for variant in exercise.variants:
            for side, still in (("left", True), ("right", False)):
                svg = exercise_figure(exercise, variant.key, side, still=still)
                page.set_content(f"<body style='margin:0;background:#fff'>{svg}</body>")
                inside = page.evaluate(
                    """() => {
                        const svg = document.querySelector('svg');
                        const box = svg.viewBox.baseVal, drawn = svg.getBBox();
                        return drawn.width > 50 && drawn.height > 50 &&
                            drawn.x >= box.x - 1 && drawn.y >= box.y - 1 &&
                            drawn.x + drawn.width <= box.x + box.width + 1 &&
                            drawn.y + drawn.height <= box.y + box.height + 1;
                    }"""
                )
                assert inside, f"{exercise.key} {variant.key} {side}"
                name = f"{exercise.key}-{variant.key}-{side}{'-still' if still else ''}.png"
                page.locator("svg").screenshot(path=str(folder / name))


def _gpx(day, km):
    """A run on ``day``: ``km`` kilometres due north at 5 min/km, a point every 10 s."""
    import datetime as dt

    start = dt.datetime.combine(day, dt.time(7), dt.UTC)
    points = []
    for i in range(int(km * 30) + 1):  # 30 points a km, 10 s apart
        when = start + dt.timedelta(seconds=10 * i)
        lat = 52.0 + i * (1 / 30) / 111.2
        points.append(
            f'<trkpt lat="{lat:.6f}" lon="4.0"><time>{when:%Y-%m-%dT%H:%M:%SZ}</time></trkpt>'
        )
    return (
        '<?xml version="1.0"?><gpx version="1.1" creator="test" '
        'xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
        + "".join(points)
        + "</trkseg></trk></gpx>"
    )


def test_runs_are_imported_by_picking_and_by_dropping_a_gpx_and_the_load_is_drawn(
    server, page, tmp_path
):
    import datetime as dt

    _sign_up(server, page)
    page.goto(server + "/runs")
    first = tmp_path / "easy.gpx"
    first.write_text(_gpx(TODAY - dt.timedelta(days=3), 5))
    page.get_by_label("GPX, TCX or FIT files, or a Strava or Garmin export (.zip)").set_input_files(
        str(first)
    )
    page.get_by_role("button", name="Import").click()
    page.wait_for_url("**/runs/jobs/*")  # the import runs in the background ...
    page.wait_for_selector("text=1 added", timeout=60_000)  # ... and its page shows the report
    page.goto(server + "/runs")
    page.evaluate(
        """(text) => {
            const data = new DataTransfer();
            data.items.add(new File([text], "dropped.gpx", {type: "application/gpx+xml"}));
            document.getElementById("drop").dispatchEvent(
                new DragEvent("drop", {dataTransfer: data, bubbles: true, cancelable: true}));
        }""",
        _gpx(TODAY - dt.timedelta(days=1), 6),
    )
    page.wait_for_selector("text=1 added", timeout=60_000)
    page.goto(server + "/runs")
    table = page.locator("table").inner_text()
    assert "6.00 km" in table and "5.00 km" in table
    shot(page, "runs")
    page.get_by_role("link", name="Training load").click()
    assert page.locator("svg.chart").count() == 1  # no ratio to chart before 28 days of runs
    expect(page.get_by_text("Weekly running distance (km) —")).to_be_visible()
    expect(page.get_by_text("not an injury prediction")).to_be_visible()
    shot(page, "load")


def invited_runner(server, page):
    """The owner (signed up on ``page``) invites ben, who opens the link on a phone of his own
    and creates his account: his page, at the onboarding form, right knee chosen."""
    _sign_up(server, page)
    page.goto(server + "/clinic")
    page.get_by_role("button", name="Create an invitation link").click()
    link = page.get_by_label("Invitation link").input_value()
    runner = page.context.browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    runner.goto(link)
    runner.get_by_label("Name").fill("ben")
    runner.get_by_label("Password (at least 10 characters)").fill("another long password")
    runner.get_by_role("button", name="Create my account").click()
    runner.wait_for_url("**/onboarding")
    runner.get_by_label("Which knee hurts?").select_option("right")
    return runner


def test_a_clinician_invites_a_runner_and_edits_their_program(server, page):
    runner = invited_runner(server, page)
    runner.get_by_label("None of these apply to me").check()
    runner.get_by_label("Your age band").select_option("16-50")
    runner.get_by_role("button", name="Start my program").click()
    runner.wait_for_url("**/today")
    page.goto(server + "/clinic")
    shot(page, "clinic")
    page.get_by_role("link", name="ben").click()
    page.get_by_text("Prescribe a variant and dose").click()  # the form opens on a tap
    page.get_by_label("Exercise", exact=True).select_option("fire-hydrant")
    # the form starts from where the fire hydrant stands, and offers only its variants
    expect(page.locator("#prescribenow")).to_contain_text("Fire hydrant now: ")
    offered = page.locator("#variant optgroup:not([hidden]) option")
    assert offered.count() == 2
    assert page.locator("#variant optgroup:not([hidden])").get_attribute("label") == "Fire hydrant"
    level = page.locator("#exercise option[value='fire-hydrant']")
    assert page.get_by_label("Sets", exact=True).input_value() == level.get_attribute("data-sets")
    amount = page.get_by_label("Reps (or hold seconds for a stretch)").input_value()
    assert amount == level.get_attribute("data-amount")
    assert page.get_by_label("Variant", exact=True).input_value() == level.get_attribute(
        "data-variant"
    )
    expect(page.locator("#rangefield")).to_be_hidden()  # the hydrant has no ranges
    page.get_by_label("Exercise", exact=True).select_option("bulgarian-split-squat")
    expect(page.get_by_label("Range of motion")).to_be_visible()
    assert page.get_by_label("Range of motion").input_value() == ""  # as it is now
    page.get_by_label("Exercise", exact=True).select_option("fire-hydrant")
    page.get_by_label("Variant", exact=True).select_option("kneeling")
    page.get_by_label("Sets", exact=True).fill("3")
    page.get_by_label("Reps (or hold seconds for a stretch)").fill("12")
    page.get_by_label("Note for the runner").fill("Kneeling until the knee settles")
    shot(page, "prescribe-form")
    page.get_by_role("button", name="Prescribe").click()
    shot(page, "runner-detail")
    runner.reload()
    expect(runner.get_by_text("3 sets × 12 reps per side")).to_be_visible()
    expect(runner.get_by_text("Kneeling on all fours").first).to_be_visible()


def test_the_weekly_review_and_return_to_running_in_the_browser(server, page):
    _sign_up(server, page)
    page.get_by_label("Highest knee pain during the session (0–10)").fill("3")
    page.get_by_role("button", name="Log today's session as done").click()
    menu_link(page, "Progress").click()
    expect(page.get_by_text("1 of 1 planned sessions done in the last week")).to_be_visible()
    shot(page, "progress")
    page.get_by_role("link", name="Weekly review").click()
    page.get_by_label("None of these apply to me").check()
    page.get_by_role("button", name="Review my week").click()
    expect(page.get_by_text("Pain during sessions: 3.0/10")).to_be_visible()
    shot(page, "review")
    page.goto(server + "/return-to-run")
    page.get_by_label("Yes").check()
    page.get_by_label("Pain-free single-leg squats with good form (on the painful leg)").fill("10")
    page.get_by_label("Pain-free single-leg hops (on the painful leg)").fill("10")
    page.get_by_label("Knee pain during those tests (0–10)").fill("0")
    page.get_by_role("button", name="Check").click()
    page.get_by_role("button", name="I ran today's stage").click()
    expect(page.get_by_text("waiting for the next-morning check-in")).to_be_visible()
    shot(page, "return-to-run")


def test_the_akps_is_taken_in_the_browser_and_drawn_on_progress(server, page):
    _sign_up(server, page)
    menu_link(page, "Progress").click()
    expect(page.get_by_text("Shaded: the ideal band, 2/10 or less")).to_be_visible()
    page.get_by_role("link", name="Take the AKPS").click()
    for legend in page.locator("fieldset").all():
        legend.get_by_role("radio").first.check()
    shot(page, "akps")
    page.get_by_role("button", name="Score it").click()
    expect(page.get_by_text("Your AKPS today: 100/100.")).to_be_visible()
    page.get_by_role("link", name="See your progress").click()
    expect(page.get_by_text("Shaded: within the 10-point MCID of the first score")).to_be_visible()
    summary = page.locator("p.note", has_text="Kujala AKPS (0-100)")
    assert f"AKPS: {TODAY:%d %b} 100" in summary.inner_text()
    shot(page, "progress-akps")


def test_the_player_asks_pain_after_an_exercise_and_offers_an_easier_way_above_five(server, page):
    _sign_up(server, page)
    _start_quietly(page, server + "/session?speed=20")
    # the rest after the roll down asks its pain, one tap, skippable
    page.wait_for_selector("#painask.asking", timeout=30_000)
    assert page.locator("#painexercise").text_content() == "Roll down"
    # under the roll down's heading the figure is already the next exercise's, and says so
    assert page.locator("#figurecaption").text_content() == "Next: Bulgarian split squat"
    with page.expect_response("**/session/exercise-pain") as answered:
        page.locator('#painask button[data-pain="1"]').click()
    assert answered.value.json()["light"] == "green"
    # pain above 5 during the split squat: the server's verdict offers an easier way at once
    page.wait_for_function(
        "() => document.getElementById('painexercise').textContent === 'Bulgarian split squat'"
        " && !document.getElementById('painask').classList.contains('asking')",
        timeout=30_000,
    )
    with page.expect_response("**/session/exercise-pain") as answered:
        page.locator('#painask button[data-pain="6"]').click()
    assert answered.value.json()["offers"][0] == "smaller_range"
    shown = page.locator("#painanswer")
    shown.wait_for(state="visible")
    text = shown.text_content() or ""
    assert "too much" in text and "Offer: a smaller range" in text and "kneecoach default" in text
    assert shown.get_attribute("data-light") == "red"
    expect(page.locator("#offers")).to_be_visible()
    shot(page, "player-pain")
    expect(page.locator("#player")).to_be_visible()  # the session goes on
    # the next exercise's question: the split squat's easier ways, and its answer, go with it
    page.wait_for_function(
        "() => document.getElementById('painexercise').textContent !== 'Bulgarian split squat'",
        timeout=60_000,
    )
    expect(page.locator("#offers")).to_be_hidden()
    expect(page.locator("#painanswer")).to_be_hidden()


def test_the_player_asks_no_pain_of_an_exercise_before_its_first_rep(server, page):
    _sign_up(server, page)
    _start_quietly(page, server + "/session?speed=1")
    # the session's get-ready: nothing has been done to hurt yet
    expect(page.locator("#player")).to_have_attribute("data-kind", "get-ready")
    expect(page.locator("#painask")).to_be_hidden()
    _start_quietly(page, server + "/session?speed=20")
    # the split squat's get-ready: no question under its heading (the roll down's was the
    # rest's)
    asked = page.wait_for_function(
        """() => {
          const player = document.getElementById("player");
          const exercise = document.getElementById("exercise").textContent;
          if (player.dataset.kind !== "get-ready") return false;
          if (exercise !== "Bulgarian split squat") return false;
          return document.getElementById("painask").hidden ? "hidden"
            : document.getElementById("painexercise").textContent;
        }""",
        timeout=30_000,
        polling=10,
    )
    assert asked.json_value() == "hidden"


def test_the_pain_answer_of_the_exercise_before_is_not_shown_under_the_next_ones_get_ready(
    server, page
):
    _sign_up(server, page)
    _start_quietly(page, server + "/session?speed=20")
    page.wait_for_selector("#painask.asking", timeout=30_000)
    assert page.locator("#painexercise").text_content() == "Roll down"
    with page.expect_response("**/session/exercise-pain"):
        page.locator('#painask button[data-pain="1"]').click()
    expect(page.locator("#painanswer")).to_be_visible()
    # the split squat's get-ready: the roll down's question is gone, and its answer with it
    shown = page.wait_for_function(
        """() => {
          const player = document.getElementById("player");
          const exercise = document.getElementById("exercise").textContent;
          if (player.dataset.kind !== "get-ready") return false;
          if (exercise !== "Bulgarian split squat") return false;
          return document.getElementById("painanswer").hidden ? "hidden"
            : document.getElementById("painanswer").textContent;
        }""",
        timeout=30_000,
        polling=10,
    )
    assert shown.json_value() == "hidden"


def test_an_easier_way_tapped_in_the_player_changes_the_remaining_sets(server, page):
    _sign_up(server, page)
    _start_quietly(page, server + "/session?speed=20")
    page.wait_for_function(
        "() => document.getElementById('painexercise').textContent === 'Bulgarian split squat'"
        " && !document.getElementById('painask').classList.contains('asking')",
        timeout=30_000,
    )
    assert "15 reps" in (page.locator("#side").text_content() or "")
    page.locator('#painask button[data-pain="6"]').click()
    offers = page.locator("#offers")
    offers.wait_for(state="visible")
    assert [b.text_content() for b in offers.locator("button").all()] == [
        "A smaller range",
        "Fewer reps",
    ]
    # a smaller range: the set under way begins again through the partial range
    with page.expect_response("**/session/offers") as taken:
        offers.get_by_role("button", name="A smaller range").click()
    assert taken.value.status == 200 and taken.value.json()["range"] == "partial"
    page.wait_for_function(
        "() => document.getElementById('side').textContent.includes('partial range')"
    )
    assert "a smaller range for the rest of the session" in (
        page.locator("#painanswer").text_content() or ""
    )
    # pain above 5 again: only fewer reps is left to offer, and the sets follow it
    page.locator('#painask button[data-pain="6"]').click()
    page.wait_for_function(
        "() => !document.getElementById('offers').hidden"
        " && document.querySelectorAll('#offers button').length === 1"
    )
    with page.expect_response("**/session/offers") as taken:
        offers.get_by_role("button", name="Fewer reps").click()
    assert taken.value.json()["reps"] == 12
    page.wait_for_function(
        "() => document.getElementById('side').textContent.includes('12 reps')"
        " && document.getElementById('big').textContent.endsWith('/12')",
        timeout=30_000,
    )
    shot(page, "player-offer-taken")
    assert page.locator("#offers").is_hidden()
    expect(page.locator("#player")).to_be_visible()


def _in_view(page, locator, width, height):
    """Whether ``locator`` is wholly inside the viewport with the page not scrolled."""
    box = locator.bounding_box()
    assert box is not None
    assert page.evaluate("() => window.scrollY") == 0
    return (
        box["x"] >= 0
        and box["y"] >= 0
        and (box["x"] + box["width"] <= width and box["y"] + box["height"] <= height)
    )


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1280, 800)])
def test_the_players_controls_are_in_view_without_scrolling(server, page, width, height):
    page.set_viewport_size({"width": width, "height": height})
    _sign_up(server, page)
    page.goto(server + "/session")
    untick(page.get_by_label("Spoken cues"))
    untick(page.get_by_label("Beeps"))
    page.evaluate("() => window.scrollTo(0, 0)")
    start = page.get_by_role("button", name="Start")
    assert _in_view(page, start, width, height)
    page.screenshot(path=str(_shot_path(f"player-ready-{width}x{height}")))
    start.click()
    page.locator("#painask").wait_for(state="visible")
    page.evaluate("() => window.scrollTo(0, 0)")
    for control in (
        page.get_by_role("button", name="Pause"),
        page.get_by_role("button", name="Skip"),
        page.locator('#painask button[data-pain="0"]'),
        page.locator('#painask button[data-pain="10"]'),
    ):
        assert _in_view(page, control, width, height), control
    page.screenshot(path=str(_shot_path(f"player-running-{width}x{height}")))


def _shot_path(name):
    SHOTS.mkdir(exist_ok=True)
    return SHOTS / f"{name}.png"


def test_a_pain_tap_while_the_next_exercise_is_on_screen_is_never_filed_under_the_one_before(
    server, page
):
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_up(server, page)
    page.goto(server + "/session?speed=30")
    untick(page.get_by_label("Spoken cues"))
    untick(page.get_by_label("Beeps"))
    # every time the heading or the pain question changes, note whether they name the same
    # exercise: the question is never shown under another exercise's heading
    page.evaluate(
        """() => {
          window.mismatches = []; window.openAtSwitch = []; let last = '';
          const check = () => {
            const heading = document.getElementById('exercise').textContent;
            const asked = document.getElementById('painexercise').textContent;
            if (asked !== last && last !== '' &&
                !document.querySelector('#painask button.pain').disabled)
              window.openAtSwitch.push(last + ' -> ' + asked);
            last = asked;
            if (!document.getElementById('painask').hidden && heading !== asked)
              window.mismatches.push(heading + ' / ' + asked);
          };
          new MutationObserver(check).observe(document.getElementById('player'),
            {subtree: true, childList: true, characterData: true});
          new MutationObserver(check).observe(document.getElementById('painask'),
            {subtree: true, childList: true, characterData: true, attributes: true});
        }"""
    )
    page.get_by_role("button", name="Start").click()
    # the rest after the roll down is headed by the roll down, and asks its pain by name
    page.wait_for_selector("#painask.asking", timeout=30_000)
    assert page.locator("#exercise").text_content() == "Roll down"
    assert (page.locator("#painquestion strong").text_content() or "") == "Pain during Roll down?"
    # the split squat's first set is on screen: a tap now is for the split squat
    page.wait_for_function(
        "() => document.getElementById('exercise').textContent === 'Bulgarian split squat'"
        " && document.getElementById('side').textContent.includes('set 1 of 2')",
        timeout=30_000,
    )
    with page.expect_response("**/session/exercise-pain") as answered:
        page.locator('#painask button[data-pain="6"]').click()
    answer = answered.value.json()
    assert answer["exercise"] == "bulgarian-split-squat", answer
    assert "Roll down" not in answer["advice"]["text"]
    assert page.evaluate("() => window.mismatches") == []
    # as the question moved on, its buttons were held a moment: a late tap aimed at the
    # exercise before is dropped, not filed under the new one
    assert page.evaluate("() => window.openAtSwitch") == []
