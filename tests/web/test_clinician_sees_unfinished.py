"""A runner keeps sets through the API and has not finished the session: the clinician's
runner page and the API's runner detail show it in progress, with the sets kept out of the
day's planned sets and the pain reported so far, and still count no session done."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from tests.web.test_api import _token
from tests.web.test_clinic import _invite, _join, _runner_id


def _api(client: TestClient) -> TestClient:
    return TestClient(client.app, headers={"Authorization": f"Bearer {_token(client)}"})


def _glance(page: str) -> str:
    card = re.search(r'<section class="card" id="glance".*?</section>', page, re.S)
    assert card is not None, page
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card.group(0))))


def _keep_two_sets(runner: TestClient) -> tuple[dict, int]:
    """Keep the first two sets of today's session as the browser player reports them; the
    first set's step and the session's planned sets."""
    session = runner.get("/api/v1/session").json()
    ends = [s for s in session["steps"] if s["ends_set"]][:2]
    for step in ends:
        kept = runner.post(
            "/api/v1/session/sets",
            json={
                "exercise": step["exercise"],
                "side": step["side"],
                "set_number": step["set_number"],
                "completed": True,
            },
        )
        assert kept.status_code == 200 and kept.json()["kept"], kept.text
    return ends[0], session["sets_in_session"]


def test_two_sets_kept_through_the_api_show_in_progress_on_the_clinicians_page_and_api(app, owner):
    from tests.conftest import TODAY

    runner = _api(_join(app, _invite(owner), "ben"))
    runner_id = _runner_id(owner)
    first, planned = _keep_two_sets(runner)
    pain = runner.post(
        "/api/v1/session/exercise-pain", json={"exercise": first["exercise"], "pain": 3}
    )
    assert pain.status_code == 200, pain.text

    glance = _glance(owner.get(f"/clinic/runners/{runner_id}").text)
    assert f"Session in progress Today, 2 of {planned} sets kept so far." in glance
    assert f"Pain reported: {first['exercise_name']} 3/10." in glance
    assert "not counted as a session done until ben finishes it" in glance

    detail = _api(owner).get(f"/api/v1/runners/{runner_id}").json()
    assert detail["unfinished_session"] == {
        "date": TODAY.isoformat(),
        "status": "in progress",
        "in_progress": True,
        "sets_kept": 2,
        "sets_planned": planned,
        "exercise_pain": [
            {"exercise": first["exercise"], "name": first["exercise_name"], "pain": 3}
        ],
    }
    # not a session done: the history and the adherence leave it out
    assert detail["history"]["sessions"] == []
    assert detail["history"]["adherence"]["sessions_done"] == 0


def test_with_nothing_in_progress_the_clinicians_page_and_api_show_no_unfinished_session(
    app, owner
):
    _join(app, _invite(owner), "ben")
    runner_id = _runner_id(owner)
    page = owner.get(f"/clinic/runners/{runner_id}").text
    assert 'id="unfinished"' not in page and "sets kept" not in page
    detail = _api(owner).get(f"/api/v1/runners/{runner_id}").json()
    assert detail["unfinished_session"] is None


def test_the_runner_detail_documents_the_unfinished_session(owner):
    schema = _api(owner).get("/api/v1/openapi.json").json()
    said = schema["paths"]["/runners/{runner_id}"]["get"]["description"]
    assert "unfinished_session" in said and "sets_planned" in said


def test_the_dashboard_row_says_todays_session_is_in_progress_until_it_is_finished(app, owner):
    runner = _api(_join(app, _invite(owner), "ben"))
    clinician = _api(owner)

    def row() -> dict:
        [found] = [r for r in clinician.get("/api/v1/runners").json() if r["name"] == "ben"]
        return found

    assert row()["in_progress_sets"] is None
    assert "in progress" not in owner.get("/clinic").text
    _keep_two_sets(runner)

    assert row()["in_progress_sets"] == 2
    page = html.unescape(owner.get("/clinic").text)
    assert "Today's session in progress: 2 sets kept so far" in page
    finished = runner.post("/api/v1/session/finish", json={"pain_during": 2})
    assert finished.status_code in (200, 201), finished.text
    assert row()["in_progress_sets"] is None
    assert "in progress" not in owner.get("/clinic").text
    schema = clinician.get("/api/v1/openapi.json").json()
    assert "in_progress_sets" in schema["paths"]["/runners"]["get"]["description"]


def test_too_much_pain_during_an_exercise_of_a_session_not_finished_needs_a_look(app, owner):
    """The runner was told 'too much' at once; the clinician sees it before any session's
    end judges it: on the dashboard, first among the runner's reasons, and on their page."""
    runner = _api(_join(app, _invite(owner), "ben"))
    runner_id = _runner_id(owner)
    first, _ = _keep_two_sets(runner)
    clinician = _api(owner)

    def row() -> dict:
        [found] = [r for r in clinician.get("/api/v1/runners").json() if r["name"] == "ben"]
        return found

    runner.post("/api/v1/session/exercise-pain", json={"exercise": first["exercise"], "pain": 5})
    assert row()["warnings"] == []
    runner.post("/api/v1/session/exercise-pain", json={"exercise": first["exercise"], "pain": 6})
    said = (
        f"today's session, not finished: pain during {first['exercise_name']} reached 6/10, "
        "above 5/10"
    )
    [warning] = row()["warnings"]
    assert warning["text"] == said and warning["sources"]
    assert said in html.unescape(owner.get("/clinic").text)
    page = html.unescape(owner.get(f"/clinic/runners/{runner_id}").text)
    assert said in page and "Nothing needs a look now" not in page


def test_the_runners_today_says_the_session_is_in_progress_on_the_page_the_api_and_the_cli(
    app, owner
):
    """Two sets kept in the browser player: Today offers to resume, not to start, and says
    how far the session got, alike on the page, in the API and in `kneecoach today`."""
    joined = _join(app, _invite(owner), "ben")
    runner = _api(joined)
    first, planned = _keep_two_sets(runner)
    runner.post("/api/v1/session/exercise-pain", json={"exercise": first["exercise"], "pain": 3})

    said = runner.get("/api/v1/today").json()["in_progress"]
    assert (said["sets_kept"], said["sets_planned"], said["status"]) == (2, planned, "in progress")
    assert said["exercise_pain"] == [
        {"exercise": first["exercise"], "name": first["exercise_name"], "pain": 3}
    ]
    page = html.unescape(re.sub(r"\s+", " ", joined.get("/today").text))
    assert f"Today's session is in progress: 2 of {planned} sets kept so far." in page
    assert f"Pain reported: {first['exercise_name']} 3/10." in page
    assert "Resume the guided session" in page and "Start the guided session" not in page
    finished = runner.post("/api/v1/session/finish", json={"pain_during": 2})
    assert finished.status_code in (200, 201), finished.text
    assert runner.get("/api/v1/today").json()["in_progress"] is None
    assert "Resume the guided session" not in joined.get("/today").text
