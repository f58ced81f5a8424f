"""The web app's pages and the rules that guard them, through FastAPI's test client."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from tests.conftest import TODAY
from tests.web.conftest import PASSWORD, csrf


def test_the_first_visit_goes_to_setup_and_setup_happens_once(client):
    assert client.get("/").headers["location"] == "/setup"
    created = client.post("/setup", data={"name": "ana", "password": PASSWORD})
    assert created.status_code == 303
    assert "httponly" in created.headers["set-cookie"].lower()
    assert "samesite=lax" in created.headers["set-cookie"].lower()
    assert client.get("/").headers["location"] == "/onboarding"
    again = client.post("/setup", data={"name": "eve", "password": PASSWORD})
    assert again.status_code == 400 and "exists already" in again.text


def test_a_short_password_is_refused(client):
    refused = client.post("/setup", data={"name": "ana", "password": "short"})
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
        assert (
            other.post("/login", data={"name": "ana", "password": "wrong one!"}).status_code == 401
        )
    locked = other.post("/login", data={"name": "ana", "password": PASSWORD})
    assert locked.status_code == 401 and "too many failed logins" in locked.text


def test_the_exercise_reference(owner):
    assert "Fire hydrant" in owner.get("/exercises").text
    page = owner.get("/exercises/fire-hydrant").text
    assert "Kneeling on all fours" in page and "Source:" in page
    assert owner.get("/exercises/deadlift").status_code == 404


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
    client.post("/setup", data={"name": "ana", "password": PASSWORD})
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
        },
    )
    page = client.get("/today").text
    assert "Program paused" in page and "clinician" in page


def test_a_set_posted_without_the_csrf_header_is_refused(owner):
    body = {
        "exercise": "roll-down",
        "variant": "body-weight",
        "side": "both",
        "set_number": 1,
        "reps": 10,
    }
    assert owner.post("/session/sets", json=body).status_code == 403
    token = csrf(owner.get("/today").text)
    ok = owner.post("/session/sets", json=body, headers={"X-CSRF-Token": token})
    assert ok.status_code == 200 and ok.json()["kept"] is True
    bad = owner.post("/session/sets", json={**body, "reps": 999}, headers={"X-CSRF-Token": token})
    assert bad.status_code == 400 and "reps must be from 0" in bad.json()["detail"]


def test_the_session_page_carries_the_timeline(owner):
    page = owner.get("/session?speed=50").text
    assert 'data-speed="50.0"' in page and '"kind": "get-ready"' in page
    timeline = json.loads(page.split('type="application/json">')[1].split("</script>")[0])
    figures = {step["figure"] for step in timeline}
    held = "/exercises/hip-flexor-stretch/figure.svg?variant=kneeling&side=left&speed=50&hold=40"
    assert held in figures
    assert owner.get("/session?speed=5000").status_code == 400


def test_progress_shows_levels_decisions_and_charts_with_text(owner):
    token = csrf(owner.get("/today").text)
    owner.post("/log", data={"csrf": token, "pain": "2", "effort": "5"})
    page = owner.get("/progress").text
    assert "Bulgarian split squat" in page and "Next:" in page
    assert "<svg" in page and "Knee pain (0-10)" in page and "during:" in page
    assert owner.post("/progress/undo", data={"csrf": token}).status_code == 303


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

    token = csrf(owner.get("/runs").text)
    files = []
    for offset in (1, 3, 5):
        start = dt.datetime.combine(TODAY - dt.timedelta(days=offset), dt.time(7), dt.UTC)
        data = write_activity(run_points(int(start.timestamp()), 1200, seed=offset))
        files.append(("files", (f"{offset}.fit", data, "application/octet-stream")))
    files.append(("files", ("broken.gpx", b"<gpx>", "application/gpx+xml")))
    page = owner.post("/runs/import", data={"csrf": token}, files=files)
    assert "4 files: 3 added" in page.text and "broken.gpx" in page.text
    assert page.text.count(" km</td>") == 3
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
    assert "Sessions over the last 12 weeks" in page
    assert "1 of 1 planned sessions done in the last 12 weeks" in page
