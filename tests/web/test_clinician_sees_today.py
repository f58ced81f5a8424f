"""The clinician's runner page and API show, beside each exercise's ladder level, what the
runner's Today has them do: the same variant and dosage for an irritable knee, and no
session while the program is paused."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD, csrf, post_open_form
from tests.web.test_api import _token
from tests.web.test_clinic import _invite, _runner_id


def _join_irritable(app, invite: str, name: str = "ben") -> TestClient:
    """A runner who joins with knee pain of 4/10 at rest (an irritable knee), a session
    every day, no red flag."""
    runner = TestClient(app, follow_redirects=False)
    joined = post_open_form(runner, f"/invite/{invite}", name=name, password=PASSWORD)
    assert joined.status_code == 303, joined.text
    runner.post(
        "/onboarding",
        data={
            "csrf": csrf(runner.get("/onboarding").text),
            "knee": "right",
            "pain_rest": "4",
            "pain_running": "3",
            "sessions_per_week": "7",
            "no_red_flags": "1",
            "age_band": "16-50",
        },
    )
    return runner


def _api(client) -> TestClient:
    return TestClient(client.app, headers={"Authorization": f"Bearer {_token(client)}"})


def _hydrant_cell(page: str) -> str:
    return _cell(page, "Fire hydrant")


def test_the_clinicians_page_shows_the_runners_eased_variant_today_beside_the_level(app, owner):
    runner = _join_irritable(app, _invite(owner))
    runner_id = _runner_id(owner)
    planned = next(
        e
        for e in _api(runner).get("/api/v1/today").json()["exercises"]
        if e["exercise"] == "fire-hydrant"
    )
    assert planned["variant"] == "kneeling"
    assert planned["variant_name"] in runner.get("/today").text
    cell = _hydrant_cell(owner.get(f"/clinic/runners/{runner_id}").text)
    today, level = cell.split("Level:")
    dose = f"{planned['sets']} × {planned['reps']} reps (kneeling)"
    assert f"Today: {planned['variant_name']}, {dose}" in today
    assert "your knee pain is high" in today and "[" in today  # why, with its source
    assert "(standing)" in level and "kneeling" not in level
    assert "A session is due today" in owner.get(f"/clinic/runners/{runner_id}").text


def test_once_the_runner_logs_today_the_clinicians_page_says_so_not_that_it_is_due(app, owner):
    runner = _join_irritable(app, _invite(owner))
    runner_id = _runner_id(owner)
    page = owner.get(f"/clinic/runners/{runner_id}").text
    assert "No session was due before today." in page  # the first day: nothing was due
    runner.post("/log", data={"csrf": csrf(runner.get("/today").text), "pain": "2"})
    page = owner.get(f"/clinic/runners/{runner_id}").text
    assert "Today&#39;s session is logged." in page or "Today's session is logged." in page
    assert "A session is due today" not in page
    assert _api(owner).get(f"/api/v1/runners/{runner_id}").json()["progress"]["day"]["logged"]


def test_the_clinician_api_gives_the_same_variant_and_dosage_as_the_runners_today(app, owner):
    runner = _join_irritable(app, _invite(owner))
    clinician = _api(owner)
    runner_id = clinician.get("/api/v1/runners").json()[0]["id"]
    detail = clinician.get(f"/api/v1/runners/{runner_id}").json()
    assert detail["progress"]["day"]["kind"] == "session"
    rows = {e["exercise"]: e for e in detail["progress"]["exercises"]}
    planned = _api(runner).get("/api/v1/today").json()["exercises"]
    for item in planned:
        shown = rows[item["exercise"]]["today"]
        fields = ("variant", "variant_name", "sets", "reps", "hold_seconds", "load_kg")
        assert {f: shown[f] for f in fields} == {f: item[f] for f in fields}, item["exercise"]
    hydrant = rows["fire-hydrant"]
    assert hydrant["today"]["adjusted"] and hydrant["now"]["variant"] == "standing"
    assert all(note["sources"] for note in hydrant["today"]["notes"])


def test_a_paused_runner_has_no_session_today_on_the_clinicians_page_and_api(app, owner):
    runner = _join_irritable(app, _invite(owner))
    runner_id = _runner_id(owner)
    runner.post("/log", data={"csrf": csrf(runner.get("/today").text), "pain": "8"})
    assert "Program paused" in runner.get("/today").text
    page = owner.get(f"/clinic/runners/{runner_id}").text
    assert "No session today:" in page and "the program is paused" in page
    # said once above the exercises, not again in each exercise's row: a row keeps its level
    cell = _hydrant_cell(page)
    assert "Today:" not in cell and "Level:" in cell
    detail = _api(owner).get(f"/api/v1/runners/{runner_id}").json()
    assert detail["progress"]["day"] | {"date": None} == {
        "date": None,
        "kind": "paused",
        "paused": True,
        "next_session": None,
        "starts_on": None,
        "logged": True,  # the session that paused it
    }
    assert all(e["today"] is None for e in detail["progress"]["exercises"])


def _cell(page: str, name: str) -> str:
    row = re.search(rf"<tr><td>{name}</td>(.*?)</tr>", page, re.S)
    assert row is not None, page
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row.group(1))))


def test_a_clinicians_standing_fire_hydrant_stands_on_the_runners_today_with_their_note(app, owner):
    runner = _join_irritable(app, _invite(owner))
    runner_id = _runner_id(owner)
    page = owner.get(f"/clinic/runners/{runner_id}").text
    done = owner.post(
        f"/clinic/runners/{runner_id}/prescribe",
        data={
            "csrf": csrf(page),
            "exercise": "fire-hydrant",
            "variant": "standing",
            "sets": "3",
            "amount": "10",
            "load": "0",
            "note": "standing is fine now",
            "pinned": "1",
        },
    )
    assert done.status_code in (200, 303), done.text
    planned = next(
        e
        for e in _api(runner).get("/api/v1/today").json()["exercises"]
        if e["exercise"] == "fire-hydrant"
    )
    assert (planned["variant"], planned["sets"], planned["reps"]) == ("standing", 3, 10)
    assert planned["set_by_clinician"] == "standing is fine now"
    assert planned["notes"][0]["text"] == "Set by your clinician: standing is fine now"
    assert "Set by your clinician: standing is fine now" in html.unescape(runner.get("/today").text)
    cell = _hydrant_cell(owner.get(f"/clinic/runners/{runner_id}").text)
    # not eased today: the cell says so once instead of writing the level's dose twice
    assert "Today: as the level below" in cell
    assert "Level: 3 × 10 reps (standing)" in cell and cell.count("3 × 10 reps") == 1
    assert "Set by your clinician: standing is fine now" in cell


def test_the_clinicians_today_column_shows_the_range_the_runners_today_shows(app, owner):
    runner = _join_irritable(app, _invite(owner))
    runner_id = _runner_id(owner)
    squat = next(
        e
        for e in _api(runner).get("/api/v1/today").json()["exercises"]
        if e["exercise"] == "bulgarian-split-squat"
    )
    assert squat["range_text"]
    cell = _cell(owner.get(f"/clinic/runners/{runner_id}").text, squat["name"])
    today = cell.split("Level:")[0]
    assert squat["range_text"] in today
    assert all(note["text"] in today for note in squat["notes"])


def test_a_clinicians_unpin_puts_the_fire_hydrant_back_on_its_automatic_progression(app, owner):
    from tests.conftest import TODAY

    runner = _join_irritable(app, _invite(owner))
    runner_id = _runner_id(owner)
    clinician = _api(owner)
    prescribed = clinician.post(
        f"/api/v1/runners/{runner_id}/prescriptions",
        json={
            "exercise": "fire-hydrant",
            "variant": "standing",
            "sets": 3,
            "amount": 10,
            "note": "standing is fine now",
            "pinned": True,
        },
    )
    assert prescribed.status_code == 201, prescribed.text
    page = owner.get(f"/clinic/runners/{runner_id}").text
    done = owner.post(
        f"/clinic/runners/{runner_id}/pin",
        data={"csrf": csrf(page), "exercise": "fire-hydrant", "pinned": "0"},
    )
    assert done.status_code == 303, done.text
    said = f"unpinned by your clinician ana on {TODAY:%d %b %Y}"
    planned = next(
        e
        for e in _api(runner).get("/api/v1/today").json()["exercises"]
        if e["exercise"] == "fire-hydrant"
    )
    assert planned["set_by_clinician"] is None
    assert planned["back_on_automatic"] == f"{said}: back on its automatic progression"
    assert planned["variant"] == "kneeling"  # eased for the irritable knee again
    assert planned["notes"][0]["text"] == f"Back on its automatic progression: {said}."
    today_page = html.unescape(runner.get("/today").text)
    assert f"Back on its automatic progression: {said}." in today_page
    assert "Set by your clinician" not in today_page
    cell = _hydrant_cell(owner.get(f"/clinic/runners/{runner_id}").text)
    assert f"Back on its automatic progression: {said}." in cell
    detail = clinician.get(f"/api/v1/runners/{runner_id}").json()
    row = next(e for e in detail["progress"]["exercises"] if e["exercise"] == "fire-hydrant")
    assert row["today"]["back_on_automatic"] == planned["back_on_automatic"]
    assert row["decisions"][-1]["action"] == "unpinned"


def test_the_clinician_sees_the_morning_pain_that_paused_the_program_and_its_day(app, owner):
    from tests.conftest import TODAY

    runner = _join_irritable(app, _invite(owner))
    runner_id = _runner_id(owner)
    page = owner.get(f"/clinic/runners/{runner_id}").text
    assert "no check-in yet" in page
    kept = _api(runner).post("/api/v1/checkins", json={"pain_morning": 8, "swelling": True})
    assert kept.status_code == 201, kept.text
    page = html.unescape(owner.get(f"/clinic/runners/{runner_id}").text)
    morning = re.search(r'id="morning-pain">(.*?)</dd>', page, re.S)
    assert morning is not None
    assert f"8/10 on {TODAY:%a %d %b}, with swelling" in morning.group(1)
    [row] = [r for r in _api(owner).get("/api/v1/runners").json() if str(r["id"]) == runner_id]
    assert (row["morning_pain"], row["morning_pain_on"], row["morning_swelling"]) == (
        8,
        TODAY.isoformat(),
        True,
    )
