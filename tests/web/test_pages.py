"""The web app's pages and the rules that guard them, through FastAPI's test client."""

from __future__ import annotations

import html
import json
import re

import pytest
from fastapi.testclient import TestClient

from tests.conftest import TODAY
from tests.web.conftest import PASSWORD, csrf, import_on_the_page, post_open_form


def test_the_first_visit_goes_to_setup_and_setup_happens_once(client):
    assert client.get("/").headers["location"] == "/setup"
    created = post_open_form(client, "/setup", name="ana", password=PASSWORD)
    assert created.status_code == 303
    assert "httponly" in created.headers["set-cookie"].lower()
    assert "samesite=lax" in created.headers["set-cookie"].lower()
    assert client.get("/").headers["location"] == "/onboarding"
    again = post_open_form(client, "/setup", name="eve", password=PASSWORD)
    assert again.status_code == 400 and "exists already" in again.text


def test_a_short_password_is_refused(client):
    refused = post_open_form(client, "/setup", name="ana", password="short")
    assert refused.status_code == 400 and "at least 10 characters" in refused.text


def test_onboarding_then_today_lists_the_six_exercises(owner):
    page = owner.get("/today")
    assert page.status_code == 200
    for name in (
        "Roll down",
        "Bulgarian split squat",
        "Fire hydrant",
        "Bent-knee heel raise",
        "Elevated single-leg glute bridge",
        "Hip flexor stretch",
    ):
        assert name in page.text
    assert "2 sets × 15 reps per side" in page.text and "3 rounds × 40 s hold per side" in page.text


def test_logging_and_checking_in_from_the_browser_reach_history(owner):
    token = csrf(owner.get("/today").text)
    assert owner.post("/log", data={"csrf": token, "pain": "2", "effort": "5"}).status_code == 303
    assert "Logged for today: 27 sets" in owner.get("/today").text
    again = owner.post("/log", data={"csrf": token, "pain": "2", "effort": "5"})
    assert again.status_code == 400 and "already logged" in again.text
    saved = owner.post("/checkin", data={"csrf": token, "pain": "1"})
    assert "Morning pain 1/10 kept" in saved.text
    history = owner.get("/history").text
    assert "27/27" in history and "2/10" in history


def test_bad_pain_is_refused_and_nothing_is_written(owner):
    token = csrf(owner.get("/today").text)
    refused = owner.post("/log", data={"csrf": token, "pain": "12"})
    assert refused.status_code == 400 and "from 0 to 10" in refused.text
    assert "No sessions logged yet" in owner.get("/history").text


def test_forms_without_the_csrf_token_are_refused(owner):
    assert owner.post("/log", data={"pain": "2"}).status_code == 403
    assert owner.post("/checkin", data={"csrf": "forged", "pain": "2"}).status_code == 403
    assert "No sessions logged yet" in owner.get("/history").text


def test_anonymous_visitors_see_nothing(app, owner):
    stranger = TestClient(app, follow_redirects=False)
    for path in ("/today", "/history", "/checkin", "/exercises", "/onboarding"):
        response = stranger.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/login"
    assert stranger.post("/log", data={"pain": "1"}).status_code == 303


def test_a_forged_session_cookie_is_no_session(app, owner):
    forged = TestClient(app, follow_redirects=False, cookies={"kc_session": "guess"})
    assert forged.get("/today").headers["location"] == "/login"


def test_login_logout_and_throttling(app, owner):
    token = csrf(owner.get("/today").text)
    assert owner.post("/logout", data={"csrf": token}).headers["location"] == "/login"
    assert owner.get("/today").headers["location"] == "/login"
    other = TestClient(app, follow_redirects=False)
    for _ in range(5):
        assert post_open_form(other, "/login", name="ana", password="wrong one!").status_code == 401
    locked = post_open_form(other, "/login", name="ana", password=PASSWORD)
    assert locked.status_code == 401 and "too many failed logins" in locked.text


def test_the_exercise_reference(owner):
    assert "Fire hydrant" in owner.get("/exercises").text
    page = owner.get("/exercises/fire-hydrant").text
    assert "Kneeling on all fours" in page
    assert owner.get("/exercises/deadlift").status_code == 404


def test_an_exercise_page_credits_the_seed_only_with_what_it_says(owner):
    page = html.unescape(owner.get("/exercises/fire-hydrant").text)
    assert "What it does, how to do it, the cue, the variants, what to look for: Harris R." in page
    assert "Take care, without the equipment, the tempo: kneecoach default" in page


def test_exercise_figures_are_served_as_svg_for_each_variant_side_and_speed(app, owner):
    figure = owner.get("/exercises/fire-hydrant/figure.svg?variant=kneeling&side=right")
    assert figure.headers["content-type"].startswith("image/svg+xml")
    assert "Kneeling on all fours, right leg" in figure.text and 'dur="4s"' in figure.text
    fast = owner.get("/exercises/fire-hydrant/figure.svg?speed=4").text
    assert 'dur="1s"' in fast
    held = owner.get("/exercises/hip-flexor-stretch/figure.svg?hold=40").text
    assert 'fill="freeze"' in held and "indefinite" not in held
    assert "<animate" not in owner.get("/exercises/roll-down/figure.svg?still=true").text
    assert owner.get("/exercises/deadlift/figure.svg").status_code == 404
    assert owner.get("/exercises/roll-down/figure.svg?variant=x").status_code == 404
    assert owner.get("/exercises/roll-down/figure.svg?side=up").status_code == 400
    assert owner.get("/exercises/roll-down/figure.svg?speed=0").status_code == 400
    stranger = TestClient(app, follow_redirects=False)
    assert stranger.get("/exercises/roll-down/figure.svg").status_code == 303


def test_a_red_flag_at_onboarding_pauses_the_program(client):
    post_open_form(client, "/setup", name="ana", password=PASSWORD)
    token = csrf(client.get("/onboarding").text)
    client.post(
        "/onboarding",
        data={
            "csrf": token,
            "knee": "both",
            "pain_rest": "0",
            "pain_running": "0",
            "sessions_per_week": "3",
            "red_flag": ["locking"],
            "age_band": "16-50",
        },
    )
    page = client.get("/today").text
    assert "Program paused" in page and "clinician" in page


def _set_up_again(client, **changes: object):
    form = {
        "csrf": csrf(client.get("/onboarding").text),
        "knee": "right",
        "pain_rest": "0",
        "pain_running": "2",
        "sessions_per_week": "3",
        "no_red_flags": "1",
        "age_band": "16-50",
        **changes,
    }
    return client.post("/onboarding", data={k: v for k, v in form.items() if v is not None})


def test_setting_up_again_asks_before_replacing_the_profile(app, owner):
    def knee() -> str:
        runner = app.state.web.runtime.runner(1)
        return runner.stored_profile().profile.affected_knee.value

    assert "Replace my profile" in owner.get("/onboarding").text
    refused = _set_up_again(owner)
    assert refused.status_code == 409 and "tick" in refused.text
    assert knee() == "left"
    assert _set_up_again(owner, replace="yes").status_code == 303
    assert knee() == "right"


def test_setting_up_again_does_not_lift_a_pause(client):
    post_open_form(client, "/setup", name="ana", password=PASSWORD)
    assert "Replace my profile" not in client.get("/onboarding").text
    _set_up_again(client, no_red_flags=None, red_flag=["locking"])
    refused = _set_up_again(client, replace="yes")
    assert refused.status_code == 409
    assert "does not lift a pause" in refused.text and "kneecoach screen" not in refused.text
    assert "Program paused" in client.get("/today").text


def _player(page: str) -> dict:
    return json.loads(page.split('type="application/json">')[1].split("</script>")[0])


def _report(**changes):
    body = {
        "exercise": "bulgarian-split-squat",
        "side": "left",
        "set_number": 1,
        "completed": True,
        "elapsed_seconds": 2.0,
    }
    return {k: v for k, v in {**body, **changes}.items() if v is not None}


def _post_set(owner, body):
    token = csrf(owner.get("/today").text)
    return owner.post("/session/sets", json=body, headers={"X-CSRF-Token": token})


def test_a_set_posted_without_the_csrf_header_is_refused(owner):
    assert owner.post("/session/sets", json=_report()).status_code == 403
    forged = owner.post("/session/sets", json=_report(), headers={"X-CSRF-Token": "x"})
    assert forged.status_code == 403
    assert "No sessions logged yet" in owner.get("/history").text
    assert _player(owner.get("/session").text)["sets_done_before"] == 0


def test_the_server_counts_a_completed_set_as_prescribed(owner):
    kept = _post_set(owner, _report(rep=15))
    assert kept.status_code == 200
    assert kept.json()["kept"] is True and kept.json()["session"] >= 1
    assert kept.json()["set"]["reps"] == 15 and kept.json()["set"]["hold_seconds"] is None


def test_the_server_counts_a_set_ended_part_way_by_the_partial_set_rule(owner):
    cut = _post_set(owner, _report(completed=False, rep=6, elapsed_seconds=1.5))
    assert cut.json()["set"]["reps"] == 5
    hold = _report(
        exercise="hip-flexor-stretch", side="right", completed=False, elapsed_seconds=12.7
    )
    assert _post_set(owner, hold).json()["set"]["hold_seconds"] == 12
    nothing = _post_set(owner, _report(side="right", completed=False, rep=1))
    assert nothing.status_code == 200 and nothing.json() == {
        "kept": False,
        "session": None,
        "set": None,
    }
    player = _player(owner.get("/session").text)
    assert player["sets_done_before"] == 2


WRONG_REPORTS = [
    ([1, 2], "JSON object"),
    (_report(exercise=None), "exercise: missing"),
    (_report(exercise=7), "exercise: must be"),
    (_report(side="up"), "side: must be"),
    (_report(set_number="1"), "set_number: must be a whole number"),
    (_report(set_number=1.5), "set_number: must be a whole number"),
    (_report(set_number=None), "set_number: missing"),
    (_report(completed="yes"), "completed: must be true or false"),
    (_report(elapsed_seconds=-1), "elapsed_seconds: must be"),
    (_report(elapsed_seconds=True), "elapsed_seconds: must be"),
    (_report(rep=0), "rep: must be a whole number"),
    ({**_report(), "reps": 15}, "reps: not a field of a set"),
    (_report(completed=False), "rep: needed for a set of repetitions"),
    (_report(completed=False, rep=16), "rep: Bulgarian split squat has 15 repetitions"),
    (_report(side="both"), "side: Bulgarian split squat is done one leg at a time"),
    (_report(set_number=3), "set_number: Bulgarian split squat has 2 sets today, not 3"),
    (_report(exercise="deadlift"), "exercise: 'deadlift' is not in today's session"),
]


def test_a_wrong_set_report_is_refused_with_the_field_named_and_nothing_kept(owner):
    token = csrf(owner.get("/today").text)
    for body, field in WRONG_REPORTS:
        refused = owner.post("/session/sets", json=body, headers={"X-CSRF-Token": token})
        assert refused.status_code == 400, body
        detail = refused.json()["detail"]
        assert detail.startswith("set not kept: ") and field in detail, (body, detail)
        assert "KeyError" not in detail and "Traceback" not in detail
    assert _player(owner.get("/session").text)["sets_done_before"] == 0


def test_a_body_that_is_not_json_is_refused(owner):
    token = csrf(owner.get("/today").text)
    sent = owner.post("/session/sets", content=b"{", headers={"X-CSRF-Token": token})
    assert sent.status_code == 400 and sent.json()["detail"].startswith("the body is not JSON")


def test_the_session_page_carries_the_players_view(owner):
    page = owner.get("/session?speed=50").text
    assert 'data-speed="50.0"' in page and "27 sets today." in page
    player = _player(page)
    assert player["sets_in_session"] == 27 and player["sets_done_before"] == 0
    first, last = player["steps"][0], player["steps"][-1]
    assert player["total_seconds"] == last["start"] + last["duration"]
    assert (first["kind"], first["label"], first["set_in_session"]) == ("get-ready", "GET READY", 1)
    assert first["cue"] == "Roll down. Set 1 of 1. Get ready." and first["cue_line"]
    assert first["next_cue"] == "Rest. Next: Bulgarian split squat."
    assert last["set_in_session"] == 27 and last["next_cue"] == "The end of the session."
    stretch = next(s for s in player["steps"] if s["kind"] == "hold")
    assert stretch["figure"] == {
        "exercise": "hip-flexor-stretch",
        "variant": "kneeling",
        "side": "left",
        "hold_seconds": 40,
    }
    assert (stretch["side_label"], stretch["label"], stretch["work"]) == ("LEFT leg", "HOLD", True)
    assert {s["figure"]["hold_seconds"] for s in player["steps"] if s["kind"] == "beat"} == {None}


@pytest.mark.parametrize("speed", ["5000", "0", "fast", "nan"])
def test_a_wrong_speed_is_refused_on_a_page(owner, speed):
    refused = owner.get(f"/session?speed={speed}")
    assert refused.status_code == 400
    assert "speed must be a number above 0 and at most 1000" in refused.text
    assert "<h1>No session</h1>" in refused.text


def test_a_paused_program_starts_no_session_in_the_browser_and_keeps_no_set(owner):
    token = csrf(owner.get("/checkin").text)
    owner.post("/checkin", data={"csrf": token, "pain": "2", "swelling": "1"})
    page = owner.get("/session")
    assert page.status_code == 409
    assert "Program paused" in page.text and "see a clinician" in page.text.lower()
    assert "Source: Standard clinical red-flag screening" in page.text
    assert 'id="player"' not in page.text
    refused = _post_set(owner, _report())
    assert refused.status_code == 409 and "paused" in refused.json()["detail"]
    assert "No sessions logged yet" in owner.get("/history").text


def test_a_session_logged_today_is_not_offered_again(owner):
    token = csrf(owner.get("/today").text)
    owner.post("/log", data={"csrf": token, "pain": "2", "effort": "5"})
    page = owner.get("/session")
    assert page.status_code == 200 and "Done for today" in page.text
    assert "logged already" in page.text and 'id="player"' not in page.text


def test_progress_shows_levels_decisions_and_charts_with_text(owner):
    token = csrf(owner.get("/today").text)
    owner.post("/log", data={"csrf": token, "pain": "2", "effort": "5"})
    page = owner.get("/progress").text
    assert "Bulgarian split squat" in page and "Next:" in page
    assert "<svg" in page and "Knee pain (0-10)" in page and "during:" in page
    assert owner.post("/progress/undo", data={"csrf": token}).status_code == 200


def test_the_akps_questionnaire_scores_and_refuses_missing_answers(owner):
    token = csrf(owner.get("/akps").text)
    answers = {f"item{n}": "1" for n in range(1, 14)}
    scored = owner.post("/akps", data={"csrf": token, **answers})
    assert "Your AKPS today: 100/100" in scored.text
    missing = owner.post("/akps", data={"csrf": token, **{**answers, "item5": ""}})
    assert missing.status_code == 400 and "item 5" in missing.text
    wrong = owner.post("/akps", data={"csrf": token, **{**answers, "item1": "9"}})
    assert wrong.status_code == 400 and "has options 1 to 3" in wrong.text


def test_uploading_runs_lists_them_and_draws_the_load(owner):
    import datetime as dt

    from tests.fitwriter import run_points, write_activity

    files = []
    for offset in (1, 3, 5):
        start = dt.datetime.combine(TODAY - dt.timedelta(days=offset), dt.time(7), dt.UTC)
        data = write_activity(run_points(int(start.timestamp()), 1200, seed=offset))
        files.append(("files", (f"{offset}.fit", data, "application/octet-stream")))
    files.append(("files", ("broken.gpx", b"<gpx>", "application/gpx+xml")))
    page = import_on_the_page(owner, files)
    assert "4 files: 3 read, 1 failed" in page.text and "3 added" in page.text
    assert "broken.gpx" in page.text
    assert owner.get("/runs").text.count(" km</td>") == 3
    load = owner.get("/load").text
    assert (
        "Weekly running distance" in load and "<svg" in load and "not an injury prediction" in load
    )


def test_an_upload_without_the_csrf_token_is_refused(owner):
    response = owner.post("/runs/import", files=[("files", ("a.gpx", b"<gpx/>", "text/xml"))])
    assert response.status_code == 403


def test_a_calendar_subscription_serves_the_sessions_until_revoked(app, owner):
    import re as regex

    from icalendar import Calendar

    token = csrf(owner.get("/settings").text)
    page = owner.post("/settings/calendar", data={"csrf": token}).text
    address = regex.search(r'value="(http[^"]+\.ics)"', page).group(1)
    path = address.split("testserver", 1)[1] if "testserver" in address else address
    feed = TestClient(app).get(path)  # no login: the secret address is the key
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    events = list(Calendar.from_ical(feed.content).walk("VEVENT"))
    assert len(events) == 42 and events[0].walk("VALARM")  # 7 a week for 6 weeks
    owner.post("/settings/calendar/revoke", data={"csrf": token})
    assert TestClient(app).get(path).status_code == 404
    assert TestClient(app).get("/calendar/guessing.ics").status_code == 404


def test_the_program_sheet_is_linked_as_pdf_and_html(owner):
    pdf = owner.get("/sheet.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "Bulgarian split squat" in owner.get("/sheet").text


def test_progress_shows_the_adherence_calendar_with_words(owner):
    token = csrf(owner.get("/today").text)
    owner.post("/log", data={"csrf": token, "pain": "2", "effort": "5"})
    page = owner.get("/progress").text
    # the program started this week: the calendar is this week's, not twelve empty ones
    assert "Sessions over the last week" in page
    assert "1 of 1 planned sessions done in the last week" in page


def test_the_history_page_lists_the_morning_check_ins_even_before_any_session(owner):
    token = csrf(owner.get("/checkin").text)
    owner.post("/checkin", data={"csrf": token, "pain": "3"})
    page = owner.get("/history").text
    assert "No sessions logged yet" in page
    assert "Morning check-ins (1), the latest first" in page
    assert f"<td>{TODAY:%a %d %b}</td><td>3/10</td><td>no</td>" in page


def test_the_history_page_shows_a_pause_as_a_row_and_still_says_no_session_was_logged(owner):
    token = csrf(owner.get("/checkin").text)
    owner.post("/checkin", data={"csrf": token, "pain": "2", "swelling": "1"})
    page = owner.get("/history").text
    assert "No sessions logged yet" in page
    row = re.search(r'<tr class="pause"><td>[^<]+</td><td colspan="3">([^<]+)</td>', page)
    assert row is not None and "Program paused (knee swelling" in row.group(1)
    assert "still paused" in row.group(1)
