"""The weekly review and return to running, in the browser's pages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import csrf


def test_the_weekly_review_screens_then_sums_up_the_week_with_sources(owner):
    form = owner.get("/review").text
    assert "Red flags: tick any that apply now" in form
    token = csrf(form)
    owner.post("/log", data={"csrf": token, "pain": "3", "effort": "5"})
    review = owner.post("/review", data={"csrf": token, "no_red_flags": "1"}).text
    assert "Sessions: 1 of" in review and "Pain during sessions: 3.0/10" in review
    assert "[Silbernagel 2007]" in review
    assert "Next week" in review and "Bulgarian split squat:" in review


def test_a_red_flag_at_the_weekly_review_pauses_the_plan_and_sends_to_a_clinician(owner):
    token = csrf(owner.get("/review").text)
    review = owner.post("/review", data={"csrf": token, "red_flag": "locking"}).text
    assert 'role="alert"' in review and "clinician" in review
    assert "Next week" not in review
    assert "paused" in owner.get("/today").text.lower()


def test_a_weekly_review_with_no_answer_ticked_is_refused_not_taken_as_all_no(owner):
    token = csrf(owner.get("/review").text)
    empty = owner.post("/review", data={"csrf": token})
    assert empty.status_code == 400
    assert "red-flag questions are not answered" in empty.text
    both = owner.post("/review", data={"csrf": token, "red_flag": "locking", "no_red_flags": "1"})
    assert both.status_code == 400 and "cannot go with a red flag" in both.text
    assert "paused" not in owner.get("/today").text.lower()


def test_the_api_review_and_screen_refuse_a_body_without_the_red_flag_answers(owner):
    from tests.web.test_api import _token

    api = TestClient(owner.app, headers={"Authorization": f"Bearer {_token(owner)}"})
    for path in ("/api/v1/review", "/api/v1/screen"):
        refused = api.post(path, json={})
        assert refused.status_code == 422 and "red_flags" in refused.text


def test_the_weekly_review_refuses_an_unknown_flag_and_a_missing_token(owner):
    token = csrf(owner.get("/review").text)
    assert owner.post("/review", data={"csrf": token, "red_flag": "x"}).status_code == 400
    assert owner.post("/review", data={}).status_code == 403


def test_return_to_running_starts_after_the_entry_check_and_logs_a_run(owner):
    page = owner.get("/return-to-run").text
    assert "Entry check" in page and "Sources:" in page
    token = csrf(page)
    unmet = {"csrf": token, "walk": "yes", "squats": "4", "hops": "10", "test_pain": "0"}
    assert owner.post("/return-to-run/check", data=unmet).status_code == 303
    assert "you did 4" in owner.get("/return-to-run").text
    assert "Run of the day" not in owner.get("/today").text
    met = {**unmet, "squats": "10"}
    owner.post("/return-to-run/check", data=met)
    assert "Run of the day:</b> Stage 1: walk 2 min / run 3 min" in owner.get("/today").text
    started = owner.get("/return-to-run").text
    assert 'aria-current="step"' in started and "I ran today's stage" in started
    assert owner.post("/return-to-run/run", data={"csrf": token}).status_code == 303
    after = owner.get("/return-to-run").text
    assert "stage 1 (logged) — waiting for the next-morning check-in" in after


def test_the_entry_check_refuses_bad_numbers_and_writes_nothing(owner):
    token = csrf(owner.get("/return-to-run").text)
    bad = owner.post(
        "/return-to-run/check",
        data={"csrf": token, "walk": "yes", "squats": "ten", "hops": "10", "test_pain": "0"},
    )
    assert bad.status_code == 400 and "single-leg squats must be a whole number" in bad.text
    too_painful = owner.post(
        "/return-to-run/check",
        data={"csrf": token, "walk": "yes", "squats": "10", "hops": "10", "test_pain": "11"},
    )
    assert too_painful.status_code == 400 and "from 0 to 10" in too_painful.text
    assert "Entry check" in owner.get("/return-to-run").text
    running = owner.post("/return-to-run/run", data={"csrf": token})
    assert running.status_code == 400 and "has not started" in running.text


def test_anonymous_visitors_get_neither_page(app, owner):
    stranger = TestClient(app, follow_redirects=False)
    for path in ("/review", "/return-to-run"):
        assert stranger.get(path).headers["location"] == "/login"


def test_today_shows_each_exercise_figure_for_the_affected_leg_and_when_the_akps_is_due(owner):
    today = owner.get("/today").text
    assert today.count('class="thumb"') == 6
    assert "/exercises/bulgarian-split-squat/figure.svg?variant=body-weight&amp;side=left" in today
    assert "The Kujala AKPS is due" in today
    token = csrf(today)
    answers = {f"item{n}": "1" for n in range(1, 14)}
    owner.post("/akps", data={"csrf": token, **answers})
    assert "The Kujala AKPS is due" not in owner.get("/today").text


def test_a_paused_runner_gets_no_run_and_the_return_to_run_page_refuses_with_the_reason(owner):
    token = csrf(owner.get("/return-to-run").text)
    met = {"csrf": token, "walk": "yes", "squats": "10", "hops": "10", "test_pain": "0"}
    owner.post("/return-to-run/check", data=met)
    assert "Run of the day" in owner.get("/today").text
    owner.post("/log", data={"csrf": token, "pain": "8", "effort": "5"})
    assert "Run of the day" not in owner.get("/today").text
    page = owner.get("/return-to-run").text
    assert "Return to running is paused" in page and "I ran today's stage" not in page
    refused = owner.post("/return-to-run/run", data={"csrf": token})
    assert refused.status_code == 400 and "paused" in refused.text
    again = owner.post("/return-to-run/check", data=met)
    assert again.status_code == 400 and "paused" in again.text


def test_the_api_refuses_a_run_and_an_entry_check_while_paused_with_409(app, owner):
    from tests.web.test_api import _token

    api = TestClient(app, headers={"Authorization": f"Bearer {_token(owner)}"})
    check = {"walk_ok": True, "squats": 10, "hops": 10, "test_pain": 0}
    assert api.post("/api/v1/return-to-run/checks", json=check).status_code == 201
    assert api.get("/api/v1/today").json()["run"] is not None
    api.post("/api/v1/sessions", json={"pain_during": 8})
    assert api.get("/api/v1/today").json()["run"] is None
    run = api.post("/api/v1/return-to-run/runs")
    assert run.status_code == 409 and "paused" in run.json()["detail"]
    assert api.post("/api/v1/return-to-run/checks", json=check).status_code == 409
    status = api.get("/api/v1/return-to-run").json()
    assert status["paused"] is True and status["refusal"] and status["attempts"] == []
    schema = api.get("/api/v1/openapi.json").json()
    for path in ("/return-to-run/runs", "/return-to-run/checks"):
        assert "409" in schema["paths"][path]["post"]["responses"]
